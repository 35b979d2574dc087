import type { DocumentType, ExtractedText } from '../schemas/document.ts';
import { sniffDocument } from './document-type.ts';
import { convertToDocx } from './libreoffice.ts';
import { withDefaults, type ExtractionLimits } from './limits.ts';
import { ocrImage, ocrPdf } from './ocr.ts';
import { runInSandbox } from './sandbox.ts';
import { isUsableTextLayer } from './text-layer.ts';
import { UnreadableDocumentError } from './unreadable.ts';

export { UnreadableDocumentError, unreadableFinding, type UnreadableCode } from './unreadable.ts';

export interface ExtractOptions {
  limits?: Partial<ExtractionLimits>;
}

/**
 * The text of one document, page by page in reading order, whatever its format: the type is taken from the content,
 * never the file name. A scan (an image, or a PDF without a usable text layer) is read by OCR. Pure library code
 * (no Temporal): the CLI, the activities and the tests call it. Rejects with `UnreadableDocumentError` for a document
 * that cannot be read, whose code is the caseworker's finding.
 */
export async function extractText(bytes: Uint8Array, options: ExtractOptions = {}): Promise<ExtractedText> {
  const read = await readTextLayer(bytes, options);
  return 'needsOcr' in read ? ocrDocument(bytes, read, options) : read;
}

/** A scan: its text is in page images, for OCR (`ocrDocument`), which the pipeline runs on workers of its own. */
export interface NeedsOcr {
  needsOcr: true;
  type: Extract<DocumentType, 'pdf' | 'png' | 'jpeg' | 'tiff'>;
  /** Pages of a scanned PDF, as its parser counted them. */
  pageCount?: number;
}

/**
 * The document's own text, when it has one; for a scan, what OCR needs to know. The cheap part of `extractText`:
 * everything but OCR.
 */
export async function readTextLayer(
  bytes: Uint8Array,
  options: ExtractOptions = {},
): Promise<ExtractedText | NeedsOcr> {
  const limits = withDefaults(options.limits);
  if (bytes.length > limits.maxBytes) {
    throw new UnreadableDocumentError(
      'too-large',
      `the file is ${bytes.length} bytes, more than the ${limits.maxBytes} read`,
      `filen er ${megabytes(bytes.length)} MB (grensen er ${megabytes(limits.maxBytes)} MB)`,
    );
  }
  if (bytes.length === 0)
    throw new UnreadableDocumentError('unreadable', 'the file is empty (0 bytes)', 'filen er tom (0 byte)');
  const sniffed = sniffDocument(bytes);
  if (sniffed.kind === 'email') {
    throw new UnreadableDocumentError(
      'unsupported-type',
      'an e-mail is read as its attachments (extractDocuments)',
      'en e-post leses som vedleggene sine',
    );
  }
  if (sniffed.kind === 'unsupported') {
    throw new UnreadableDocumentError(
      'unsupported-type',
      `the content is ${sniffed.what}`,
      `innholdet er ${sniffed.hva}`,
    );
  }
  const { type } = sniffed;
  if (type === 'png' || type === 'jpeg' || type === 'tiff') return { needsOcr: true, type };
  if (type === 'pdf') {
    const { pages } = await runInSandbox('pdf', [bytes, limits.maxPages], sandbox(limits));
    if (!isUsableTextLayer(pages)) return { needsOcr: true, type, pageCount: pages.length };
    return withText({ type, method: 'text', pages });
  }
  return withText(await readers[type](bytes, limits));
}

/** The text of a scan, read by OCR: page images of a PDF, or the image itself. */
export async function ocrDocument(
  bytes: Uint8Array,
  scan: NeedsOcr,
  options: ExtractOptions = {},
): Promise<ExtractedText> {
  const limits = withDefaults(options.limits);
  const pages =
    scan.type === 'pdf' ? await ocrPdf(bytes, scan.pageCount ?? 1, limits) : await ocrImage(bytes, scan.type, limits);
  return withText({ type: scan.type, method: 'ocr', pages });
}

/** Nothing to read is something to say: an empty Word file, a blank or unreadable scan, a damaged image. */
function withText(text: ExtractedText): ExtractedText {
  if (text.pages.every((page) => !page.text.trim())) {
    throw new UnreadableDocumentError(
      'unreadable',
      `no text found in the ${text.type} document`,
      'dokumentet inneholder ingen lesbar tekst',
    );
  }
  return text;
}

type Reader = (bytes: Uint8Array, limits: ExtractionLimits) => Promise<ExtractedText>;

const sandbox = (limits: ExtractionLimits) => ({ timeoutMs: limits.timeoutMs, maxMemoryMb: limits.maxMemoryMb });

const onePage = (type: DocumentType, text: string): ExtractedText => ({
  type,
  method: 'text',
  pages: [{ number: 1, text }],
});

const readDocx: Reader = async (bytes, limits) =>
  onePage('docx', await runInSandbox('docx', [bytes, limits.maxUncompressedBytes], sandbox(limits)));

/** Through LibreOffice to .docx, then as a .docx; the type stays what the applicant sent. */
const viaLibreOffice =
  (type: 'odt' | 'rtf' | 'doc'): Reader =>
  async (bytes, limits) => ({ ...(await readDocx(await convertToDocx(bytes, type, limits.timeoutMs), limits)), type });

const readers: Record<Exclude<DocumentType, 'pdf' | 'png' | 'jpeg' | 'tiff'>, Reader> = {
  docx: readDocx,
  async doc(bytes, limits) {
    try {
      return onePage('doc', await runInSandbox('doc', [bytes], sandbox(limits)));
    } catch (error) {
      // Word 6/95 files and odd writers defeat the .doc reader; LibreOffice reads most of them. It also "reads" a
      // damaged file as plain text in some code page, so only text that reads as text counts.
      if (!(error instanceof UnreadableDocumentError) || error.code !== 'unreadable') throw error;
      const converted = await viaLibreOffice('doc')(bytes, limits);
      if (!isUsableTextLayer(converted.pages)) throw error;
      return converted;
    }
  },
  odt: viaLibreOffice('odt'),
  rtf: viaLibreOffice('rtf'),
};

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);
