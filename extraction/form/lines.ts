/**
 * What the form reader needs of extracted text. OCR marks the text `method: 'ocr'` and may give each page a
 * confidence (0–1, or 0–100 as tesseract reports it).
 */
export interface ReadableText {
  method?: string;
  pages: ReadonlyArray<{ number: number; text: string; confidence?: number; wordConfidences?: number[][] }>;
}

/** One line of the document, with where it is and how sure the text itself is. */
export interface SourceLine {
  page: number;
  /** The line as it stands in the document: what provenance shows. */
  raw: string;
  /** The line as the reader matches it: for OCR text, without the specks and box edges scanning adds. */
  text: string;
  /** The OCR engine's confidence in this page's text (0–1); absent for a digital text layer. */
  ocrConfidence?: number;
  /** The line's words as the engine read them, with its confidence in each (OCR that gives word confidences). */
  words?: OcrWord[];
}

export interface OcrWord {
  text: string;
  confidence: number;
}

/** Page numbers printed in footers, and the markers text extraction puts between pages. */
const pageMarker = /^(?:(?:side|page)\s+\d+\s*(?:av|of|\/)\s*\d+|--\s*\d+\s+of\s+\d+\s*--)$/iu;
/**
 * OCR reads `Side 1 av 2` as `Side Lav 1`, `Side 2av2.` and the like: a short line starting with the word is a footer.
 */
const ocrPageMarker = /^(?:side|page)(?:(?:\s+\S{1,3}){1,3}|\s*\d+\s*(?:av|of)\s*\d+[.,]?)$/iu;
/** Specks OCR reads between a footer's words (`Side 2.av-2`): the footer once they are spaces. */
const footerSpecks = /[.,:;_–—-]+/gu;
/** A footer's page number that OCR put at the end of the line beside it (`… omsorgssjef Side 2.av-2`). */
const trailingPageMarker = /\s+(?:side|page)\s*\d+\s*[.,-]?\s*(?:av|of)\s*[.,-]?\s*\d+\s*$/iu;
/** A line that can carry a value: some letter, digit or checkbox. Noise from scans leaves lines of specks. */
const carriesText = /[\p{L}\d☐☒☑]/u;

export function isOcr(text: ReadableText): boolean {
  return text.method === 'ocr' || text.pages.some((page) => page.confidence !== undefined);
}

export function documentLines(text: ReadableText): SourceLine[] {
  const ocr = isOcr(text);
  return text.pages.flatMap((page) => {
    const ocrConfidence = ocr ? pageConfidence(page.confidence) : undefined;
    return page.text
      .split(/\r?\n/)
      .map((raw, index) => ({
        page: page.number,
        raw,
        text: ocr ? withoutScanNoise(raw) : raw,
        ...ocrWords(raw, page.wordConfidences?.[index]),
      }))
      .filter(({ text }) => carriesText.test(text) && !isPageMarker(text, ocr))
      .map((line) => (ocrConfidence === undefined ? line : { ...line, ocrConfidence }));
  });
}

function isPageMarker(text: string, ocr: boolean): boolean {
  if (pageMarker.test(text.trim())) return true;
  if (!ocr) return false;
  const spaced = text.replace(footerSpecks, ' ').trim();
  return pageMarker.test(spaced) || ocrPageMarker.test(text.trim());
}

/** Specks, table rules and box edges that OCR reads as characters of their own; at a line's start, dashes too. */
const noiseToken = /^[|¦'`´‘’"“”_~^*•·.,;:]+$/u;
const leadingNoiseToken = /^[|¦'`´‘’"“”_~^*•·.,;:=–—-]+$/u;
/** A speck run into the first word of a line (`.Dato:`). */
const leadingSpeck = /^[.,;:'`´‘’|¦]+(?=\p{L})/u;
const noiseEdges = /^[|¦'`´‘’]+|[|¦'`´‘’]+$/gu;
/** A ticked box read as `X`, `KX` or `[X` and run into the word after it (`KXNei`). */
const gluedTick = /(?<![\p{L}\d])([[(|IK]?[xX×][\])|Il1j]?)(?=\p{Lu}\p{Ll})/gu;
/**
 * A speck after a word reads as a full stop: inside a line, a stop before a word in lower case is one (Norwegian
 * starts a sentence in upper case), unless the word before it is an abbreviation.
 */
const stopBeforeLowerCase = /(?<=(?:^|[^\p{L}.])(\p{L}{2,}))\.(?= \p{Ll})/gu;
/** An address the engine broke with spaces after its dots (`sigrid. grostad@bo. kommune.no`): its dots stay. */
const internetAddress = /\.\s*(?:no|com|org|net)\b/u;
const abbreviations = new Set(
  (
    'ca bl mv osv evt ev inkl ekskl jf jfr dvs pr nr kl tlf mob etc mm ol tom fom iht mht vedr avd adm stk kr mill mrd ' +
    'ref ang eks spes dr st nn hhv resp tilsv forts gl fhv jan feb febr mar apr jun jul aug sep sept okt nov des'
  ).split(' '),
);
/** Norwegian's commonest word misread: `og` as `0g`, `0 g`, `09` or `Og` between two words of a sentence. */
const misreadOg = /(?<=(?:\p{Ll}{3},?|\p{L}-) )(?:0g|0 g|09|Og)(?= \p{Ll}{2})/gu;
/**
 * A thin `l` a fax lost a dot of reads as `!` (`Nisseda! kommune`, `ti! dei`): inside a word, or before a word in
 * small letters, where no exclamation mark stands.
 */
const exclamationForL = /(?<=\p{L})!(?=\p{L}|\s+\p{Ll})/gu;
/** Quotation marks come in pairs: one alone at the edge of a word is a speck (`"Frisklivstilbod for seniorar`). */
const quote = /["“”«»]/gu;

/**
 * A speck read as a letter of its own at the start or end of a line (`Å Kragerø`, `Porsgrunn kommune Å`). Not X (a
 * tick), not I that starts sentences, not i or å that end wrapped lines.
 */
const speckFirst = /^[\p{Lu}]$/u;
const speckLast = /^\p{L}$/u;
const realFirst = new Set(['X', 'I']);
const realLast = new Set(['x', 'X', 'i', 'å']);
/** An empty box before an option reads as a lone O or D: a speck only where the value has no boxes. */
const boxFirst = new Set(['O', 'D']);

/**
 * An OCR value without a speck read as a letter at its start or end. `boxes`: the value may list options, so a lone
 * O or D at its start is an empty box, kept for the options reader.
 */
export function withoutEdgeSpecks(value: string, boxes = false): string {
  const tokens = value.split(' ');
  // `O kr`: a zero read as a letter, not a speck.
  const zero = /^[Oo]$/u.test(tokens[0]!) && /^(?:kr\.?|nok|,-)$/iu.test(tokens[1] ?? '');
  const box = boxes && boxFirst.has(tokens[0]!);
  if (tokens.length > 1 && speckFirst.test(tokens[0]!) && !realFirst.has(tokens[0]!) && !zero && !box) tokens.shift();
  if (tokens.length > 1 && speckLast.test(tokens.at(-1)!) && !realLast.has(tokens.at(-1)!)) tokens.pop();
  return tokens.join(' ');
}

function withoutScanNoise(line: string): string {
  return line
    .replace(trailingPageMarker, '')
    .split('\t')
    .map((cell) =>
      withoutEdgeSpecks(
        withoutLoneQuote(cell)
          .replace(gluedTick, '$1 ')
          .replace(stopBeforeLowerCase, (stop, word: string) =>
            abbreviations.has(word.toLowerCase()) || internetAddress.test(cell) ? stop : '',
          )
          .replace(misreadOg, 'og')
          .replace(exclamationForL, 'l')
          .split(/\s+/)
          .filter((token, i) => !(i === 0 ? leadingNoiseToken : noiseToken).test(token))
          .map((token, i) => (i === 0 ? token.replace(leadingSpeck, '') : token))
          .map((token) => token.replace(noiseEdges, ''))
          .filter(Boolean)
          .join(' '),
        true,
      ),
    )
    .join('\t');
}

function withoutLoneQuote(cell: string): string {
  if (cell.match(quote)?.length !== 1) return cell;
  return cell.replace(/(?<=^|\s)["“”«»](?=\S)|(?<=\S)["“”«»](?=\s|$)/u, '');
}

/** The line's words with the engine's confidence in each, when it gave one for every word of the line. */
function ocrWords(raw: string, confidences: readonly number[] | undefined): { words?: OcrWord[] } {
  const tokens = raw.split(/[ \t]+/u).filter(Boolean);
  if (!confidences || confidences.length !== tokens.length) return {};
  return { words: tokens.map((text, i) => ({ text, confidence: confidences[i]! })) };
}

/** OCR without a page confidence is taken as fairly, not fully, sure. */
function pageConfidence(confidence: number | undefined): number {
  if (confidence === undefined) return 0.85;
  return Math.min(1, Math.max(0, confidence > 1 ? confidence / 100 : confidence));
}
