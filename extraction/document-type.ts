import type { DocumentType } from '../schemas/document.ts';

/**
 * The type of a document by its content (magic bytes), never by its file name: a renamed executable is not a PDF.
 * Returns undefined for anything the reader does not support.
 */
export function detectDocumentType(bytes: Uint8Array): DocumentType | undefined {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (head.includes('%PDF-')) return 'pdf';
  if (head.startsWith('PK\x03\x04') && Buffer.from(bytes).includes('word/document.xml', 0, 'latin1')) return 'docx';
  return undefined;
}
