import type { FieldPath } from '../../schemas/application.ts';
import type { Scheme } from '../../schemas/scheme.ts';
import {
  normaliseAmount,
  municipalityDomain,
  normaliseDate,
  normaliseEmail,
  normaliseMunicipalityNumber,
  normaliseOrganisationNumber,
  normaliseParticipants,
  normalisePartners,
  normalisePeriod,
  normalisePhone,
  normalisePostalAddress,
  normaliseScannedAddress,
  normaliseScannedAmount,
  normaliseScannedApplicant,
  normaliseScannedDate,
  normaliseScannedEmail,
  normaliseScannedName,
  normaliseScannedOrganisationNumber,
  normaliseScannedPeriod,
  normaliseSubGoalNumbers,
  normaliseText,
  normaliseYesNo,
  type Normalised,
} from '../normalise.ts';
import type { FormRow } from './labels.ts';
import { chooseOptions, type Option } from './options.ts';

/** A value read for one contract field, with how sure the value itself is (the label's certainty comes on top). */
export interface FieldValue {
  path: FieldPath;
  value: unknown;
  confidence: number;
}

export interface RowContext {
  scheme: Scheme | undefined;
  /** The applicant's name as read from the rows before: its staff's e-mail domain helps repair a scanned address. */
  applicantName: string | undefined;
  /** Misread text (OCR): options may be found within a few edits. */
  fuzzy: boolean;
}

/**
 * A row's value lines into contract fields: nothing when the lines hold nothing, `undefined` when they hold something
 * that cannot be made sense of (or, for options, when the scheme that would give them meaning is unknown).
 */
type Interpreter = (lines: readonly string[], context: RowContext) => FieldValue[] | undefined;

/**
 * One field from a value that should fit on one line. More lines may be a wrapped value or something after it that
 * is not part of it: the value is then less sure.
 */
function oneLine<T>(
  path: FieldPath,
  normalise: (raw: string, context: RowContext) => Normalised<T> | undefined,
): Interpreter {
  return (lines, context) => {
    const whole = normalise(lines.join(' '), context);
    if (whole) return [{ path, value: whole.value, confidence: whole.confidence * (lines.length > 1 ? 0.75 : 1) }];
    if (lines.length < 2) return undefined;
    const first = normalise(lines[0]!, context);
    return first && [{ path, value: first.value, confidence: first.confidence * 0.85 }];
  };
}

/** Free text running over several lines, up to the next label. */
function freeText(path: FieldPath): Interpreter {
  return (lines) => {
    const text = normaliseText(lines.join(' '));
    return text && [{ path, value: text.value, confidence: text.confidence }];
  };
}

function pair<T>(
  normalise: (raw: string, context: RowContext) => Normalised<T> | undefined,
  split: (value: T) => ReadonlyArray<readonly [FieldPath, unknown]>,
): Interpreter {
  return (lines, context) => {
    // Both values fit on one line: a second line is more likely a row the form does not have (`Fylke`) than a wrap.
    const first = lines.length > 1 ? normalise(lines[0]!, context) : undefined;
    const read = first ?? normalise(lines.join(' '), context);
    const certainty = lines.length > 1 ? 0.85 : 1;
    return read && split(read.value).map(([path, value]) => ({ path, value, confidence: read.confidence * certainty }));
  };
}

/** A normaliser for digital text, and one that also undoes a scan's usual misreadings for OCR text. */
function orScanned<T>(
  digital: (raw: string) => Normalised<T> | undefined,
  scanned: (raw: string) => Normalised<T> | undefined,
): (raw: string, context: RowContext) => Normalised<T> | undefined {
  return (raw, context) => (context.fuzzy ? scanned : digital)(raw);
}

const amount = orScanned(normaliseAmount, normaliseScannedAmount);
const date = orScanned(normaliseDate, normaliseScannedDate);
const name = orScanned(normaliseText, normaliseScannedName);

const yesNoOptions: Option<boolean>[] = [
  { value: true, labels: ['Ja'] },
  { value: false, labels: ['Nei'] },
];

const interpreters: Record<FormRow, Interpreter> = {
  'applicant.name': oneLine('applicant.name', orScanned(normaliseText, normaliseScannedApplicant)),
  'applicant.organisationNumber': oneLine(
    'applicant.organisationNumber',
    orScanned(normaliseOrganisationNumber, normaliseScannedOrganisationNumber),
  ),
  'applicant.municipalityNumber': oneLine('applicant.municipalityNumber', normaliseMunicipalityNumber),
  'applicant.address': oneLine('applicant.address', orScanned(normaliseText, normaliseScannedAddress)),
  'applicant.postalCodeAndPlace': pair(normalisePostalAddress, ({ code, place }) => [
    ['applicant.postalCode', code],
    ['applicant.postalPlace', place],
  ]),
  'contact.name': oneLine('contact.name', name),
  'contact.role': oneLine('contact.role', name),
  'contact.email': oneLine('contact.email', (raw, { applicantName, fuzzy }) =>
    (fuzzy ? normaliseScannedEmail : normaliseEmail)(
      raw,
      applicantName ? municipalityDomain(applicantName) : undefined,
    ),
  ),
  'contact.phone': oneLine('contact.phone', normalisePhone),
  partners: (lines) => {
    const partners = normalisePartners(lines);
    return partners && [{ path: 'partners', value: partners.value, confidence: partners.confidence }];
  },
  'project.title': freeText('project.title'),
  'project.category': (lines, { scheme, fuzzy }) => {
    if (!scheme) return undefined;
    const options = scheme.categories.map((category) => ({
      value: category.id,
      labels: [...category.labels, ...category.words],
    }));
    const choice = chooseOptions(lines.join('\n'), options, { multiple: false, fuzzy });
    return choice && [{ path: 'project.category', value: choice.chosen[0], confidence: choice.confidence }];
  },
  'project.summary': freeText('project.summary'),
  'project.targetGroup': freeText('project.targetGroup'),
  subGoals: (lines, { scheme, fuzzy }) => {
    if (!scheme?.subGoals.length) return undefined;
    const known = new Set(scheme.subGoals.map((goal) => goal.number));
    const options = scheme.subGoals.map((goal) => ({ value: goal.number, labels: [goal.text], number: goal.number }));
    const choice = chooseOptions(lines.join('\n'), options, { multiple: true, fuzzy });
    const numbers = choice
      ? { value: choice.chosen, confidence: choice.confidence }
      : normaliseSubGoalNumbers(lines.join(' '));
    if (!numbers || !numbers.value.every((n) => known.has(n))) return undefined;
    return [{ path: 'subGoals', value: [...numbers.value].sort((a, b) => a - b), confidence: numbers.confidence }];
  },
  hasOverarchingPlan: (lines, { fuzzy }) => {
    const choice = chooseOptions(lines.join('\n'), yesNoOptions, { multiple: false, fuzzy });
    const answer = choice
      ? { value: choice.chosen[0], confidence: choice.confidence }
      : normaliseYesNo(lines.join(' '));
    return answer && [{ path: 'hasOverarchingPlan', value: answer.value, confidence: answer.confidence }];
  },
  'project.period': pair(orScanned(normalisePeriod, normaliseScannedPeriod), ({ start, end }) => [
    ['project.startDate', start],
    ['project.endDate', end],
  ]),
  'project.startDate': oneLine('project.startDate', date),
  'project.endDate': oneLine('project.endDate', date),
  'project.participants': oneLine('project.participants', normaliseParticipants),
  'budget.totalCost': oneLine('budget.totalCost', amount),
  'budget.ownFunding': oneLine('budget.ownFunding', amount),
  'budget.otherFunding': oneLine('budget.otherFunding', amount),
  'budget.amountRequested': oneLine('budget.amountRequested', amount),
  'signature.place': oneLine('signature.place', name),
  'signature.date': oneLine('signature.date', date),
  'signature.name': oneLine('signature.name', name),
  'signature.role': oneLine('signature.role', name),
};

export function interpretRow(row: FormRow, lines: readonly string[], context: RowContext): FieldValue[] | undefined {
  return interpreters[row](lines, context);
}
