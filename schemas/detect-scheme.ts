import type { Finding } from './finding.ts';
import { findingCatalogue, type FindingCodeInfo } from './rules/finding-codes.ts';
import { formatPercent } from './rules/format.ts';
import type { Scheme } from './scheme.ts';

/** Which scheme a document applies to, as far as its text tells. */
export interface SchemeDetection {
  /** The scheme's id, or null when the document cannot be tied to a scheme (see the findings for why). */
  schemeId: string | null;
  /** How sure the answer is, 0–1: that it is this scheme, or, with null, that no known scheme fits. */
  confidence: number;
  findings: Finding[];
}

/** Every finding code detection can raise, with its severity. */
export const detectionFindingCodes = {
  'not-an-application': { severity: 'error', field: 'schemeId', label: 'Ikke en søknad' },
  'unknown-scheme': { severity: 'error', field: 'schemeId', label: 'Ukjent tilskuddsordning' },
  'uncertain-scheme': { severity: 'warning', field: 'schemeId', label: 'Usikker tilskuddsordning' },
} as const satisfies Record<string, FindingCodeInfo>;

const { finding } = findingCatalogue(detectionFindingCodes);

/*
 * The form's own vocabulary (SPEC §2), the same for every scheme: evidence that a document is an application at all.
 * Which scheme it is comes only from the scheme definitions.
 */

/** Labels only an application form has (not an invoice or a letterhead: no «Telefon», «E-post» or «Org.nr.»). */
const applicationLabels: readonly (readonly string[])[] = [
  ['Søker (kommune)', 'Søkjar (kommune)'],
  ['Tiltakets navn', 'Namn på tiltaket', 'Prosjektnavn', 'Prosjektnamn'],
  ['Kort beskrivelse av tiltaket', 'Kort skildring av tiltaket'],
  ['Målgruppe'],
  ['Antall deltakere', 'Tal på deltakarar'],
  ['Samarbeidspartnere', 'Samarbeidspartnarar'],
  ['Kommunenummer'],
  ['Totale kostnader'],
  ['Egenfinansiering', 'Eigenfinansiering'],
  ['Annen finansiering', 'Anna finansiering'],
  ['Søknadsbeløp', 'Omsøkt beløp', 'Søknadssum'],
  ['Underskrift (navn)', 'Underskrift (namn)'],
];
/** An announcement has a «Målgruppe» or two; a filled form has most of these. */
const formLabelsNeeded = 3;

/** How an application's title or a letter's subject line opens («Søknad om tilskot til …»). */
const applicationOpenings = ['Søknadsskjema', 'Søknad om', 'Søknad til', 'Søknad på'];
/** A request in the first person: «Vinje kommune søker med dette om …», «Vi søkjer om …» (not «kan søke om»). */
const applicationRequest = /\b(?:soker|sokjer) (?:herved |hermed |med dette )?om\b/;

/** Form questions only some schemes ask; the scheme data says which (sub-goals listed, overarching plan asked). */
const subGoalQuestion = ['Delmål tiltaket bygger opp under', 'Delmål tiltaket byggjer opp under'];
const overarchingPlanQuestion = ['overordnet plan', 'overordna plan'];

/**
 * A title comes near the top: a form's first lines, or a letter's subject line below the letterhead and addresses.
 * The scheme's name further down (a letter's body, an appendix) counts for less.
 */
const titleZone = { lines: 25, letters: 1500 };
const bodyTitleWeight = 0.6;
/** Forms and letters state their business in the first pages; an appendix of 40 pages adds nothing but time. */
const searchedLetters = 30_000;
/** Below this there is too little text to say anything (a scan whose OCR failed). */
const minimumLetters = 20;
/** The share of a phrase's letters that may be misread (OCR noise, a Nynorsk ending) and still match. */
const toleratedEditShare = 0.15;
/** A year in the title other than the scheme's says it is another year's scheme with the same name. */
const yearBonus = 0.05;
const otherYearPenalty = 0.2;
/** Content cues only break ties and back a weak title; they never outweigh a title. */
const cueWeight = 0.2;
/** Cue evidence that alone is enough to name a scheme (the plan question and both category labels, say). */
const cuesNeededWithoutTitle = 0.75;
/** Two schemes closer than this are both possible: a person chooses. */
const decisiveMargin = 0.1;
const uncertainBelow = 0.75;
/** A title this many letters before a rival's is the document's own (a few lines of a form). */
const titleLeadLetters = 200;
/** A scheme chosen because its title comes first: sure enough to need no finding, not fully sure. */
const titleFirstConfidence = 0.8;

/** Which known scheme a document is an application to, from its title and (secondarily) its scheme-specific content. */
export function detectScheme(text: string, schemes: Scheme[]): SchemeDetection {
  const document = readDocument(text);
  if (document.letters.length < minimumLetters) {
    return unknownScheme(
      0,
      'Dokumentet har nesten ingen lesbar tekst, så ordningen kan ikke bestemmes. Se på originalen.',
    );
  }
  const cueKeysPerScheme = countCueKeys(schemes);
  const candidates = schemes
    .map((scheme) => assess(scheme, document, cueKeysPerScheme))
    .sort((a, b) => b.score - a.score);

  const application = applicationEvidence(document);
  if (!application.isApplication) return notAnApplication(application.formLabels, candidates[0]);

  const [best, second] = candidates;
  if (!best || (best.title === 0 && !cuesSuffice(best, second))) {
    // Less sure that no scheme fits the more some scheme's content showed through (an OCR-mangled title, perhaps).
    return unknownScheme(
      0.9 - Math.min(0.4, best?.score ?? 0),
      'Dokumentet kan ikke knyttes til en kjent tilskuddsordning: tittelen samsvarer ikke med noen av ordningene.',
    );
  }
  const rivals = candidates.filter((c) => c !== best && best.score - c.score < decisiveMargin);
  const first = firstTitle([best, ...rivals]);
  if (rivals.length > 0 && first) return { schemeId: first.scheme.id, confidence: titleFirstConfidence, findings: [] };
  if (rivals.length > 0) {
    const names = [best, ...rivals].map((c) => `«${c.scheme.name}» (${c.scheme.id})`).join(' og ');
    return unknownScheme(0.5, `Dokumentet kan høre til flere ordninger: ${names}. Velg riktig ordning.`);
  }

  // A clear title is all it takes; content alone earns at most half. A runner-up within a quarter point lowers it.
  const strength = best.title > 0 ? Math.min(1, best.score) : 0.5 * best.cues;
  const lead = Math.min(1, 0.5 + 2 * (best.score - (second?.score ?? 0)));
  const confidence = round(strength * lead);
  const findings = confidence < uncertainBelow ? [uncertainScheme(best, second, confidence)] : [];
  return { schemeId: best.scheme.id, confidence, findings };
}

/**
 * Among schemes whose titles all match near the top, the one whose title comes first, well before the others: the
 * form's title, with another scheme's name lower down (a target group «pårørende med krevende omsorgsoppgaver").
 */
function firstTitle(close: readonly Candidate[]): Candidate | undefined {
  if (!close.every((c) => c.titleAtTop && c.title > 0)) return undefined;
  const [first, next] = [...close].sort((a, b) => a.titleStart - b.titleStart);
  return first && next && next.titleStart - first.titleStart >= titleLeadLetters ? first : undefined;
}

interface Candidate {
  scheme: Scheme;
  /** How well the scheme's title matches: about 1 for an exact title at the top, 0 for none. */
  title: number;
  /** Whether the best title match was at the top (rather than in the body). */
  titleAtTop: boolean;
  /** Where in the document's letters the best title match starts. */
  titleStart: number;
  /** How much scheme-specific content was found, 0–1. */
  cues: number;
  score: number;
}

function assess(scheme: Scheme, document: DocumentText, cueKeysPerScheme: Map<string, number>): Candidate {
  const { score: title, atTop: titleAtTop, start: titleStart } = titleEvidence(scheme, document);
  const cues = cueEvidence(scheme, document, cueKeysPerScheme);
  return { scheme, title, titleAtTop, titleStart, cues, score: title + cueWeight * cues };
}

function titleEvidence(scheme: Scheme, document: DocumentText): { score: number; atTop: boolean; start: number } {
  const year = scheme.deadline.date.slice(0, 4);
  let best = { score: 0, atTop: false, start: Number.POSITIVE_INFINITY };
  for (const pattern of scheme.titlePatterns.map(lettersOf)) {
    for (const zone of [document.top, document.body]) {
      const match = approximateMatch(pattern, document.letters, zone.from, zone.to, maxEdits(pattern));
      if (!match) continue;
      const years = document.yearsAround(match.end - pattern.length, match.end);
      const yearAdjustment = years.length === 0 ? 0 : years.includes(year) ? yearBonus : -otherYearPenalty;
      const score = (1 - match.edits / pattern.length) * zone.weight + yearAdjustment;
      if (score > best.score) best = { score, atTop: zone === document.top, start: match.end - pattern.length };
    }
  }
  return best;
}

/** A scheme-specific phrase on the form, matched by any of its variants (Bokmål, Nynorsk). */
interface Cue {
  key: string;
  variants: readonly string[];
}

function cuesOf(scheme: Scheme): Cue[] {
  const cue = (variants: readonly string[]): Cue => ({ key: lettersOf(variants[0]!), variants });
  return [
    ...scheme.categories.map((category) => cue(category.labels)),
    // Sub-goals are long and wrap; their opening words are distinctive enough.
    ...scheme.subGoals.map((goal) => cue([lettersOf(goal.text).slice(0, 40)])),
    ...(scheme.subGoals.length > 0 ? [cue(subGoalQuestion)] : []),
    ...(scheme.asksOverarchingPlan ? [cue(overarchingPlanQuestion)] : []),
  ];
}

/** In how many schemes each cue occurs: a cue several schemes share (the same category labels) tells less. */
function countCueKeys(schemes: readonly Scheme[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const scheme of schemes) {
    for (const key of new Set(cuesOf(scheme).map((cue) => cue.key))) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Two cues of its own (or four shared with one other scheme) are full evidence for a scheme. */
function cueEvidence(scheme: Scheme, document: DocumentText, cueKeysPerScheme: Map<string, number>): number {
  const found = cuesOf(scheme).filter((cue) =>
    cue.variants.some((variant) => {
      const pattern = lettersOf(variant);
      return approximateMatch(pattern, document.letters, 0, document.letters.length, maxEdits(pattern)) !== undefined;
    }),
  );
  const weight = found.reduce((sum, cue) => sum + 1 / (cueKeysPerScheme.get(cue.key) ?? 1), 0);
  return Math.min(1, weight / 2);
}

function cuesSuffice(best: Candidate, second: Candidate | undefined): boolean {
  return best.cues >= cuesNeededWithoutTitle && best.cues - (second?.cues ?? 0) >= 0.5;
}

function applicationEvidence(document: DocumentText): { isApplication: boolean; formLabels: number } {
  const formLabels = applicationLabels.filter((variants) =>
    document.lines.some((line) => variants.some((label) => startsWith(line, label))),
  ).length;
  const titledAsApplication = document.lines
    .slice(0, titleZone.lines)
    .some((line) => applicationOpenings.some((opening) => startsWith(line, opening)));
  const asksForMoney = applicationRequest.test(document.words);
  return { isApplication: formLabels >= formLabelsNeeded || titledAsApplication || asksForMoney, formLabels };
}

/** Whether a line opens with a phrase, give or take a checkbox mark, a number and some OCR noise. */
function startsWith(line: string, phrase: string): boolean {
  const pattern = lettersOf(phrase);
  const opening = lettersOf(line).slice(0, pattern.length + 3);
  return approximateMatch(pattern, opening, 0, opening.length, maxEdits(pattern)) !== undefined;
}

function notAnApplication(formLabels: number, likeliest: Candidate | undefined): SchemeDetection {
  const what =
    formLabels === 0
      ? 'det har ingen av søknadsskjemaets felter'
      : `det har bare ${formLabels} av søknadsskjemaets felter`;
  const mentions =
    likeliest && likeliest.title > 0
      ? ` Det nevner «${likeliest.scheme.name}», men kan være en utlysning, et nyhetsbrev e.l.`
      : '';
  return {
    schemeId: null,
    confidence: round(0.9 - 0.2 * formLabels),
    findings: [
      finding(
        'not-an-application',
        `Dokumentet ser ikke ut til å være en søknad: ${what}, og ingen formuleringer som «søknad om» eller «søker om».${mentions}`,
      ),
    ],
  };
}

function unknownScheme(confidence: number, message: string): SchemeDetection {
  return { schemeId: null, confidence: round(Math.max(0, confidence)), findings: [finding('unknown-scheme', message)] };
}

function uncertainScheme(best: Candidate, second: Candidate | undefined, confidence: number): Finding {
  const reason =
    best.title === 0
      ? 'tittelen ble ikke funnet, bare innhold som passer ordningen'
      : !best.titleAtTop
        ? 'ordningens navn står ikke øverst i dokumentet'
        : second && second.score > 0
          ? `dokumentet ligner også på «${second.scheme.name}»`
          : 'tittelen er bare delvis lesbar';
  return finding(
    'uncertain-scheme',
    `Dokumentet er knyttet til «${best.scheme.name}» med lav sikkerhet (${formatPercent(confidence)}): ${reason}. Kontroller ordningen.`,
  );
}

/** The document's text in the forms the matching needs. */
interface DocumentText {
  /** Non-empty lines, trimmed. */
  lines: string[];
  /**
   * Folded letters only (see `lettersOf`), searched as one stream so a title broken over lines or hyphenated still
   * matches. */
  letters: string;
  /** Folded words separated by single spaces, for phrases. */
  words: string;
  top: Zone;
  body: Zone;
  /** Four-digit years on the lines that the letters `from`–`to` come from. */
  yearsAround(from: number, to: number): string[];
}

interface Zone {
  from: number;
  to: number;
  weight: number;
}

function readDocument(text: string): DocumentText {
  const lines = text
    .split(/\r\n|[\n\r\f\v\u2028\u2029]/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const lineOfLetter: number[] = [];
  let letters = '';
  lines.forEach((line, index) => {
    const lineLetters = lettersOf(line);
    letters += lineLetters;
    for (let i = 0; i < lineLetters.length; i++) lineOfLetter.push(index);
  });
  letters = letters.slice(0, searchedLetters);
  const firstBodyLetter = lineOfLetter.findIndex((line) => line >= titleZone.lines);
  const titleEnd = Math.min(
    firstBodyLetter === -1 ? letters.length : firstBodyLetter,
    titleZone.letters,
    letters.length,
  );
  return {
    lines,
    letters,
    words: fold(lines.join('\n')).replace(/[^\p{L}]+/gu, ' '),
    top: { from: 0, to: titleEnd, weight: 1 },
    body: { from: titleEnd, to: letters.length, weight: bodyTitleWeight },
    yearsAround(from, to) {
      const first = lineOfLetter[Math.max(0, from)] ?? 0;
      const last = lineOfLetter[Math.max(0, to - 1)] ?? first;
      return (
        lines
          .slice(first, last + 2)
          .join(' ')
          .match(/(?<!\d)20\d\d(?!\d)/g) ?? []
      );
    },
  };
}

/**
 * Lower case without diacritics or ligatures, the Norwegian letters spelled out in ASCII: fonts, OCR and keyboards
 * disagree on «å», «ø» and «æ», and a PDF may hold «ﬁ» for «fi».
 */
function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ø/g, 'o')
    .replace(/æ/g, 'ae')
    .replace(/œ/g, 'oe')
    .replace(/ß/g, 'ss');
}

/** Only the letters of a folded text: spaces, hyphens, line breaks and punctuation vary too much between copies. */
function lettersOf(text: string): string {
  return fold(text).replace(/[^\p{L}]/gu, '');
}

function maxEdits(pattern: string): number {
  return Math.floor(pattern.length * toleratedEditShare);
}

/**
 * The fewest edits (a letter changed, added or left out) that turn `pattern` into some stretch of `text[from, to)`,
 * and where the first such stretch ends (Sellers' algorithm); undefined when more than `allowed` are needed.
 */
function approximateMatch(
  pattern: string,
  text: string,
  from: number,
  to: number,
  allowed: number,
): { edits: number; end: number } | undefined {
  const m = pattern.length;
  let previous = Int32Array.from({ length: m + 1 }, (_, i) => i);
  let current = new Int32Array(m + 1);
  let best: { edits: number; end: number } | undefined;
  for (let j = from; j < to; j++) {
    const letter = text.charCodeAt(j);
    current[0] = 0;
    for (let i = 1; i <= m; i++) {
      const replace = previous[i - 1]! + (pattern.charCodeAt(i - 1) === letter ? 0 : 1);
      current[i] = Math.min(replace, previous[i]! + 1, current[i - 1]! + 1);
    }
    const edits = current[m]!;
    if (edits <= allowed && (!best || edits < best.edits)) {
      best = { edits, end: j + 1 };
      if (edits === 0) break;
    }
    [previous, current] = [current, previous];
  }
  return best;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
