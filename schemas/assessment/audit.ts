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
  | 'decided';

/** The audit object's key: numbered so the log lists in order, and the same on every retry. */
export const auditKey = (caseFolder: string, entry: Pick<AuditEntry, 'seq' | 'event'>) =>
  `${caseFolder}/audit/${String(entry.seq).padStart(4, '0')}-${entry.event}.json`;
