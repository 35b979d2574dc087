import type { AcceptanceReading, ReportReading } from '../../extraction/follow-up-reader.ts';
import type { CasePhase } from '../case-phase.ts';
import type { CaseDocument } from '../case-record.ts';
import type { Finding } from '../finding.ts';
import type { PhraseEvidence } from '../follow-up-kind.ts';
import type { AcceptanceTimes, AppealPeriod, ReportTimes } from '../follow-up-deadlines.ts';
import type { JournalEntry } from '../journal.ts';
import type { Payment } from '../payment.ts';

/**
 * A decided case as it lives on after its letter (SPEC §6): the acceptance, the payments, the report, the appeals and
 * the journal, until the grant is settled. `CaseState.followUp`; the review app reads it through `caseStateQuery`.
 */

/** A Temporal duration: `'21 days'`, `'2s'`, or milliseconds. */
export type Duration = string | number;

/**
 * The follow-up's timers. Absent, each comes from the scheme's dates (`follow-up-deadlines.ts`); tests give seconds.
 * Each is measured from the step before it, so that any of them can be short.
 */
export interface FollowUpTimers {
  /** From the letter sent to the acceptance reminder (default: the scheme's reminder day). */
  acceptanceReminderAfter?: Duration;
  /** From the acceptance reminder to the case going to the caseworker's queue. */
  acceptanceEscalateAfter?: Duration;
  /** From the payment to the report reminder before the deadline. */
  reportReminderBeforeAfter?: Duration;
  /** From the reminder before to the reporting deadline. */
  reportDeadlineAfter?: Duration;
  /** From the reporting deadline to the reminder after it; the report is then overdue in the queue. */
  reportReminderAfter?: Duration;
  /** From the letter sent to the end of the appeal period (default: forvaltningsloven §§29–30 by the scheme). */
  appealPeriod?: Duration;
  /** History length at which the case continues as new before the server suggests it; tests lower it. */
  continueAsNewAfterEvents?: number;
}

/** One line of the case's timeline: what happened, when, by whom, in Bokmål for the caseworker. */
export interface FollowUpEvent {
  seq: number;
  at: string;
  /** A caseworker, or absent for what the case did itself (a timer, a document's arrival). */
  actor?: string;
  /** The phase the case is in after it. */
  phase: CasePhase;
  text: string;
}

/** A document that came to the decided case: kept with the case, registered in the journal. */
export interface IncomingDocument {
  /** The kept original (`cases/<id>/original/…`). */
  original: CaseDocument['original'];
  fileName: string;
  receivedAt: string;
  /** Its extracted text's key in the records bucket. */
  textKey?: string;
  /** The phrases its kind was recognised by. */
  evidence: PhraseEvidence[];
  /** Its number in the journal. */
  journalNumber?: number;
}

export interface Acceptance {
  /** Eleven digits, MOD11-checked. */
  bankAccount: string;
  signedBy?: string;
  signedOn?: string;
  receivedAt: string;
  /** The document it came in, or the caseworker who recorded it (`recordAcceptance`). */
  document?: IncomingDocument;
  recordedBy?: string;
  note?: string;
  reading?: AcceptanceReading;
}

/** An acceptance document that could not be taken as one (no valid account, no signature): for the caseworker. */
export interface RejectedAcceptance {
  document: IncomingDocument;
  reading: AcceptanceReading;
  findings: Finding[];
}

/** A payment of the case (`schemas/payment.ts`), and when the payment run recorded it as paid. */
export type CasePayment = Payment & { paidAt?: string };

export interface ReportAssessment {
  outcome: 'approve' | 'ask-more' | 'claim-back';
  /** Kroner claimed back. */
  amount?: number;
  /** Asked for more: the day the applicant is to report by (YYYY-MM-DD). */
  deadline?: string;
  comment: string;
  by: string;
  at: string;
}

export interface ReceivedReport {
  /** 1, 2, …: a report asked to be completed comes again. */
  seq: number;
  document: IncomingDocument;
  reading: ReportReading;
  assessment?: ReportAssessment;
}

export interface Appeal {
  /** 1, 2, … within the case: what `decideAppeal` names. */
  number: number;
  document: IncomingDocument;
  /** Within the appeal period (forvaltningsloven §29); a late appeal is still assessed (§31). */
  onTime: boolean;
  /** The phase the case returns to once the appeal is settled. */
  returnTo: CasePhase;
  decision?: {
    outcome: 'uphold' | 'change';
    comment: string;
    by: string;
    at: string;
    /** A changed decision's amount, and the amount before it. */
    amountGranted?: number;
    previousAmount?: number;
    /** An upheld appeal is sent on to the scheme's appeal body. */
    sentTo?: string;
  };
}

export interface ClaimBack {
  amount: number;
  comment: string;
  by: string;
  at: string;
}

/** The dates the case waits for (ISO 8601 instants; the scheme's days). */
export interface FollowUpDeadlines {
  acceptance?: AcceptanceTimes;
  report?: ReportTimes;
  appeal?: AppealPeriod;
}

/** What the case waits for by the clock. */
export type FollowUpTimerName =
  | 'acceptance-reminder'
  | 'acceptance-escalation'
  | 'report-reminder-before'
  | 'report-deadline'
  | 'report-reminder-after'
  | 'appeal-period-end';

export interface FollowUpState {
  phase: CasePhase;
  /**
   * The instants (ISO 8601) the case's timers are due at: kept in the state so that a run continued as new waits for
   * what is left, not for the whole duration again.
   */
  timers: Partial<Record<FollowUpTimerName, string>>;
  /** When the decision letter was sent: the follow-up starts there. */
  letterSentAt: string;
  /** The amount granted now (after any changed decision); 0 for a refusal. */
  amountGranted: number;
  deadlines: FollowUpDeadlines;
  events: FollowUpEvent[];
  acceptance?: Acceptance;
  /** Acceptance documents that could not be taken as one. */
  rejectedAcceptances: RejectedAcceptance[];
  acceptanceReminded?: string;
  /** No acceptance after the reminder either: in the caseworker's queue. */
  acceptanceEscalated?: string;
  payments: CasePayment[];
  reports: ReceivedReport[];
  /**
   * The instant the case waits for its report by: the scheme's deadline, a later one after asking for more, or where a
   * test's durations drive the timers, theirs. The `ReportDeadline` search attribute shows it.
   */
  reportDueAt?: string;
  reportRemindedBefore?: string;
  reportRemindedAfter?: string;
  /** Past its deadline and its reminder without a report: overdue in the caseworker's queue. */
  reportOverdue?: string;
  appeals: Appeal[];
  claimBacks: ClaimBack[];
  /** Supplements that came after the decision and were none of the above. */
  supplements: IncomingDocument[];
  /** The case's journal (postjournal): every incoming document and outgoing letter, numbered within the case. */
  journal: JournalEntry[];
  closedAt?: string;
}
