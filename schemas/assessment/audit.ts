/** One entry of the case's append-only audit log (`cases/<id>/audit/<seq>-<event>.json`). */
export interface AuditEntry {
  seq: number;
  event: AuditEvent;
  at: string;
  actor?: string;
  [detail: string]: unknown;
}

export type AuditEvent =
  | 'claimed'
  | 'assigned'
  | 'conflict-declared'
  | 'field-corrected'
  | 'information-requested'
  | 'document-added'
  | 'unrelated-document-decided'
  | 'information-reminder'
  | 'reminded'
  | 'escalated'
  | 'proposed'
  | 'approved'
  | 'returned'
  | 'letter-written'
  | 'letter-sent'
  | 'decided'
  // After the letter (`schemas/follow-up/case-follow-up.ts`).
  | 'acceptance-received'
  | 'accepted'
  | 'acceptance-reminded'
  | 'acceptance-escalated'
  | 'payment-attested'
  | 'payment-approved'
  | 'payment-exported'
  | 'report-due'
  | 'report-reminded'
  | 'report-deadline-passed'
  | 'report-overdue'
  | 'report-received'
  | 'report-assessed'
  | 'appeal-received'
  | 'appeal-decided'
  | 'appeal-period-ended'
  | 'follow-up-document'
  | 'follow-up-letter-sent'
  | 'closed';

/** The audit object's key: numbered so the log lists in order, and the same on every retry. */
export const auditKey = (caseFolder: string, entry: Pick<AuditEntry, 'seq' | 'event'>) =>
  `${caseFolder}/audit/${String(entry.seq).padStart(4, '0')}-${entry.event}.json`;
