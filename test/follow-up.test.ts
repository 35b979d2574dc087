import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { acceptanceForm, followUpStyle, reportForm, type FollowUpFacts } from '../fixtures/follow-up.ts';
import { renderFormPdf } from '../fixtures/render-pdf.ts';
import type { CaseState } from '../schemas/assessment.ts';
import type { DecisionGroundsInput } from '../schemas/decision-grounds.ts';
import { paymentRunKey } from '../schemas/payment-run.ts';
import { readCaseJournal } from '../storage/journal.ts';
import { readObject } from '../storage/objects.ts';
import {
  approvePaymentUpdate,
  assessReportUpdate,
  attestPaymentUpdate,
  decideAppealUpdate,
  recordAcceptanceUpdate,
  searchAttributes,
} from '../workflows/messages.ts';
import type { PaymentRunResult } from '../workflows/payment-run.ts';
import { deliverDocument } from '../client/deliver.ts';
import {
  appealedByMail,
  approvedToTheEnd,
  decidedCase,
  decidedOn,
  grantInFull,
  mailIn,
  paidOnAcceptance,
  paidOnceInFull,
  potBalance,
  potEntriesOf,
  saveRuns,
  until,
  utdanning,
} from './support/follow-up-case.ts';
import { startRestartableServers } from './support/restartable-servers.ts';
import type { WorkerProcess } from './support/worker-process.ts';
import { dropIntoIntake, type TestStack } from './support/stack.ts';
import { useTestStack } from './support/use-test-stack.ts';

/**
 * A decided case lives on in the same workflow id (`grantFollowUp`): acceptance, payment, report, appeals, journal,
 * against real servers (Temporal, MinIO, SMTP in this process), with the timers in seconds. Documents come as intake
 * delivers them: e-mails dropped into the inbox, quoting the case's reference.
 */

const { stack, smtp } = useTestStack({ smtp: true, workers: { webhook: true } });

async function refusedWith(request: Promise<unknown>, reason: RegExp): Promise<void> {
  await assert.rejects(request, (error: unknown) => {
    assert.ok(error instanceof WorkflowUpdateFailedError, `refused as a failed Update, not ${String(error)}`);
    assert.match(String(error.cause?.message), reason);
    return true;
  });
}

const lettersTo = (caseId: string) =>
  smtp.received.filter(
    (m) => m.mail.attachments.some((a) => a.filename?.includes(caseId)) || m.mail.subject?.includes(caseId),
  );

test('one case through its whole life: letter, acceptance by e-mail, two-person payment, payment run, report, closed', async () => {
  const amount = 420_000;
  const { caseId, live, facts } = await decidedCase(stack, 'hele-livet', 301, amount, {
    reportReminderBeforeAfter: '1s',
    appealPeriod: '20s',
    continueAsNewAfterEvents: 120,
  });

  // The signed acceptance comes as an e-mail attachment; intake hands it to the case, which reads it as an acceptance.
  await mailIn(
    stack,
    caseId,
    'aksept',
    `Aksept av tilskudd ${caseId}`,
    await renderFormPdf(acceptanceForm(facts, 'nb', followUpStyle('colon'))),
  );
  const accepted = await until(live, (s) => s.followUp?.phase === 'accepted', 'the acceptance is taken');
  assert.equal(accepted.followUp!.acceptance!.bankAccount, '97100500004');
  assert.equal(accepted.followUp!.acceptance!.signedBy, 'Kari Nordmann');
  const [payment] = accepted.followUp!.payments;
  assert.deepEqual([payment!.amount, payment!.bankAccount, payment!.part], [amount, '97100500004', 'on-acceptance']);

  // Two people: one attests, another with budget authority approves; never the same person.
  await refusedWith(
    live.executeUpdate(approvePaymentUpdate, {
      args: [{ actor: 'per', paymentId: payment!.paymentId, hasBudgetAuthority: true }],
    }),
    /må attesteres/,
  );
  await live.executeUpdate(attestPaymentUpdate, { args: [{ actor: 'per', paymentId: payment!.paymentId }] });
  await refusedWith(
    live.executeUpdate(approvePaymentUpdate, {
      args: [{ actor: 'per', paymentId: payment!.paymentId, hasBudgetAuthority: true }],
    }),
    /har attestert utbetalingen og kan ikke også godkjenne/,
  );
  await refusedWith(
    live.executeUpdate(approvePaymentUpdate, {
      args: [{ actor: 'lise', paymentId: payment!.paymentId, hasBudgetAuthority: false }],
    }),
    /budsjettdisponeringsmyndighet/,
  );
  const approved = await live.executeUpdate(approvePaymentUpdate, {
    args: [{ actor: 'lise', paymentId: payment!.paymentId, hasBudgetAuthority: true }],
  });
  assert.equal(approved.followUp!.payments[0]!.approved?.by, 'lise');

  // The payment run writes the file for the accounting system, records *paid* in the ledger and tells the case.
  const run = await stack.env.client.workflow.execute<(input: { actor: string }) => Promise<PaymentRunResult>>(
    'paymentRun',
    {
      taskQueue: stack.config.temporal.taskQueue,
      workflowId: `utbetaling-${caseId}`,
      args: [{ actor: 'okonomi' }],
    },
  );
  const csv = (
    await readObject(stack.minio, { bucket: stack.config.buckets.records, key: paymentRunKey(run.runId) })
  ).toString('utf8');
  const line = csv.split(/\r\n/).find((l) => l.includes(caseId));
  assert.ok(line, 'the run file has the payment');
  assert.match(line!, new RegExp(`^${facts.organisationNumber};97100500004;${amount};${caseId};${utdanning};\\d+;`));
  const paid = await until(live, (s) => s.followUp?.phase === 'report-due', 'paid: the report is due');
  assert.ok(paid.followUp!.payments[0]!.paidAt);
  assert.equal(paid.followUp!.payments[0]!.runId, run.runId);

  // The reminder before the reporting deadline comes by the clock (seconds here), by e-mail.
  const reminded = await until(
    live,
    (s) => s.letters.some((l) => l.letter.name === 'purring-rapport'),
    'the report reminder',
  );
  assert.ok(reminded.followUp!.reportRemindedBefore);
  assert.equal(reminded.letters.find((l) => l.letter.name === 'purring-rapport')!.delivery?.via, 'smtp');

  // The report comes by e-mail; the caseworker approves it and the case closes.
  await mailIn(
    stack,
    caseId,
    'rapport',
    `Rapport ${caseId}`,
    await renderFormPdf(reportForm(facts, 'nb', followUpStyle('colon'))),
  );
  const received = await until(live, (s) => s.followUp?.phase === 'report-received', 'the report is in the queue');
  assert.equal(received.followUp!.reports[0]!.reading.amountSpent, amount);
  await refusedWith(
    live.executeUpdate(assessReportUpdate, { args: [{ actor: 'kari', outcome: 'claim-back', comment: 'for mye' }] }),
    /beløpet som kreves tilbake/,
  );

  // The case closes, and ends once its appeal period is over; it lived on in the same id, continued as new on the way.
  const { journal } = await approvedToTheEnd(stack, caseId, live, 'Målene er nådd.');
  assert.equal((await live.describe()).type, 'grantFollowUp', 'the case continued as new after the letter');

  // The records, the journal and the ledger agree.
  assert.deepEqual(
    journal.map((e) => [e.number, e.direction, e.kind]),
    [
      [1, 'inn', 'application'],
      [2, 'ut', 'letter'],
      [3, 'inn', 'acceptance'],
      [4, 'ut', 'letter'],
      [5, 'inn', 'report'],
    ],
  );
  const entries = await potEntriesOf(stack, caseId);
  assert.deepEqual(
    entries.map((e) => [e.kind, e.amount]),
    paidOnceInFull(amount),
  );
  assert.equal(entries.at(-1)!.paymentId, payment!.paymentId);
  assert.ok(line!.includes(`;${entries.at(-1)!.seq};`), 'the run file names the ledger line');
  await potBalance(stack);
  assert.ok(lettersTo(caseId).length >= 2, 'the decision letter and the reminder reached the applicant');
  await saveRuns(stack, 'follow-up-whole-life', caseId);
});

test('no report: a reminder before the deadline and one after it, then overdue in the caseworker’s queue', async () => {
  const started = Date.now();
  const { caseId, live, facts } = await decidedCase(stack, 'uten-rapport', 302, 300_000, {
    reportReminderBeforeAfter: '1s',
    reportDeadlineAfter: '1s',
    reportReminderAfter: '1s',
  });
  await paidOnAcceptance(
    stack,
    caseId,
    live,
    `Aksept ${caseId}`,
    await renderFormPdf(acceptanceForm(facts, 'nb', followUpStyle('table'))),
  );
  const overdue = await until(
    live,
    (s) => s.letters.some((l) => l.letter.name === 'purring-rapport-frist-ute-1'),
    'the report is overdue',
  );
  assert.equal(overdue.followUp!.phase, 'report-due');
  assert.ok(overdue.followUp!.reportRemindedBefore && overdue.followUp!.reportRemindedAfter);
  assert.deepEqual(
    overdue.letters.map((l) => l.letter.name).filter((n) => n.startsWith('purring')),
    ['purring-rapport', 'purring-rapport-frist-ute-1'],
  );
  assert.ok(overdue.findings.some((f) => f.code === 'report-overdue' && /ikke kommet/.test(f.message)));
  const { typedSearchAttributes } = await live.describe();
  assert.equal(typedSearchAttributes.get(searchAttributes.phase), 'report-due');
  const reportDeadline = typedSearchAttributes.get(searchAttributes.reportDeadline)!.getTime();
  assert.ok(
    started < reportDeadline && reportDeadline < Date.now(),
    `ReportDeadline ${new Date(reportDeadline).toISOString()} is the deadline the case waited for, in this test`,
  );
  await saveRuns(stack, 'follow-up-report-overdue', caseId);
  await live.terminate('test over');
});

test('an appeal within three weeks changes the amount: a new letter, the ledger adjusted', async () => {
  const amount = 500_000;
  const { caseId, live, facts } = await decidedCase(stack, 'klage-reduksjon', 303, amount);
  const appealed = await appealedByMail(stack, caseId, live, facts);
  const [appeal] = appealed.followUp!.appeals;
  assert.equal(appeal!.onTime, true);
  assert.equal(appeal!.returnTo, 'letter-sent');
  const decided = await live.executeUpdate(decideAppealUpdate, {
    args: [
      { actor: 'leder-ola', appeal: 1, outcome: 'change', amountGranted: 350_000, comment: 'Budsjettet er redusert.' },
    ],
  });
  assert.equal(decided.followUp!.phase, 'letter-sent', 'back where it was');
  assert.equal(decided.followUp!.amountGranted, 350_000);
  assert.ok(decided.letters.some((l) => l.letter.name === 'klagevedtak-1' && l.delivery?.via === 'smtp'));
  assert.deepEqual(
    decided.followUp!.journal.slice(-2).map((e) => [e.direction, e.kind]),
    [
      ['inn', 'appeal'],
      ['ut', 'letter'],
    ],
  );
  const entries = await potEntriesOf(stack, caseId);
  assert.deepEqual(
    entries.map((e) => [e.kind, e.amount]),
    [
      ['reserve', amount],
      ['commit', amount],
      ['release', 150_000],
    ],
  );
  await refusedWith(
    live.executeUpdate(decideAppealUpdate, {
      args: [{ actor: 'leder-ola', appeal: 1, outcome: 'uphold', comment: 'x' }],
    }),
    /allerede avgjort/,
  );
  await saveRuns(stack, 'follow-up-appeal', caseId);
  await live.terminate('test over');
});

test('the worker killed and the Temporal server restarted in the middle: every case still ends right', async () => {
  const servers = await startRestartableServers({ name: 'follow-up-chaos', minioSecret: 'grant-intake-follow-up' });
  const { config, minio, client } = servers;
  const startWorker = () => servers.startWorker({ INTAKE_SWEEP_INTERVAL_SECONDS: '3600' });
  let workerProcess: WorkerProcess | undefined = await startWorker();
  try {
    const on = { config, minio, env: { client } } as unknown as TestStack;
    const start = (seed: number, grounds: DecisionGroundsInput) =>
      decidedOn(on, `kaos-${seed}`, seed, 200_000, grounds, { appealPeriod: '40s' });
    const granted = await start(401, grantInFull(200_000));
    const refused = await start(402, {
      kind: 'rejected',
      reasonIds: ['utenfor-formalet'],
      explanation: 'Tiltaket ligger utenfor ordningens formål.',
    } as DecisionGroundsInput);
    const accepted = await granted.live.executeUpdate(recordAcceptanceUpdate, {
      args: [{ actor: 'kari', bankAccount: '9710.05.00004', signedBy: 'Kari Nordmann', note: 'Mottatt per post' }],
    });
    const { paymentId } = accepted.followUp!.payments[0]!;
    await granted.live.executeUpdate(attestPaymentUpdate, { args: [{ actor: 'per', paymentId }] });

    // Midway: the worker is killed and the server restarted; the cases' timers and state must survive both.
    await workerProcess.kill();
    await servers.restartTemporal();
    workerProcess = await startWorker();

    await granted.live.executeUpdate(approvePaymentUpdate, {
      args: [{ actor: 'lise', paymentId, hasBudgetAuthority: true }],
    });
    await client.workflow.execute('paymentRun', {
      taskQueue: config.temporal.taskQueue,
      workflowId: 'utbetaling-kaos',
      args: [{ actor: 'okonomi' }],
    });
    await until(granted.live, (s) => s.followUp?.phase === 'report-due', 'paid: the report is due');
    const facts: FollowUpFacts = {
      reference: granted.caseId,
      applicant: granted.form.truth.applicant!.name!,
      organisationNumber: granted.form.truth.applicant!.organisationNumber!,
      bankAccount: '97100500004',
      signer: 'Kari Nordmann',
      signerRole: 'rådmann',
      place: 'Vinje',
      signedOn: '2017-07-03',
      amountGranted: 200_000,
      amountSpent: 150_000,
      period: { start: '2017-08-01', end: '2018-03-31' },
      goalsReached: ['Kurset er holdt.'],
      decisionDate: '2017-06-12',
      amountRequested: 200_000,
    };
    const report = await renderFormPdf(reportForm(facts, 'nb', followUpStyle('colon')));
    const object = await dropIntoIntake(on, `inbox/rapport-${granted.caseId}.pdf`, report, {
      subject: `Rapport ${granted.caseId}`,
    });
    await deliverDocument(
      { client, minio, taskQueue: config.temporal.taskQueue, recordsBucket: config.buckets.records },
      object,
    );
    await until(granted.live, (s) => s.followUp?.phase === 'report-received', 'the report is in');
    const claimed = await granted.live.executeUpdate(assessReportUpdate, {
      args: [{ actor: 'kari', outcome: 'claim-back', amount: 50_000, comment: 'Kr 50 000 er ikke brukt.' }],
    });
    assert.equal(claimed.followUp!.phase, 'closed');
    assert.ok(claimed.letters.some((l) => l.letter.name === 'tilbakebetaling'));

    // Both cases end: the grant settled with money claimed back, the refusal once its appeal period is over.
    const [grantEnd, refusalEnd] = (await Promise.all([granted.live.result(), refused.live.result()])) as CaseState[];
    assert.equal(grantEnd!.followUp!.phase, 'closed');
    assert.equal(refusalEnd!.followUp!.phase, 'closed');
    assert.equal(refusalEnd!.followUp!.amountGranted, 0);
    const entries = await potEntriesOf(on, granted.caseId);
    assert.deepEqual(
      entries.map((e) => [e.kind, e.amount]),
      [
        ['reserve', 200_000],
        ['commit', 200_000],
        ['paid', 200_000],
        ['claim-back', 50_000],
      ],
    );
    const balance = await potBalance(on);
    assert.deepEqual([balance.committed, balance.paid, balance.claimedBack], [150_000, 150_000, 50_000]);
    const journal = await readCaseJournal(minio, config.buckets.records, granted.caseId);
    assert.deepEqual(journal, grantEnd!.followUp!.journal);
    assert.deepEqual(
      journal.map((e) => e.kind),
      ['application', 'letter', 'report', 'letter'],
    );
    await saveRuns(on, 'follow-up-claim-back', granted.caseId);
    await saveRuns(on, 'follow-up-refusal', refused.caseId);
  } finally {
    await workerProcess?.stop().catch(() => undefined);
    await servers.stop();
  }
});
