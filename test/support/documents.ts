import PDFDocument from 'pdfkit';
import { Document, Packer, Paragraph } from 'docx';
import libmime from 'libmime';

/**
 * A PDF with a text layer, one page per entry. Deterministic bytes (fixed dates), so the same call gives the same etag.
 * */
export async function makePdf(pages: string[]): Promise<Buffer> {
  const doc = new PDFDocument({ autoFirstPage: false, info: { CreationDate: new Date('2017-04-10T08:00:00Z') } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve) => doc.on('end', resolve));
  for (const text of pages) {
    doc.addPage();
    doc.text(text);
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/** A .docx with one paragraph per line. */
export async function makeDocx(lines: string[]): Promise<Buffer> {
  const doc = new Document({ sections: [{ children: lines.map((line) => new Paragraph(line)) }] });
  return Packer.toBuffer(doc);
}

export interface MailAttachment {
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
}

/** A MIME message as a mail client saves it (.eml): a text body and base64 attachments, CRLF line ends. */
export function buildEml(
  headers: { from: string; to: string; subject: string; date: string; messageId: string },
  body: string,
  attachments: MailAttachment[],
): Buffer {
  const boundary = '----=_grant_intake_test_7f3a';
  const encodedWord = (text: string) => (/^[\x20-\x7e]*$/.test(text) ? text : libmime.encodeWord(text, 'B'));
  const base64Lines = (bytes: Uint8Array) =>
    Buffer.from(bytes)
      .toString('base64')
      .match(/.{1,76}/g)!
      .join('\r\n');
  const lines = [
    `From: ${headers.from}`,
    `To: ${headers.to}`,
    `Subject: ${encodedWord(headers.subject)}`,
    `Date: ${headers.date}`,
    `Message-ID: ${headers.messageId}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    'This is a multi-part message in MIME format.',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(Buffer.from(body, 'utf8')),
    ...attachments.flatMap((attachment) => [
      `--${boundary}`,
      `Content-Type: ${attachment.contentType}; name="${attachment.fileName}"`,
      `Content-Disposition: attachment; filename="${attachment.fileName}"`,
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(attachment.bytes),
    ]),
    `--${boundary}--`,
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

export const mimeTypes = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
} as const;
