import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { createLedgerClient, readPotEntries } from '../activities/ledger.ts';
import { loadSchemes } from '../config/schemes.ts';
import { acceptanceForm, appealLetter, followUpStyle, reportForm, type FollowUpFacts } from '../fixtures/follow-up.ts';
import { renderFormPdf, renderTextPdf } from '../fixtures/render-pdf.ts';
import type { CaseState } from '../schemas/assessment.ts';
import { CaseRecordSchema } from '../schemas/case-record.ts';
import { caseWorkflowId } from '../schemas/case-reference.ts';
import type { DecisionGroundsInput } from '../schemas/decision-grounds.ts';
import type { FollowUpTimers } from '../schemas/follow-up/state.ts';
import { sumOfEntries } from '../schemas/ledger.ts';
import { paymentRunKey } from '../schemas/payment-run.ts';
import { readCaseJournal } from '../storage/journal.ts';
import { readJson, readObject } from '../storage/objects.ts';
import {
  approvePaymentUpdate,
  approveProposalUpdate,
  assessReportUpdate,
  attestPaymentUpdate,
  caseStateQuery,
  claimUpdate,
  decideAppealUpdate,
  proposeUpdate,
  recordAcceptanceUpdate,
  searchAttributes,
} from '../workflows/messages.ts';
import type { PaymentRunResult } from '../workflows/payment-run.ts';
import { deliverDocument } from '../client/deliver.ts';
import { routedCase, utdanningDraft } from './support/decision-cases.ts';
import { startRestartableServers } from './support/restartable-servers.ts';
import type { WorkerProcess } from './support/worker-process.ts';
import { buildEml } from './support/documents.ts';
import { saveHistory } from './support/histories.ts';
import { dropIntoIntake, type TestStack } from './support/stack.ts';
import { useTestStack } from './support/use-test-stack.ts';

/**
 * A decided case lives on in the same workflow id (`grantFollowUp`): acceptance, payment, report, appeals, journal,
 * against real servers (Temporal, MinIO, SMTP in this process), with the timers in seconds. Documents come as intake
 * delivers them: e-mails dropped into the inbox, quoting the case's reference.
 */

const schemes = await loadSchemes();
const scheme = schemes.find((s) => s.id === 'kompetanse-innovasjon-2017')!;
const utdanning = 'pot-kompetanse-innovasjon-2017-utdanning';

const { stack, smtp } = useTestStack({ smtp: true, workers: { webhook: true } });

const grant = (amount: number): DecisionGroundsInput => ({
  kind: 'approved-in-full',
  amountGranted: amount,
  conditionIds: ['bruk-som-soknaden', 'rapportering'],
});

const ledger = () =>
  createLedgerClient({ client: stack.env.client, taskQueue: stack.config.temporal.taskQueue, schemes });

let named = 0;

/** A case routed as intake starts it, proposed by one person and approved by another; once its letter is sent. */
async function decidedCase(seed: number, amount: number, timers: FollowUpTimers) {
  const form = utdanningDraft(scheme, seed, amount);
  const { handle, caseId } = await routedCase(stack, `oppfolging-${++named}`, form, seed, 'post@vinje.example', {
    asIntake: true,
    followUp: timers,
  });
  await handle.executeUpdate(claimUpdate, { args: [{ actor: 'kari', notDisqualified: true }] });
  const proposed = await handle.executeUpdate(proposeUpdate, { args: [{ actor: 'kari', grounds: grant(amount) }] });
  const seq = proposed.proposals.find((p) => p.status === 'open')!.seq;
  await handle.executeUpdate(approveProposalUpdate, {
    args: [{ actor: 'leder-ola', proposal: seq, notDisqualified: true }],
  });
  const live = stack.env.client.workflow.getHandle(caseWorkflowId(caseId));
  const state = await until(live, (s) => s.followUp?.phase === 'letter-sent', 'the letter is sent');
  const facts: FollowUpFacts = {
    reference: caseId,
    applicant: form.truth.applicant!.name!,
    organisationNumber: form.truth.applicant!.organisationNumber!,
    bankAccount: '97100500004',
    signer: 'Kari Nordmann',
    signerRole: 'rådmann',
    place: 'Vinje',
    signedOn: '2017-07-03',
    amountGranted: amount,
    amountSpent: amount,
    period: { start: '2017-08-01', end: '2018-03-31' },
    goalsReached: ['Alle assistentane har fullført kurset.'],
    decisionDate: state.decision!.decidedAt.slice(0, 10),
    amountRequested: amount,
  };
  return { caseId, live, facts, state };
}

/**
 * Records every run of the case for the replay test: the application's (decided, continued as new) and each run of its
 * follow-up.
 */
async function saveRuns(name: string, caseId: string, on: TestStack = stack): Promise<void> {
  if (!process.env.UPDATE_HISTORIES) return;
  const runs: Array<{ runId: string; type: string; start: number }> = [];
  for await (const run of on.env.client.workflow.list({ query: `WorkflowId = '${caseWorkflowId(caseId)}'` }))
    runs.push({ runId: run.runId, type: run.type, start: run.startTime.getTime() });
  runs.sort((a, b) => a.start - b.start);
  for (const [i, run] of runs.entries())
    await saveHistory(on, `${name}.${i + 1}-${run.type}`, caseWorkflowId(caseId), run.runId);
}

type Live = ReturnType<TestStack['env']['client']['workflow']['getHandle']>;

/** Queries the case (its latest run) until `ok`, within `ms`. */
async function until(live: Live, ok: (state: CaseState) => boolean, what: string, ms = 90_000): Promise<CaseState> {
  const deadline = Date.now() + ms;
  let last: CaseState | undefined;
  for (;;) {
    try {
      last = await live.query(caseStateQuery);
      if (ok(last)) return last;
    } catch {
      // Between runs (continue-as-new) or while the worker is away the query may fail: ask again.
    }
    assert.ok(Date.now() < deadline, `${what} within ${ms} ms; phase ${last?.followUp?.phase}`);
    await sleep(300);
  }
}

/** An e-mail from the applicant quoting the case's reference, its document attached, dropped into the inbox. */
async function mailIn(caseId: string, name: string, subject: string, pdf: Buffer): Promise<void> {
  const eml = buildEml(
    {
      from: 'Kari Nordmann <kari@vinje.example>',
      to: 'postmottak@statsforvalteren.example',
      subject,
      date: new Date().toUTCString(),
      messageId: `<${name}-${caseId}@vinje.example>`,
    },
    `Vedlagt ${name}.`,
    [{ fileName: `${name}.pdf`, contentType: 'application/pdf', bytes: pdf }],
  );
  await dropIntoIntake(stack, `inbox/${name}-${caseId}.eml`, eml, {
    // S3 metadata is ASCII: the mailroom's subject line as it stores it.
    subject: `${name} ${caseId}`,
    sender: 'kari@vinje.example',
    'message-id': `<${name}-${caseId}@vinje.example>`,
  });
}

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
  const { caseId, live, facts } = await decidedCase(301, amount, {
    acceptanceReminderAfter: '1 hour',
    reportReminderBeforeAfter: '1s',
    reportDeadlineAfter: '1 hour',
    appealPeriod: '20s',
    continueAsNewAfterEvents: 120,
  });

  // The signed acceptance comes as an e-mail attachment; intake hands it to the case, which reads it as an acceptance.
  await mailIn(
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
  const closed = await live.executeUpdate(assessReportUpdate, {
    args: [{ actor: 'kari', outcome: 'approve', comment: 'Målene er nådd.' }],
  });
  assert.equal(closed.followUp!.phase, 'closed');
  assert.equal((await live.describe()).typedSearchAttributes.get(searchAttributes.phase), 'closed');

  // The case ends once its appeal period is over; it lived on in the same id, continued as new along the way.
  const final = (await live.result()) as CaseState;
  assert.equal(final.followUp!.phase, 'closed');
  assert.equal((await live.describe()).type, 'grantFollowUp', 'the case continued as new after the letter');

  // The records, the journal and the ledger agree.
  const record = CaseRecordSchema.parse(
    await readJson(stack.minio, stack.config.buckets.records, `cases/${caseId}/record.json`),
  );
  assert.equal(record.followUp?.phase, 'closed');
  const journal = await readCaseJournal(stack.minio, stack.config.buckets.records, caseId);
  assert.deepEqual(journal, final.followUp!.journal, 'the journal in the records is the case’s');
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
  const entries = (await readPotEntries(stack.minio, stack.config.buckets.records, utdanning)).filter(
    (e) => e.reference === caseId,
  );
  assert.deepEqual(
    entries.map((e) => [e.kind, e.amount]),
    [
      ['reserve', amount],
      ['commit', amount],
      ['paid', amount],
    ],
  );
  assert.equal(entries.at(-1)!.paymentId, payment!.paymentId);
  assert.ok(line!.includes(`;${entries.at(-1)!.seq};`), 'the run file names the ledger line');
  const all = await readPotEntries(stack.minio, stack.config.buckets.records, utdanning);
  const balance = await ledger().potBalance({ potId: utdanning });
  const { potId: _, name: __, ...sums } = balance;
  assert.deepEqual(sumOfEntries(all), sums, 'the entries add up to the balance');
  assert.ok(lettersTo(caseId).length >= 2, 'the decision letter and the reminder reached the applicant');
  await saveRuns('follow-up-whole-life', caseId);
});

test('no report: a reminder before the deadline and one after it, then overdue in the caseworker’s queue', async () => {
  const started = Date.now();
  const { caseId, live, facts } = await decidedCase(302, 300_000, {
    acceptanceReminderAfter: '1 hour',
    reportReminderBeforeAfter: '1s',
    reportDeadlineAfter: '1s',
    reportReminderAfter: '1s',
    appealPeriod: '1 hour',
  });
  await mailIn(
    caseId,
    'aksept',
    `Aksept ${caseId}`,
    await renderFormPdf(acceptanceForm(facts, 'nb', followUpStyle('table'))),
  );
  const accepted = await until(live, (s) => s.followUp?.phase === 'accepted', 'the acceptance is taken');
  const { paymentId } = accepted.followUp!.payments[0]!;
  await live.executeUpdate(attestPaymentUpdate, { args: [{ actor: 'per', paymentId }] });
  await live.executeUpdate(approvePaymentUpdate, { args: [{ actor: 'lise', paymentId, hasBudgetAuthority: true }] });
  await stack.env.client.workflow.execute('paymentRun', {
    taskQueue: stack.config.temporal.taskQueue,
    workflowId: `utbetaling-${caseId}`,
    args: [{ actor: 'okonomi' }],
  });
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
  await saveRuns('follow-up-report-overdue', caseId);
  await live.terminate('test over');
});

test('an appeal within three weeks changes the amount: a new letter, the ledger adjusted', async () => {
  const amount = 500_000;
  const { caseId, live, facts } = await decidedCase(303, amount, {
    acceptanceReminderAfter: '1 hour',
    appealPeriod: '1 hour',
  });
  await mailIn(caseId, 'klage', `Klage på vedtak i sak ${caseId}`, await renderTextPdf(appealLetter(facts, 'nb')));
  const appealed = await until(live, (s) => s.followUp?.phase === 'appeal', 'the appeal is in the queue');
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
  const entries = (await readPotEntries(stack.minio, stack.config.buckets.records, utdanning)).filter(
    (e) => e.reference === caseId,
  );
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
  await saveRuns('follow-up-appeal', caseId);
  await live.terminate('test over');
});

test('the worker killed and the Temporal server restarted in the middle: every case still ends right', async () => {
  const servers = await startRestartableServers({ name: 'follow-up-chaos', minioSecret: 'grant-intake-follow-up' });
  const { config, minio, client } = servers;
  const startWorker = () => servers.startWorker({ INTAKE_SWEEP_INTERVAL_SECONDS: '3600' });
  let workerProcess: WorkerProcess | undefined = await startWorker();
  try {
    const on = { config, minio, env: { client } } as unknown as TestStack;
    const timers: FollowUpTimers = {
      acceptanceReminderAfter: '1 hour',
      reportReminderBeforeAfter: '1 hour',
      appealPeriod: '40s',
    };
    const start = async (seed: number, grounds: DecisionGroundsInput) => {
      const form = utdanningDraft(scheme, seed, 200_000);
      const { handle, caseId } = await routedCase(on, `kaos-${seed}`, form, seed, 'post@vinje.example', {
        asIntake: true,
        followUp: timers,
      });
      await handle.executeUpdate(claimUpdate, { args: [{ actor: 'kari', notDisqualified: true }] });
      const proposed = await handle.executeUpdate(proposeUpdate, { args: [{ actor: 'kari', grounds }] });
      const seq = proposed.proposals.find((p) => p.status === 'open')!.seq;
      await handle.executeUpdate(approveProposalUpdate, {
        args: [{ actor: 'leder-ola', proposal: seq, notDisqualified: true }],
      });
      const live = client.workflow.getHandle(caseWorkflowId(caseId));
      await until(live, (s) => s.followUp?.phase === 'letter-sent', 'the letter is sent');
      return { caseId, live, form };
    };
    const granted = await start(401, grant(200_000));
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
    const entries = (await readPotEntries(minio, config.buckets.records, utdanning)).filter(
      (e) => e.reference === granted.caseId,
    );
    assert.deepEqual(
      entries.map((e) => [e.kind, e.amount]),
      [
        ['reserve', 200_000],
        ['commit', 200_000],
        ['paid', 200_000],
        ['claim-back', 50_000],
      ],
    );
    const balance = await createLedgerClient({ client, taskQueue: config.temporal.taskQueue, schemes }).potBalance({
      potId: utdanning,
    });
    const { potId: _, name: __, ...sums } = balance;
    assert.deepEqual(sumOfEntries(await readPotEntries(minio, config.buckets.records, utdanning)), sums);
    assert.deepEqual([balance.committed, balance.paid, balance.claimedBack], [150_000, 150_000, 50_000]);
    const journal = await readCaseJournal(minio, config.buckets.records, granted.caseId);
    assert.deepEqual(journal, grantEnd!.followUp!.journal);
    assert.deepEqual(
      journal.map((e) => e.kind),
      ['application', 'letter', 'report', 'letter'],
    );
    await saveRuns('follow-up-claim-back', granted.caseId, on);
    await saveRuns('follow-up-refusal', refused.caseId, on);
  } finally {
    await workerProcess?.stop().catch(() => undefined);
    await servers.stop();
  }
});
