import type { Application, FieldPath, ProvenanceMap } from '../application.ts';
import type { CaseDocument } from '../case-record.ts';
import type { ObjectRef } from '../document.ts';
import type { Finding } from '../finding.ts';
import type { CaseStage, Route } from '../route.ts';

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
  amount: number;
  description: string;
}

export type AssessmentStatus = CaseStage | 'under-assessment' | 'awaiting-information' | 'approved' | 'rejected';

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
}

export interface Decision {
  outcome: 'approved' | 'rejected';
  /** The granted amount in whole NOK (approved). */
  amount?: number;
  /** Why it was rejected. */
  reason?: string;
  decidedBy: string;
  decidedAt: string;
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
  /** The case's documents in the order they came (cases opened before submissions have none listed here). */
  documents?: CaseDocument[];
  assignee?: string;
  conflicts: Conflict[];
  corrections: Correction[];
  informationRequests: InformationRequest[];
  /** Reminded after the service time, and `late` once escalated. */
  reminded: boolean;
  late: boolean;
  decision?: Decision;
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
  documents?: CaseDocument[];
}
