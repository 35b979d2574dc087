import { editDistance } from './form/fuzzy.ts';

export interface OcrPage {
  number: number;
  text: string;
  /** Mean confidence of the page's words, 0–1. */
  confidence: number;
  /**
   * The engine's confidence in each word (0–1): per line of `text`, one for each of its words as split at spaces and
   * tabs. A value is then as sure as the words it was read from, not as the page.
   */
  wordConfidences?: number[][];
}

export interface Word {
  page: number;
  line: string;
  left: number;
  top: number;
  width: number;
  height: number;
  confidence: number;
  text: string;
}

/** A grey image, one byte a pixel (0 black, 255 white), row by row: a rendered page. */
export interface GrayImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

export interface PageReading {
  /** Tesseract's TSV of the page in the document's language. */
  tsv: string;
  /** The page's number in the document (tesseract numbers the pages of one image from 1). */
  firstPage: number;
  /** The page as the engine saw it, when it is at hand: checkboxes and doubtful words are then read from it too. */
  image?: GrayImage;
  /**
   * Reads an image of stretches of the page stacked one above the other again, giving its TSV: `words` in the
   * document's language, `addresses` with a model that has `@`.
   */
  reread?: (image: GrayImage, purpose: 'words' | 'addresses') => Promise<string>;
}

/**
 * A page read by OCR as lines of text (see `tsvToPages`), with what the main pass gets wrong taken from the image
 * again: the boxes of a form's options (which the engine reads as letters, or not at all), the `@` of e-mail
 * addresses (the Norwegian model has none: it reads `e`, `E`, `Q` or `&`), and words the engine was unsure of, read
 * again on their own line (on a skewed page it may have read them in a box that runs into the next row). Without the
 * image, the TSV alone.
 */
export async function readPage({ tsv, firstPage, image, reread }: PageReading): Promise<OcrPage[]> {
  let words = tsvWords(tsv, firstPage);
  if (!image || !words.length) return wordsToPages(words);
  const height = letterHeight(words);
  words = withBoxes(words, findBoxes(image, height));
  if (reread) {
    const addresses = addressCrops(words, height);
    if (addresses.length) {
      const stacked = stackCrops(image, addresses, height);
      const read = await reread(stacked.image, 'addresses').catch(() => undefined);
      if (read !== undefined) words = withAddresses(words, stacked.placed, tsvWords(read, firstPage));
    }
    const doubtful = doubtfulCrops(words, height);
    if (doubtful.length) {
      const stacked = stackCrops(image, doubtful, height);
      const read = await reread(stacked.image, 'words').catch(() => undefined);
      if (read !== undefined) words = withSecondReading(words, stacked.placed, tsvWords(read, firstPage));
    }
  }
  return wordsToPages(words);
}

/**
 * Tesseract's TSV (one row per word, with its box and confidence) as lines of text. Words far apart on one line are
 * cells of a table, so a gap wider than about two letter heights becomes a tab: a form's label and value then stay
 * apart the same way they do in a digital document's text. `firstPage` numbers pages when tesseract reads one image.
 */
export function tsvToPages(tsv: string, firstPage = 1): OcrPage[] {
  return wordsToPages(tsvWords(tsv, firstPage));
}

function wordsToPages(all: Word[]): OcrPage[] {
  const pages = new Map<number, Word[]>();
  for (const word of all) {
    const words = pages.get(word.page) ?? [];
    pages.set(word.page, words);
    words.push(word);
  }
  return [...pages.entries()].map(([number, all]) => {
    const height = letterHeight(all);
    // A word whose box ran along a table's rule is laid out as wide as its letters: the rule is no part of the row.
    const kept = all
      .filter((word) => !isSpeck(word, height))
      .map((word) =>
        word.width > 2 * height * [...word.text].length
          ? { ...word, width: Math.round(0.6 * height * [...word.text].length) }
          : word,
      );
    // A table's rules and a scan's grain read as lines of unsure short "words" (`ee`, `NN`): no line of text. A line
    // with a number or a longer word is text, however unsure (a lone `0`, an address the engine cannot spell).
    const lines = rows(engineLines(kept)).filter((line) =>
      line.some((word) => word.confidence >= 0.5 || /\d|[\p{L}\d]{3}/u.test(word.text)),
    );
    const words = lines.flat();
    const read = lines.map(lineText);
    return {
      number,
      text: read.map((line) => line.text).join('\n'),
      confidence: words.length ? rounded(words.reduce((sum, word) => sum + word.confidence, 0) / words.length) : 0,
      wordConfidences: read.map((line) => line.confidences),
    };
  });
}

/** The words of tesseract's TSV (level 5 rows), in the engine's reading order. */
export function tsvWords(tsv: string, firstPage = 1): Word[] {
  const words: Word[] = [];
  for (const row of tsv.split('\n').slice(1)) {
    const cells = row.split('\t');
    if (cells.length < 12 || cells[0] !== '5') continue;
    const text = cells.slice(11).join('\t').trim();
    const [, page, block, paragraph, line, , left, top, width, height, confidence] = cells.map(Number);
    if (!text) continue;
    words.push({
      page: firstPage + page! - 1,
      line: `${page}/${block}/${paragraph}/${line}`,
      left: left!,
      top: top!,
      width: width!,
      height: height!,
      confidence: Math.max(0, confidence!) / 100,
      text,
    });
  }
  return words;
}

/** The words of each of the engine's lines, in its order. */
function engineLines(words: Word[]): Word[][] {
  const lines: Word[][] = [];
  let previous: Word | undefined;
  for (const word of words) {
    if (previous?.line === word.line) lines.at(-1)!.push(word);
    else lines.push([word]);
    previous = word;
  }
  return lines;
}

/** The height of the page's printed words (their boxes, ascenders and descenders included): the unit of its layout. */
function letterHeight(words: Word[]): number {
  const sure = words.filter((word) => word.confidence >= 0.5 && /[\p{L}\d]{2}/u.test(word.text));
  return median((sure.length ? sure : words).map((word) => word.height));
}

/** Checkboxes, ticked or empty (an empty box often reads as O, 0 or D): never specks, however unsure. */
const tick = /^[[(]?[xX×☒☑][\])]?$|^[oO0D□]$|[☐☒☑]/u;
/** Dashes carry meaning (a period `15.08.2017 – 30.06.2018`); other lone punctuation is a speck or a table rule. */
const punctuation = /^[^\p{L}\p{N}–—-]+$/u;

/**
 * What tesseract reads in dust, grain and the rules of a table: lone punctuation it is unsure of, single letters it
 * is unsure of, and marks much lower than the page's letters. A word of letters or digits as tall as the page's words
 * is text, however unsure the engine is: it is unsure of exactly the words a form is filled with (e-mail addresses,
 * amounts, dates), and a doubtful word is better read than lost.
 */
function isSpeck(word: Word, letterHeight: number): boolean {
  const { text, confidence } = word;
  const low = word.height < 0.4 * letterHeight && /[\p{L}\d]/u.test(text);
  // A box is about a letter high: an `O` or `0` read in a dotted rule, a pixel or two high and all but certainly no
  // letter, is no box. (On a fax the engine may give a tick it did read, `x`, a box one pixel high.)
  if (tick.test(text)) return low && confidence < 0.2;
  if (low) return true;
  // A bar taller than a line is a table's rule, however sure the engine is of it.
  if (punctuation.test(text)) return confidence < 0.9 || word.height > 1.5 * letterHeight;
  if (/^\p{L}$/u.test(text)) return confidence < 0.6;
  // A table's rule read as letters (`NNN` across the page), far wider than its letters could be, or a box that runs
  // over rows: what the engine, unsure, made of them is no text.
  if (confidence < doubt && (word.width > 2 * letterHeight * [...text].length || word.height > 2 * letterHeight))
    return true;
  return confidence < 0.35 && text.replace(/[^\p{L}\d]/gu, '').length < 3 && !/^\d{1,2}$/u.test(text);
}

/**
 * The engine's lines as the rows of the page, top to bottom. Its layout analysis may cut one row of a skewed page
 * into pieces and put a piece after the rest of the page (a wide table row, a long line of text): pieces at the same
 * height, once the page's skew is taken out, and side by side are one row.
 */
function rows(lines: Word[][]): Word[][] {
  const slope = skew(lines);
  const height = median(lines.flat().map((word) => word.height));
  const level = (word: Word) => word.top + word.height / 2 - slope * (word.left + word.width / 2);
  const pieces = lines
    .map((words) => ({
      words,
      // Where its letters are: marks (a bar, a dash) stand higher or lower than the text beside them.
      level: median((words.some(isText) ? words.filter(isText) : words).map(level)),
      left: Math.min(...words.map((w) => w.left)),
      right: Math.max(...words.map((w) => w.left + w.width)),
    }))
    .sort((a, b) => a.level - b.level);
  const merged: Array<{ words: Word[]; level: number; spans: Array<[number, number]> }> = [];
  for (const piece of pieces) {
    const row = merged.find(
      (candidate) =>
        Math.abs(candidate.level - piece.level) <= height / 2 &&
        candidate.spans.every(([left, right]) => piece.right - height / 2 <= left || piece.left + height / 2 >= right),
    );
    if (row) {
      row.words.push(...piece.words);
      row.spans.push([piece.left, piece.right]);
    } else {
      merged.push({ words: [...piece.words], level: piece.level, spans: [[piece.left, piece.right]] });
    }
  }
  return merged.map((row) => row.words.sort((a, b) => a.left - b.left));
}

/** The page's skew as a slope (Theil–Sen: the median slope between words of the engine's lines). */
function skew(lines: Word[][]): number {
  const slopes: number[] = [];
  for (const words of lines) {
    for (let i = 0; i < words.length; i++) {
      for (let j = i + 1; j < words.length; j++) {
        const [a, b] = [words[i]!, words[j]!];
        const dx = b.left + b.width / 2 - (a.left + a.width / 2);
        if (Math.abs(dx) < 4 * Math.max(a.height, b.height)) continue;
        slopes.push((b.top + b.height / 2 - (a.top + a.height / 2)) / dx);
      }
    }
  }
  return slopes.length ? median(slopes) : 0;
}

const isText = (word: Word) => /[\p{L}\d]/u.test(word.text);

function median(values: number[]): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * A row's words as text: far apart, a tab (table cells); next to each other, a space. Where the engine cut a row into
 * pieces, a piece may end inside a word (`Utviklin` `gssenter`): pieces closer than a space are one word.
 */
function lineText(words: Word[]): { text: string; confidences: number[] } {
  const sorted = [...words].sort((a, b) => a.left - b.left);
  const letterHeight = median(sorted.map((word) => word.height));
  let text = '';
  const confidences: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const [previous, word] = [sorted[i - 1], sorted[i]!];
    const gap = previous ? word.left - (previous.left + previous.width) : 0;
    const split =
      previous !== undefined &&
      word.line !== previous.line &&
      gap < 0.25 * letterHeight &&
      /\p{L}$/u.test(previous.text) &&
      /^\p{Ll}/u.test(word.text);
    const tokens = word.text.split(/\s+/u).filter(Boolean);
    const confidence = rounded(word.confidence);
    // A word joined to the piece before it is as sure as the less sure of the two.
    if (split) confidences.push(Math.min(confidences.pop() ?? 1, confidence), ...tokens.slice(1).map(() => confidence));
    else confidences.push(...tokens.map(() => confidence));
    text += (!previous ? '' : gap > 2 * letterHeight ? '\t' : split ? '' : ' ') + tokens.join(' ');
  }
  return { text, confidences };
}

const rounded = (confidence: number) => Math.round(confidence * 1000) / 1000;

// --- the page image: checkboxes ----------------------------------------------------------------------------------

/** A checkbox found in the page image, in pixels of the page. */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
  ticked: boolean;
}

/** Darker than this is ink. */
const ink = 140;
/** Darker than this is a line in faint ink, once the blob it belongs to has been found in ink. */
const faintInk = 192;

/**
 * The option boxes of a form (☐, ☒, a box ticked by hand inside it) in the page image. The engine reads no box
 * reliably: an empty one comes out as `O`, `0`, `D` or nothing, a ticked one as `X`, `KX`, `Ed` or nothing. A box is
 * a square outline about a letter high; it is ticked when there is ink inside it.
 */
export function findBoxes(image: GrayImage, letterHeight: number): Box[] {
  const { width, height, pixels } = image;
  const min = Math.max(6, Math.round(0.6 * letterHeight));
  const max = Math.round(1.25 * letterHeight);
  const boxes: Box[] = [];
  const seen = new Uint8Array(width * height);
  const stack: number[] = [];
  for (let start = 0; start < pixels.length; start++) {
    if (seen[start] || pixels[start]! >= ink) continue;
    // One connected blob of ink (8-neighbours), its bounding box.
    let [left, right, top, bottom] = [width, -1, height, -1];
    let size = 0;
    seen[start] = 1;
    stack.push(start);
    while (stack.length) {
      const at = stack.pop()!;
      const x = at % width;
      const y = (at - x) / width;
      size++;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const next = ny * width + nx;
          if (!seen[next] && pixels[next]! < ink) {
            seen[next] = 1;
            stack.push(next);
          }
        }
      }
    }
    const [w, h] = [right - left + 1, bottom - top + 1];
    if (w < min || h < min || w > max || h > max || w > 1.35 * h || h > 1.35 * w || size < 2 * (w + h)) continue;
    const box = squareOutline(image, left, top, w, h);
    if (box) boxes.push(box);
  }
  return boxes;
}

/** A box when the four sides of the blob's bounding box are straight lines of ink: a square outline, not a letter. */
function squareOutline(image: GrayImage, left: number, top: number, w: number, h: number): Box | undefined {
  const band = Math.max(2, Math.round(Math.min(w, h) * 0.15));
  const dark = (x: number, y: number) => image.pixels[y * image.width + x]! < ink;
  // A photo's soft focus greys a thin line to the paper's side of `ink`: a side may be drawn in faint ink.
  const faint = (x: number, y: number) => image.pixels[y * image.width + x]! < faintInk;
  // A side is a straight line: one row (column) of ink, two thick at most, along the side; a curve (S, O, ø) is not.
  // A scan softens a small box's corners: one pixel of a side may fall short of ink.
  const side = (along: number, inkAt: (i: number, depth: number) => boolean) => {
    let best = 0;
    for (let depth = 0; depth < band; depth++) {
      let hits = 0;
      for (let i = 0; i < along; i++) if (inkAt(i, depth) || inkAt(i, depth + 1)) hits++;
      best = Math.max(best, hits >= along - 1 ? 1 : hits / along);
    }
    return best;
  };
  const sides = [
    side(w, (i, depth) => faint(left + i, top + depth)),
    side(w, (i, depth) => faint(left + i, top + h - 1 - depth)),
    side(h, (i, depth) => faint(left + depth, top + i)),
    side(h, (i, depth) => faint(left + w - 1 - depth, top + i)),
  ];
  if (sides.some((fraction) => fraction < 0.95)) return undefined;
  // Just inside a box's sides is paper, but for where a tick crosses; a letter's strokes run on inside it (the bowl
  // and stem of a bold a, the ring of an Ø), however straight its outer edges look.
  let ring = 0;
  let ringInk = 0;
  for (let i = band; i < w - band; i++) {
    ring += 2;
    ringInk += Number(dark(left + i, top + band)) + Number(dark(left + i, top + h - 1 - band));
  }
  for (let i = band + 1; i < h - 1 - band; i++) {
    ring += 2;
    ringInk += Number(dark(left + band, top + i)) + Number(dark(left + w - 1 - band, top + i));
  }
  if (ringInk > 0.35 * ring) return undefined;
  const inset = band + 1;
  let inside = 0;
  let area = 0;
  for (let y = top + inset; y < top + h - inset; y++) {
    for (let x = left + inset; x < left + w - inset; x++) {
      area++;
      if (dark(x, y)) inside++;
    }
  }
  if (area < 4) return undefined;
  // Solid squares are dots (of a bold i, a bullet), not boxes.
  if (inside / area > 0.85) return undefined;
  return { left, top, width: w, height: h, ticked: inside / area > 0.1 };
}

/**
 * The boxes as words of their lines (`☒`, `☐`), in place of what the engine read for them: a misread box (`O`, `KX`)
 * goes, and one run into the word after it (`QNei`) loses its first letters.
 */
export function withBoxes(words: Word[], boxes: readonly Box[]): Word[] {
  if (!boxes.length) return words;
  let result = [...words];
  // Ink inside a square around a letter or digit read surely is a cell of a comb field (`[0][8][3][4]`), not a tick.
  // (An empty square holds no character: what the engine read in it, `O` or `0`, is the box itself.)
  const holdsCharacter = (box: Box) =>
    words.some(
      (word) =>
        word.confidence >= 0.8 &&
        /^[\p{L}\d]+$/u.test(word.text) &&
        !/^[xX×]$/u.test(word.text) &&
        word.left >= box.left - 2 &&
        word.top >= box.top - 2 &&
        word.left + word.width <= box.left + box.width + 2 &&
        word.top + word.height <= box.top + box.height + 2,
    );
  // A "box" well inside a word the engine read surely is one of its letters (a sharp `a`, an `o`): a box stands
  // before or after a word, and a misread one (`QJa`) makes the word's start or end.
  const withinWord = (box: Box) =>
    words.some(
      (word) =>
        word.confidence >= 0.9 &&
        /^\p{L}{3,}/u.test(word.text) &&
        box.left > word.left + box.width / 2 &&
        box.left + box.width < word.left + word.width - box.width / 2 &&
        Math.min(word.top + word.height, box.top + box.height) - Math.max(word.top, box.top) > box.height / 2,
    );
  for (const box of boxes.filter(
    (candidate) => !(candidate.ticked && holdsCharacter(candidate)) && !withinWord(candidate),
  )) {
    const { left, top, width, height } = box;
    const mark: Word = {
      page: words[0]!.page,
      line: '',
      left,
      top,
      width,
      height,
      confidence: 0.9,
      text: box.ticked ? '☒' : '☐',
    };
    result = result.flatMap((word) => {
      const overlap = Math.min(word.left + word.width, box.left + box.width) - Math.max(word.left, box.left);
      const vertical = Math.min(word.top + word.height, box.top + box.height) - Math.max(word.top, box.top);
      if (overlap <= 0 || vertical < box.height / 2) return [word];
      if (overlap >= 0.6 * word.width) return [];
      const letters = Math.round((word.text.length * overlap) / word.width);
      if (!letters) return [word];
      const atStart = box.left <= word.left;
      const text = atStart ? word.text.slice(letters) : word.text.slice(0, -letters);
      return text
        ? [{ ...word, text, left: atStart ? word.left + overlap : word.left, width: word.width - overlap }]
        : [];
    });
    // Into the engine's line at the box's height, or a line of its own.
    const lines = engineLines(result);
    const slope = skew(lines);
    const level = (word: Word) => word.top + word.height / 2 - slope * (word.left + word.width / 2);
    const nearest = lines
      .map((line) => ({ line, distance: Math.abs(median(line.map(level)) - level(mark)) }))
      .filter(({ distance }) => distance <= Math.max(mark.height, 8) / 2 + 4)
      .sort((a, b) => a.distance - b.distance)[0];
    if (nearest) result.splice(result.indexOf(nearest.line.at(-1)!) + 1, 0, { ...mark, line: nearest.line[0]!.line });
    else result.push({ ...mark, line: `box ${box.left},${box.top}` });
  }
  return result;
}

// --- the page image: reading again -------------------------------------------------------------------------------

/** A stretch of the page to read again, and where it stands in the image of stacked stretches. */
export interface Crop {
  left: number;
  top: number;
  width: number;
  height: number;
  /** Its top in the stacked image. */
  at: number;
  /** The word read again, when it is one word. */
  word?: Word;
}

/** A word with a domain in it (`kari.nordmannevinje.kommune.no`), or a piece of one (`nordmannEbo.`). */
const addressLike = /\p{L}[.@&©®]\p{L}|\.(?:no|com|org|net)\b/iu;

/** The words that look like (pieces of) e-mail addresses, each with the words it runs on in (`jorund.` `aasland…`). */
export function addressCrops(words: readonly Word[], letterHeight: number): Crop[] {
  const crops: Crop[] = [];
  for (const line of engineLines([...words])) {
    for (let i = 0; i < line.length; i++) {
      if (!addressLike.test(line[i]!.text) || line[i]!.text.length < 6) continue;
      let [first, last] = [i, i];
      const joined = (a: Word, b: Word) =>
        b.left - (a.left + a.width) < letterHeight && (/\.$/u.test(a.text) || /^\./u.test(b.text));
      while (first > 0 && joined(line[first - 1]!, line[first]!)) first--;
      while (last < line.length - 1 && joined(line[last]!, line[last + 1]!)) last++;
      const span = line.slice(first, last + 1);
      const pad = Math.round(letterHeight / 3);
      const left = Math.max(0, Math.min(...span.map((w) => w.left)) - pad);
      const top = Math.max(0, Math.min(...span.map((w) => w.top)) - pad);
      const right = Math.max(...span.map((w) => w.left + w.width)) + pad;
      const bottom = Math.max(...span.map((w) => w.top + w.height)) + pad;
      crops.push({ left, top, width: right - left, height: bottom - top, at: 0 });
      i = last;
    }
  }
  return crops;
}

/** Words read at less than this are read again. */
const doubt = 0.6;
/**
 * A doubtful word is read again with this many letter heights of its line on either side: the model reads in context.
 * */
const context = 3;

/**
 * The words the engine was unsure of (not e-mail addresses: those are read again with another model), each in a
 * stretch of its row: the row's height where the engine's own box ran into the next row.
 */
export function doubtfulCrops(words: readonly Word[], letterHeight: number): Crop[] {
  const crops: Crop[] = [];
  const lines = engineLines([...words]);
  const slope = skew(lines);
  for (const line of lines) {
    const sure = line.filter(
      (word) => word.confidence >= 0.8 && word.height <= 1.3 * letterHeight && /[\p{L}\d]{2}/u.test(word.text),
    );
    for (const word of line) {
      if (
        word.confidence >= doubt ||
        !/[\p{L}\d]{2}/u.test(word.text) ||
        addressLike.test(word.text) ||
        word.text.includes('@')
      )
        continue;
      const centre = (w: Word) => w.left + w.width / 2;
      const neighbour = sure.sort((a, b) => Math.abs(centre(a) - centre(word)) - Math.abs(centre(b) - centre(word)))[0];
      const middle = neighbour
        ? neighbour.top + neighbour.height / 2 + slope * (centre(word) - centre(neighbour))
        : word.top + word.height / 2;
      const half =
        word.height <= 1.3 * letterHeight
          ? Math.max(word.height / 2, letterHeight * 0.6) + letterHeight / 4
          : letterHeight * 0.85;
      // With the words around it on its line, not beyond the line's ends (a table's rules stand there).
      const lineLeft = Math.min(...line.map((w) => w.left));
      const lineRight = Math.max(...line.map((w) => w.left + w.width));
      const left = Math.max(0, Math.round(Math.max(lineLeft, word.left - context * letterHeight) - 2));
      const right = Math.round(Math.min(lineRight, word.left + word.width + context * letterHeight) + 2);
      const top = Math.max(0, Math.round(middle - half - (Math.abs(slope) * (right - left)) / 2));
      const bottom = Math.round(middle + half + (Math.abs(slope) * (right - left)) / 2);
      crops.push({ left, top, width: right - left, height: bottom - top, at: 0, word });
    }
  }
  return crops;
}

/**
 * The second reading of each doubtful word in place of the first, when the engine is surer of it (by some margin:
 * a word read twice alike is no surer).
 */
export function withSecondReading(words: Word[], crops: readonly Crop[], reread: readonly Word[]): Word[] {
  let result = [...words];
  for (const crop of crops) {
    const word = crop.word;
    if (!word) continue;
    const inCrop = reread
      .filter((w) => w.top + w.height / 2 >= crop.at && w.top + w.height / 2 < crop.at + crop.height)
      .map((w) => ({
        ...w,
        left: crop.left + w.left,
        top: crop.top + w.top - crop.at,
        line: word.line,
        page: word.page,
      }))
      .filter((w) => w.left + w.width / 2 >= word.left && w.left + w.width / 2 <= word.left + word.width);
    if (!inCrop.length) continue;
    // A reading of the next row (the engine's box ran into it, and so did the crop) is no reading of this word.
    const elsewhere = (r: Word) =>
      result.some(
        (w) =>
          w.line !== word.line &&
          w.confidence >= 0.8 &&
          Math.min(w.left + w.width, r.left + r.width) - Math.max(w.left, r.left) > 0.5 * Math.min(w.width, r.width) &&
          Math.min(w.top + w.height, r.top + r.height) - Math.max(w.top, r.top) > 0.5 * Math.min(w.height, r.height),
      );
    if (inCrop.some(elsewhere)) continue;
    const sureness = Math.min(...inCrop.map((w) => w.confidence));
    if (sureness < doubt || sureness < word.confidence + 0.1) continue;
    const at = result.indexOf(word);
    if (at < 0) continue;
    // The second reading may have run the word into a neighbour (`2 750000` read as `2750000`): the neighbour goes.
    const overlap = (a: Word, b: Word) => Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
    const covered = (w: Word) =>
      !inCrop.includes(w) && w.line === word.line && inCrop.some((r) => overlap(w, r) > 0.5 * w.width);
    // Run on into part of a neighbour (`959` `555672` read again as `959555`): the neighbour's letters would be there
    // twice. (A box drawn a little wide around a word read as long as before is no such thing.)
    const longer = inCrop.map((w) => w.text).join('').length > word.text.length + 1;
    const runInto = (w: Word) =>
      w !== word && !covered(w) && w.line === word.line && inCrop.some((r) => overlap(w, r) > 0.2 * w.width);
    if (longer && result.some(runInto)) continue;
    result = [...result.slice(0, at), ...inCrop, ...result.slice(at + 1)].filter((w) => !covered(w));
  }
  return result;
}

/**
 * The crops one above the other on white, a letter height apart, in one image: one run of the engine reads them all. */
export function stackCrops(
  image: GrayImage,
  crops: readonly Crop[],
  letterHeight: number,
): { image: GrayImage; placed: Crop[] } {
  const gap = Math.round(letterHeight);
  const placed: Crop[] = [];
  let y = gap;
  for (const crop of crops) {
    const width = Math.min(crop.width, image.width - crop.left);
    const height = Math.min(crop.height, image.height - crop.top);
    placed.push({ ...crop, width, height, at: y });
    y += height + gap;
  }
  const width = Math.max(...placed.map((crop) => crop.width)) + 2 * gap;
  const pixels = new Uint8Array(width * y).fill(255);
  for (const crop of placed) {
    for (let row = 0; row < crop.height; row++) {
      const from = (crop.top + row) * image.width + crop.left;
      pixels.set(image.pixels.subarray(from, from + crop.width), (crop.at + row) * width + gap);
    }
  }
  return { image: { width, height: y, pixels }, placed: placed.map((crop) => ({ ...crop, left: crop.left - gap })) };
}

const address = /^[\p{L}\d._%+'-]+@[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.\p{L}{2,}$/u;

/**
 * The page's words with the addresses read again put in place of the main pass's reading of them: only a reading with
 * its `@`, close to the main pass's letters (the two models agree on the rest, or the crop held something else).
 */
export function withAddresses(words: Word[], crops: readonly Crop[], reread: readonly Word[]): Word[] {
  let result = [...words];
  for (const word of joinedAtDots(reread)) {
    const text = word.text.replace(/[.,;:]+$/u, '');
    if (!address.test(text)) continue;
    const crop = crops.find((c) => word.top + word.height / 2 >= c.at && word.top + word.height / 2 < c.at + c.height);
    if (!crop) continue;
    const left = crop.left + word.left;
    const right = left + word.width;
    const top = crop.top + word.top - crop.at;
    const replaced = result.filter(
      (w) =>
        Math.min(w.top + w.height, top + word.height) - Math.max(w.top, top) > 0.5 * Math.min(w.height, word.height) &&
        Math.min(w.left + w.width, right) - Math.max(w.left, left) > 0.5 * w.width,
    );
    if (!replaced.length) continue;
    const before = replaced
      .map((w) => w.text)
      .join('')
      .toLowerCase();
    if (editDistance(before, text.toLowerCase()) > Math.max(3, Math.ceil(text.length / 4))) continue;
    // In the place, line and height of the widest piece: the others may be specks of another line.
    const main = replaced.reduce((widest, w) => (w.width > widest.width ? w : widest));
    result = result
      .map((w) => (w === main ? w : replaced.includes(w) ? undefined : w))
      .filter((w): w is Word => w !== undefined);
    result.splice(result.indexOf(main), 1, {
      ...main,
      left: Math.min(...replaced.map((w) => w.left)),
      width: Math.max(...replaced.map((w) => w.left + w.width)) - Math.min(...replaced.map((w) => w.left)),
      confidence: word.confidence,
      text: word.text,
    });
  }
  return result;
}

/** Words of one line that a space after a dot split (`Ola.` `Haugland@tromso.kommune.no`) as one word. */
function joinedAtDots(words: readonly Word[]): Word[] {
  const joined: Word[] = [];
  for (const line of engineLines([...words])) {
    for (const word of line) {
      const last = joined.at(-1);
      const gap = last ? word.left - (last.left + last.width) : Infinity;
      if (
        last &&
        last.line === word.line &&
        gap < Math.max(last.height, word.height) &&
        (/\.$/u.test(last.text) || /^\./u.test(word.text))
      ) {
        joined[joined.length - 1] = {
          ...last,
          text: last.text + word.text,
          width: word.left + word.width - last.left,
          top: Math.min(last.top, word.top),
          height: Math.max(last.top + last.height, word.top + word.height) - Math.min(last.top, word.top),
          confidence: Math.min(last.confidence, word.confidence),
        };
      } else {
        joined.push(word);
      }
    }
  }
  return joined;
}

// --- PGM ---------------------------------------------------------------------------------------------------------

/** A binary PGM (P5, 8 bits), as `pdftoppm -gray` writes it. */
export function parsePgm(bytes: Uint8Array): GrayImage | undefined {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(Buffer.from(bytes.subarray(0, 64)).toString('latin1'));
  if (!header || header[3] !== '255') return undefined;
  const [width, height] = [Number(header[1]), Number(header[2])];
  if (bytes.length < header[0].length + width * height) return undefined;
  return { width, height, pixels: bytes.subarray(header[0].length, header[0].length + width * height) };
}

export function encodePgm({ width, height, pixels }: GrayImage): Uint8Array {
  return Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`, 'latin1'), pixels]);
}
