import type { Application, FieldPath, ProvenanceMap } from '../schemas/application.ts';
import type { Scheme } from '../schemas/scheme.ts';
import { foldWhitespace } from './normalise.ts';
import {
  formNotes,
  matchHeading,
  matchLabels,
  rowLabels,
  type FormRow,
  withoutOcrAccents,
  type LabelMatch,
  type Section,
} from './form/labels.ts';
import { documentLines, isOcr, withoutEdgeSpecks, type ReadableText, type SourceLine } from './form/lines.ts';
import { interpretRow } from './form/rows.ts';
import { readingConfidences, withDictionaryWords } from './form/dictionary.ts';
import { formVocabulary, withFormWords, withoutStrayMarks, withSurerSpellings } from './form/vocabulary.ts';

export type { ReadableText } from './form/lines.ts';

/** A row whose label was found but whose value could not be made sense of: a person has to read it. */
export interface UnreadRow {
  field: FieldPath;
  page: number;
  source: string;
}

/**
 * A row whose label the form does not have (a county's template adds `Kontonummer`, `Fylke`): it ends the value
 * before it, and is kept as written for the caseworker.
 */
export interface UnknownRow {
  label: string;
  value: string;
  page: number;
}

export interface FormReading {
  /** The SPEC §3 application: only the fields the form holds, in their normal forms. */
  application: Application;
  provenance: ProvenanceMap;
  unread: UnreadRow[];
  unknownRows: UnknownRow[];
  /** How many of the form's labels the document has: a filled form has most, a letter or an invoice a stray few. */
  labelsFound: number;
}

/** A filled form has two dozen labels; with fewer than this, a label-like line may be prose, so values count less. */
export const formLabelsExpected = 8;

/** A row as found in the document: its label and the lines its value was read from. */
interface RowFound {
  match: LabelMatch;
  /** The label's line, and the lines its wrapped words continue on. */
  labelLines: SourceLine[];
  values: Array<{ line: SourceLine; text: string }>;
  /** Whether the section was known from a heading, rather than guessed from the labels around it. */
  sectionFromHeading: boolean;
  /** Label words still expected at the start of the next lines (a label wrapped in its column). */
  pendingTail: string[];
}

/** Rows whose value runs over several lines up to the next label; a misread label inside them is more likely prose. */
const freeTextRows: ReadonlySet<FormRow> = new Set([
  'project.summary',
  'project.targetGroup',
  'partners',
  'project.title',
]);
/** Rows whose value is a list of lines: free text, and checkbox items. */
const multiLineRows: ReadonlySet<FormRow> = new Set([
  ...freeTextRows,
  'project.category',
  'subGoals',
  'hasOverarchingPlan',
]);
/** Rows whose value lists options with their boxes: a lone O or D at a line's start is an empty box there. */
const optionRows: ReadonlySet<FormRow> = new Set(['project.category', 'subGoals', 'hasOverarchingPlan']);
/** `Vedlegg: …`: a label the form does not have. It ends a one-line value; in free text it is part of the text. */
const otherLabel = /^(\p{Lu}[\p{L}\d .()/-]{1,40}):(?:\s+(.*)|$)/u;
/** The first cell of a table row that is a label, but not one the form has: words, no figures. */
const otherLabelCell = /^\p{Lu}[\p{L} .,()/-]{1,50}:?$/u;

/** Rows that share their label with a row of another section (`Stilling`): the section decides which one a line is. */
const sectionDependentRows: ReadonlySet<FormRow> = new Set(
  rowLabels
    .filter(({ row, labels }) =>
      rowLabels.some((other) => other.row !== row && other.labels.some((label) => labels.includes(label))),
    )
    .map(({ row }) => row),
);

/**
 * Reads a filled application form (SPEC §2) from its text in any of its layouts: a two-column table (tab-separated
 * cells, or label and value sharing a line), `Label: value`, or the value on the line below its label. Options are
 * mapped through the scheme's data; without a scheme they are left unread.
 */
export function readForm(extracted: ReadableText, scheme: Scheme | undefined): FormReading {
  const ocr = isOcr(extracted);
  const lines = documentLines(extracted);
  const { rows, unknownRows } = findRows(lines, ocr);
  const vocabulary = ocr ? { words: formVocabulary(lines, scheme), confidences: readingConfidences(lines) } : undefined;
  const application: Application = { schemeId: scheme?.id ?? null };
  const provenance: ProvenanceMap = {};
  const unread: UnreadRow[] = [];
  const formLikeness = Math.min(1, rows.length / formLabelsExpected);
  for (const found of rows) {
    if (!found.values.length) continue;
    const lines = valueLines(found, vocabulary);
    const source = sourceText(found);
    const page = found.values[0]!.line.page;
    const fields = interpretRow(found.match.row, lines, {
      scheme,
      fuzzy: ocr,
      applicantName: application.applicant?.name,
    });
    if (!fields) {
      unread.push({ field: firstPath(found.match.row), page, source });
      continue;
    }
    for (const field of fields) {
      setField(application, field.path, field.value);
      provenance[field.path] = {
        method: ocr ? 'ocr+form' : 'form',
        page,
        source,
        confidence: round(
          field.confidence * labelCertainty(found) * ocrCertainty(found, String(field.value)) * formLikeness,
        ),
      };
    }
  }
  return { application, provenance, unread, unknownRows, labelsFound: rows.length };
}

/** What a scan's free text is put right by: the form's own words, and how sure the engine was of each spelling. */
interface ScanVocabulary {
  words: ReadonlySet<string>;
  confidences: ReadonlyMap<string, number>;
}

/** Free text written in sentences, where a capital inside a sentence is a misread small letter unless it is a name. */
const sentenceRows: ReadonlySet<FormRow> = new Set(['project.summary', 'project.targetGroup']);

/** Free text whose lines are one text: a word may be split at a line's end. */
const runningTextRows: ReadonlySet<FormRow> = new Set(['project.summary', 'project.targetGroup', 'project.title']);

/**
 * A row's value lines; in a scan, free text with its words put right by the form's own vocabulary, then by the
 * Norwegian dictionaries where the engine doubted a word.
 */
function valueLines({ match, values }: RowFound, vocabulary: ScanVocabulary | undefined): string[] {
  if (!vocabulary) return values.map((value) => value.text);
  const lines = values.map((value) => withSurerSpellings(value.text, vocabulary.confidences));
  if (!freeTextRows.has(match.row)) return lines;
  const sentences = sentenceRows.has(match.row);
  const repaired = (text: string) =>
    withDictionaryWords(withFormWords(withoutStrayMarks(text), vocabulary.words), vocabulary.confidences, {
      sentences,
    });
  if (runningTextRows.has(match.row)) return [repaired(lines.join(' '))];
  return lines.map(repaired);
}

interface WalkState {
  section: Section | undefined;
  sectionFromHeading: boolean;
  open: RowFound | undefined;
  /** An unknown row whose value may go on over the next lines. */
  openUnknown: UnknownRow | undefined;
  read: Set<FormRow>;
}

/**
 * Walks the lines once: headings set the section, accepted labels open a row, other lines continue the open row.
 * OCR text is matched allowing for misread letters.
 */
function findRows(lines: SourceLine[], ocr: boolean): { rows: RowFound[]; unknownRows: UnknownRow[] } {
  const rows: RowFound[] = [];
  const unknownRows: UnknownRow[] = [];
  const acceptedMatch = (line: SourceLine, index: number) =>
    matchLabels(line.text, { fuzzy: ocr }).find(
      (candidate) =>
        isAcceptable(candidate, line, state) &&
        (!candidate.tailMustFollow || tailOnLine({ match: candidate, pendingTail: candidate.tail }, lines[index + 1])),
    );
  const state: WalkState = {
    section: undefined,
    sectionFromHeading: false,
    open: undefined,
    openUnknown: undefined,
    read: new Set(),
  };
  for (let index = 0; index < lines.length; index++) {
    const line = withoutBoxLetter(lines[index]!, state.open);
    // `Underskrift` / `(navn)`: a wrapped label whose first line reads like a heading.
    const heading = matchHeading(line.text, { fuzzy: ocr });
    if (heading !== undefined && !wrappedLabel(lines, index, ocr, state)) {
      state.open = undefined;
      state.openUnknown = undefined;
      state.section = heading;
      state.sectionFromHeading = true;
      continue;
    }
    // The rest of a wrapped label (`Postnummer og` / `sted`) is not the label it may look like (`Sted`).
    const tail = state.open && tailOnLine(state.open, line);
    if (state.open && tail) {
      state.open.pendingTail = tail;
      continueRow(state.open, line);
      continue;
    }
    const wrapped = acceptedMatch(line, index) ? undefined : wrappedLabel(lines, index, ocr, state);
    const match = wrapped?.match ?? acceptedMatch(line, index);
    if (wrapped) index += wrapped.lines.length - 1;
    if (match) {
      if (state.section === undefined || match.section > state.section) {
        state.section = match.section;
        state.sectionFromHeading = false;
      }
      state.read.add(match.row);
      state.openUnknown = undefined;
      state.open = {
        match,
        labelLines: wrapped?.lines ?? [line],
        values: [],
        sectionFromHeading: state.sectionFromHeading,
        pendingTail: match.tail,
      };
      const rest = ocr ? withoutEdgeSpecks(match.rest, optionRows.has(match.row)) : match.rest;
      if (rest) state.open.values.push({ line, text: rest });
      state.open.values.push(...(wrapped?.values ?? []));
      rows.push(state.open);
      continue;
    }
    const unknown = unknownRowAt(line, state.open, ocr);
    if (unknown) {
      state.open = undefined;
      if (isFormNote(unknown.label)) continue;
      state.openUnknown = unknown;
      unknownRows.push(unknown);
      continue;
    }
    const lostLabel = ocr ? (lostEmailLabel(line, state) ?? lostRoleLabel(line, state)) : undefined;
    if (lostLabel) {
      state.read.add(lostLabel.row);
      state.open = { match: lostLabel, labelLines: [line], values: [], sectionFromHeading: false, pendingTail: [] };
      state.open.values.push({ line, text: lostLabel.rest });
      rows.push(state.open);
      continue;
    }
    if (state.open) continueRow(state.open, line);
    else if (state.openUnknown)
      state.openUnknown.value = foldWhitespace(`${state.openUnknown.value} ${line.text.replaceAll('\t', ' ')}`);
  }
  return { rows, unknownRows };
}

/** An e-mail address as a scan gives it: one word around an `@`. */
const emailAlone = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;

/**
 * The contact's e-mail row whose label the scan lost (a photo's shadow over the label column): an address alone on
 * its line in the applicant's section, after a one-line row's value and before any e-mail row. Its label is
 * unread, so it is no surer than a label read with three wrong letters.
 */
function lostEmailLabel(line: SourceLine, state: WalkState): LabelMatch | undefined {
  const text = foldWhitespace(line.text.replaceAll('\t', ' '));
  const open = state.open;
  if (!emailAlone.test(text) || state.read.has('contact.email') || state.section !== 1) return undefined;
  if (open && (multiLineRows.has(open.match.row) || !open.values.length)) return undefined;
  return { row: 'contact.email', section: 1, rest: text, delimiter: 'end', tail: [], distance: 3, label: 'E-post' };
}

/** A person's row and the row of their position right under it (`Kontaktperson` / `Stilling`). */
const roleAfterName: ReadonlyMap<FormRow, FormRow> = new Map<FormRow, FormRow>([
  ['contact.name', 'contact.role'],
  ['signature.name', 'signature.role'],
]);
/** A position as written: a few words, no figures, no address. */
const roleAlone = /^\p{L}[\p{L} .,-]{1,60}$/u;

/**
 * The position's row whose label the scan lost (`Underskrift (namn) Bjørn Øverland` / `Kommunalsjef`): a second line
 * of words under a person's name, before any position row. A name does not wrap over two lines; without the label,
 * the line is no surer than a label read with three wrong letters.
 */
function lostRoleLabel(line: SourceLine, state: WalkState): LabelMatch | undefined {
  const open = state.open;
  const role = open && roleAfterName.get(open.match.row);
  const text = foldWhitespace(line.text);
  if (!open || !role || state.read.has(role) || line.text.includes('\t')) return undefined;
  if (open.values.length !== 1 || !/\p{L}/u.test(open.values[0]!.text)) return undefined;
  if (!roleAlone.test(text) || text.split(' ').length > 6) return undefined;
  return {
    row: role,
    section: open.match.section,
    rest: text,
    delimiter: 'end',
    tail: [],
    distance: 3,
    label: 'Stilling',
  };
}

/**
 * An OCR line as the open row reads it: a lone O or D at its start is an empty box in a list of options, and a speck
 * anywhere else.
 */
function withoutBoxLetter(line: SourceLine, open: RowFound | undefined): SourceLine {
  if (line.ocrConfidence === undefined || (open && optionRows.has(open.match.row))) return line;
  const text = withoutEdgeSpecks(line.text);
  return text === line.text ? line : { ...line, text };
}

/**
 * The label words a line starts with that end the open row's wrapped label: its own tail, or the tail of another
 * label of the row that starts the same way (`Postnummer og` / `stad`, though `sted` was expected).
 */
function tailOnLine(
  { match, pendingTail }: Pick<RowFound, 'match' | 'pendingTail'>,
  line: SourceLine | undefined,
): string[] | undefined {
  if (!pendingTail.length || !line) return undefined;
  const key = match.label.toLowerCase();
  const prefix = key.slice(0, key.length - pendingTail.join(' ').length);
  const labels = rowLabels.find(({ row }) => row === match.row)?.labels ?? [];
  const tails = [
    pendingTail,
    ...labels
      .map((label) => label.toLowerCase())
      .filter((label) => label !== key && label.startsWith(prefix))
      .map((label) => label.slice(prefix.length).trim().split(' ')),
  ];
  const text = withoutOcrAccents(foldWhitespace(line.text).toLowerCase());
  return tails.find((words) => {
    const first = words[0] && withoutOcrAccents(words[0]);
    return first && text.startsWith(first) && !/[\p{L}\d]/u.test(text[first.length] ?? '');
  });
}

/** A label cell wraps over at most this many lines, each short: a narrow column's worth of words. */
const wrappedLabelLines = 8;
const wrappedLabelLineLength = 32;

/**
 * A label wrapped in a narrow column over several lines (`Har kommunen en` / `overordnet plan` / … / `pårørende?`),
 * joined before matching: the joined label must be one the form has, exactly, and longer than the first line. The
 * value may stand beside it, in the cells after the label's (`Har` ⇥ `[X] Nei` / `kommunen en` / …): those are the
 * row's first value lines.
 */
function wrappedLabel(
  lines: readonly SourceLine[],
  index: number,
  ocr: boolean,
  state: WalkState,
): { match: LabelMatch; lines: SourceLine[]; values: Array<{ line: SourceLine; text: string }> } | undefined {
  const first = lines[index]!;
  const cellsOf = (line: SourceLine) => line.text.split('\t').map(foldWhitespace);
  const [firstCell] = cellsOf(first);
  const beside = cellsOf(first).length > 1;
  if (!firstCell || firstCell.length > wrappedLabelLineLength) return undefined;
  let joined = firstCell;
  for (let next = index + 1; next < Math.min(lines.length, index + wrappedLabelLines); next++) {
    const line = lines[next]!;
    if (line.page !== first.page) return undefined;
    const cell = beside ? cellsOf(line)[0]! : foldWhitespace(line.text.replaceAll('\t', ' '));
    joined = `${joined} ${cell}`;
    const match = matchLabels(joined, { fuzzy: ocr }).find(
      (candidate) =>
        candidate.distance === 0 &&
        !candidate.tail.length &&
        candidate.label.length > firstCell.length &&
        isAcceptable(candidate, first, state),
    );
    if (match) {
      const labelLines = lines.slice(index, next + 1);
      const values = beside
        ? labelLines.flatMap((labelLine) => {
            const text = cellsOf(labelLine).slice(1).filter(Boolean).join(' ');
            return text ? [{ line: labelLine, text }] : [];
          })
        : [];
      return { match: beside ? { ...match, delimiter: 'cell', rest: '' } : match, lines: labelLines, values };
    }
    if (cell.length > wrappedLabelLineLength) return undefined;
  }
  return undefined;
}

/**
 * A row the form does not have: a table row (a label cell and a value cell) whose label is not the form's, or a
 * `Label: value` line after a one-line value. In free text a `Word:` line is the text's own (`Mål: …`); in OCR text a
 * cell may be a misread label, so only the colon counts there.
 */
function unknownRowAt(line: SourceLine, open: RowFound | undefined, ocr: boolean): UnknownRow | undefined {
  const cells = line.text.split('\t').map(foldWhitespace);
  // Items with their boxes after them (`Grunnutdanning ☐`) are cells too, of the open options row.
  const itemWithBox = open && multiLineRows.has(open.match.row) && !/[\p{L}\d]/u.test(cells.slice(1).join(''));
  if (!ocr && cells.length >= 2 && !itemWithBox && otherLabelCell.test(cells[0]!)) {
    return { label: cells[0]!.replace(/:$/u, ''), value: cells.slice(1).filter(Boolean).join(' '), page: line.page };
  }
  if (open && multiLineRows.has(open.match.row)) return undefined;
  const colon = otherLabel.exec(foldWhitespace(line.text));
  return colon ? { label: colon[1]!, value: colon[2] ?? '', page: line.page } : undefined;
}

function isAcceptable(match: LabelMatch, line: SourceLine, state: WalkState): boolean {
  // A label read twice (the engine read its row twice, once without the value) is the same row going on.
  if (state.read.has(match.row)) return state.open?.match.row === match.row && !state.open.values.length;
  if (state.section !== undefined && match.section < state.section) return false;
  // A short word alone on its line two sections on (`stad`, the rest of a wrapped `Postnummer og`) is no row of it.
  const skipsSection = state.section !== undefined && match.section > state.section + 1;
  if (skipsSection && match.delimiter === 'end' && match.label.length <= 5) return false;
  if (match.delimiter !== 'space') return true;
  // A label followed only by a space could be the start of a sentence: it must look like a label where one can be.
  const first = foldWhitespace(line.text)[0] ?? '';
  if (first !== first.toUpperCase()) return false;
  if (state.section !== undefined && match.section > state.section + 1) return false;
  // In free text a misread short label may be a word of the text; a long one (the overarching-plan question) is not.
  return !(match.distance > 0 && match.label.length < 30 && state.open && freeTextRows.has(state.open.match.row));
}

function continueRow(row: RowFound, line: SourceLine): void {
  const cells = line.text.split('\t').map(foldWhitespace).filter(Boolean);
  // In a table row the label's words are in its first cell: the cells after it are the value.
  const beside = cells.length > 1 ? cells.slice(1).join(' ') : '';
  let text = cells.length > 1 ? cells[0]! : (cells[0] ?? '');
  let labelWords = 0;
  while (row.pendingTail.length && text) {
    // A scan's accents on a label's letters (`pårørende` read by the label's key as `parørende`) are no difference.
    const word = withoutOcrAccents(row.pendingTail[0]!);
    const lower = withoutOcrAccents(text.toLowerCase());
    if (!lower.startsWith(word) || /[\p{L}\d]/u.test(lower[word.length] ?? '')) {
      // A label wraps over several lines, each with the value's words beside its own (`beskrivelse av` ⇥ `kveldstid.`
      // / `tiltaket:`): the rest may start the next line. A line without the label's words ends it.
      if (!labelWords) row.pendingTail = [];
      break;
    }
    labelWords++;
    text = text.slice(word.length).trimStart();
    row.pendingTail.shift();
    // The wrapped label's own colon stands after its last word (with a speck after it, in a scan).
    if (!row.pendingTail.length) text = text.replace(/^:[.,;:]*\s*/, '');
    if (!row.labelLines.includes(line)) row.labelLines.push(line);
  }
  text = [text, beside].filter(Boolean).join(' ');
  if (text) row.values.push({ line, text });
}

/** The lines as they stand in the document: the label's line and every line the value came from. */
function sourceText(row: RowFound): string {
  const lines = [...row.labelLines, ...row.values.map((value) => value.line)];
  return [...new Set(lines)].map((line) => line.raw.trim()).join('\n');
}

/** How sure the row is the right one: the label read exactly, and the section known when the label is shared. */
function labelCertainty({ match, sectionFromHeading }: RowFound): number {
  const label = match.distance ? Math.max(0.5, 0.85 - 0.05 * (match.distance - 1)) : match.tail.length ? 0.97 : 1;
  const section = sectionDependentRows.has(match.row) && !sectionFromHeading ? 0.92 : 1;
  return label * section;
}

/**
 * OCR text is as sure as the engine is of the words the value was read from (of the page, where it gave no word
 * confidences), and a long value is less likely to have come through without one wrong character than a short one.
 * One doubtful word makes the whole value doubtful, however sure the engine was of the rest.
 */
function ocrCertainty(row: RowFound, value: string): number {
  const confidences = row.values.flatMap(({ line, text }) =>
    line.ocrConfidence === undefined ? [] : valueWordConfidences(line, text),
  );
  if (!confidences.length) return 1;
  const mean = confidences.reduce((sum, c) => sum + c, 0) / confidences.length;
  return Math.min(mean ** (1 + value.length / 40), Math.sqrt(Math.min(...confidences)));
}

/**
 * The engine's confidence in each word of a value read from a line: the line's words are matched to the value's in
 * order (noise trimming may have shortened a word or dropped one); a word not found is as sure as the page.
 */
export function valueWordConfidences(line: SourceLine, text: string): number[] {
  const words = line.words;
  const page = line.ocrConfidence ?? 1;
  if (!words) return [page];
  let from = 0;
  return text
    .split(/\s+/u)
    .filter(Boolean)
    .map((token) => {
      const at = words.findIndex((word, i) => i >= from && sameWord(word.text, token));
      if (at < 0) return page;
      from = at + 1;
      return words[at]!.confidence;
    });
}

/** A word as read and as it stands in the value: alike once specks are gone, or one a part of the other. */
function sameWord(read: string, token: string): boolean {
  const bare = (word: string) => word.toLowerCase().replace(/[^\p{L}\d@☐☒]/gu, '');
  const [a, b] = [bare(read), bare(token)];
  return read === token || (a !== '' && b !== '' && (a.includes(b) || b.includes(a)));
}

const round = (confidence: number) => Math.round(confidence * 1000) / 1000;

function firstPath(row: FormRow): FieldPath {
  if (row === 'applicant.postalCodeAndPlace') return 'applicant.postalCode';
  if (row === 'project.period') return 'project.startDate';
  return row;
}

function setField(application: Application, path: FieldPath, value: unknown): void {
  const [group, key] = path.split('.') as [string, string | undefined];
  const target = application as Record<string, unknown>;
  if (key === undefined) {
    target[group] = value;
    return;
  }
  const object = (target[group] ??= {}) as Record<string, unknown>;
  object[key] = value;
}

const isFormNote = (label: string) =>
  formNotes.some((note) => note.localeCompare(label.trim(), 'nb', { sensitivity: 'base' }) === 0);
