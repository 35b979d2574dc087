import { foldWhitespace } from '../normalise.ts';
import { findApproximate, findWhole, type Occurrence } from './fuzzy.ts';

/** One choice on the form: a category, a sub-goal, Ja or Nei. */
export interface Option<T> {
  value: T;
  /** The texts the form prints for it (Bokmål and Nynorsk). */
  labels: readonly string[];
  /** The number the form prints before it (sub-goals), which identifies it in either language. */
  number?: number;
}

export interface Choice<T> {
  chosen: T[];
  confidence: number;
}

/** A box, ticked (☒, [X], (X)) or empty (☐, [ ], ( )), wherever it stands. */
const box = /[☒☑⊠☐□❏❑]|\[\s*[xX×✓✔]?\s*\]|\(\s*[xX×]?\s*\)/gu;
const tickedBox = /^(?:[☒☑⊠]|\[\s*[xX×✓✔]\s*\]|\(\s*[xX×]\s*\))$/u;
/**
 * What stands right before an item: a ticked box, or a lone X (the applicant's cross before the chosen item, or a
 * ticked box as OCR reads it: `X`, `XI`, `KX`, `[X`).
 */
const tickedBefore =
  /(?:[☒☑✔✓✗✘⊠]|\[\s*[xX×✓✔]\s*\]|\(\s*[xX×]\s*\)|(?<![\p{L}\d])[[(|IlK]{0,2}[xX×][\])|Il1j]{0,2})\s*$/iu;
const emptyBefore = /(?:[☐□❏❑]|\[\s*\]|\(\s*\))\s*$/u;
/** OCR reads an empty box as a lone O, 0 or D, or only its left side, `[` (the value is lower-cased by then). */
const ocrEmptyBefore = /(?<![\p{L}\d])[o0d[]\s*$/u;
/** The number printed before an item (`1.`, `1)`, `Delmål 1:`), between its box and its text. */
const itemNumber = /(?:delmål\s*)?\d{1,2}\s*[.):]?\s*$/iu;

/** Long printed texts are searched by their start: applicants shorten them, and wrapped lines join imperfectly. */
const searchKeyLength = 40;

type Mark = 'ticked' | 'empty' | 'none';

interface Located<T> {
  option: Option<T>;
  at: Occurrence;
  /** Whether the option was found by its printed text rather than its number. */
  byText: boolean;
}

function searchKey(label: string): string {
  const key = label.toLowerCase();
  if (key.length <= searchKeyLength) return key;
  const cut = key.lastIndexOf(' ', searchKeyLength);
  return key.slice(0, cut > 0 ? cut : searchKeyLength);
}

function locate<T>(text: string, option: Option<T>, fuzzy: boolean): Located<T> | undefined {
  if (option.number !== undefined) {
    const numbered = new RegExp(String.raw`(?<![\p{L}\d.,])${option.number}\s*[.)]\s+(?=\p{L})`, 'u').exec(text);
    if (numbered) {
      const start = numbered.index;
      return { option, at: { start, end: start + numbered[0].length, distance: 0 }, byText: false };
    }
  }
  let best: Occurrence | undefined;
  for (const label of option.labels) {
    const key = searchKey(label);
    const found =
      findWhole(key, text) ??
      (fuzzy && key.length >= 8 ? findApproximate(key, text, Math.floor(key.length * 0.15)) : undefined);
    if (found && (!best || found.distance < best.distance)) best = found;
  }
  return best && { option, at: best, byText: true };
}

/** A misread search can land inside another option's text; the closer match keeps the place. In text order. */
function withoutOverlaps<T>(found: Located<T>[]): Located<T>[] {
  const kept: Located<T>[] = [];
  for (const candidate of [...found].sort((a, b) => a.at.distance - b.at.distance || a.at.start - b.at.start)) {
    if (kept.every(({ at }) => candidate.at.end <= at.start || candidate.at.start >= at.end)) kept.push(candidate);
  }
  return kept.sort((a, b) => a.at.start - b.at.start);
}

function markBefore(segment: string, ocr: boolean): Mark {
  const beforeNumber = segment.replace(itemNumber, '');
  if (tickedBefore.test(beforeNumber) || tickedBefore.test(segment)) return 'ticked';
  if (emptyBefore.test(beforeNumber) || emptyBefore.test(segment)) return 'empty';
  if (ocr && (ocrEmptyBefore.test(beforeNumber) || ocrEmptyBefore.test(segment))) return 'empty';
  return 'none';
}

/**
 * Each item's mark. Boxes right before their items are the form as printed. When there are as many boxes as items
 * but elsewhere (after their items, or gathered at the end of the line, as PDF text of Word's symbol font comes
 * out), the i-th box is the i-th item's, less surely.
 */
function marksOf<T>(text: string, located: readonly Located<T>[], ocr: boolean): { marks: Mark[]; certainty: number } {
  const before = located.map((found, i) => markBefore(text.slice(i ? located[i - 1]!.at.end : 0, found.at.start), ocr));
  const boxes = [...text.matchAll(box)].map((match) => (tickedBox.test(match[0]) ? 'ticked' : 'empty') as Mark);
  const boxedBefore = before.every((mark) => mark !== 'none');
  if (boxes.length === located.length && !boxedBefore) return { marks: boxes, certainty: 0.9 };
  return { marks: before, certainty: boxedBefore ? 1 : 0.95 };
}

/**
 * Which options the value ticks, in every style forms use: ☒/☐, [X]/[ ], an X before the chosen item only, or only
 * the chosen item written out. Nothing when it cannot tell (no item ticked, several where one is allowed, or every
 * item listed without marks).
 */
export function chooseOptions<T>(
  value: string,
  options: readonly Option<T>[],
  settings: { multiple: boolean; fuzzy: boolean },
): Choice<T> | undefined {
  const text = foldWhitespace(value).toLowerCase();
  const located = withoutOverlaps(
    options
      .map((option) => locate(text, option, settings.fuzzy))
      .filter((found): found is Located<T> => found !== undefined),
  );
  if (!located.length) return undefined;
  const { marks, certainty } = marksOf(text, located, settings.fuzzy);
  const fuzzyPenalty = located.some((found) => found.at.distance > 0) ? 0.85 : 1;

  const tickedOptions = located.filter((_, i) => marks[i] === 'ticked');
  if (tickedOptions.length) {
    if (!settings.multiple && tickedOptions.length > 1) return undefined;
    return { chosen: tickedOptions.map((found) => found.option.value), confidence: certainty * fuzzyPenalty };
  }
  const lost = lostTickedOption(text, options, located, marks);
  if (settings.fuzzy && !settings.multiple && lost) return { chosen: [lost.value], confidence: 0.8 * certainty };
  if (marks.some((mark) => mark === 'empty')) {
    // OCR reads the empty boxes (as O) but loses a ticked one, whose filled square reads as nothing: among boxed
    // items, the items without a box are the ticked ones.
    const unboxed = located.filter((_, i) => marks[i] === 'none');
    if (!settings.fuzzy || !unboxed.length || (!settings.multiple && unboxed.length > 1)) return undefined;
    return { chosen: unboxed.map((found) => found.option.value), confidence: 0.8 * fuzzyPenalty };
  }

  // No marks at all: the applicant wrote out only what they chose, unless every item is there (marks lost).
  if (located.length === options.length && options.length > 1) return undefined;
  if (!settings.multiple && located.length > 1) return undefined;
  // Written out, the chosen items are most of the value; much else besides means items were there but not found.
  const covered = located.reduce((sum, found) => sum + (found.at.end - found.at.start), 0) / text.length;
  const byText = located.every((found) => found.byText);
  if (byText && covered < 0.6) return undefined;
  return {
    chosen: located.map((found) => found.option.value),
    confidence: (byText && covered >= 0.8 ? 0.95 : 0.85) * fuzzyPenalty,
  };
}

/**
 * The item the scan misread beyond finding (`☒ fa ☐ Nei`): the value has a box for each item, one of them ticked, and
 * every item found stands after an empty box, so the one item not found is the ticked one.
 */
function lostTickedOption<T>(
  text: string,
  options: readonly Option<T>[],
  located: readonly Located<T>[],
  marks: readonly Mark[],
): Option<T> | undefined {
  const boxes = [...text.matchAll(box)].map((match) => tickedBox.test(match[0]));
  const notFound = options.filter((option) => !located.some((found) => found.option === option));
  const onlyEmptyFound = marks.every((mark) => mark === 'empty');
  const oneTicked = boxes.length === options.length && boxes.filter(Boolean).length === 1;
  return onlyEmptyFound && oneTicked && notFound.length === 1 ? notFound[0] : undefined;
}
