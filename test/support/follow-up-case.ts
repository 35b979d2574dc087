import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLedgerClient, readPotEntries } from '../../activities/ledger.ts';
import { loadSchemes } from '../../config/schemes.ts';
import { appealLetter, type FollowUpFacts } from '../../fixtures/follow-up.ts';
import { renderTextPdf } from '../../fixtures/render-pdf.ts';
import type { CaseState } from '../../schemas/assessment.ts';
import { CaseRecordSchema } from '../../schemas/case-record.ts';
import { caseWorkflowId } from '../../schemas/case-reference.ts';
import type { DecisionGroundsInput } from '../../schemas/decision-grounds.ts';
import type { FollowUpTimers } from '../../schemas/follow-up/state.ts';
import { sumOfEntries, type PotEntry } from '../../schemas/ledger.ts';
import { readCaseJournal } from '../../storage/journal.ts';
import { readJson } from '../../storage/objects.ts';
import {
  approvePaymentUpdate,
  approveProposalUpdate,
  assessReportUpdate,
  attestPaymentUpdate,
  caseStateQuery,
  claimUpdate,
  proposeUpdate,
  searchAttributes,
} from '../../workflows/messages.ts';
import { routedCase, utdanningDraft } from './decision-cases.ts';
import { buildEml } from './documents.ts';
import { saveHistory } from './histories.ts';
import { dropIntoIntake, type TestStack } from './stack.ts';

/** A decided case in its follow-up, as the follow-up tests drive it: decided by two people, documents mailed in. */

/** The competence grant's `utdanning` earmark, which the cases' grants are drawn from. */
export const utdanning = 'pot-kompetanse-innovasjon-2017-utdanning';
const schemes = await loadSchemes();
const competence = schemes.find((s) => s.id === 'kompetanse-innovasjon-2017')!;

export type LiveCase = ReturnType<TestStack['env']['client']['workflow']['getHandle']>;

export const grantInFull = (amount: number): DecisionGroundsInput => ({
  kind: 'approved-in-full',
  amountGranted: amount,
  conditionIds: ['bruk-som-soknaden', 'rapportering'],
});

/** Timers that do not fire while a test runs; a test names those it waits for, in seconds. */
const quiet: FollowUpTimers = {
  acceptanceReminderAfter: '1 hour',
  reportReminderBeforeAfter: '1 hour',
  reportDeadlineAfter: '1 hour',
  reportReminderAfter: '1 hour',
  appealPeriod: '1 hour',
};

/**
 * An application for `amount` routed as intake starts it (named `name`), proposed on `grounds` by one person and
 * approved by another; once its letter is sent. Its timers are `timers`, the others quiet.
 */
export async function decidedOn(
  stack: TestStack,
  name: string,
  seed: number,
  amount: number,
  grounds: DecisionGroundsInput,
  timers: FollowUpTimers = {},
) {
  const form = utdanningDraft(competence, seed, amount);
  const { handle, caseId } = await routedCase(stack, name, form, seed, 'post@vinje.example', {
    asIntake: true,
    followUp: { ...quiet, ...timers },
  });
  await handle.executeUpdate(claimUpdate, { args: [{ actor: 'kari', notDisqualified: true }] });
  const proposed = await handle.executeUpdate(proposeUpdate, { args: [{ actor: 'kari', grounds }] });
  const seq = proposed.proposals.find((p) => p.status === 'open')!.seq;
  await handle.executeUpdate(approveProposalUpdate, {
    args: [{ actor: 'leder-ola', proposal: seq, notDisqualified: true }],
  });
  const live = stack.env.client.workflow.getHandle(caseWorkflowId(caseId));
  const state = await until(live, (s) => s.followUp?.phase === 'letter-sent', 'the letter is sent');
  return { caseId, live, state, form };
}

/**
 * An application for `amount` granted in full (`decidedOn`). `facts` are what the applicant's acceptance, report and
 * appeal forms say.
 */
export async function decidedCase(
  stack: TestStack,
  name: string,
  seed: number,
  amount: number,
  timers: FollowUpTimers = {},
) {
  const { caseId, live, state, form } = await decidedOn(stack, name, seed, amount, grantInFull(amount), timers);
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

/** Queries the case (its latest run) until `ok`, within `ms`. */
export async function until(
  live: LiveCase,
  ok: (state: CaseState) => boolean,
  what: string,
  ms = 90_000,
): Promise<CaseState> {
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
export async function mailIn(
  stack: TestStack,
  caseId: string,
  name: string,
  subject: string,
  pdf: Buffer,
): Promise<void> {
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

/** The applicant's appeal, a letter by e-mail; once it is in the caseworker's queue. */
export async function appealedByMail(stack: TestStack, caseId: string, live: LiveCase, facts: FollowUpFacts) {
  const appeal = await renderTextPdf(appealLetter(facts, 'nb'));
  await mailIn(stack, caseId, 'klage', `Klage på vedtak i sak ${caseId}`, appeal);
  return until(live, (s) => s.followUp?.phase === 'appeal', 'the appeal is in the queue');
}

/**
 * The signed acceptance mailed in (`subject`, `acceptance` attached), its payment attested by one person and approved
 * by another, then paid in a payment run of its own.
 */
export async function paidOnAcceptance(
  stack: TestStack,
  caseId: string,
  live: LiveCase,
  subject: string,
  acceptance: Buffer,
): Promise<void> {
  await mailIn(stack, caseId, 'aksept', subject, acceptance);
  const accepted = await until(live, (s) => s.followUp?.phase === 'accepted', 'the acceptance is taken');
  const { paymentId } = accepted.followUp!.payments[0]!;
  await live.executeUpdate(attestPaymentUpdate, { args: [{ actor: 'per', paymentId }] });
  await live.executeUpdate(approvePaymentUpdate, { args: [{ actor: 'lise', paymentId, hasBudgetAuthority: true }] });
  await stack.env.client.workflow.execute('paymentRun', {
    taskQueue: stack.config.temporal.taskQueue,
    workflowId: `utbetaling-${caseId}`,
    args: [{ actor: 'okonomi' }],
  });
}

/**
 * The caseworker approves the report: the case closes at once (Temporal shows it), ends once its appeal period is over,
 * and its records say so. Its final state and its journal in the records.
 */
export async function approvedToTheEnd(stack: TestStack, caseId: string, live: LiveCase, comment: string) {
  const closed = await live.executeUpdate(assessReportUpdate, {
    args: [{ actor: 'kari', outcome: 'approve', comment }],
  });
  assert.equal(closed.followUp!.phase, 'closed');
  assert.equal((await live.describe()).typedSearchAttributes.get(searchAttributes.phase), 'closed');
  const final = (await live.result()) as CaseState;
  assert.equal(final.followUp!.phase, 'closed');
  const record = CaseRecordSchema.parse(
    await readJson(stack.minio, stack.config.buckets.records, `cases/${caseId}/record.json`),
  );
  assert.equal(record.followUp?.phase, 'closed');
  const journal = await readCaseJournal(stack.minio, stack.config.buckets.records, caseId);
  assert.deepEqual(journal, final.followUp!.journal, 'the journal in the records is the case’s');
  return { final, journal };
}

/** The case's lines in the ledger of the pot its grant is drawn from, in order. */
export async function potEntriesOf(stack: TestStack, caseId: string): Promise<PotEntry[]> {
  const entries = await readPotEntries(stack.minio, stack.config.buckets.records, utdanning);
  return entries.filter((e) => e.reference === caseId);
}

/** A grant of `amount` reserved, committed and paid once, in full: its ledger lines' kinds and amounts. */
export const paidOnceInFull = (amount: number) => [
  ['reserve', amount],
  ['commit', amount],
  ['paid', amount],
];

/** The pot's balance as the ledger keeps it, once its entries are seen to add up to it. */
export async function potBalance(stack: TestStack) {
  const ledger = createLedgerClient({ client: stack.env.client, taskQueue: stack.config.temporal.taskQueue, schemes });
  const balance = await ledger.potBalance({ potId: utdanning });
  const { potId: _, name: __, ...sums } = balance;
  const entries = await readPotEntries(stack.minio, stack.config.buckets.records, utdanning);
  assert.deepEqual(sumOfEntries(entries), sums, 'the entries add up to the balance');
  return balance;
}

/**
 * Records every run of the case for the replay test (with UPDATE_HISTORIES=1): the application's (decided, continued as
 * new) and each run of its follow-up, as `<name>.<n>-<type>.json`.
 */
export async function saveRuns(stack: TestStack, name: string, caseId: string): Promise<void> {
  if (!process.env.UPDATE_HISTORIES) return;
  const runs: Array<{ runId: string; type: string; start: number }> = [];
  for await (const run of stack.env.client.workflow.list({ query: `WorkflowId = '${caseWorkflowId(caseId)}'` }))
    runs.push({ runId: run.runId, type: run.type, start: run.startTime.getTime() });
  runs.sort((a, b) => a.start - b.start);
  for (const [i, run] of runs.entries())
    await saveHistory(stack, `${name}.${i + 1}-${run.type}`, caseWorkflowId(caseId), run.runId);
}
