import type { ExtractedText } from '../schemas/document.ts';
import { sniffDocument } from './document-type.ts';
import { withDefaults } from './limits.ts';
import type { EmailFacts } from './parsers/email.ts';
import { runInSandbox } from './sandbox.ts';
import { extractText, type ExtractOptions } from './text.ts';
import { UnreadableDocumentError } from './unreadable.ts';

export type { EmailFacts } from './parsers/email.ts';

/** One document of a drop: the file itself, or one attachment of an e-mail. */
export interface DocumentPart {
  /** The file name; an attachment's is `mail.eml › vedlegg.pdf`. */
  file: string;
  /** The e-mail the document came attached to (the innermost one, for an e-mail attached to an e-mail). */
  email?: EmailFacts;
  bytes: Uint8Array;
  text?: ExtractedText;
  error?: UnreadableDocumentError;
  extractMs: number;
}

/**
 * Every document in a file: the file itself, or, for an e-mail (.eml), each of its attachments, read the same way
 * (an attached e-mail is opened in turn, up to `maxEmailDepth`). Never rejects for what is in the file: a part that
 * cannot be read carries its error, and the other parts are still read.
 */
export async function extractDocuments(bytes: Uint8Array, file: string, options: ExtractOptions = {}): Promise<DocumentPart[]> {
  return partsOf(bytes, file, options, 0, undefined);
}

async function partsOf(bytes: Uint8Array, file: string, options: ExtractOptions, depth: number, email: EmailFacts | undefined): Promise<DocumentPart[]> {
  const started = performance.now();
  const failed = (error: UnreadableDocumentError): DocumentPart[] => [
    { file, ...(email && { email }), bytes, error, extractMs: performance.now() - started },
  ];
  if (sniffDocument(bytes).kind !== 'email') {
    try {
      const text = await extractText(bytes, options);
      return [{ file, ...(email && { email }), bytes, text, extractMs: performance.now() - started }];
    } catch (error) {
      if (error instanceof UnreadableDocumentError) return failed(error);
      throw error;
    }
  }
  const limits = withDefaults(options.limits);
  if (depth > limits.maxEmailDepth) {
    return failed(
      new UnreadableDocumentError(
        'too-large',
        `e-mails are nested more than ${limits.maxEmailDepth} deep`,
        `e-poster er lagt ved hverandre i mer enn ${limits.maxEmailDepth} nivåer`,
      ),
    );
  }
  let parsed;
  try {
    if (bytes.length > limits.maxBytes) throw new UnreadableDocumentError('too-large', `the e-mail is ${bytes.length} bytes, more than the ${limits.maxBytes} read`, 'e-posten er for stor');
    parsed = await runInSandbox('email', [bytes, limits.maxAttachments], { timeoutMs: limits.timeoutMs, maxMemoryMb: limits.maxMemoryMb });
  } catch (error) {
    if (error instanceof UnreadableDocumentError) return failed(error);
    throw error;
  }
  if (!parsed.attachments.length) {
    return [{ file, email: parsed.facts, bytes, error: new UnreadableDocumentError('unreadable', 'the e-mail has no attachments', 'e-posten har ingen vedlegg'), extractMs: performance.now() - started }];
  }
  const parts: DocumentPart[] = [];
  // One after the other: OCR and parsing already use every core, and an e-mail's attachments are few.
  for (const attachment of parsed.attachments) {
    parts.push(...(await partsOf(attachment.bytes, `${file} › ${attachment.fileName}`, options, depth + 1, parsed.facts)));
  }
  return parts;
}
