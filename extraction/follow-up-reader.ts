import { formatBankAccount, isValidBankAccount } from '../schemas/bank-account.ts';
import { findCaseReference } from '../schemas/case-reference.ts';
import type { Finding } from '../schemas/finding.ts';
import { followUpLabels } from '../schemas/follow-up-phrases.ts';
import { findingCatalogue } from '../schemas/rules/finding-codes.ts';
import {
  foldWhitespace,
  normaliseAmount,
  normaliseDate,
  normaliseOrganisationNumber,
  normalisePeriod,
} from './normalise.ts';
import { documentLines, type ReadableText, type SourceLine } from './form/lines.ts';

/**
 * Reads what an acceptance (akseptskjema) and a report on a grant say (SPEC §6), from their text in any layout: a
 * table row, `Label: value`, or the value below its label; an applicant's own letter too. What is missing or wrong
 * becomes a finding in Bokmål for the caseworker.
 */

export const followUpFindingCodes = {
  'bank-account-missing': { severity: 'error', label: 'Kontonummer mangler' },
  'bank-account-invalid': { severity: 'error', label: 'Ugyldig kontonummer' },
  'signature-missing': { severity: 'error', label: 'Underskrift mangler' },
  'signature-date-missing': { severity: 'warning', label: 'Dato mangler' },
  'case-reference-missing': { severity: 'warning', label: 'Saksnummer mangler' },
  'report-spent-missing': { severity: 'error', label: 'Forbruk mangler' },
  'report-goals-missing': { severity: 'error', label: 'Måloppnåelse mangler' },
  'report-period-missing': { severity: 'warning', label: 'Periode mangler' },
} as const;

const { finding } = findingCatalogue(followUpFindingCodes);

/** Where a value was read: what the caseworker is shown beside it. */
export interface ValueSource {
  page: number;
  source: string;
}

export interface AcceptanceReading {
  caseReference?: string;
  /** The account number's eleven digits, when they were found and pass the MOD11 check. */
  bankAccount?: string;
  /** The account number as written, also when it fails the check. */
  bankAccountWritten?: string;
  organisationNumber?: string;
  signer?: string;
  signedOn?: string;
  findings: Finding[];
  sources: Partial<Record<'bankAccount' | 'organisationNumber' | 'signer' | 'signedOn', ValueSource>>;
}

export interface ReportReading {
  caseReference?: string;
  /** Money spent, whole NOK. */
  amountSpent?: number;
  goalsReached?: string;
  period?: { start: string; end: string };
  findings: Finding[];
  sources: Partial<Record<'amountSpent' | 'goalsReached' | 'period', ValueSource>>;
}

/** 1234.56.78903, 1234 56 78903 or 12345678903, not inside a longer number. */
const accountPattern = /(?<![\d.])(\d{4})([. ]?)(\d{2})\2(\d{5})(?![\d]|\.\d)/u;

export function readAcceptance(text: ReadableText): AcceptanceReading {
  const lines = documentLines(text);
  const reading: AcceptanceReading = { findings: [], sources: {} };
  const reference = findCaseReference(...lines.map((line) => line.text));
  if (reference) reading.caseReference = reference;
  else
    reading.findings.push(finding('case-reference-missing', 'Akseptskjemaet viser ikke til noe saksnummer (SAK-…).'));

  const accountLine = valueAfter(lines, followUpLabels.account, accountPattern) ?? anyLine(lines, accountPattern);
  const account = accountLine && accountPattern.exec(accountLine.value);
  if (!account || !accountLine) {
    reading.findings.push(
      finding('bank-account-missing', 'Akseptskjemaet mangler kontonummeret tilskuddet skal utbetales til.'),
    );
  } else {
    const digits = `${account[1]}${account[3]}${account[4]}`;
    reading.bankAccountWritten = account[0];
    reading.sources.bankAccount = sourceOf(accountLine.line);
    if (isValidBankAccount(digits)) reading.bankAccount = digits;
    else
      reading.findings.push(
        finding(
          'bank-account-invalid',
          `Kontonummeret ${formatBankAccount(digits)} er ikke gyldig (kontrollsifferet stemmer ikke). Be søkeren om riktig kontonummer.`,
        ),
      );
  }

  const organisation = valueAfter(lines, followUpLabels.organisationNumber);
  const organisationNumber = organisation && normaliseOrganisationNumber(organisation.value);
  if (organisation && organisationNumber) {
    reading.organisationNumber = organisationNumber.value;
    reading.sources.organisationNumber = sourceOf(organisation.line);
  }

  const signer = valueAfter(lines, followUpLabels.signer, /\p{L}{2,}/u) ?? valueBelow(lines, followUpLabels.greeting);
  const signerName = signer && foldWhitespace(signer.value.split(',')[0]!);
  if (signer && signerName && isName(signerName)) {
    reading.signer = signerName;
    reading.sources.signer = sourceOf(signer.line);
  } else {
    reading.findings.push(
      finding('signature-missing', 'Akseptskjemaet er ikke underskrevet: navnet på den som aksepterer, mangler.'),
    );
  }

  const dated = valueAfter(lines, followUpLabels.date, /\d/u);
  const signedOn = dated && normaliseDate(dated.value.replace(/^[^,\d]*,\s*/u, ''));
  if (dated && signedOn) {
    reading.signedOn = signedOn.value;
    reading.sources.signedOn = sourceOf(dated.line);
  } else {
    reading.findings.push(finding('signature-date-missing', 'Akseptskjemaet mangler dato for underskriften.'));
  }
  return reading;
}

export function readReport(text: ReadableText): ReportReading {
  const lines = documentLines(text);
  const reading: ReportReading = { findings: [], sources: {} };
  const reference = findCaseReference(...lines.map((line) => line.text));
  if (reference) reading.caseReference = reference;
  else reading.findings.push(finding('case-reference-missing', 'Rapporten viser ikke til noe saksnummer (SAK-…).'));

  const spent = valueAfter(lines, followUpLabels.amountSpent, /\d/u);
  const amount = spent && normaliseAmount(spent.value);
  if (spent && amount) {
    reading.amountSpent = amount.value;
    reading.sources.amountSpent = sourceOf(spent.line);
  } else {
    reading.findings.push(finding('report-spent-missing', 'Rapporten sier ikke hvor mye av tilskuddet som er brukt.'));
  }

  const goals = freeTextAfter(lines, followUpLabels.goalsReached);
  if (goals) {
    reading.goalsReached = goals.value;
    reading.sources.goalsReached = sourceOf(goals.line);
  } else {
    reading.findings.push(finding('report-goals-missing', 'Rapporten sier ikke i hvilken grad målene er nådd.'));
  }

  const period = valueAfter(lines, followUpLabels.period, /\d/u);
  const range = period && normalisePeriod(period.value);
  if (period && range) {
    reading.period = range.value;
    reading.sources.period = sourceOf(period.line);
  } else {
    reading.findings.push(finding('report-period-missing', 'Rapporten sier ikke hvilken periode den gjelder.'));
  }
  return reading;
}

interface Found {
  value: string;
  line: SourceLine;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A label at the start of a line, then a colon, a tab or spaces before its value. */
const labelPattern = (labels: readonly string[]) =>
  new RegExp(
    `^\\s*(?:${labels.map((label) => escape(label).replace(/\s+/g, '\\s+')).join('|')})(?![\\p{L}\\d])\\s*:?\\s*`,
    'iu',
  );
const everyLabel = labelPattern(Object.values(followUpLabels).flat());

/**
 * The value of the first line that starts with one of `labels` and has a value matching `shape` after it, or
 * below it: the next line, unless that is another label.
 */
function valueAfter(lines: SourceLine[], labels: readonly string[], shape: RegExp = /[\p{L}\d]/u): Found | undefined {
  const pattern = labelPattern(labels);
  for (let i = 0; i < lines.length; i++) {
    const match = pattern.exec(lines[i]!.text);
    if (!match) continue;
    const rest = lines[i]!.text.slice(match[0].length).trim();
    if (rest && shape.test(rest)) return { value: rest, line: lines[i]! };
    const next = lines[i + 1];
    if (!rest && next && !everyLabel.test(next.text) && shape.test(next.text))
      return { value: next.text.trim(), line: next };
  }
  return undefined;
}

/** The line below one of `labels` (a greeting, whose name follows on the next line). */
function valueBelow(lines: SourceLine[], labels: readonly string[]): Found | undefined {
  const pattern = new RegExp(`^\\s*(?:${labels.map(escape).join('|')})\\s*,?\\s*$`, 'iu');
  const at = lines.findIndex((line) => pattern.test(line.text));
  const next = at >= 0 ? lines[at + 1] : undefined;
  return next && { value: next.text.trim(), line: next };
}

/** A free-text value: the rest of its label's line and the lines after it, up to the next label. */
function freeTextAfter(lines: SourceLine[], labels: readonly string[]): Found | undefined {
  const pattern = labelPattern(labels);
  const at = lines.findIndex((line) => pattern.test(line.text));
  if (at < 0) return undefined;
  const first = lines[at]!.text.replace(pattern, '').trim();
  const parts = first ? [first] : [];
  for (const line of lines.slice(at + 1)) {
    if (everyLabel.test(line.text)) break;
    parts.push(line.text.trim());
  }
  const value = foldWhitespace(parts.join(' '));
  return /\p{L}{3,}/u.test(value) ? { value, line: lines[at]! } : undefined;
}

function anyLine(lines: SourceLine[], pattern: RegExp): Found | undefined {
  const line = lines.find((candidate) => pattern.test(candidate.text));
  return line && { value: line.text, line };
}

/** A person's name: two words or more of letters, no digits (not a date or a left-blank «________»). */
const isName = (value: string) => /^\p{L}[\p{L}.'-]*(?:\s+\p{L}[\p{L}.'-]*)+$/u.test(foldWhitespace(value));

const sourceOf = (line: SourceLine): ValueSource => ({ page: line.page, source: line.raw.trim() });
