import { z } from 'zod';
import { ApplicationSchema, ProvenanceSchema } from './application.ts';
import { DocumentInfoSchema, ObjectRefSchema } from './document.ts';
import { FindingSchema } from './finding.ts';
import { RouteSchema } from './route.ts';

/**
 * The case as stored in the records bucket. It is complete without Temporal's history, which expires:
 * where the original came from, the kept copy (with the hash of the bytes kept), what was read, what was found.
 */
export const CaseRecordSchema = z.object({
  recordVersion: z.literal(1),
  caseId: z.string(),
  workflowId: z.string(),
  source: ObjectRefSchema,
  /** Where the intake object was moved: `processed/…`, or `quarantine/…` when it could not be read. */
  movedTo: z.string(),
  document: DocumentInfoSchema,
  original: z.object({ bucket: z.string(), key: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  /** The document's text, page by page (`ExtractedText`), stored beside the record. */
  textKey: z.string().optional(),
  /** What was read (SPEC §3), and where each field came from. Absent when the document could not be read. */
  application: ApplicationSchema.optional(),
  provenance: z.record(z.string(), ProvenanceSchema).optional(),
  /** The caseworker queue the case went to, its stage and priority. */
  route: RouteSchema.optional(),
  /** An e-mail dropped whole: where its attachments went (`inbox/<e-mail>.vedlegg/…`), each a case of its own. */
  attachments: z.array(z.string()).optional(),
  findings: z.array(FindingSchema),
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
          amount: z.number().int().positive().optional(),
          reason: z.string().optional(),
          decidedBy: z.string(),
          decidedAt: z.string(),
        })
        .optional(),
    })
    .optional(),
  recordedAt: z.string(),
});

export type CaseRecord = z.infer<typeof CaseRecordSchema>;
