import type { CasePhase } from '../schemas/case-phase.ts';
import type { JournalEntry } from '../schemas/journal.ts';
import type { Payment } from '../schemas/payment.ts';
import type { CaseDetail } from './cases.ts';
import { formatNok } from './format.ts';

/**
 * The case after its decision letter as the review app reads it: the workflow's `followUp` state (acceptance,
 * payments, report, appeals, deadlines) and the line of steps the case page draws from it.
 *
 * PROVISIONAL: the types below are the part of `FollowUpState` (`schemas/follow-up/state.ts`, branch wt-followup's
 * contract) that the app reads, by the same names; replaced by imports of it when that is merged.
 */
export interface FollowUpEvent {
  seq: number;
  at: string;
  actor?: string;
  phase: CasePhase;
  text: string;
}

export interface Appeal {
  number: number;
  document: { receivedAt: string; fileName: string };
  onTime: boolean;
  decision?: { outcome: AppealOutcome; comment: string; by: string; at: string; amountGranted?: number };
}

export interface ReceivedReport {
  seq: number;
  document: { receivedAt: string; fileName: string };
  assessment?: { outcome: ReportOutcome; amount?: number; comment: string; by: string; at: string };
}

export interface FollowUpState {
  phase: CasePhase;
  letterSentAt: string;
  amountGranted: number;
  deadlines: {
    acceptance?: { deadlineDay: string; deadline: string };
    report?: { deadlineDay: string; deadline: string };
    appeal?: { lastDay: string; deadline: string };
  };
  events: FollowUpEvent[];
  acceptance?: { bankAccount: string; signedBy?: string; receivedAt: string; recordedBy?: string; note?: string };
  acceptanceEscalated?: string;
  payments: Array<Payment & { paidAt?: string }>;
  reports: ReceivedReport[];
  reportOverdue?: string;
  appeals: Appeal[];
  journal: JournalEntry[];
  closedAt?: string;
}

export type ReportOutcome = 'approve' | 'ask-more' | 'claim-back';
export type AppealOutcome = 'uphold' | 'change';

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
  const proposal = detail.proposals.at(-1);
  const decision = detail.decision;
  const letterSent = detail.history.find((e) => e.event === 'letter-sent')?.at ?? followUp?.letterSentAt;
  const paid = followUp?.payments.filter((p) => p.approved).at(-1);
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
      note: paid && formatNok(paid.amount),
    }),
    step('report', 'Rapport', {
      at: report?.document.receivedAt,
      by: report?.assessment?.by,
      note: report?.assessment && reportOutcomeLabels[report.assessment.outcome],
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

/** The payments waiting for an attestation, and those attested and waiting for a second person's approval. */
export const toAttest = (followUp: FollowUpState | undefined) =>
  followUp?.payments.filter((p) => !p.attested && !p.approved) ?? [];
export const toApprove = (followUp: FollowUpState | undefined) =>
  followUp?.payments.filter((p) => p.attested && !p.approved) ?? [];
export const appealsWaiting = (followUp: FollowUpState | undefined) =>
  followUp?.appeals.filter((a) => !a.decision) ?? [];

export { appealOutcomeLabels, reportOutcomeLabels };
