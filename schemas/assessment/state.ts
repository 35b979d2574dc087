import type { Application, FieldPath, ProvenanceMap } from '../application.ts';
import type { CaseDocument } from '../case-record.ts';
import type { ObjectRef } from '../document.ts';
import type { Finding } from '../finding.ts';
import type { DecisionCatalogue, DecisionGrounds, DecisionKind } from '../decision-grounds.ts';
import type { KeptLetter, LetterDelivery } from '../letter-delivery.ts';
import type { CaseStage, Route } from '../route.ts';
import type { WrittenStandard } from '../written-standard.ts';
import type { FollowUpState } from '../follow-up/state.ts';

/** A routed case as its assessment holds it: what was read and found, who has it, what was asked and decided. */

/** The durations of the assessment's timers (Temporal durations: `'21 days'`, `'2s'`, or milliseconds). */
export interface AssessmentTimers {
  /** How long a case may wait for its decision before a reminder; default the scheme's `serviceDays`. */
  reminderAfter?: string | number;
  /** How long after the reminder the case is escalated as late; default `serviceDays` again (twice in all). */
  escalateAfter?: string | number;
  /** How long the applicant has to send a requested supplement before a reminder; default 14 days. */
  informationReminderAfter?: string | number;
}

/** The service time for a case whose scheme is unknown (triage). */
export const defaultServiceDays = 21;
export const defaultInformationReminderAfter = '14 days';

/** The money a grant may draw on: the earmark's pot, or the scheme's money. */
export interface Pot {
  /** The pot's ledger (`pot-<scheme>-<earmark>`, `schemas/ledger.ts`); absent in cases checked before the ledger. */
  id?: string;
  amount: number;
  description: string;
}

/**
 * What a decision on the case is checked against and written from: its scheme, and that scheme's reasons and
 * conditions.
 */
export interface DecisionTerms extends DecisionCatalogue {
  schemeId: string;
}

export type AssessmentStatus =
  CaseStage | 'under-assessment' | 'awaiting-information' | 'proposed' | 'approved' | 'rejected';

export interface Correction {
  field: FieldPath;
  oldValue: unknown;
  newValue: unknown;
  by: string;
  at: string;
}

export interface Conflict {
  actor: string;
  reason: string;
  at: string;
}

export interface InformationRequest {
  seq: number;
  message: string;
  reason: string;
  by: string;
  at: string;
  /** Set when the supplement has come. */
  answeredAt?: string;
  supplement?: ObjectRef;
  remindedAt?: string;
}

/** What a document has been read as: the application its text gives, as `readFields` returns it. */
export interface DocumentReading {
  application: Application;
  provenance: ProvenanceMap;
  findings: Finding[];
  /** The written standard of the document's text (absent in readings from before letters). */
  standard?: WrittenStandard;
}

/** The caseworker's proposal (innstilling): the decision they propose, waiting for a second person's approval. */
export interface Proposal {
  /** The audit entry's seq: the proposal's name, which an approval quotes. */
  seq: number;
  grounds: DecisionGrounds;
  by: string;
  at: string;
  status: 'open' | 'approved' | 'returned' | 'replaced';
  /** The approver's comment when they sent it back. */
  returned?: { by: string; at: string; comment: string };
}

/** The decision (vedtak): a proposal approved by a second person. */
export interface Decision {
  outcome: 'approved' | 'rejected';
  /** SPEC §6's kind: approved in full or in part, rejected, dismissed (a dismissal's outcome is `rejected`). */
  kind?: DecisionKind;
  /** The granted amount in whole NOK (approved). */
  amount?: number;
  /** The grounds in the caseworker's words (partial grants, rejections, dismissals). */
  reason?: string;
  /** The approver. */
  decidedBy: string;
  decidedAt: string;
  proposedBy?: string;
  /** The proposal approved (its seq). */
  proposal?: number;
  grounds?: DecisionGrounds;
}

/** A letter of the case and how far it has gone. */
export interface CaseLetter {
  letter: KeptLetter;
  delivery?: LetterDelivery;
}

export interface CaseState {
  caseId: string;
  recordKey: string;
  status: AssessmentStatus;
  application: Application;
  provenance: ProvenanceMap;
  findings: Finding[];
  route: Route;
  pot?: Pot;
  /**
   * The scheme's decision catalogue (absent in triage, and in cases checked before proposals: fetched on the first).
   */
  terms?: DecisionTerms;
  /** The written standard of the application (its letters are written in it). */
  standard: WrittenStandard;
  /** The address the application came from (the e-mail's sender): its letters go there too. */
  sender?: string;
  /** The case's documents in the order they came (cases opened before submissions have none listed here). */
  documents?: CaseDocument[];
  assignee?: string;
  conflicts: Conflict[];
  corrections: Correction[];
  informationRequests: InformationRequest[];
  /** Reminded after the service time, and `late` once escalated. */
  reminded: boolean;
  late: boolean;
  proposals: Proposal[];
  decision?: Decision;
  letters: CaseLetter[];
  /** After the decision letter: acceptance, payments, report, appeals, journal (`workflows/follow-up.ts`). */
  followUp?: FollowUpState;
}

export interface AssessmentStart {
  caseId: string;
  recordKey: string;
  application: Application;
  provenance: ProvenanceMap;
  /** What reading found (kept, except for fields a caseworker has since corrected). */
  readingFindings: Finding[];
  /** What the scheme's rules found. */
  checkFindings: Finding[];
  route: Route;
  pot?: Pot;
  terms?: DecisionTerms;
  standard?: WrittenStandard;
  sender?: string;
  documents?: CaseDocument[];
}
