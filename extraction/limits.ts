/**
 * How much one document may cost before it is refused with a finding. A grant application is a few pages and a few
 * hundred kilobytes; these bounds are far above that and far below what would hurt a worker.
 */
export interface ExtractionLimits {
  /** The file's own size. */
  maxBytes: number;
  /** Pages of a PDF with a text layer. */
  maxPages: number;
  /** Pages read by OCR (a second each): a scanned application is a handful of pages. */
  maxOcrPages: number;
  /** What the parts of a .docx or .odt inflate to, all together: a zip bomb stops here. */
  maxUncompressedBytes: number;
  /** Pixels of one image (width × height): an image that declares gigapixels stops here, before it is decoded. */
  maxImagePixels: number;
  /** Wall time for parsing one document (per OCR page for scans), after which the parser is stopped. */
  timeoutMs: number;
  /** Heap of the parser's sandbox; a document that needs more is refused and the sandbox replaced. */
  maxMemoryMb: number;
  /** Attachments of one e-mail. */
  maxAttachments: number;
  /** E-mails attached to e-mails. */
  maxEmailDepth: number;
}

export const defaultLimits: ExtractionLimits = {
  maxBytes: 50 * 1024 * 1024,
  maxPages: 500,
  maxOcrPages: 40,
  maxUncompressedBytes: 200 * 1024 * 1024,
  maxImagePixels: 120_000_000,
  timeoutMs: 120_000,
  maxMemoryMb: 768,
  maxAttachments: 100,
  maxEmailDepth: 3,
};

export function withDefaults(limits: Partial<ExtractionLimits> = {}): ExtractionLimits {
  return { ...defaultLimits, ...limits };
}
