export interface OcrPage {
  number: number;
  text: string;
  /** Mean confidence of the page's words, 0–1. */
  confidence: number;
}

interface Word {
  page: number;
  line: string;
  left: number;
  width: number;
  height: number;
  confidence: number;
  text: string;
}

/**
 * Tesseract's TSV (one row per word, with its box and confidence) as lines of text. Words far apart on one line are
 * cells of a table, so a gap wider than about two letter heights becomes a tab: a form's label and value then stay
 * apart the same way they do in a digital document's text. `firstPage` numbers pages when tesseract reads one image.
 */
export function tsvToPages(tsv: string, firstPage = 1): OcrPage[] {
  const words: Word[] = [];
  for (const row of tsv.split('\n').slice(1)) {
    const cells = row.split('\t');
    if (cells.length < 12 || cells[0] !== '5') continue;
    const text = cells.slice(11).join('\t').trim();
    const [, page, block, paragraph, line, , left, , width, height, confidence] = cells.map(Number);
    if (!text || isSpeck(text, confidence! / 100)) continue;
    words.push({
      page: firstPage + page! - 1,
      line: `${page}/${block}/${paragraph}/${line}`,
      left: left!,
      width: width!,
      height: height!,
      confidence: Math.max(0, confidence!) / 100,
      text,
    });
  }
  const pages = new Map<number, Word[][]>();
  let previous: Word | undefined;
  for (const word of words) {
    const lines = pages.get(word.page) ?? [];
    pages.set(word.page, lines);
    if (previous?.line === word.line) lines.at(-1)!.push(word);
    else lines.push([word]);
    previous = word;
  }
  return [...pages.entries()].map(([number, allLines]) => {
    // A table's rules and a scan's grain read as lines of unsure two-letter "words" (`ee eee`, `NN`): no line of text.
    const lines = allLines.filter((line) => line.some((word) => word.confidence >= 0.5));
    const all = lines.flat();
    return {
      number,
      text: lines.map(lineText).join('\n'),
      confidence: all.length ? Math.round((all.reduce((sum, word) => sum + word.confidence, 0) / all.length) * 1000) / 1000 : 0,
    };
  });
}

/** Checkboxes, ticked or empty (an empty box often reads as O, 0 or D): never specks, however unsure. */
const tick = /^[[(]?[xX×☒☑][\])]?$|^[oO0D□]$|[☐☒☑]/u;
/** Dashes carry meaning (a period `15.08.2017 – 30.06.2018`); other lone punctuation is a speck or a table rule. */
const punctuation = /^[^\p{L}\p{N}–—-]+$/u;

/**
 * What tesseract reads in dust, grain and the rules of a table: lone punctuation it is unsure of, single letters it
 * is unsure of, and anything it is very unsure of. Real words on a scanned form read at 0.85 and above.
 */
function isSpeck(text: string, confidence: number): boolean {
  if (tick.test(text)) return false;
  if (punctuation.test(text)) return confidence < 0.9;
  if (/^\p{L}$/u.test(text)) return confidence < 0.6;
  return confidence < 0.35;
}

function lineText(words: Word[]): string {
  const sorted = [...words].sort((a, b) => a.left - b.left);
  const heights = sorted.map((word) => word.height).sort((a, b) => a - b);
  const letterHeight = heights[Math.floor(heights.length / 2)]!;
  let text = sorted[0]!.text;
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i]!.left - (sorted[i - 1]!.left + sorted[i - 1]!.width);
    text += (gap > 2 * letterHeight ? '\t' : ' ') + sorted[i]!.text;
  }
  return text;
}
