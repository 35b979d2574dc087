import { randomBytes } from 'node:crypto';
import type { Client as MinioClient } from 'minio';
import { z } from 'zod';
import { caseFolder } from '../schemas/case-record.ts';
import { writeJson } from './objects.ts';

/**
 * Who read what (the access log): one object per view in the records bucket, never overwritten, like the audit log. The
 * review app appends every case, document and export it shows; the CLI appends the exports it writes.
 */

/**
 * What an export gave, for an export that can give personal data or not: the variant (the archive's, naming every
 * person, or the public one with names screened) and the date range asked for (absent: no limit).
 */
export const ExportScopeSchema = z.object({
  variant: z.enum(['archive', 'public']),
  from: z.string().optional(),
  to: z.string().optional(),
});
export type ExportScope = z.infer<typeof ExportScopeSchema>;

export const AccessEntrySchema = z.object({
  at: z.string(),
  user: z.string(),
  /** The review app's role, or `cli` for a command run with the stack's keys. */
  role: z.string(),
  what: z.enum(['case', 'document', 'document-page', 'export']),
  caseId: z.string().optional(),
  document: z.number().optional(),
  page: z.number().optional(),
  /** The review app's path, or the command. */
  path: z.string(),
  export: ExportScopeSchema.optional(),
});
export type AccessEntry = z.infer<typeof AccessEntrySchema>;

/** A case's access log lies beside its audit log; exports (many cases at once) have a log of their own. */
export const accessLogPrefix = (caseId?: string) => (caseId ? `${caseFolder(caseId)}/access/` : 'access/exports/');

/** Appends one view to the access log; returns its key. */
export async function appendAccessEntry(minio: MinioClient, bucket: string, entry: AccessEntry): Promise<string> {
  const key = `${accessLogPrefix(entry.caseId)}${entry.at.replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.json`;
  await writeJson(minio, bucket, key, entry);
  return key;
}
