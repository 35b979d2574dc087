import { z } from 'zod';
import { ApplicationSchema, ProvenanceSchema } from './application.ts';
import { caseFolder } from './bucket-layout.ts';
import { DocumentInfoSchema, ObjectRefSchema, unquotedEtag } from './document.ts';
import { FindingSchema } from './finding.ts';
import { DecisionGroundsSchema, DecisionKindSchema } from './decision-grounds.ts';
import { KeptLetterSchema, LetterDeliverySchema } from './letter-delivery.ts';
import { RouteSchema } from './route.ts';

export { caseFolder };
export const caseRecordKey = (caseId: string) => `${caseFolder(caseId)}/record.json`;

/** Where a document's text is kept in its case: one per object content, so a retry writes the same key. */
export function documentTextKey(caseId: string, object: { key: string; etag: string }): string {
  const name = object.key
    .slice(object.key.lastIndexOf('/') + 1)
    .replace(/[^\p{L}\p{N}._-]+/gu, '_')
    .slice(-80);
  return `${caseFolder(caseId)}/text/${unquotedEtag(object.etag).slice(0, 12)}-${name}.json`;
}

/**
 * Where the n-th document of a case (1-based) is kept: numbered, as two attachments may share a name, and short
 * enough for S3 stores that limit a key's segment to 255 bytes (MinIO does), keeping the name's end (its extension).
 */
export function originalKey(caseId: string, n: number, fileName: string): string {
  const prefix = `${String(n).padStart(2, '0')}-`;
  const bytes = (text: string) => new TextEncoder().encode(text).length;
  const name = [...fileName];
  while (bytes(prefix + name.join('')) > 255) name.shift();
  return `${caseFolder(caseId)}/original/${prefix}${name.join('')}`;
}

/**
 * One document of a case: the form the application was read from, the submission's other attachments, the e-mail
 * they came in (dropped whole), or a supplement the applicant sent later quoting the case reference.
 */
export const CaseDocumentSchema = z.object({
  fileName: z.string(),
  /**
   * `unrelated`: from another applicant than the case's, kept as received but unused (see `openedAs`); `letter`: a
   * letter the office sent (the decision letter), kept in the records bucket.
   */
  role: z.enum(['application', 'appendix', 'e-mail', 'supplement', 'unrelated', 'letter']),
  /** The intake object version it came as, and where it was moved (`processed/…`, or `quarantine/…`). */
  source: ObjectRefSchema,
  movedTo: z.string(),
  /** The kept copy in the records bucket, with the hash of the bytes kept. */
  original: z.object({ bucket: z.string(), key: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  contentType: z.string().optional(),
  receivedAt: z.string(),
  textKey: z.string().optional(),
  /** Why the document could not be read, when it could not. */
  unreadable: FindingSchema.optional(),
  /** A document from another applicant that a caseworker opened as a case of its own: that case's reference. */
  openedAs: z.string().optional(),
});
export type CaseDocument = z.infer<typeof CaseDocumentSchema>;

/**
 * The case as stored in the records bucket. It is complete without Temporal's history, which expires:
 * where the original came from, the kept copy (with the hash of the bytes kept), what was read, what was found.
 */
export const CaseRecordSchema = z.object({
  recordVersion: z.literal(1),
  caseId: z.string(),
  workflowId: z.string(),
  /** The document the case was opened with (the first one read; every document is under `documents`). */
  source: ObjectRefSchema,
  /**
   * Where the intake object was moved: `processed/…`, or `quarantine/…` when it could not be read; its own key when it
   * was gone before it could be read.
   */
  movedTo: z.string(),
  /** What the document was, and its kept copy: absent only when it was gone before it could be read (`vanished`). */
  document: DocumentInfoSchema.optional(),
  original: z.object({ bucket: z.string(), key: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
  /** The document's text, page by page (`ExtractedText`), stored beside the record. */
  textKey: z.string().optional(),
  /** What was read (SPEC §3), and where each field came from. Absent when the document could not be read. */
  application: ApplicationSchema.optional(),
  provenance: z.record(z.string(), ProvenanceSchema).optional(),
  /** The caseworker queue the case went to, its stage and priority. */
  route: RouteSchema.optional(),
  /** Every document of the case, in the order they came (absent in records written before submissions). */
  documents: z.array(CaseDocumentSchema).optional(),
  /** An e-mail dropped whole: where its attachments went (`inbox/<e-mail>.vedlegg/…`), part of this case. */
  attachments: z.array(z.string()).optional(),
  findings: z.array(FindingSchema),
  /**
   * After the decision letter: phase, acceptance, payments, reports, appeals and journal (`schemas/follow-up/state.ts`,
   * kept as the case has it).
   */
  followUp: z.looseObject({ phase: z.string() }).optional(),
  /** The assessment so far: who has the case, what was corrected, the decision (the audit log has every step). */
  assessment: z
    .object({
      status: z.string(),
      assignee: z.string().optional(),
      corrections: z.array(
        z.object({ field: z.string(), oldValue: z.unknown(), newValue: z.unknown(), by: z.string(), at: z.string() }),
      ),
      late: z.boolean(),
      decision: z
        .object({
          outcome: z.enum(['approved', 'rejected']),
          kind: DecisionKindSchema.optional(),
          amount: z.number().int().positive().optional(),
          reason: z.string().optional(),
          decidedBy: z.string(),
          decidedAt: z.string(),
          proposedBy: z.string().optional(),
          proposal: z.number().int().optional(),
          grounds: DecisionGroundsSchema.optional(),
        })
        .optional(),
      /** The case's letters: the PDF (key and SHA-256) and how far it has gone. */
      letters: z.array(z.object({ letter: KeptLetterSchema, delivery: LetterDeliverySchema.optional() })).optional(),
    })
    .optional(),
  recordedAt: z.string(),
});

export type CaseRecord = z.infer<typeof CaseRecordSchema>;
