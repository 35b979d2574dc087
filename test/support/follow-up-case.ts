import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FollowUpFacts } from '../../fixtures/follow-up.ts';
import type { Scheme } from '../../schemas/scheme.ts';
import type { CaseState } from '../../schemas/assessment.ts';
import { caseWorkflowId } from '../../schemas/case-reference.ts';
import type { DecisionGroundsInput } from '../../schemas/decision-grounds.ts';
import type { FollowUpTimers } from '../../schemas/follow-up/state.ts';
import { approveProposalUpdate, caseStateQuery, claimUpdate, proposeUpdate } from '../../workflows/messages.ts';
import { routedCase, utdanningDraft } from './decision-cases.ts';
import { buildEml } from './documents.ts';
import { saveHistory } from './histories.ts';
import { dropIntoIntake, type TestStack } from './stack.ts';

/** A decided case in its follow-up, as the follow-up tests drive it: decided by two people, documents mailed in. */

export type LiveCase = ReturnType<TestStack['env']['client']['workflow']['getHandle']>;

export const grantInFull = (amount: number): DecisionGroundsInput => ({
  kind: 'approved-in-full',
  amountGranted: amount,
  conditionIds: ['bruk-som-soknaden', 'rapportering'],
});

/**
 * A case routed as intake starts it (named `name`), proposed by one person and approved by another; once its letter is
 * sent. `facts` are what the applicant's acceptance, report and appeal forms say.
 */
export async function decidedCase(
  stack: TestStack,
  scheme: Scheme,
  name: string,
  seed: number,
  amount: number,
  timers: FollowUpTimers,
) {
  const form = utdanningDraft(scheme, seed, amount);
  const { handle, caseId } = await routedCase(stack, name, form, seed, 'post@vinje.example', {
    asIntake: true,
    followUp: timers,
  });
  await handle.executeUpdate(claimUpdate, { args: [{ actor: 'kari', notDisqualified: true }] });
  const proposed = await handle.executeUpdate(proposeUpdate, {
    args: [{ actor: 'kari', grounds: grantInFull(amount) }],
  });
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
