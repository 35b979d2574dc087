import mammoth from 'mammoth';
import { PDFParse } from 'pdf-parse';
import type { DocumentType, ExtractedText } from '../schemas/document.ts';
import type { Finding } from '../schemas/finding.ts';
import { detectDocumentType } from './document-type.ts';

/** A document that cannot be read as it is; `code` becomes the finding's code. Retrying does not help. */
export class UnreadableDocumentError extends Error {
  override name = 'UnreadableDocumentError';
  constructor(
    readonly code: 'unsupported-type' | 'unreadable' | 'encrypted',
    message: string,
  ) {
    super(message);
  }
}

const caseworkerMessages: Record<UnreadableDocumentError['code'], string> = {
  'unsupported-type': 'Filtypen støttes ikke: innholdet er verken PDF eller Word-dokument (.docx).',
  unreadable: 'Dokumentet kunne ikke leses: filen er skadet eller ufullstendig.',
  encrypted: 'Dokumentet er passordbeskyttet og kan ikke leses.',
};

/** The finding a caseworker sees for a document that could not be read. */
export function unreadableFinding(error: UnreadableDocumentError): Finding {
  return { code: error.code, severity: 'error', message: caseworkerMessages[error.code] };
}

/** Text of a document, page by page in reading order. Pure library code: the CLI, activities and tests call it. */
export async function extractText(bytes: Uint8Array): Promise<ExtractedText> {
  const type = detectDocumentType(bytes);
  if (!type) throw new UnreadableDocumentError('unsupported-type', 'the content is neither a PDF nor a Word (.docx) document');
  return { type, pages: await readers[type](bytes) };
}

const readers: Record<DocumentType, (bytes: Uint8Array) => Promise<ExtractedText['pages']>> = {
  async pdf(bytes) {
    // pdf.js takes ownership of the buffer it is given; pass a copy so the caller's bytes stay intact.
    const parser = new PDFParse({ data: new Uint8Array(bytes), isEvalSupported: false });
    try {
      const result = await parser.getText();
      return result.pages.map((page) => ({ number: page.num, text: page.text }));
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'PasswordException') throw new UnreadableDocumentError('encrypted', 'the PDF is password-protected');
      throw new UnreadableDocumentError('unreadable', `the PDF cannot be read: ${(error as Error).message}`);
    } finally {
      await parser.destroy();
    }
  },
  async docx(bytes) {
    try {
      const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
      return [{ number: 1, text: value }];
    } catch (error) {
      throw new UnreadableDocumentError('unreadable', `the Word document cannot be read: ${(error as Error).message}`);
    }
  },
};
