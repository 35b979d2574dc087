import type { ExtractedText } from '../schemas/document.ts';
import { sniffDocument } from './document-type.ts';
import { withDefaults } from './limits.ts';
import type { EmailFacts } from './parsers/email.ts';
import { runInSandbox } from './sandbox.ts';
import { extractText, type ExtractOptions } from './text.ts';
import { UnreadableDocumentError } from './unreadable.ts';

export type { EmailFacts } from './parsers/email.ts';

/** One document of a drop: the file itself, or one attachment of an e-mail. */
export interface DocumentFile {
  /** The file name; an attachment's is `mail.eml › vedlegg.pdf`. */
  file: string;
  /** The attachment's own file name, as the e-mail gives it. */
  fileName: string;
  /** The e-mail the document came attached to (the innermost one, for an e-mail attached to an e-mail). */
  email?: EmailFacts;
  bytes: Uint8Array;
  /** Why this part (an e-mail that could not be opened, or had nothing attached) holds no document. */
  error?: UnreadableDocumentError;
}

export interface DocumentPart extends DocumentFile {
  text?: ExtractedText;
  extractMs: number;
}

/**
 * The documents in a file: the file itself, or, for an e-mail (.eml), each of its attachments (an attached e-mail is
 * opened in turn, up to `maxEmailDepth`). Never rejects for what is in the file: an e-mail that cannot be opened is a
 * part with its error.
 */
export async function documentsIn(
  bytes: Uint8Array,
  file: string,
  options: ExtractOptions = {},
): Promise<DocumentFile[]> {
  return filesOf(bytes, file, file, options, 0, undefined);
}

async function filesOf(
  bytes: Uint8Array,
  file: string,
  fileName: string,
  options: ExtractOptions,
  depth: number,
  email: EmailFacts | undefined,
): Promise<DocumentFile[]> {
  const part = { file, fileName, ...(email && { email }), bytes };
  if (sniffDocument(bytes).kind !== 'email') return [part];
  const limits = withDefaults(options.limits);
  try {
    if (depth > limits.maxEmailDepth) {
      throw new UnreadableDocumentError(
        'too-large',
        `e-mails are nested more than ${limits.maxEmailDepth} deep`,
        `e-poster er lagt ved hverandre i mer enn ${limits.maxEmailDepth} nivåer`,
      );
    }
    if (bytes.length > limits.maxBytes) {
      throw new UnreadableDocumentError(
        'too-large',
        `the e-mail is ${bytes.length} bytes, more than the ${limits.maxBytes} read`,
        'e-posten er for stor',
      );
    }
    const parsed = await runInSandbox('email', [bytes, limits.maxAttachments], {
      timeoutMs: limits.timeoutMs,
      maxMemoryMb: limits.maxMemoryMb,
    });
    if (!parsed.attachments.length) {
      return [
        {
          ...part,
          email: parsed.facts,
          error: new UnreadableDocumentError(
            'unreadable',
            'the e-mail has no attachments',
            'e-posten har ingen vedlegg',
          ),
        },
      ];
    }
    const files: DocumentFile[] = [];
    for (const attachment of parsed.attachments) {
      files.push(
        ...(await filesOf(
          attachment.bytes,
          `${file} › ${attachment.fileName}`,
          attachment.fileName,
          options,
          depth + 1,
          parsed.facts,
        )),
      );
    }
    return files;
  } catch (error) {
    if (error instanceof UnreadableDocumentError) return [{ ...part, error }];
    throw error;
  }
}

/**
 * Every document in a file, read: `documentsIn`, then the text of each (in turn: OCR and parsing already use every
 * core). Never rejects for what is in the file: a part that cannot be read carries its error, and the others are read.
 */
export async function extractDocuments(
  bytes: Uint8Array,
  file: string,
  options: ExtractOptions = {},
): Promise<DocumentPart[]> {
  const parts: DocumentPart[] = [];
  for (const found of await documentsIn(bytes, file, options)) {
    const started = performance.now();
    if (found.error) {
      parts.push({ ...found, extractMs: 0 });
      continue;
    }
    try {
      parts.push({ ...found, text: await extractText(found.bytes, options), extractMs: performance.now() - started });
    } catch (error) {
      if (!(error instanceof UnreadableDocumentError)) throw error;
      parts.push({ ...found, error, extractMs: performance.now() - started });
    }
  }
  return parts;
}
