import type { FieldPath } from '../../schemas/application.ts';
import { foldWhitespace } from '../normalise.ts';
import { editDistance } from './fuzzy.ts';

/** The form's four sections (SPEC §2). */
export type Section = 1 | 2 | 3 | 4;

/** A row of the form: a contract field, or a row whose one value holds two fields. */
export type FormRow =
  | Exclude<FieldPath, 'schemeId' | 'applicant.postalCode' | 'applicant.postalPlace'>
  | 'applicant.postalCodeAndPlace'
  | 'project.period';

export interface RowLabels {
  row: FormRow;
  section: Section;
  /** Bokmål and Nynorsk labels and the abbreviations applicants use, as printed (case is ignored). */
  labels: readonly string[];
}

/** The form's rows in form order (SPEC §2). `Stilling` is two rows: which one a line is depends on its section. */
export const rowLabels: readonly RowLabels[] = [
  { row: 'applicant.name', section: 1, labels: ['Søker (kommune)', 'Søkjar (kommune)'] },
  {
    row: 'applicant.organisationNumber',
    section: 1,
    labels: ['Organisasjonsnummer', 'Organisasjonsnr.', 'Org.nr.', 'Org. nr.', 'Org.nr', 'Org nr'],
  },
  { row: 'applicant.municipalityNumber', section: 1, labels: ['Kommunenummer', 'Kommunenr.'] },
  { row: 'applicant.address', section: 1, labels: ['Postadresse'] },
  {
    row: 'applicant.postalCodeAndPlace',
    section: 1,
    labels: ['Postnummer og sted', 'Postnummer og stad', 'Postnr. og sted', 'Postnr. og stad', 'Postnummer/sted'],
  },
  { row: 'contact.name', section: 1, labels: ['Kontaktperson'] },
  { row: 'contact.role', section: 1, labels: ['Stilling'] },
  { row: 'contact.email', section: 1, labels: ['E-post', 'E-postadresse', 'Epost'] },
  { row: 'contact.phone', section: 1, labels: ['Telefon', 'Telefonnummer', 'Tlf.', 'Tlf'] },
  { row: 'partners', section: 1, labels: ['Samarbeidspartnere', 'Samarbeidspartnarar'] },
  {
    row: 'project.title',
    section: 2,
    labels: ['Tiltakets navn', 'Prosjektnavn', 'Namn på tiltaket', 'Prosjektnamn', 'Tiltakets namn'],
  },
  { row: 'project.category', section: 2, labels: ['Kategori'] },
  { row: 'project.summary', section: 2, labels: ['Kort beskrivelse av tiltaket', 'Kort skildring av tiltaket'] },
  { row: 'project.targetGroup', section: 2, labels: ['Målgruppe'] },
  { row: 'subGoals', section: 2, labels: ['Delmål tiltaket bygger opp under', 'Delmål tiltaket byggjer opp under'] },
  {
    row: 'hasOverarchingPlan',
    section: 2,
    labels: [
      'Har kommunen en overordnet plan for systematisk arbeid med pårørende?',
      'Har kommunen ein overordna plan for systematisk arbeid med pårørande?',
    ],
  },
  { row: 'project.period', section: 2, labels: ['Periode', 'Prosjektperiode'] },
  { row: 'project.startDate', section: 2, labels: ['Startdato'] },
  { row: 'project.endDate', section: 2, labels: ['Sluttdato'] },
  { row: 'project.participants', section: 2, labels: ['Antall deltakere', 'Tal på deltakarar', 'Antall deltagere'] },
  { row: 'budget.totalCost', section: 3, labels: ['Totale kostnader'] },
  { row: 'budget.ownFunding', section: 3, labels: ['Egenfinansiering', 'Eigenfinansiering'] },
  { row: 'budget.otherFunding', section: 3, labels: ['Annen finansiering', 'Anna finansiering'] },
  { row: 'budget.amountRequested', section: 3, labels: ['Søknadsbeløp', 'Omsøkt beløp', 'Søknadssum'] },
  { row: 'signature.place', section: 4, labels: ['Sted', 'Stad'] },
  { row: 'signature.date', section: 4, labels: ['Dato'] },
  { row: 'signature.name', section: 4, labels: ['Underskrift (navn)', 'Underskrift (namn)'] },
  { row: 'signature.role', section: 4, labels: ['Stilling'] },
];

/**
 * Labels the application form itself has that are not fields (its closing `Vedlegg: budsjett og prosjektplan.`):
 * such a row ends the value before it, and is no unknown row to show the caseworker.
 */
export const formNotes: readonly string[] = ['Vedlegg'];

/** Section headings without their numbers (`1`, `1.`, `Del 1:` may precede them). */
export const sectionHeadings: ReadonlyArray<{ section: Section; headings: readonly string[] }> = [
  {
    section: 1,
    headings: [
      'Opplysninger om søker',
      'Opplysningar om søkjar',
      'Opplysninger om søkeren',
      'Opplysningar om søkjaren',
    ],
  },
  { section: 2, headings: ['Om tiltaket'] },
  { section: 3, headings: ['Økonomi'] },
  { section: 4, headings: ['Underskrift'] },
];

export interface LabelMatch {
  row: FormRow;
  section: Section;
  /** The line after the label and its colon: the value, when it stands on the label's line. */
  rest: string;
  /** How the label ended: a table cell, a colon, the end of the line, or only a space (prose can look like that). */
  delimiter: 'cell' | 'colon' | 'end' | 'space';
  /**
   * Label words the line did not hold (a label wrapped in a narrow table column); the next lines may start with them.
   * */
  tail: string[];
  /**
   * Only a short piece of the label is on the line (its first word, `Postnummer`; a word cut at its hyphen, `E-`):
   * it is the label only if the next line goes on with the tail.
   */
  tailMustFollow?: true;
  /** Edits between the printed label and the text (OCR); 0 for an exact label. */
  distance: number;
  /** The label as the table has it. */
  label: string;
}

/**
 * Letters a scan reads with an accent or ring they do not have (`Dåto`, `stéd`), each folded to its plain letter on
 * both sides of an OCR label match; one letter for one, so places in the text stay where they were.
 */
const ocrAccents: Readonly<Record<string, string>> = { å: 'a', é: 'e', è: 'e', ó: 'o', ò: 'o', ö: 'o', á: 'a', à: 'a' };
export const withoutOcrAccents = (text: string) => text.replace(/[åéèóòöáà]/gu, (letter) => ocrAccents[letter]!);

const isWordChar = (char: string | undefined) => char !== undefined && /[\p{L}\d]/u.test(char);

/** Labels wrapped in a narrow column leave at least this much of themselves on the first line. */
function isLongEnoughPrefix(prefix: string, label: string): boolean {
  return prefix.length >= Math.min(20, label.length / 2);
}

/**
 * A label whose qualifier in brackets wrapped in a narrow column (`Søker` / `(kommune):`): its first word alone, when
 * it is all the cell holds, is the label's start.
 */
const qualifierWrapped = (prefix: string, tail: readonly string[]) =>
  prefix.length >= 5 && tail.length === 1 && /^\(.+\)$/u.test(tail[0]!);

/** OCR misreads about one letter in seven at worst on a printed label; short labels must be exact. */
const maxLabelErrors = (label: string) => (label.length >= 6 ? Math.max(1, Math.floor(label.length / 7)) : 0);

/** A label's first word alone is this long at least to stand for the label, when the next line has its other words. */
const shortestFirstWord = 4;

interface Found {
  length: number;
  tail: string[];
  tailMustFollow?: true;
  distance: number;
}

/** Where `label` matches at the start of `lower`: whole, as a prefix of whole words, or within a few edits. */
function findLabelAtStart(lower: string, label: string, fuzzy: boolean): Found | undefined {
  const key = fuzzy ? withoutOcrAccents(label.toLowerCase()) : label.toLowerCase();
  if (lower.startsWith(key) && !(isWordChar(key.at(-1)) && isWordChar(lower[key.length]))) {
    return { length: key.length, tail: [], distance: 0 };
  }
  const misread = fuzzy ? findMisreadAtStart(lower, key) : undefined;
  const words = key.split(' ');
  const prefixes = words
    .map((_, k) => words.slice(0, k).join(' '))
    .map((prefix, k) => ({ prefix, tail: words.slice(k) }))
    .filter(
      ({ prefix, tail }) =>
        (tail.length && prefix.includes(' ') && isLongEnoughPrefix(prefix, key)) ||
        (qualifierWrapped(prefix, tail) && /^\s*:?\s*$/u.test(lower.slice(prefix.length))) ||
        isFirstWord(prefix, tail),
    )
    .reverse();
  for (const { prefix, tail } of prefixes) {
    if (lower.startsWith(prefix) && !isWordChar(lower[prefix.length])) {
      // The rest of a label misread on the same line (`Postnummer og stéd:`): the label did not wrap.
      if (misread) return misread;
      const firstWordOnly = isFirstWord(prefix, tail) && !qualifierWrapped(prefix, tail);
      return { length: prefix.length, tail, distance: 0, ...(firstWordOnly ? { tailMustFollow: true as const } : {}) };
    }
  }
  const cutInWord = findCutInWord(lower, key);
  // A label cut inside its last word (`Samarbeidspartnar` / `ar:`) reads like the whole label misread: its rest is
  // then looked for on the next line, and is no value.
  if (misread) return cutInWord ?? misread;
  if (cutInWord || !fuzzy) return cutInWord;
  // A wrapped label misread (`Har komnmiunen en overordnet`).
  for (const { prefix, tail } of prefixes) {
    const wrapped = findMisreadAtStart(lower, prefix);
    if (wrapped) return { ...wrapped, tail };
  }
  return undefined;
}

/** A label's first word alone, the rest of it wrapped in a narrow column (`Postnummer` / `og sted:`, `Kort` / …). */
const isFirstWord = (prefix: string, tail: readonly string[]) =>
  tail.length > 0 && !prefix.includes(' ') && [...prefix].length >= shortestFirstWord && isWordChar(prefix.at(-1));

/**
 * A label broken inside a word by a narrow column (`Organisasjonsnum` / `mer:`): most of it on this line, ending the
 * line's first cell; the rest of the word and the words after it are its tail, expected on the next line. A word
 * broken at its hyphen (`E-` / `postadresse:`) leaves a piece too short to tell: it is the whole text, and its tail
 * must follow.
 */
function findCutInWord(lower: string, key: string): Found | undefined {
  for (let cut = key.length - 1; cut >= Math.max(8, Math.ceil(key.length * 0.6)); cut--) {
    if (!isWordChar(key[cut - 1]) || !isWordChar(key[cut])) continue;
    if (lower.startsWith(key.slice(0, cut)) && !isWordChar(lower[cut]))
      return { length: cut, tail: key.slice(cut).split(' '), distance: 0 };
  }
  const hyphen = key.indexOf('-') + 1;
  if (hyphen >= 2 && isWordChar(key[hyphen]) && lower.trimEnd() === key.slice(0, hyphen))
    return { length: hyphen, tail: key.slice(hyphen).split(' '), tailMustFollow: true, distance: 0 };
  return undefined;
}

/** Two letters OCR reads for an m (`Kommunenumnmier`): one misreading, not two. */
const misreadM = /rn|nm|mn|ni/gu;
/** How much longer than its label a misread label may be for its m's read as two letters. */
const misreadMExtra = 2;

/** The label within a few edits at the start of the line, ending where a word ends. */
function findMisreadAtStart(lower: string, key: string): Found | undefined {
  const maxErrors = maxLabelErrors(key);
  if (!maxErrors) return undefined;
  let best: Found | undefined;
  const longest = key.length + maxErrors + misreadMExtra;
  for (let end = key.length - maxErrors; end <= longest && end <= lower.length; end++) {
    if (isWordChar(lower[end]) && isWordChar(lower[end - 1])) continue;
    const read = lower.slice(0, end);
    const withM = read.replace(misreadM, 'm');
    // An m read as two letters is still a misreading.
    const distance = Math.min(
      editDistance(read, key),
      withM === read ? Infinity : Math.max(1, editDistance(withM, key)),
    );
    // As near with the label's closing bracket (`(konimune)`) as without it: the bracket is the label's.
    const further = best && distance === best.distance && !/[\p{L}\d]/u.test(lower.slice(best.length, end));
    if (distance <= maxErrors && (!best || distance < best.distance || further))
      best = { length: end, tail: [], distance };
  }
  return best;
}

/** A label's colon; in a scan, also the `;` it is often read as. */
function delimiterAndRest(after: string, fuzzy: boolean): Pick<LabelMatch, 'delimiter' | 'rest'> {
  // In a scan, specks after the colon (`Telefon:.-22 12 26 54`) are no part of the value.
  const colon = (fuzzy ? /^\s*[:;]+[\s.,'’|-]*/u : /^\s*:+\s*/).exec(after);
  if (colon) return { delimiter: 'colon', rest: after.slice(colon[0].length).trim() };
  const rest = after.trim();
  return { delimiter: rest ? 'space' : 'end', rest };
}

/**
 * The labels a line can start with, best first: exact before wrapped before misread, longer before shorter. Both
 * `Stilling` rows come back; the reader decides by section. A table row (tab-separated cells) is matched on its first
 * cell; when that cell is more than a label, on the whole line. A row with an empty first cell continues the row above.
 */
export function matchLabels(line: string, options: { fuzzy: boolean }): LabelMatch[] {
  const cells = line.split('\t').map(foldWhitespace);
  if (cells.length >= 2 && cells[0] === '') return [];
  // OCR reads the rule at a label cell's edge as a dash or a bar after the label (`Telefon —`), a colon as `;`, and
  // the `og` of a label as `0` (`Postnummer 0` / `stad`).
  // A box's or rule's edge before it (`[ Søknadssum:`) is no part of a label either.
  const labelCell = options.fuzzy
    ? cells[0]!
        .replace(/(?:\s*[:;—–|-])+$/u, '')
        .replace(/(?<=\p{L} )(?:0g|0|09)$/u, 'og')
        .replace(ruleBeforeLabel, '')
    : cells[0]!.replace(/\s*:$/u, '');
  const cellRest = cells.slice(1).filter(Boolean).join(' ');
  const asCell = cells.length >= 2 ? matchText(labelCell, cellRest, options) : [];
  // A hyphen right after a letter is the label's own (`E-` / `post:`), not a rule.
  const asHyphenated =
    !asCell.length && cells.length >= 2 && options.fuzzy && /\p{L}-$/u.test(cells[0]!)
      ? matchText(cells[0]!, cellRest, options)
      : [];
  if (asCell.length || asHyphenated.length) return asCell.length ? asCell : asHyphenated;
  const whole = foldWhitespace(line);
  return matchText(options.fuzzy ? whole.replace(ruleBeforeLabel, '') : whole, undefined, options);
}

/** A lone bracket or bar before a capital that starts a line (`[ Søknadssum:`): the edge of a box or a rule. */
const ruleBeforeLabel = /^[[\]|]\s+(?=\p{Lu})/u;

/** Labels at the start of `text`; with `cellRest`, `text` is a table cell that must hold the label and nothing else. */
function matchText(text: string, cellRest: string | undefined, options: { fuzzy: boolean }): LabelMatch[] {
  const lower = options.fuzzy ? withoutOcrAccents(text.toLowerCase()) : text.toLowerCase();
  const matches: Array<LabelMatch & { length: number }> = [];
  for (const { row, section, labels } of rowLabels) {
    let best: (LabelMatch & { length: number }) | undefined;
    for (const label of labels) {
      const found = findLabelAtStart(lower, label, options.fuzzy);
      if (!found) continue;
      const after = text.slice(found.length);
      if (cellRest !== undefined && after.trim()) continue;
      const match = {
        row,
        section,
        label,
        tail: found.tail,
        ...(found.tailMustFollow ? { tailMustFollow: found.tailMustFollow } : {}),
        distance: found.distance,
        length: found.length,
        ...(cellRest !== undefined
          ? { delimiter: 'cell' as const, rest: cellRest }
          : delimiterAndRest(after, options.fuzzy)),
      };
      if (!best || rank(match) < rank(best)) best = match;
    }
    if (best) matches.push(best);
  }
  return matches.sort((a, b) => rank(a) - rank(b)).map(({ length: _, ...match }) => match);
}

/** Lower is better: exact whole labels first, the longest of them first; a piece that needs its tail last. */
function rank(match: { distance: number; tail: string[]; length: number; tailMustFollow?: true }): number {
  return (match.tailMustFollow ? 100_000 : 0) + match.distance * 10_000 + match.tail.length * 1_000 - match.length;
}

/** The section a line heads, if it is a section heading (numbered or not) and nothing else. */
export function matchHeading(line: string, options: { fuzzy: boolean }): Section | undefined {
  const text = foldWhitespace(line)
    .toLowerCase()
    .replace(/^(?:del\s+)?\d\s*(?:[.):]+\s*|\s+)/u, '')
    .replace(/\s*:$/u, '');
  for (const { section, headings } of sectionHeadings) {
    for (const heading of headings) {
      const key = heading.toLowerCase();
      if (text === key) return section;
      if (options.fuzzy && key.length >= 6 && editDistance(text, key) <= Math.max(1, Math.floor(key.length / 6))) {
        return section;
      }
    }
  }
  return undefined;
}
