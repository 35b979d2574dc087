import { isValidOrganisationNumber } from '../schemas/organisation-number.ts';
import { editDistance } from './form/fuzzy.ts';

/**
 * Value normalisers: what applicants write on the form (SPEC §2) into the normal forms of the contract (SPEC §3).
 * Each returns the value with a confidence in [0, 1] (1: a style the form is known to use, read without guessing),
 * or nothing when the text cannot be made sense of: the field then stays absent, never guessed.
 */
export interface Normalised<T> {
  value: T;
  confidence: number;
}

/** Confidence of a value read from a style the form does not use, or with words around it that were ignored. */
const lenient = 0.8;

const clean = <T>(value: T): Normalised<T> => ({ value, confidence: 1 });

/** Non-breaking, thin, narrow and figure spaces as well as tabs and line breaks become plain spaces, folded. */
export function foldWhitespace(text: string): string {
  return text.replace(/[\s\u00a0\u2007\u2009\u202f\u200a]+/gu, ' ').trim();
}

/** Marks that cannot begin or end a value: table rules, bullets and specks (`| Vinje kommune ;`, `.315000`). */
const strayEdges = /^[\s|¦_~;:,.•·*'`´‘’=[\]{}–—-]+|[\s|¦_~;:,•·*'`´‘’=[\]{}–—-]+$/gu;

/** Trimmed, inner whitespace folded; text without a letter or digit (`-`, `|`) is no value. */
export function normaliseText(raw: string): Normalised<string> | undefined {
  const folded = foldWhitespace(raw);
  const text = folded.replace(strayEdges, '');
  if (!/[\p{L}\d]/u.test(text)) return undefined;
  return { value: text, confidence: text === folded ? 1 : lenient };
}

// --- amounts -----------------------------------------------------------------------------------------------------

/** `kr`, `kr.`, and `kr:` as written or as a scan reads a speck after it. */
const currency = String.raw`(?:kr[.:]?|nok|kroner)`;
/** Whole kroner with optional thousands grouping by space or dot; `,-` or `,00` marks whole kroner. */
const amountPattern = new RegExp(
  String.raw`^(?:${currency}\s*)?(\d{1,3}(?:[ .]\d{3})+|\d+)\s*(?:,-|,–|,00|\.-)?\s*(?:${currency})?$`,
  'u',
);
const commaGroupedPattern = /^(?:(?:kr\.?|nok)\s*)?(\d{1,3}(?:,\d{3}){2,})\s*(?:kr\.?|nok)?$/u;
const looselyGroupedPattern = new RegExp(
  String.raw`^(?:${currency}\s*)?(\d+(?: \d+)+)\s*(?:,-|,00)?\s*(?:${currency})?$`,
  'u',
);

/** `kr 1 250 000,-`, `1 250 000`, `1.250.000`, `NOK 1250000`, `1 250 000 kr` → 1250000. Never øre. */
export function normaliseAmount(raw: string): Normalised<number> | undefined {
  const folded = foldWhitespace(raw).toLowerCase();
  // `kr 0,-` ends in a dash that belongs to it; other marks around the amount are specks.
  const text = folded.endsWith(',-')
    ? folded.replace(/^[^\p{L}\d]+/u, '')
    : folded.replace(strayEdges, '').replace(/\.$/u, '');
  const certainty = text === folded ? 1 : lenient;
  const read = amountIn(text);
  return read && { value: read.value, confidence: read.confidence * certainty };
}

function amountIn(text: string): Normalised<number> | undefined {
  const match = amountPattern.exec(text);
  if (match) return clean(Number(match[1]!.replace(/[ .]/g, '')));
  // 1,250,000 is English grouping: unambiguous with two commas, but not a style Norwegian forms use.
  const commaGrouped = commaGroupedPattern.exec(text);
  if (commaGrouped) return { value: Number(commaGrouped[1]!.replace(/,/g, '')), confidence: lenient };
  // Groups of other sizes (`1 160000`): a lost or misplaced space, as scans give; the digits are still the amount.
  const looselyGrouped = looselyGroupedPattern.exec(text);
  if (looselyGrouped) return { value: Number(looselyGrouped[1]!.replace(/ /g, '')), confidence: 0.7 };
  return undefined;
}

// --- dates -------------------------------------------------------------------------------------------------------

/** Month names and their abbreviations; Bokmål and Nynorsk share them. */
const months: ReadonlyArray<readonly [number, readonly string[]]> = [
  [1, ['januar', 'jan']],
  [2, ['februar', 'feb', 'febr']],
  [3, ['mars', 'mar']],
  [4, ['april', 'apr']],
  [5, ['mai']],
  [6, ['juni', 'jun']],
  [7, ['juli', 'jul']],
  [8, ['august', 'aug']],
  [9, ['september', 'sep', 'sept']],
  [10, ['oktober', 'okt']],
  [11, ['november', 'nov']],
  [12, ['desember', 'des']],
];
const monthByName = new Map(months.flatMap(([number, names]) => names.map((name) => [name, number] as const)));
const monthNames = [...monthByName.keys()].sort((a, b) => b.length - a.length).join('|');

const notInWord = String.raw`(?<![\p{L}\d])`;
const wordEnd = String.raw`(?![\p{L}\d])`;
/** One date in any of the form's styles; the groups name which style matched. */
const datePattern = String.raw`${notInWord}(?:(?<iy>\d{4})-(?<im>\d{1,2})-(?<id>\d{1,2})|(?<nd>\d{1,2})\.\s?(?<nm>\d{1,2})\.\s?(?<ny>\d{4}|\d{2})|(?<sd>\d{1,2})[/-](?<sm>\d{1,2})[/-](?<sy>\d{4})|(?<wd>\d{1,2})\.?\s*(?<wm>${monthNames})\.?\s+(?<wy>\d{4}))${wordEnd}`;

/** The ISO form of a calendar date, or undefined for an impossible one (31.02., month 13). */
export function isoDate(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

interface FoundDate {
  iso: string | undefined;
  index: number;
  length: number;
}

function findDates(text: string): FoundDate[] {
  return [...text.matchAll(new RegExp(datePattern, 'giu'))].map((match) => {
    const g = match.groups!;
    const [year, month, day] =
      g.iy !== undefined
        ? [g.iy, g.im, g.id]
        : g.nd !== undefined
          ? [g.ny!.length === 2 ? `20${g.ny}` : g.ny, g.nm, g.nd]
          : g.sd !== undefined
            ? [g.sy, g.sm, g.sd]
            : [g.wy, String(monthByName.get(g.wm!.toLowerCase())), g.wd];
    return { iso: isoDate(Number(year), Number(month), Number(day)), index: match.index, length: match[0].length };
  });
}

/** What is left of `text` once the found dates are cut out. */
function residue(text: string, dates: FoundDate[]): string {
  let rest = text;
  for (const date of [...dates].reverse())
    rest = rest.slice(0, date.index) + ' ' + rest.slice(date.index + date.length);
  return rest;
}

/** `15.04.2017`, `15.4.17`, `15. april 2017`, `2017-04-15` → `2017-04-15`; impossible dates give nothing. */
export function normaliseDate(raw: string): Normalised<string> | undefined {
  const text = foldWhitespace(raw);
  const dates = findDates(text);
  if (dates.length !== 1 || !dates[0]!.iso) return splitDigitsDate(text);
  const rest = residue(text, dates).replace(/\bden\b/giu, '');
  return { value: dates[0]!.iso, confidence: /[\p{L}\d]/u.test(rest) ? lenient : 1 };
}

/** A date a scan split between two digits (`201 7-08-22`), taken less surely: the space may part two numbers. */
function splitDigitsDate(text: string): Normalised<string> | undefined {
  const joined = text.replace(/(?<=\d) (?=\d)/gu, '');
  if (joined === text) return undefined;
  const dates = findDates(joined);
  if (dates.length !== 1 || !dates[0]!.iso || /[\p{L}\d]/u.test(residue(joined, dates))) return undefined;
  return { value: dates[0]!.iso, confidence: lenient };
}

/** Words that may join the two ends of a period without changing its meaning. */
const periodJoiners = /(?<!\p{L})(?:fra|frå|til og med|til|t\.o\.m\.?|f\.o\.m\.?|perioden)(?!\p{L})/giu;

/** A range written in one value (`15.08.2017 – 30.06.2018`, `fra 15. august 2017 til 30. juni 2018`). */
export function normalisePeriod(raw: string): Normalised<{ start: string; end: string }> | undefined {
  const text = foldWhitespace(raw);
  const dates = findDates(text);
  if (dates.length !== 2 || !dates[0]!.iso || !dates[1]!.iso) return undefined;
  const rest = residue(text, dates).replace(periodJoiners, '');
  return {
    value: { start: dates[0]!.iso, end: dates[1]!.iso },
    confidence: /[\p{L}\d]/u.test(rest) ? lenient : 1,
  };
}

// --- numbers and identifiers -------------------------------------------------------------------------------------

/**
 * `964964998`, `964 964 998`, `NO 964 964 998 MVA` → `964964998`. A number failing MOD11 is still what the form says
 * (validation reports it), but is more likely misread, so its confidence is low.
 */
export function normaliseOrganisationNumber(raw: string): Normalised<string> | undefined {
  const text = foldWhitespace(raw).toLowerCase();
  const stripped = text.replace(/^(?:org\.?\s*(?:nr|nummer)\.?:?|no)\s*/u, '').replace(/\s*mva\.?$/u, '');
  if (!/^\d[\d .-]*\d$/u.test(stripped)) return undefined;
  const digits = stripped.replace(/\D/g, '');
  if (digits.length !== 9) return undefined;
  return { value: digits, confidence: isValidOrganisationNumber(digits) ? 1 : 0.5 };
}

/** `0834` → `0834`; `834` is read as `0834` (a dropped leading zero), less surely; a trailing name is ignored. */
export function normaliseMunicipalityNumber(raw: string): Normalised<string> | undefined {
  // A dash or stop after the number is a scan's speck (`0819 -`).
  const match = /^(\d{3,4})(?:\s+\p{L}[\p{L} -]*)?(?:\s*[.,;:–—-])?$/u.exec(foldWhitespace(raw));
  if (!match) return undefined;
  const digits = match[1]!;
  const named = match[0].length > digits.length;
  return {
    value: digits.padStart(4, '0'),
    confidence: digits.length === 3 ? lenient : named ? 0.9 : 1,
  };
}

/** `3890 Vinje`, `N-3890 Vinje`, `3800 Bø i Telemark` → code and place. */
export function normalisePostalAddress(raw: string): Normalised<{ code: string; place: string }> | undefined {
  const match = /^(?:no?-?\s?)?(\d{4}),?\s+(\p{L}.*)$/iu.exec(foldWhitespace(raw));
  if (!match) return undefined;
  // A place name never ends in a full stop: one there closes the line (or is a scan's speck).
  const place = match[2]!.trim().replace(/\.$/u, '');
  return place === match[2]!.trim()
    ? clean({ code: match[1]!, place })
    : { value: { code: match[1]!, place }, confidence: lenient };
}

/** `35 06 20 00`, `+47 35062000`, `350 62 000`, `0047 35 06 20 00` → `35062000`: eight digits, no country code. */
export function normalisePhone(raw: string): Normalised<string> | undefined {
  const text = foldWhitespace(raw).replace(/^(?:tlf\.?|telefon|mob\.?|mobil):?\s*/iu, '');
  if (!/^(?:\+|\(\+47\)|00)?\s*\d[\d .()-]*$/u.test(text)) return undefined;
  let digits = text.replace(/\D/g, '');
  if (/^(?:\+|\(\+47\))/.test(text) || digits.startsWith('0047')) {
    digits = digits.replace(/^(?:0047|47)/, '');
  }
  return /^\d{8}$/.test(digits) ? clean(digits) : undefined;
}

const emailPattern = /^[\p{L}\d._%+'-]+@[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.[a-z]{2,}$/u;
/** How scans misread `@`: as `Q`, `QE`, `&`, `©` or `®`. */
const misreadAt = /Q[EeG]?|[&©®]/gu;

/**
 * Trimmed and lower case; whitespace inside an address cannot belong to it (a wrapped line) and is dropped. An
 * address whose `@` a scan misread is read with it put back, but not trusted: when the misreading is one `Q`, `&`
 * or `©`, or when the address ends in the expected domain (the applicant's, `bo.kommune.no`) right after one
 * character that can only have been the `@`.
 */
export function normaliseEmail(raw: string, expectedDomain?: string): Normalised<string> | undefined {
  // Accents do not occur in addresses; scans put them on letters (`kommuné`).
  const text = foldWhitespace(raw)
    .replace(/^mailto:/iu, '')
    .normalize('NFD')
    .replace(/[\u0300\u0301]/gu, '')
    .normalize('NFC');
  const compact = text.replace(/ /g, '');
  if (emailPattern.test(compact.toLowerCase())) {
    return { value: compact.toLowerCase(), confidence: compact.length === text.length ? 1 : lenient };
  }
  if (compact.includes('@')) return undefined;
  const repaired = withAtRestored(compact, expectedDomain);
  return repaired && emailPattern.test(repaired) ? { value: repaired, confidence: 0.5 } : undefined;
}

function withAtRestored(address: string, expectedDomain: string | undefined): string | undefined {
  if ([...address.matchAll(misreadAt)].length === 1) return address.replace(misreadAt, '@').toLowerCase();
  const lower = address.toLowerCase();
  if (!expectedDomain || !lower.endsWith(expectedDomain)) return undefined;
  const at = lower.length - expectedDomain.length - 1;
  if (at < 1 || lower[at] === '.') return undefined;
  return `${lower.slice(0, at)}@${expectedDomain}`;
}

/** The e-mail domain of a municipality's staff, from its name: `Kragerø kommune` → `kragero.kommune.no`. */
export function municipalityDomain(applicantName: string): string | undefined {
  const name = foldWhitespace(applicantName)
    .toLowerCase()
    .replace(/\s+kommune$/u, '');
  if (!name || name === applicantName.toLowerCase()) return undefined;
  const ascii = name
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/å/g, 'a')
    .replace(/[\s-]+/g, '');
  return /^[a-z]+$/.test(ascii) ? `${ascii}.kommune.no` : undefined;
}

/** `12`, `12 deltakere`, `ca. 12` → 12; a range or several numbers are not one count. */
export function normaliseParticipants(raw: string): Normalised<number> | undefined {
  const text = foldWhitespace(raw).toLowerCase();
  const match =
    /^(ca\.?\s*|omlag\s*|om lag\s*|cirka\s*)?(\d{1,3}(?: \d{3})*)(?:\s+(?:deltakere|deltakarar|deltagere|personer|stk\.?|tilsette|ansatte))?\.?$/u.exec(
      text,
    );
  if (!match) return undefined;
  return { value: Number(match[2]!.replace(/ /g, '')), confidence: match[1] ? lenient : 1 };
}

const yesNo: Record<string, boolean> = { ja: true, nei: false };

/** `Ja` / `Nei` (both languages) → true / false. Checkbox styles are read by the form reader's option chooser. */
export function normaliseYesNo(raw: string): Normalised<boolean> | undefined {
  const word = foldWhitespace(raw).toLowerCase().replace(/[.!]$/u, '');
  return word in yesNo ? clean(yesNo[word]!) : undefined;
}

/** `1, 3`, `1 og 3`, `Delmål 1 og 3`, `1,3` → [1, 3]: ascending, each once. */
export function normaliseSubGoalNumbers(raw: string): Normalised<number[]> | undefined {
  const text = foldWhitespace(raw)
    .toLowerCase()
    .replace(/^delmål\s*(?:nr\.?)?\s*/u, '');
  if (!/^\d{1,2}(?:\s*(?:,|;|&|\+|\/|og|\s)\s*\d{1,2})*\.?$/u.test(text)) return undefined;
  const numbers = [...new Set(text.match(/\d+/g)!.map(Number))].filter((n) => n > 0).sort((a, b) => a - b);
  return numbers.length ? clean(numbers) : undefined;
}

const noPartners = /^(?:-|–|ingen|ingen samarbeidspartnere|ingen samarbeidspartnarar|ikke aktuelt|ikkje aktuelt)\.?$/iu;
const bullet = /^(?:[-–•*·▪]|\d+[.)])\s+/u;

/**
 * One partner per line, or comma (semicolon) separated: `Tokke kommune, Sykehuset Telemark HF` → two partners.
 * `Ingen` means none. Lines of a comma-separated list may be wrapped, so commas decide when there are any.
 */
/** Words a name does not end with: a line ending in one (`Utviklingssenter for sykehjem og`) wrapped in its cell. */
const wrapsAfter = /(?:^|\s)(?:og|for|i|av|med|til|på|innen|innan|ved|frå|fra)$/iu;

/** A line ending in a word's hyphen (`Høgskolen i Sørøst-` / `Norge`): the word goes on on the next line. */
const brokenAtHyphen = /\p{L}-$/u;
/**
 * Two lines as one text: a name broken at its hyphen (`Sørøst-` / `Norge`) keeps its hyphen and loses the line break;
 * before a small letter the hyphen may stand for a word left out (`helse-` / `og omsorg`), and the space stays.
 */
const joinLine = (line: string, next: string) =>
  brokenAtHyphen.test(line) && /^\p{Lu}\p{Ll}/u.test(next) ? `${line}${next}` : `${line} ${next}`;

/**
 * One name per line, but a line that wraps (ends in a joining word or a word's hyphen, or the next starts in lower
 * case) goes on.
 */
function joinWrapped(items: readonly string[]): string[] {
  const joined: string[] = [];
  for (const item of items) {
    const last = joined.at(-1);
    if (last !== undefined && (wrapsAfter.test(last) || brokenAtHyphen.test(last) || /^\p{Ll}/u.test(item)))
      joined[joined.length - 1] = joinLine(last, item);
    else joined.push(item);
  }
  return joined;
}

export function normalisePartners(lines: readonly string[]): Normalised<string[]> | undefined {
  const items = lines.map((line) => foldWhitespace(line).replace(bullet, '')).filter((line) => /[\p{L}\d]/u.test(line));
  if (!items.length) return undefined;
  if (items.length === 1 && noPartners.test(items[0]!.replace(strayEdges, ''))) return clean([]);
  const separated = items.some((item) => /[,;]/.test(item));
  const partners = (separated ? items.reduce(joinLine).split(/\s*[,;]\s*/u) : joinWrapped(items))
    .map((partner) => partner.replace(/\.$/u, '').replace(strayEdges, ''))
    .filter(Boolean);
  return partners.length ? clean(partners) : undefined;
}

// --- scanned text ------------------------------------------------------------------------------------------------
//
// OCR misreads the characters of numbers in a few known ways. These read what a scan says when the text as read makes
// no sense, and less surely: they are for OCR text only (digital text means what it says).

/** Confidence of a value read only once a scan's misreadings were undone. */
const repaired = 0.6;

/**
 * An amount as a scan misreads it: a zero as `O` or `o` (`O kr`, `Okr`, `1O5O 000`), a one as `l`, `I` or `|`, a lone
 * digit between box edges or beside one (`(0)`, `[0)`, `0)`).
 */
export function normaliseScannedAmount(raw: string): Normalised<number> | undefined {
  const read = normaliseAmount(raw);
  if (read) return read;
  const text = foldWhitespace(raw)
    // `O. kr`: a speck between the amount and its currency; `NOK.459000`, `kr:610 000,-`: one after the currency.
    .replace(/(?<=[\dOo])[.,](?=\s*(?:kr|nok)\.?$)/iu, '')
    .replace(/^(kr|nok)[.:;,]\s*(?=\d)/iu, '$1 ')
    // `2 370:000`: a group's space read as a colon.
    .replace(/(?<=\d)[:;](?=\d{3}(?!\d))/gu, ' ')
    // `Okr`, `0kr`: the currency run into the amount.
    .replace(/(?<=^|[\s\d])([0-9OoDQ]+)(kr\.?|nok)$/iu, '$1 $2')
    .replace(/^(kr\.?|nok)([0-9OoDQ]+)(?=\s|$)/iu, '$1 $2')
    .split(' ')
    .map((token) =>
      /^[0-9OoDQlI|.]+$/u.test(token) && /[0-9]|^[Oo]$/u.test(token)
        ? token.replace(/[OoDQ]/gu, '0').replace(/[lI|]/gu, '1')
        : token,
    )
    .join(' ')
    .replace(/^[([{|]\s*(\d+)\s*[)\]}|]$/u, '$1')
    // `0)`: a lone digit with one box edge.
    .replace(/^(\d)\s*[)\]}|]$|^[([{|]\s*(\d)$/u, '$1$2');
  const guess = text !== foldWhitespace(raw) ? normaliseAmount(text) : undefined;
  return guess && { value: guess.value, confidence: Math.min(guess.confidence, repaired) };
}

/**
 * A date whose dots a scan lost or misread (`272.17`, `11317`, `31.3:18` for 27.2.17, 11.3.17, 31.3.18): the digits
 * split into day, month and year every way the separators that are left allow; read only when exactly one way gives
 * a real date.
 */
export function normaliseScannedDate(raw: string): Normalised<string> | undefined {
  const read = normaliseDate(raw);
  if (read) return read;
  // `16: juli 2017`: the day's full stop read as a colon; `3 0. september 2018`: the day's digits set apart.
  const monthWritten = normaliseDate(
    raw.replace(/(?<=^\s*\d)\s(?=\d\s*[.:;,]\s*\p{L})/u, '').replace(/(?<=^\s*\d{1,2})[:;,](?=\s*\p{L})/u, '.'),
  );
  if (monthWritten) return { value: monthWritten.value, confidence: Math.min(monthWritten.confidence, repaired) };
  const text = foldWhitespace(raw).replace(/^[^\p{L}\d]+|[^\p{L}\d]+$/gu, '');
  if (!/^\d[\d.,: ]*\d$/u.test(text) || (text.match(/[.,: ]/gu)?.length ?? 0) > 2) return undefined;
  const digits = text.replace(/\D/gu, '');
  // Where separators were read: each must stand between two of the parts.
  const cuts = new Set<number>();
  let count = 0;
  for (const char of text) {
    if (/\d/u.test(char)) count++;
    else cuts.add(count);
  }
  const found = new Set<string>();
  for (const dayLength of [1, 2]) {
    for (const monthLength of [1, 2]) {
      const yearLength = digits.length - dayLength - monthLength;
      if (yearLength !== 2 && yearLength !== 4) continue;
      if (![...cuts].every((cut) => cut === dayLength || cut === dayLength + monthLength)) continue;
      const day = Number(digits.slice(0, dayLength));
      const month = Number(digits.slice(dayLength, dayLength + monthLength));
      const year = Number(digits.slice(dayLength + monthLength));
      const iso = isoDate(yearLength === 2 ? 2000 + year : year, month, day);
      if (iso && iso >= '2000-01-01' && iso < '2100-01-01') found.add(iso);
    }
  }
  return found.size === 1 ? { value: [...found][0]!, confidence: repaired } : undefined;
}

/** A period with one or both dates misread (see `normaliseScannedDate`), its ends split at the dash or `til`. */
export function normaliseScannedPeriod(raw: string): Normalised<{ start: string; end: string }> | undefined {
  const read = normalisePeriod(raw);
  if (read) return read;
  const ends = foldWhitespace(raw)
    .replace(/^(?:fra|frå|f\.o\.m\.?|perioden)\s+/iu, '')
    .split(/\s+(?:[–—-]|til og med|til|t\.o\.m\.?)\s+/iu);
  if (ends.length !== 2) return undefined;
  const [start, end] = ends.map((end) => normaliseScannedDate(end));
  if (!start || !end) return undefined;
  return {
    value: { start: start.value, end: end.value },
    confidence: Math.min(start.confidence, end.confidence, repaired),
  };
}

/**
 * An organisation number with specks in it (`954144054.`, `NO'917 693 625 MVA`) or a digit read as the letter it looks
 * like (`97O 5l8 B22`: O, l, I, S, B): nine digits among other marks, read only when they pass the MOD11 check (a
 * misread digit seldom does). Nine clean digits failing it are read as they stand, and the cross-check tries the
 * digits a scan confuses.
 */
export function normaliseScannedOrganisationNumber(raw: string): Normalised<string> | undefined {
  const read = normaliseOrganisationNumber(raw);
  if (read) return read;
  const text = foldWhitespace(raw)
    .toLowerCase()
    .replace(/[^\p{L}\d]+$/u, '')
    .replace(/^no\b|\bmva\.?$/gu, '')
    .replace(/(?<=[\d\s]|^)[odqlisb|]+(?=[\d\s]|$)/gu, (letters) =>
      [...letters].map((letter) => lettersAsDigits[letter]).join(''),
    );
  if (/\p{L}/u.test(text)) return undefined;
  const digits = text.replace(/\D/gu, '');
  if (digits.length !== 9 || (raw.match(/\d/gu)?.length ?? 0) < 7 || !isValidOrganisationNumber(digits))
    return undefined;
  return { value: digits, confidence: lenient };
}

/** Letters a scan reads for digits that look like them. */
const lettersAsDigits: Readonly<Record<string, string>> = {
  o: '0',
  d: '0',
  q: '0',
  l: '1',
  i: '1',
  '|': '1',
  s: '5',
  b: '8',
};

/**
 * An e-mail address read from a scan. A domain a letter or two from the one the applicant's staff have
 * (`seljord.konimune.no`, `bhiartdal.kommune.no`) is that domain misread (`m` as `ni`, `rn`; `j` as `i`), and is read
 * as it, less surely.
 */
export function normaliseScannedEmail(raw: string, expectedDomain?: string): Normalised<string> | undefined {
  // A speck before or after the address (`_kjersti.dale@…`, `…kommune.no -`): an address starts and ends with a letter
  // or digit.
  const trimmed = raw.replace(/^\s*[_.,'-]+/u, '').replace(/[\s_.,;:'’|—–-]+$/u, '');
  // A dot read as a colon, semicolon or comma (`marit:dale`): an address has none of them.
  const dotted = trimmed.replace(/(?<=[\p{L}\d])[:;,](?=[\p{L}\d])/gu, '.');
  const asRead = normaliseEmail(trimmed, expectedDomain);
  const repairedDots = asRead || dotted === trimmed ? undefined : normaliseEmail(dotted, expectedDomain);
  const read =
    asRead ?? (repairedDots && { value: repairedDots.value, confidence: Math.min(repairedDots.confidence, 0.5) });
  if (!read || !expectedDomain) return read;
  const at = read.value.lastIndexOf('@');
  const domain = read.value.slice(at + 1);
  if (domain === expectedDomain || editDistance(domain, expectedDomain) > 2) return read;
  return { value: `${read.value.slice(0, at)}@${expectedDomain}`, confidence: Math.min(read.confidence, 0.7) };
}

/** `Voss kommurie`: an applicant is a municipality, and a last word a letter or two from `kommune` is that word. */
export function normaliseScannedApplicant(raw: string): Normalised<string> | undefined {
  const read = normaliseScannedName(raw);
  const last = read?.value.match(/\s(\p{L}+)$/u)?.[1];
  if (
    !read ||
    !last ||
    last.toLowerCase() === 'kommune' ||
    editDistance(last.toLowerCase(), 'kommune') > 2 ||
    last.length < 6
  )
    return read;
  return { value: `${read.value.slice(0, -last.length)}kommune`, confidence: Math.min(read.confidence, lenient) };
}

/** `Gudbrandsveien7`: the space before a house number, too narrow in print for OCR to see. */
export function normaliseScannedAddress(raw: string): Normalised<string> | undefined {
  // `Postboks. 2020`: a speck after the word.
  const read = normaliseScannedName(raw.replace(/^(\s*postboks)[.,:]\s/iu, '$1 '));
  const glued = read && /^(.*\p{L}{3,})(\d+\s?\p{L}?)$/u.exec(read.value);
  if (!read || !glued) return read;
  return { value: `${glued[1]} ${glued[2]}`, confidence: Math.min(read.confidence, lenient) };
}

/**
 * A one-line name, title or place without the dot a speck of dust after its last word reads as (`rådmann.`): such
 * values do not end in a full stop. An abbreviation (a short last word) keeps it.
 */
export function normaliseScannedName(raw: string): Normalised<string> | undefined {
  const read = normaliseText(raw);
  if (!read || !/\p{L}{4,}\.$/u.test(read.value) || /\.\s/u.test(read.value)) return read;
  return { value: read.value.slice(0, -1), confidence: Math.min(read.confidence, lenient) };
}
