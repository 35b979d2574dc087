import { z } from 'zod';

/** One version of one object in a bucket: what a workflow carries instead of bytes. */
export const ObjectRefSchema = z.object({
  bucket: z.string().min(1),
  key: z.string().min(1),
  etag: z.string().min(1),
  versionId: z.string().min(1).optional(),
});
export type ObjectRef = z.infer<typeof ObjectRefSchema>;

/** The e-mail facts the mailroom stores as S3 user metadata (SPEC §5); any of them may be missing. */
export const SubmissionMetadataSchema = z.object({
  receivedAt: z.string(),
  receivedAtSource: z.enum(['mailroom', 'upload-time']),
  sender: z.string().optional(),
  subject: z.string().optional(),
  messageId: z.string().optional(),
});
export type SubmissionMetadata = z.infer<typeof SubmissionMetadataSchema>;

export const DocumentInfoSchema = z.object({
  fileName: z.string(),
  size: z.number().int().nonnegative(),
  contentType: z.string().optional(),
  uploadedAt: z.string(),
  submission: SubmissionMetadataSchema,
});
export type DocumentInfo = z.infer<typeof DocumentInfoSchema>;

export const DocumentTypeSchema = z.enum(['pdf', 'docx']);
export type DocumentType = z.infer<typeof DocumentTypeSchema>;

export const ExtractedTextSchema = z.object({
  type: DocumentTypeSchema,
  pages: z.array(z.object({ number: z.number().int().positive(), text: z.string() })),
});
export type ExtractedText = z.infer<typeof ExtractedTextSchema>;
