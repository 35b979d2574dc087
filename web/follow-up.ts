import type { CasePhase } from '../schemas/case-phase.ts';
import type { Appeal, FollowUpState, ReportAssessment } from '../schemas/follow-up/state.ts';
import type { CaseDetail } from './cases.ts';
import { formatDate, formatNok } from './format.ts';

/**
 * The case after its decision letter as the review app reads it (`CaseState.followUp`): the line of steps the case
 * page draws, and what waits in the follow-up queues.
 */

export type ReportOutcome = ReportAssessment['outcome'];
export type AppealOutcome = NonNullable<Appeal['decision']>['outcome'];

/** One step of the case's line: when it happened and who did it; absent `at` while it is still ahead. */
export interface TimelineStep {
  key: 'received' | 'proposal' | 'decision' | 'letter' | 'accepted' | 'paid' | 'report' | 'closed' | 'appeal';
  label: string;
  at?: string;
  by?: string;
  /** What the step came to (an amount, an outcome), in Bokmål. */
  note?: string;
  current: boolean;
}

/** Which step of the line a phase stands on. */
const stepOfPhase: Record<CasePhase, TimelineStep['key']> = {
  received: 'received',
  assessment: 'received',
  proposed: 'proposal',
  decided: 'decision',
  'letter-sent': 'letter',
  accepted: 'accepted',
  paid: 'paid',
  'report-due': 'paid',
  'report-received': 'report',
  closed: 'closed',
  appeal: 'appeal',
};

const reportOutcomeLabels: Record<ReportOutcome, string> = {
  approve: 'godkjent',
  'ask-more': 'bedt om mer',
  'claim-back': 'krav om tilbakebetaling',
};

const appealOutcomeLabels: Record<AppealOutcome, string> = {
  uphold: 'opprettholdt og sendt klageinstansen',
  change: 'vedtaket endret',
};

/**
 * The case's line: received → proposal → decision → letter → accepted → paid → report → closed, each with its date
 * and who, the appeals after them, and the step the case's phase stands on marked current.
 */
export function timelineOf(detail: CaseDetail, followUp: FollowUpState | undefined, phase: CasePhase): TimelineStep[] {
  // A decided case's state is gone once its workflow ends: its proposal is then read from the audit log.
  const proposed = detail.history.filter((e) => e.event === 'proposed').at(-1);
  const proposal = detail.proposals.at(-1) ?? (proposed && { at: proposed.at, by: proposed.actor });
  const decision = detail.decision;
  const letterSent = detail.history.find((e) => e.event === 'letter-sent')?.at ?? followUp?.letterSentAt;
  const approved = followUp?.payments.filter((p) => p.approved) ?? [];
  const paid = approved.at(-1);
  const report = followUp?.reports.at(-1);
  const closedBy = followUp?.events.filter((e) => e.phase === 'closed').at(-1)?.actor;
  const current = stepOfPhase[phase];
  const step = (key: TimelineStep['key'], label: string, facts: Partial<Omit<TimelineStep, 'key' | 'label'>>) =>
    ({
      key,
      label,
      ...Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined)),
      current: facts.current ?? current === key,
    }) as TimelineStep;
  const steps: TimelineStep[] = [
    step('received', 'Mottatt', {
      at: (detail.summary.receivedAt ?? detail.summary.startedAt)?.toISOString(),
      by: detail.application?.applicant?.name ?? detail.summary.applicant,
    }),
    step('proposal', 'Innstilling', {
      at: proposal?.at,
      by: decision?.proposedBy ?? proposal?.by,
    }),
    step('decision', 'Vedtak', {
      at: decision?.decidedAt,
      by: decision?.decidedBy,
      note: decision && (decision.outcome === 'approved' ? `innvilget ${formatNok(decision.amount)}` : 'avslått'),
    }),
    step('letter', 'Vedtaksbrev sendt', { at: letterSent }),
    step('accepted', 'Akseptert', {
      at: followUp?.acceptance?.receivedAt,
      by: followUp?.acceptance?.signedBy ?? followUp?.acceptance?.recordedBy,
    }),
    step('paid', 'Utbetalt', {
      at: paid?.paidAt ?? paid?.approved?.at,
      by: paid && `attestert av ${paid.attested?.by}, godkjent av ${paid.approved?.by}`,
      // All that is paid: a grant raised on appeal pays its difference as a further payment.
      note: paid && formatNok(approved.reduce((sum, p) => sum + p.amount, 0)),
    }),
    step('report', 'Rapport', {
      at: report?.document.receivedAt,
      by: report?.assessment?.by,
      note: report?.assessment && reportNote(report.assessment),
    }),
    step('closed', 'Avsluttet', { at: followUp?.closedAt, by: closedBy }),
  ];
  const waiting = followUp?.appeals.filter((a) => !a.decision).at(-1);
  for (const appeal of followUp?.appeals ?? [])
    steps.push(
      step('appeal', appeal.onTime ? 'Klage' : 'Klage (for sent)', {
        at: appeal.document.receivedAt,
        by: appeal.decision?.by,
        note: appeal.decision && appealOutcomeLabels[appeal.decision.outcome],
        current: phase === 'appeal' && appeal === waiting,
      }),
    );
  return steps;
}

/** A report's outcome; asked for more, with the new deadline the case now waits for. */
const reportNote = (assessment: ReportAssessment) =>
  assessment.outcome === 'ask-more' && assessment.deadline
    ? `${reportOutcomeLabels['ask-more']}, ny frist ${formatDate(assessment.deadline)}`
    : reportOutcomeLabels[assessment.outcome];

/** The payments waiting for an attestation, and those attested and waiting for a second person's approval. */
export const toAttest = (followUp: FollowUpState | undefined) =>
  followUp?.payments.filter((p) => !p.attested && !p.approved) ?? [];
export const toApprove = (followUp: FollowUpState | undefined) =>
  followUp?.payments.filter((p) => p.attested && !p.approved) ?? [];
export const appealsWaiting = (followUp: FollowUpState | undefined) =>
  followUp?.appeals.filter((a) => !a.decision) ?? [];

export { appealOutcomeLabels, reportOutcomeLabels };
