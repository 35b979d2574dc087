import type { DocumentType } from '../schemas/document.ts';

/** What some bytes are, by their content (magic bytes), never by the file name: a renamed executable is not a PDF. */
export type Sniffed =
  | { kind: 'document'; type: DocumentType }
  | { kind: 'email' }
  /** Recognised but not read: named for the error line (English) and the caseworker's finding (Bokmål). */
  | { kind: 'unsupported'; what: string; hva: string };

const startsWith = (bytes: Uint8Array, ...signature: number[]) => signature.every((byte, i) => bytes[i] === byte);

/** Headers an e-mail starts with (RFC 5322), as a mail client saves it or an MTA delivers it. */
const emailHeader =
  /^(?:Return-Path|Received|From|To|Subject|Date|Message-ID|MIME-Version|Delivered-To|X-[\w-]+|Content-Type|Reply-To|DKIM-Signature|ARC-[\w-]+|Authentication-Results):[ \t]/im;

export function sniffDocument(bytes: Uint8Array): Sniffed {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  // PDF readers accept the header anywhere in the first kilobyte, and so do we: some scanners put junk before it.
  if (head.includes('%PDF-')) return { kind: 'document', type: 'pdf' };
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) return sniffZip(bytes);
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) {
    // An OLE2 compound file: Word 97–2003 unless its streams (names stored in UTF-16) say Excel, PowerPoint or
    // Outlook. A damaged one is taken for Word, whose reader then says it is damaged.
    const buffer = Buffer.from(bytes);
    const other = ['Workbook', 'Book', 'PowerPoint Document', '__substg1.0_'].some((name) =>
      buffer.includes(Buffer.from(name, 'utf16le')),
    );
    return other && !buffer.includes(Buffer.from('WordDocument', 'utf16le'))
      ? {
          kind: 'unsupported',
          what: 'an Office file that is not a Word document (Excel, PowerPoint or Outlook)',
          hva: 'en Office-fil som ikke er et Word-dokument (Excel, PowerPoint eller Outlook)',
        }
      : { kind: 'document', type: 'doc' };
  }
  // Word for Windows 1.x and 2.x wrote no OLE container, just this file header; LibreOffice reads them.
  if (startsWith(bytes, 0x9b, 0xa5) || startsWith(bytes, 0xdb, 0xa5)) return { kind: 'document', type: 'doc' };
  if (head.startsWith('{\\rtf')) return { kind: 'document', type: 'rtf' };
  if (startsWith(bytes, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return { kind: 'document', type: 'png' };
  if (startsWith(bytes, 0xff, 0xd8, 0xff)) return { kind: 'document', type: 'jpeg' };
  if (startsWith(bytes, 0x49, 0x49, 0x2a, 0x00) || startsWith(bytes, 0x4d, 0x4d, 0x00, 0x2a))
    return { kind: 'document', type: 'tiff' };
  if (
    startsWith(bytes, 0x7f, 0x45, 0x4c, 0x46) ||
    startsWith(bytes, 0x4d, 0x5a) ||
    startsWith(bytes, 0xcf, 0xfa, 0xed, 0xfe) ||
    head.startsWith('#!')
  ) {
    return {
      kind: 'unsupported',
      what: 'a program (executable or script)',
      hva: 'et program (kjørbar fil eller skript)',
    };
  }
  if (head.startsWith('GIF8') || head.startsWith('BM') || (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP')) {
    return {
      kind: 'unsupported',
      what: 'an image format the OCR does not take (GIF, BMP, WebP)',
      hva: 'et bildeformat som ikke kan leses (GIF, BMP eller WebP)',
    };
  }
  if (/^\s*<(?:!doctype html|html|\?xml|svg)/i.test(head))
    return { kind: 'unsupported', what: 'an HTML or XML file', hva: 'en HTML- eller XML-fil' };
  if (emailHeader.test(head.replace(/^\uFEFF/, '')) && isText(bytes.subarray(0, 4096))) return { kind: 'email' };
  return {
    kind: 'unsupported',
    what: 'neither a PDF, a Word or OpenDocument file, an image nor an e-mail',
    hva: 'verken PDF, Word, OpenDocument, bilde eller e-post',
  };
}

/** A zip is a Word or OpenDocument text when its entries say so; the names sit uncompressed in the local headers. */
function sniffZip(bytes: Uint8Array): Sniffed {
  const buffer = Buffer.from(bytes);
  if (
    buffer.includes('word/document.xml', 0, 'latin1') ||
    (buffer.includes('[Content_Types].xml', 0, 'latin1') && buffer.includes('word/', 0, 'latin1'))
  ) {
    return { kind: 'document', type: 'docx' };
  }
  if (buffer.subarray(30, 100).toString('latin1').startsWith('mimetypeapplication/vnd.oasis.opendocument.text'))
    return { kind: 'document', type: 'odt' };
  return {
    kind: 'unsupported',
    what: 'a zip archive that is not a Word (.docx) or OpenDocument text',
    hva: 'et zip-arkiv som ikke er et Word- eller OpenDocument-dokument',
  };
}

function isText(bytes: Uint8Array): boolean {
  let control = 0;
  for (const byte of bytes) if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) control++;
  return control <= bytes.length / 100;
}
