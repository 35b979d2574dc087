import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DocumentType } from '../schemas/document.ts';
import type { ExtractionLimits } from './limits.ts';
import { sharpened } from './focus.ts';
import { isBlackAndWhite, upscaled, withoutSpecks, withoutStreaks } from './fax.ts';
import { evenLighting } from './lighting.ts';
import { encodePgm, parsePgm, readPage, type OcrPage } from './ocr-lines.ts';
import { pageInPhoto } from './page-in-photo.ts';
import { runTool, ToolFailedError } from './tools.ts';
import { UnreadableDocumentError } from './unreadable.ts';

/** An office scanner's resolution for documents: enough for 10 pt text, and a page reads in under a second. */
const dpi = 200;
/** Tesseract and the renderer get this much address space; an A4 page at 200 dpi needs a fraction of it. */
const toolMemoryMb = 1024;
/** Norwegian alone: its traineddata covers Bokmål and Nynorsk, and adding English makes it read å as a (measured). */
const languages = 'nor';
/**
 * --psm 4 reads the page as one column of lines of varying sizes. Unlike --psm 6 (one uniform block) it finds and
 * removes a table's ruling lines first: in a Word form's grid --psm 6 loses whole rows. It may cut a long row of a
 * skewed page into pieces; the lines are put back together from the words' positions (ocr-lines.ts).
 */
const mainPass = ['-l', languages, '--psm', '4', '--dpi', String(dpi)];
/** The most a photo's word is worth (`lessSure`): short of the certainty a value read from several sure words has. */
const photoCertainty = 0.9;
/** Words the main pass was unsure of, read again in a stretch of their row (the stretches stacked, one a line). */
const wordPass = ['-l', languages, '--psm', '6', '--dpi', String(dpi)];
/** The Norwegian model has no `@`: e-mail addresses are read again with English, whose model has it. */
const addressPass = ['-l', 'eng', '--psm', '6', '--dpi', String(dpi)];

/**
 * The text of a scanned PDF: each page rendered to a grey image and read by tesseract, pages in parallel up to the
 * number of cores. The page count comes from the PDF parser, which has already read the file.
 */
export async function ocrPdf(bytes: Uint8Array, pageCount: number, limits: ExtractionLimits): Promise<OcrPage[]> {
  if (pageCount > limits.maxOcrPages) {
    throw new UnreadableDocumentError(
      'too-large',
      `the scanned PDF has ${pageCount} pages, more than the ${limits.maxOcrPages} read by OCR`,
      `den skannede PDF-en har ${pageCount} sider (grensen for tekstgjenkjenning er ${limits.maxOcrPages})`,
    );
  }
  return withTempDir(async (dir) => {
    const pdf = join(dir, 'document.pdf');
    await writeFile(pdf, bytes);
    const pages = Array.from({ length: pageCount }, (_, i) => i + 1);
    const read = await Promise.all(
      pages.map(async (number) => {
        const image = join(dir, `page-${number}`);
        const photo = await renderPage(pdf, number, image, limits);
        const [page] = await recognise(`${image}.pgm`, limits, number);
        if (!page) return { number, text: '', confidence: 0 };
        return photo ? lessSure(page) : page;
      }),
    );
    return read;
  });
}

/** The text of a scanned image (PNG, JPEG, or TIFF with one or more pages). */
export async function ocrImage(
  bytes: Uint8Array,
  type: Extract<DocumentType, 'png' | 'jpeg' | 'tiff'>,
  limits: ExtractionLimits,
): Promise<OcrPage[]> {
  const size = imageSize(bytes, type);
  if (size && size.width * size.height > limits.maxImagePixels) {
    throw new UnreadableDocumentError(
      'too-large',
      `the image is ${size.width} × ${size.height} pixels, more than ${limits.maxImagePixels} pixels`,
      `bildet er ${size.width} × ${size.height} piksler`,
    );
  }
  return withTempDir(async (dir) => {
    const image = join(dir, `scan.${type}`);
    await writeFile(image, bytes);
    const pages = await recognise(image, limits, 1);
    if (!pages.length) return [{ number: 1, text: '', confidence: 0 }];
    return pages;
  });
}

async function recognise(image: string, limits: ExtractionLimits, firstPage: number): Promise<OcrPage[]> {
  const tesseract = async (file: string, args: readonly string[]) =>
    (
      await runTool('tesseract', [file, 'stdout', ...args, 'tsv'], {
        timeoutMs: limits.timeoutMs,
        maxMemoryMb: toolMemoryMb,
        env: { OMP_THREAD_LIMIT: '1' },
      })
    ).toString('utf8');
  const tsv = await tesseract(image, mainPass).catch((error: unknown) => {
    if (error instanceof ToolFailedError) {
      throw new UnreadableDocumentError(
        'unreadable',
        `the image cannot be read: ${error.message}`,
        'bildet er skadet eller i et format som ikke kan leses',
      );
    }
    throw error;
  });
  // A rendered PDF page (PGM) is at hand as pixels: checkboxes, e-mail addresses and doubtful words are read from them.
  const pixels = image.endsWith('.pgm') ? parsePgm(await readFile(image)) : undefined;
  return readPage({
    tsv,
    firstPage,
    ...(pixels ? { image: pixels } : {}),
    reread: async (crops, purpose) => {
      const file = `${image}.${purpose}.pgm`;
      await writeFile(file, encodePgm(crops));
      return tesseract(file, purpose === 'addresses' ? addressPass : wordPass);
    },
  });
}

/**
 * The page rendered for OCR as a grey PGM at `${image}.pgm`, at 200 dpi. A black and white scan below that
 * resolution (a fax: 150 dpi, or 100) is rendered at its own resolution, pixel for pixel, cleaned of a fax's
 * streaks and specks there, and scaled up smoothly to the resolution read: rendered straight at 200 dpi, a speck
 * becomes a grey blot and a letter's steps of a pixel jagged edges, and the engine misreads both (`heise` for
 * `helse`, `12750000` for `2 750 000` beside a table's rule). Any other page is rendered at 200 dpi and, when it is
 * a photo, taken as scanned (`asScanned`). True when the page was a photo.
 */
async function renderPage(pdf: string, number: number, image: string, limits: ExtractionLimits): Promise<boolean> {
  const render = (resolution: number) =>
    runTool(
      'pdftoppm',
      ['-r', String(resolution), '-gray', '-f', String(number), '-l', String(number), '-singlefile', pdf, image],
      { timeoutMs: limits.timeoutMs, maxMemoryMb: toolMemoryMb },
    ).catch(renderingFailed);
  const scan = await scanImage(pdf, number, limits);
  if (scan && scan.dpi < dpi) {
    await render(scan.dpi);
    const page = parsePgm(await readFile(`${image}.pgm`));
    // The image is the page (not a logo on it), and black and white.
    const whole = page && Math.abs(page.width - scan.width) <= 2 && Math.abs(page.height - scan.height) <= 2;
    if (page && whole && isBlackAndWhite(page)) {
      await writeFile(`${image}.pgm`, encodePgm(upscaled(withoutSpecks(withoutStreaks(page)), dpi / scan.dpi)));
      return false;
    }
  }
  await render(dpi);
  return asScanned(`${image}.pgm`);
}

/**
 * The size and resolution of the page's one image, when it has one with square pixels (a fax's standard mode,
 * 204 × 98 dpi, is rendered as any other page).
 */
async function scanImage(
  pdf: string,
  number: number,
  limits: ExtractionLimits,
): Promise<{ width: number; height: number; dpi: number } | undefined> {
  const list = (
    await runTool('pdfimages', ['-list', '-f', String(number), '-l', String(number), pdf], {
      timeoutMs: limits.timeoutMs,
      maxMemoryMb: toolMemoryMb,
    }).catch(() => undefined)
  )?.toString('utf8');
  const images = (list ?? '')
    .split('\n')
    .slice(2)
    .map((line) => line.trim().split(/\s+/u))
    .filter((cells) => cells[2] === 'image');
  if (images.length !== 1) return undefined;
  const [width, height, x, y] = [3, 4, 12, 13].map((column) => Number(images[0]![column]));
  return x! > 0 && x === y ? { width: width!, height: height!, dpi: x! } : undefined;
}

/**
 * A photographed page as if it had been scanned: found in the photo and its perspective taken out (`pageInPhoto`),
 * evenly lit (`evenLighting`) and its soft focus sharpened. A scan's page (nothing around it, evenly lit) is left as
 * it is. True when the page was a photo.
 */
async function asScanned(file: string): Promise<boolean> {
  const image = parsePgm(await readFile(file));
  if (!image) return false;
  const page = pageInPhoto(image);
  const even = evenLighting(page ?? image) ?? page;
  if (!even) return false;
  await writeFile(file, encodePgm(sharpened(even)));
  return true;
}

/**
 * A photo's reading, never as sure as the engine says: on a page resampled out of its perspective and sharpened, the
 * engine is as sure of a digit it misread (`3107` for `3707`) or of a cell whose second line it lost as of the rest.
 * A photo's values then stay short of certain; the words the engine doubted keep their doubt.
 */
function lessSure(page: OcrPage): OcrPage {
  const discounted = (confidence: number) => Math.min(confidence, photoCertainty);
  return {
    ...page,
    confidence: discounted(page.confidence),
    ...(page.wordConfidences ? { wordConfidences: page.wordConfidences.map((line) => line.map(discounted)) } : {}),
  };
}

function renderingFailed(error: unknown): never {
  if (error instanceof ToolFailedError) {
    throw new UnreadableDocumentError(
      'unreadable',
      `the PDF page cannot be rendered: ${error.message}`,
      'PDF-filen er skadet',
    );
  }
  throw error;
}

async function withTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'grant-intake-ocr-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Width and height from the image's header, where the format puts them up front; undefined for TIFF and odd files. */
export function imageSize(bytes: Uint8Array, type: DocumentType): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (type === 'png' && bytes.length >= 24) return { width: view.getUint32(16), height: view.getUint32(20) };
  if (type === 'jpeg') {
    // Walk the segments to the frame header (SOF0–SOF15, not DHT, JPG or DAC).
    let offset = 2;
    while (offset + 9 < bytes.length && bytes[offset] === 0xff) {
      const marker = bytes[offset + 1]!;
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return { height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
      }
      offset += 2 + view.getUint16(offset + 2);
    }
  }
  return undefined;
}
