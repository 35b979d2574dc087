import { simpleParser } from 'mailparser';
import { UnreadableDocumentError } from '../unreadable.ts';

/** The e-mail's own facts: what the mailroom would have put in the object's metadata (SPEC §5). */
export interface EmailFacts {
  date?: string;
  from?: string;
  subject?: string;
  messageId?: string;
}

export interface EmailAttachment {
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
}

export interface ParsedEmail {
  facts: EmailFacts;
  attachments: EmailAttachment[];
}

/**
 * An .eml's facts and attachments. Pictures embedded in the body (a logo in the signature) are not attachments. The
 * body's HTML is never rendered: only the headers and the attachments' bytes are kept.
 */
export async function readEmail(bytes: Uint8Array, maxAttachments: number): Promise<ParsedEmail> {
  let mail;
  try {
    mail = await simpleParser(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipImageLinks: true,
      skipTextLinks: true,
    });
  } catch (error) {
    throw new UnreadableDocumentError(
      'unreadable',
      `the e-mail cannot be parsed: ${(error as Error).message}`,
      'e-posten er skadet',
    );
  }
  const attachments = mail.attachments.filter(
    (attachment) => !(attachment.related && attachment.contentType.startsWith('image/')),
  );
  if (attachments.length > maxAttachments) {
    throw new UnreadableDocumentError(
      'too-large',
      `the e-mail has ${attachments.length} attachments, more than the ${maxAttachments} read`,
      `e-posten har ${attachments.length} vedlegg (grensen er ${maxAttachments})`,
    );
  }
  const facts: EmailFacts = {
    ...(mail.date && !Number.isNaN(mail.date.getTime()) && { date: mail.date.toISOString() }),
    ...(mail.from?.text && { from: mail.from.text }),
    ...(mail.subject && { subject: mail.subject }),
    ...(mail.messageId && { messageId: mail.messageId }),
  };
  return {
    facts,
    attachments: attachments.map((attachment, i) => ({
      fileName: attachment.filename || `vedlegg-${i + 1}`,
      contentType: attachment.contentType,
      bytes: new Uint8Array(attachment.content),
    })),
  };
}
