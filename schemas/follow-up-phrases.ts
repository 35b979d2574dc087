import type { FollowUpKind } from './follow-up-kind.ts';

/**
 * The words that tell what an applicant sends a decided case (SPEC §6): an acceptance (akseptskjema), a report, an
 * appeal (klage). Data, in Bokmål and Nynorsk as applicants write them. Each phrase matches at the start of a word,
 * in any case and with any spacing, and may go on (`regnskap` matches «regnskapet»).
 *
 * - `title`: what a document is headed or subject-lined with; counts only at the start of a line (after «Emne:»,
 *   «Sak:», «Vedr.:») and as whole words, so the decision letter's own «Aksept av tilskuddet» and «Klagerett», or its
 *   «Dere kan klage på vedtaket», sent back with a reply make no acceptance or appeal.
 * - `statement`: the applicant saying it in the first person («Vi aksepterer …», «Vi klagar på …»), anywhere.
 * - `field`: a label or word the kind's form or text has (kontonummer, regnskap); weak alone.
 */
export interface FollowUpPhrase {
  text: string;
  role: 'title' | 'statement' | 'field';
}

export const followUpPhrases: Record<FollowUpKind, FollowUpPhrase[]> = {
  acceptance: [
    ...[
      'Aksept av tilskudd',
      'Aksept av tilskot',
      'Aksept av tilsagn',
      'Aksept av tilsegn',
      'Akseptskjema',
      'Melding om aksept',
      'Bekreftelse på aksept',
      'Stadfesting av aksept',
    ].map(title),
    ...[
      'Vi aksepterer',
      'Kommunen aksepterer',
      'Vi tar imot tilskuddet',
      'Vi tek imot tilskotet',
      'Vi tek imot tilskuddet',
      'aksepterer tilskuddet',
      'aksepterer tilskotet',
      'aksepterer vilkårene',
      'aksepterer vilkåra',
      'godtar vilkårene',
      'godtek vilkåra',
    ].map(statement),
    ...['Kontonummer', 'Kontonr', 'Bankkonto', 'Signatur', 'Underskrift', 'Utbetaling'].map(field),
  ],
  report: [
    ...[
      'Rapport for tilskudd',
      'Rapport for tilskuddet',
      'Rapport for tilskot',
      'Rapport for tilskotet',
      'Rapport om bruk av tilskudd',
      'Rapport om bruken av tilskuddet',
      'Rapport om bruken av tilskotet',
      'Rapportering på tilskudd',
      'Rapportering på tilskot',
      'Rapportskjema',
      'Sluttrapport',
      'Sluttrapportering',
    ].map(title),
    ...[
      'Vi rapporterer',
      'Kommunen rapporterer',
      'Her er rapporten',
      'Vedlagt er rapporten',
      'Vedlagt følgjer rapporten',
    ].map(statement),
    ...[
      'Regnskap',
      'Rekneskap',
      'Måloppnåelse',
      'Måloppnåing',
      'Brukte midler',
      'Brukte midlar',
      'Forbruk',
      'Rapporteringsperiode',
      'Resultater',
      'Resultat',
    ].map(field),
  ],
  appeal: [
    ...[
      'Klage på vedtak',
      'Klage over vedtak',
      'Klage på tilskuddsvedtak',
      'Klage på tilskotsvedtak',
      'Klage på avslag',
    ].map(title),
    // «Klage – SAK-7F3A9C21» as a subject (not «Klagerett» or «Klagefrist» as a heading: a title is whole words).
    title('Klage'),
    ...[
      'Vi klager',
      'Vi klagar',
      'Vi vil klage',
      'Vi vil klaga',
      'ønsker å klage',
      'ønskjer å klage',
      'ynskjer å klaga',
      'ønskjer å klaga',
      'Kommunen klager',
      'Kommunen klagar',
      'klager med dette',
      'klagar med dette',
      'klager herved',
      'påklager vedtaket',
      'påklagar vedtaket',
    ].map(statement),
    ...[
      'Klagefrist',
      'forvaltningsloven § 28',
      'forvaltningslova § 28',
      'omgjøring',
      'omgjering',
      'endre vedtaket',
      'endra vedtaket',
    ].map(field),
  ],
};

/** What each role weighs; a kind needs `followUpScoreNeeded`: a title, a first-person statement, or three fields. */
export const followUpWeights: Record<FollowUpPhrase['role'], number> = { title: 3, statement: 3, field: 1 };
export const followUpScoreNeeded = 3;
/** A heading or subject line is short; a longer line starting with a title's words is a sentence of the text. */
export const followUpTitleMaxWords = 10;

function title(text: string): FollowUpPhrase {
  return { text, role: 'title' };
}
function statement(text: string): FollowUpPhrase {
  return { text, role: 'statement' };
}
function field(text: string): FollowUpPhrase {
  return { text, role: 'field' };
}

/**
 * The labels the acceptance and report forms (and applicants' own letters) put before each value, longest first
 * where one begins another. A value stands after its label on the same line (a table row, `Label: value`) or on the
 * next line.
 */
export const followUpLabels = {
  account: [
    'Kontonummer for utbetaling',
    'Kontonummer tilskuddet skal utbetales til',
    'Kontonummer tilskotet skal betalast ut til',
    'Kontonummer',
    'Kontonr.',
    'Kontonr',
    'Bankkonto',
  ],
  organisationNumber: ['Organisasjonsnummer', 'Org.nr.', 'Org.nr'],
  signer: ['Underskrift (navn)', 'Underskrift (namn)', 'Signert av', 'Signatur', 'Underskrift'],
  /** A letter's greeting: the signer's name is on the line below it. */
  greeting: [
    'Med vennlig hilsen',
    'Med venleg helsing',
    'Vennlig hilsen',
    'Venleg helsing',
    'Med hilsen',
    'Med helsing',
    'Hilsen',
    'Helsing',
  ],
  date: ['Sted og dato', 'Stad og dato', 'Dato'],
  place: ['Sted', 'Stad'],
  /** Not read, but ends the free text before it. */
  accounts: ['Regnskap', 'Rekneskap', 'Tildelt beløp', 'Tildelt tilskudd', 'Tildelt tilskot'],
  amountSpent: [
    'Brukte midler',
    'Brukte midlar',
    'Midler brukt',
    'Midlar brukte',
    'Brukt av tilskuddet',
    'Brukt av tilskotet',
    'Sum brukt',
    'Forbruk',
  ],
  goalsReached: ['Måloppnåelse', 'Måloppnåing', 'Oppnådde mål', 'Resultater', 'Resultat'],
  period: ['Rapporteringsperiode', 'Prosjektperiode', 'Periode'],
} as const satisfies Record<string, readonly string[]>;
