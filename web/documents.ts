import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from 'htmlparser2';
import { LRUCache } from 'lru-cache';
import mammoth from 'mammoth';
import type { Client as MinioClient } from 'minio';
import { sniffDocument } from '../extraction/document-type.ts';
import { checkZipBudget } from '../extraction/parsers/zip-budget.ts';
import { tsvWords } from '../extraction/ocr-lines.ts';
import { runTool } from '../extraction/tools.ts';
import { ExtractedTextSchema, type ExtractedText } from '../schemas/document.ts';
import { readJson, readObject } from '../storage/objects.ts';
import type { CaseDocumentView } from './cases.ts';
import { sanitizeDocumentHtml } from './sanitize.ts';

/**
 * What the case page shows of a document, made so that nothing in it can run: a PDF as PNG images of its pages
 * (poppler renders them; no PDF viewer, so no PDF JavaScript), a Word document as HTML through an allow-list
 * sanitiser, PNG and JPEG scans as images, and anything else as its extracted text. Originals are only downloads.
 */

/** A word on a PDF page, in points from the top left. */
interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

export interface PdfLayout {
  pages: Array<{ width: number; height: number; words: Word[] }>;
}

/** A highlight on a page, in percent of the page's width and height. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export type DocumentView =
  | { kind: 'pdf'; pages: number; layout: PdfLayout }
  | { kind: 'html'; html: string }
  | { kind: 'image'; contentType: 'image/png' | 'image/jpeg' }
  | { kind: 'text'; text: ExtractedText | undefined };

/** The largest original the app renders (a grant application is a few pages); larger ones are only downloads. */
const maxRenderBytes = 50 * 1024 * 1024;
/** Pages shown in the browser; the rest is in the download. */
export const maxShownPages = 40;

export class DocumentRenderer {
  private readonly views = new LRUCache<string, Promise<DocumentView>>({ max: 32 });
  private readonly pages = new LRUCache<string, Promise<Buffer>>({ max: 96 });
  private readonly ocrPages = new LRUCache<string, Promise<PdfLayout['pages'][number]>>({ max: 32 });
  private workDir: Promise<string> | undefined;

  constructor(private readonly deps: { minio: MinioClient; recordsBucket: string }) {}

  async original(document: CaseDocumentView): Promise<Buffer> {
    return readObject(this.deps.minio, document.original, maxRenderBytes);
  }

  /** What the case page shows of the document (cached by content hash). */
  view(document: CaseDocumentView): Promise<DocumentView> {
    const key = `${document.original.sha256}:${document.textKey ?? ''}`;
    let view = this.views.get(key);
    if (!view) {
      view = this.makeView(document);
      view.catch(() => this.views.delete(key));
      this.views.set(key, view);
    }
    return view;
  }

  private async makeView(document: CaseDocumentView): Promise<DocumentView> {
    let bytes: Buffer;
    try {
      bytes = await this.original(document);
    } catch {
      return { kind: 'text', text: await this.text(document) };
    }
    const sniffed = sniffDocument(bytes);
    const type = sniffed.kind === 'document' ? sniffed.type : undefined;
    try {
      if (type === 'pdf') {
        const layout = await this.pdfLayout(document, bytes);
        return { kind: 'pdf', pages: Math.min(layout.pages.length, maxShownPages), layout };
      }
      if (type === 'docx') return { kind: 'html', html: await docxHtml(bytes) };
      if (type === 'png') return { kind: 'image', contentType: 'image/png' };
      if (type === 'jpeg') return { kind: 'image', contentType: 'image/jpeg' };
    } catch {
      // A document poppler or mammoth cannot show is shown as its text.
    }
    return { kind: 'text', text: await this.text(document) };
  }

  /** The text intake stored for the document, page by page. */
  async text(document: CaseDocumentView): Promise<ExtractedText | undefined> {
    if (!document.textKey) return undefined;
    try {
      const raw = await readJson(this.deps.minio, this.deps.recordsBucket, document.textKey);
      const parsed = ExtractedTextSchema.safeParse(raw);
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  private readonly files = new Map<string, Promise<string>>();

  /** The PDF as a file for poppler: written once per content (to a temporary name, then renamed), then reused. */
  private pdfFile(document: CaseDocumentView, bytes?: Buffer): Promise<string> {
    const sha = document.original.sha256.replace(/[^0-9a-f]/g, '');
    let file = this.files.get(sha);
    if (!file) {
      file = (async () => this.workFile(`${sha}.pdf`, bytes ?? (await this.original(document))))();
      file.catch(() => this.files.delete(sha));
      this.files.set(sha, file);
    }
    return file;
  }

  private async pdfLayout(document: CaseDocumentView, bytes: Buffer): Promise<PdfLayout> {
    const file = await this.pdfFile(document, bytes);
    const xhtml = await runTool('pdftotext', ['-bbox-layout', '-l', String(maxShownPages), file, '-'], {
      timeoutMs: 60_000,
      maxMemoryMb: 1024,
    });
    return parseBboxLayout(xhtml.toString('utf8'));
  }

  /** One page of a PDF as PNG (1-based), rendered by poppler. */
  page(document: CaseDocumentView, page: number): Promise<Buffer> {
    const key = `${document.original.sha256}:${page}`;
    let png = this.pages.get(key);
    if (!png) {
      png = (async () => {
        const file = await this.pdfFile(document);
        return runTool('pdftoppm', ['-png', '-r', '110', '-f', String(page), '-l', String(page), file], {
          timeoutMs: 60_000,
          maxMemoryMb: 1024,
        });
      })();
      png.catch(() => this.pages.delete(key));
      this.pages.set(key, png);
    }
    return png;
  }

  /**
   * Where the source text stands on a page without a text layer (a scan, as an image or a PDF of images): the words
   * tesseract reads from the page image as shown, with their boxes. Read once per page, when someone asks.
   */
  async locateByOcr(
    document: CaseDocumentView,
    view: DocumentView,
    pageNumber: number,
    source: string,
  ): Promise<Box[]> {
    const key = `${document.original.sha256}:${pageNumber}`;
    let page = this.ocrPages.get(key);
    if (!page) {
      page = (async () => {
        const image = view.kind === 'pdf' ? await this.page(document, pageNumber) : await this.original(document);
        const file = await this.workFile(
          `${document.original.sha256.replace(/[^0-9a-f]/g, '')}-${pageNumber}.img`,
          image,
        );
        const tsv = (
          await runTool('tesseract', [file, 'stdout', '-l', 'nor+eng', '--psm', '4', 'tsv'], {
            timeoutMs: 60_000,
            maxMemoryMb: 1024,
            env: { OMP_THREAD_LIMIT: '1' },
          })
        ).toString('utf8');
        return ocrPage(tsv);
      })();
      page.catch(() => this.ocrPages.set(key, undefined as never));
      this.ocrPages.set(key, page);
    }
    return locate({ pages: [await page] }, 1, source);
  }

  private async workFile(name: string, bytes: Buffer): Promise<string> {
    this.workDir ??= mkdtemp(join(tmpdir(), 'grant-intake-web-'));
    const path = join(await this.workDir, name);
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, bytes, { mode: 0o600 });
    await rename(temporary, path);
    return path;
  }

  async close(): Promise<void> {
    if (this.workDir) await rm(await this.workDir, { recursive: true, force: true });
  }
}

/** mammoth's HTML of a .docx (zip checked against a budget first; images left out), sanitised by the allow-list. */
export async function docxHtml(bytes: Buffer): Promise<string> {
  await checkZipBudget(bytes, 200 * 1024 * 1024);
  const { value } = await mammoth.convertToHtml(
    { buffer: bytes },
    { convertImage: mammoth.images.imgElement(async () => ({ src: '' })), ignoreEmptyParagraphs: true },
  );
  return sanitizeDocumentHtml(value);
}

/** poppler's `pdftotext -bbox-layout` output: pages with their size and the boxes of their words. */
export function parseBboxLayout(xhtml: string): PdfLayout {
  const pages: PdfLayout['pages'] = [];
  let word: Word | undefined;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'page')
          pages.push({ width: Number(attributes.width), height: Number(attributes.height), words: [] });
        else if (name === 'word' && pages.length) {
          word = {
            xMin: Number(attributes.xMin),
            yMin: Number(attributes.yMin),
            xMax: Number(attributes.xMax),
            yMax: Number(attributes.yMax),
            text: '',
          };
        }
      },
      ontext(text) {
        if (word) word.text += text;
      },
      onclosetag(name) {
        if (name === 'word' && word) pages.at(-1)!.words.push(word);
        if (name === 'word') word = undefined;
      },
    },
    { xmlMode: true },
  );
  parser.end(xhtml);
  return { pages };
}

const normalise = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, '')
    .replace(/[☐☒■□:;,.]+$/g, '');

/**
 * Where a field's source text stands on its page: the words of the longest run of the source's words found there, as
 * boxes (one per line) in percent of the page. Empty when the text is not on the page (an OCR read, a model's answer).
 */
export function locate(layout: PdfLayout, pageNumber: number, source: string): Box[] {
  const page = layout.pages[pageNumber - 1];
  if (!page || !source.trim()) return [];
  const wanted = source.split(/\s+/).map(normalise).filter(Boolean);
  const words = page.words.map((w) => normalise(w.text));
  let best = { start: -1, length: 0 };
  for (let i = 0; i < words.length; i++) {
    for (let k = 0; k < wanted.length; k++) {
      let n = 0;
      while (i + n < words.length && k + n < wanted.length && words[i + n] === wanted[k + n]) n++;
      if (n > best.length) best = { start: i, length: n };
    }
  }
  // A single short word (a «Ja», a digit) found somewhere says little: only whole short sources count.
  if (best.length === 0 || (best.length === 1 && wanted.length > 1 && words[best.start]!.length < 4)) return [];
  const matched = page.words.slice(best.start, best.start + best.length);
  const lines: Word[][] = [];
  for (const word of matched) {
    const line = lines.at(-1);
    if (line && Math.abs(line[0]!.yMin - word.yMin) < (word.yMax - word.yMin) / 2) line.push(word);
    else lines.push([word]);
  }
  const pad = 2;
  return lines.map((line) => {
    const xMin = Math.min(...line.map((w) => w.xMin)) - pad;
    const yMin = Math.min(...line.map((w) => w.yMin)) - pad;
    const xMax = Math.max(...line.map((w) => w.xMax)) + pad;
    const yMax = Math.max(...line.map((w) => w.yMax)) + pad;
    const pct = (value: number, of: number) => Math.round((value / of) * 10_000) / 100;
    return {
      x: pct(xMin, page.width),
      y: pct(yMin, page.height),
      w: pct(xMax - xMin, page.width),
      h: pct(yMax - yMin, page.height),
    };
  });
}

/** tesseract's TSV of one page image as a page of word boxes (pixels; `locate` works in shares of the page). */
export function ocrPage(tsv: string): PdfLayout['pages'][number] {
  const pageRow = tsv
    .split('\n')
    .find((row) => row.startsWith('1\t'))
    ?.split('\t');
  const width = Number(pageRow?.[8] ?? 0);
  const height = Number(pageRow?.[9] ?? 0);
  const words = tsvWords(tsv).map((w) => ({
    text: w.text,
    xMin: w.left,
    yMin: w.top,
    xMax: w.left + w.width,
    yMax: w.top + w.height,
  }));
  return { width: width || 1, height: height || 1, words };
}
