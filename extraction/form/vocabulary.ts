import type { Scheme } from '../../schemas/scheme.ts';
import { rowLabels } from './labels.ts';
import type { SourceLine } from './lines.ts';

/** A word read at least this surely is taken as spelled right: it joins the form's own vocabulary. */
const sureWord = 0.9;

/** Letters a scan puts an accent or ring on (`Avlåstning`, `Brukeré`), each with the letter it was. */
const addedAccents: Readonly<Record<string, string>> = { å: 'a', é: 'e', è: 'e', á: 'a', à: 'a', ó: 'o', ò: 'o' };

/**
 * A long word ending in é: Norwegian has é at the end of short loanwords (`idé`, `kafé`, `armé`); on a longer word
 * (`Brukeré`) it is an e with a speck over it.
 */
const misreadFinalE = /(?<=\p{L}{5})é(?=[^\p{L}]*$)/u;

const bare = (word: string) => word.toLowerCase().replace(/^[^\p{L}\d]+|[^\p{L}\d]+$/gu, '');

/**
 * The words the form itself spells: every word of the document the engine read surely, and the words of the scheme's
 * printed texts (labels, categories, sub-goals). A misread word is checked against them, not a dictionary: an
 * application repeats its own words (the project's name in its summary, the municipality in its addresses).
 */
export function formVocabulary(lines: readonly SourceLine[], scheme: Scheme | undefined): Set<string> {
  const printed = [
    ...rowLabels.flatMap(({ labels }) => labels),
    ...(scheme?.categories.flatMap((category) => [...category.labels, ...category.words]) ?? []),
    ...(scheme?.subGoals.map((goal) => goal.text) ?? []),
  ];
  const words = [
    ...printed.flatMap((text) => text.split(/\s+/u)),
    ...lines.flatMap((line) => (line.words ?? []).filter((w) => w.confidence >= sureWord).map((w) => w.text)),
  ];
  return new Set(words.map(bare).filter((word) => word.length >= 3));
}

/**
 * A scanned value's words put right by the form's vocabulary: a word the vocabulary lacks is read as the one it has
 * when that is the same word without an accent the scan added (`Avlåstning` → `Avlastning`; a long word's final é is
 * an e in any case), and two pieces of a word
 * split by a space or a hyphen at a line's end are joined when the vocabulary has the whole word.
 */
export function withFormWords(text: string, vocabulary: ReadonlySet<string>): string {
  const known = (word: string) => vocabulary.has(bare(word));
  const tokens = text.split(' ');
  const result: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    const unknownPiece = (piece: string) => !known(piece) && bare(piece).length >= 3;
    if (
      next !== undefined &&
      /[\p{L}-]$/u.test(token) &&
      /^\p{Ll}/u.test(next) &&
      (unknownPiece(token) || unknownPiece(next))
    ) {
      const joined = `${token.replace(/-$/u, '')}${next}`;
      if (known(joined) && bare(joined).length >= 6) {
        result.push(joined);
        i++;
        continue;
      }
    }
    result.push(known(token) ? token : withoutAddedAccent(token, known).replace(misreadFinalE, 'e'));
  }
  return result.join(' ');
}

/**
 * A scanned value's words with an accent or ring the scan added (`Krågerø`) spelled as the document has them more
 * surely elsewhere (`Kragerø kommune`): `confidences` holds each spelling the engine read, with how sure it was.
 */
export function withSurerSpellings(text: string, confidences: ReadonlyMap<string, number>): string {
  return text.replace(/\p{L}+/gu, (word) => {
    const asRead = confidences.get(word) ?? 0;
    return withoutAddedAccent(word, (plain) => (confidences.get(plain) ?? 0) >= Math.max(sureWord, asRead + 0.03));
  });
}

/** The word without the accents a scan added, when the vocabulary knows it so and that is the only way it does. */
function withoutAddedAccent(token: string, known: (word: string) => boolean): string {
  const accented = [...token].flatMap((letter, i) => (addedAccents[letter.toLowerCase()] ? [i] : []));
  if (!accented.length || accented.length > 2) return token;
  const candidates: string[] = [];
  for (let mask = 1; mask < 1 << accented.length; mask++) {
    const letters = [...token];
    accented.forEach((at, bit) => {
      if (mask & (1 << bit)) {
        const plain = addedAccents[letters[at]!.toLowerCase()]!;
        letters[at] = letters[at] === letters[at]!.toLowerCase() ? plain : plain.toUpperCase();
      }
    });
    const candidate = letters.join('');
    if (known(candidate)) candidates.push(candidate);
  }
  return candidates.length === 1 ? candidates[0]! : token;
}

/** A mark between two words run together (`helse.og`, `ved'sjukeheimane`): not before a domain's ending. */
const markInWord = /(?<=(?:^|\s)[\p{L}-]*\p{Ll}{2})['’.](?!(?:no|com|org|net)\b)(?=\p{Ll}{2,}(?:[\s,]|$))/gu;
/** A speck glued to the start of a word (`av .depresjon`). */
const markBeforeWord = /(?<=\s)[.:;,'’](?=\p{Ll})/gu;
/** A colon after a word that never ends a lead-in (`for: sjukeheimar`, `kurs: og`). */
const colonAfterFunctionWord = /(?<=(?:^|\s)(?:og|for|av|i|på|med|til|om|kurs))[:;](?=\s\p{Ll})/gu;

/**
 * A full stop after a word no sentence ends with, the sentence going on in lower case (`dagtid og.` / `kveldstid.`): a
 * speck, which the engine also reads at the end of a line.
 */
const stopAfterFunctionWord =
  /(?<=(?:^|\s)(?:og|eller|for|av|i|på|med|til|om|som|at|en|ei|et|eit|ein|å))\.(?=\s\p{Ll})/gu;

/**
 * A space after a word's hyphen before a capital (`Sørøst- Norge`): the engine set apart the pieces of a word it read
 * in two, or a line broke at the hyphen. A hyphen that stands for a word left out is followed by a small letter
 * (`helse- og omsorg`).
 */
const spaceAfterHyphen = /(?<=\p{L}-) (?=\p{Lu}\p{Ll})/gu;

/** Free text from a scan without the specks the engine read as punctuation between and before its words. */
export function withoutStrayMarks(text: string): string {
  return text
    .replace(markInWord, ' ')
    .replace(markBeforeWord, '')
    .replace(colonAfterFunctionWord, '')
    .replace(stopAfterFunctionWord, '')
    .replace(spaceAfterHyphen, '');
}
