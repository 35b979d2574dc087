import { z } from 'zod';

/** One version of one object in a bucket: what a workflow carries instead of bytes. */
export const ObjectRefSchema = z.object({
  bucket: z.string().min(1),
  key: z.string().min(1),
  etag: z.string().min(1),
  versionId: z.string().min(1).optional(),
});
export type ObjectRef = z.infer<typeof ObjectRefSchema>;

/** An etag as S3 compares it: some answers quote it (`"9b2c…"`), others do not. */
export const unquotedEtag = (etag: string) => etag.replace(/"/g, '');

/** Whether two object versions are the same content under the same name (a re-upload of the same bytes is). */
export const sameContent = (a: ObjectRef, b: ObjectRef) =>
  a.key === b.key && unquotedEtag(a.etag) === unquotedEtag(b.etag);

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

/** What a document is, by its content: the formats applicants send, and the images a scanner makes. */
export const DocumentTypeSchema = z.enum(['pdf', 'docx', 'doc', 'odt', 'rtf', 'png', 'jpeg', 'tiff']);
export type DocumentType = z.infer<typeof DocumentTypeSchema>;

export const ExtractedTextSchema = z.object({
  type: DocumentTypeSchema,
  /** `text`: the document's own text (a PDF's text layer, a Word file's runs); `ocr`: read from page images. */
  method: z.enum(['text', 'ocr']).default('text'),
  pages: z.array(
    z.object({
      number: z.number().int().positive(),
      text: z.string(),
      /** OCR only: the engine's mean word confidence on the page, 0–1. */
      confidence: z.number().min(0).max(1).optional(),
      /** OCR only: per line of `text`, the engine's confidence (0–1) in each word, as split at spaces and tabs. */
      wordConfidences: z.array(z.array(z.number().min(0).max(1))).optional(),
    }),
  ),
});
export type ExtractedText = z.infer<typeof ExtractedTextSchema>;
