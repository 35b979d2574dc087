import { existsSync, readFileSync } from 'node:fs';
import nspell from 'nspell';
import type { SourceLine } from './lines.ts';

/** Debian's `hunspell-no`: Bokmål and Nynorsk, since an application is written in either. */
const hunspellFiles = ['nb_NO', 'nn_NO'].map((name) => `/usr/share/hunspell/${name}`);

/** Parts of a compound the dictionary does not list are at least this long (its COMPOUNDMIN). */
const compoundPartLength = 4;
/** The shortest head of a compound taken as written (`fag` in `fagnettverk`). */
const shortestCompoundHead = 3;
/** The dictionaries' COMPOUNDFLAG: a word with it may begin a compound (`helse` in `helsetenesta`). */
const compoundFlag = 'z';

interface Dictionary {
  spell: ReturnType<typeof nspell>;
  compoundHeads: Set<string>;
  /** Stems the dictionary spells with a capital (`Telemark`, `Bergen`), in small letters. */
  names: Set<string>;
}

let loaded: Dictionary[] | undefined;

/**
 * The dictionaries, built once per process and only when a scan first needs them: expanding their affix rules takes
 * seconds and a few hundred megabytes, too much to pay per document. Without the files (a machine without
 * `hunspell-no`) there is no dictionary and scanned words are left as the engine read them.
 */
function dictionaries(): Dictionary[] {
  loaded ??= hunspellFiles
    .filter((base) => existsSync(`${base}.aff`) && existsSync(`${base}.dic`))
    .map((base) => {
      // The files are Latin-1 (`SET ISO8859-1`); nspell reads a Buffer as UTF-8.
      const dic = readFileSync(`${base}.dic`, 'latin1');
      const entries = dic.split('\n').map((entry) => entry.split('/') as [string, string?]);
      const compoundHeads = new Set(entries.filter(([, flags]) => flags?.includes(compoundFlag)).map(([stem]) => stem));
      const names = new Set(entries.filter(([stem]) => /^\p{Lu}/u.test(stem)).map(([stem]) => stem.toLowerCase()));
      return { spell: nspell(readFileSync(`${base}.aff`, 'latin1'), dic), compoundHeads, names };
    });
  return loaded;
}

/**
 * A Norwegian word: listed in either dictionary, or a compound whose head may begin one (hunspell's compounding,
 * which nspell does not do). `shortestHead` below the dictionaries' own minimum also takes the short heads a
 * compound often has that they leave out (`fag` in `fagnettverk`).
 */
export function isNorwegianWord(word: string, shortestHead = compoundPartLength): boolean {
  const lower = word.toLowerCase();
  return dictionaries().some(({ spell, compoundHeads }) => {
    if (spell.correct(word)) return true;
    for (let at = shortestHead; at <= lower.length - compoundPartLength; at++) {
      if (compoundHeads.has(lower.slice(0, at)) && spell.correct(lower.slice(at))) return true;
    }
    return false;
  });
}

/** A word in small letters that the dictionaries know, and not as a name. */
function isCommonWord(word: string): boolean {
  return isNorwegianWord(word) && !dictionaries().some(({ names }) => names.has(word));
}

/** Whether a dictionary is at hand on this machine. */
export const hasNorwegianDictionary = () => dictionaries().length > 0;

/**
 * Letters a scan reads for others, each with what it may have been: accents and rings the scan added, l and i,
 * r+n and m, r+i and n. One such confusion, or a faint last letter lost, explains a misread word.
 */
const confusions: ReadonlyArray<readonly [string, string]> = [
  ['å', 'a'],
  ['ä', 'a'],
  ['á', 'a'],
  ['à', 'a'],
  ['é', 'e'],
  ['è', 'e'],
  ['ö', 'o'],
  ['ó', 'o'],
  ['ò', 'o'],
  ['i', 'l'],
  ['l', 'i'],
  ['l', 't'],
  ['t', 'l'],
  ['c', 'e'],
  ['rn', 'm'],
  ['m', 'rn'],
  ['ri', 'n'],
  ['ni', 'm'],
  ['in', 'm'],
  ['li', 'h'],
];

const alphabet = [...'abcdefghijklmnopqrstuvwxyzæøå'];

/** The words one confusion or a last letter lost (`spørreundersøkels`) away from a misread word. */
function explainedReadings(word: string): Set<string> {
  const readings = new Set<string>();
  for (const [read, was] of confusions) {
    for (let at = word.indexOf(read); at >= 0; at = word.indexOf(read, at + 1)) {
      readings.add(word.slice(0, at) + was + word.slice(at + read.length));
    }
  }
  for (const letter of alphabet) readings.add(word + letter);
  return readings;
}

/**
 * A misread word put right by the dictionary: the one Norwegian word a scan's confusion or one lost letter explains,
 * in the word's own case; undefined when there is none or more than one. The word itself must not be Norwegian
 * even read generously.
 */
export function dictionaryReading(word: string): string | undefined {
  // Generous to the word as read, strict to what it would become: a word is changed only when it is surely not one.
  if (!hasNorwegianDictionary() || isNorwegianWord(word, shortestCompoundHead)) return undefined;
  const capital = word[0] !== word[0]!.toLowerCase();
  const candidates = [...explainedReadings(word.toLowerCase())].filter((reading) => isNorwegianWord(reading));
  if (candidates.length !== 1) return undefined;
  const [reading] = candidates as [string];
  return capital ? reading[0]!.toUpperCase() + reading.slice(1) : reading;
}

/**
 * Below this the engine doubted a word: most words it reads cleanly score above it (a scan's `spørreundersøkels`
 * 0.92, `deltåkarane` 0.89, `Gje` 0.79). Only such words are put right, so a word the dictionary lacks but the
 * engine read plainly (a name, a new compound) stays as written.
 */
const doubtfulWord = 0.93;

/**
 * Capitals the engine reads for small letters of the same shape (`Sykdommer`, `Økt` mid-sentence); a capital of
 * another shape (`Gje`) is put right only when the engine doubted it.
 */
const sameShapeCapitals = /^[CKOPSUVWXZØ]/u;

/** A word's letters, without the marks around it (`kveidstid.` → `kveidstid`). */
const wordParts = (token: string) => /^([^\p{L}]*)(\p{L}+)([^\p{L}]*)$/u.exec(token);

/**
 * How sure the engine was of each spelling the document has: per word, as read (without the marks around it), the
 * highest confidence it was read with.
 */
export function readingConfidences(lines: readonly SourceLine[]): Map<string, number> {
  const sure = new Map<string, number>();
  for (const { text, confidence } of lines.flatMap((line) => line.words ?? [])) {
    const word = wordParts(text)?.[2];
    if (word) sure.set(word, Math.max(confidence, sure.get(word) ?? 0));
  }
  return sure;
}

/**
 * Scanned free text put right by the Norwegian dictionaries, word by word, and only where the engine doubted the word:
 * a word neither dictionary knows becomes the one word a scan's confusion or a lost letter explains
 * (`deltåkarane` → `deltakarane`, `spørreundersøkels` → `spørreundersøkelse`); in running text (`sentences`), a
 * capital inside a sentence on a common word that is not a name, between words in small letters, becomes small
 * (`kroniske Sykdommer`). A capitalised word inside a sentence is otherwise a name and stays; figures, e-mail
 * addresses and words joined by a hyphen are never touched.
 */
export function withDictionaryWords(
  text: string,
  confidences: ReadonlyMap<string, number>,
  { sentences }: { sentences: boolean },
): string {
  if (!hasNorwegianDictionary()) return text;
  const tokens = withCapitalRejoined(text.split(' '));
  return tokens
    .map((token, i) => {
      const parts = wordParts(token);
      if (!parts) return token;
      const [, before, word, after] = parts as unknown as [string, string, string, string];
      const doubted = (confidences.get(word) ?? 0) < doubtfulWord;
      const previous = tokens[i - 1];
      const startsSentence = previous === undefined || /[.!?]$/u.test(previous) || before !== '';
      const capital = word[0] !== word[0]!.toLowerCase();
      if (capital && !startsSentence) {
        const small = word[0]!.toLowerCase() + word.slice(1);
        // A capitalised neighbour makes it part of a name (`Kari Nordmann`, `Sykehuset Telemark`).
        const inSentence =
          sentences &&
          /[\p{Ll},]$/u.test(previous!) &&
          ![previous!, tokens[i + 1] ?? ''].some((neighbour) => /^\p{Lu}/u.test(neighbour)) &&
          word.slice(1) === word.slice(1).toLowerCase();
        const afterColon = sentences && previous!.endsWith(':');
        const misreadCapital = (inSentence && (doubted || sameShapeCapitals.test(word))) || (afterColon && doubted);
        if (misreadCapital && isCommonWord(small)) return `${before}${small}${after}`;
        // A capital I has the shape of a small l (`endre Ievevaner`).
        const asSmallL = word.startsWith('I') ? `l${word.slice(1)}` : undefined;
        return inSentence && asSmallL && !isCommonWord(small) && isCommonWord(asSmallL)
          ? `${before}${asSmallL}${after}`
          : token;
      }
      if (!doubted || word.length < 3) return token;
      const reading = dictionaryReading(word);
      return reading ? `${before}${reading}${after}` : token;
    })
    .join(' ');
}

/** A capital that is no word on its own: `I`, `Å` and `O` are. */
const loneCapital = /^[A-HJ-NP-ZÆØ]$/u;

/**
 * A word whose capital the engine set apart (`N asjonalforeininga`): joined when the rest is no word and the whole is.
 */
function withCapitalRejoined(tokens: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const rest = wordParts(tokens[i + 1] ?? '');
    if (
      loneCapital.test(tokens[i]!) &&
      rest?.[1] === '' &&
      /^\p{Ll}/u.test(rest[2]!) &&
      !isNorwegianWord(rest[2]!) &&
      isNorwegianWord(tokens[i]! + rest[2]!)
    ) {
      joined.push(tokens[i]! + tokens[i + 1]!);
      i++;
    } else joined.push(tokens[i]!);
  }
  return joined;
}
