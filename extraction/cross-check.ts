import type { Application, FieldPath, ProvenanceMap } from '../schemas/application.ts';
import { budgetBalances, failedRelations, wordIn, type FailedRelation } from '../schemas/cross-field.ts';
import { isValidOrganisationNumber } from '../schemas/organisation-number.ts';
import type { Scheme } from '../schemas/scheme.ts';
import { editDistance } from './form/fuzzy.ts';

/**
 * How sure a value can be while a relation it takes part in fails. Digital text says what the applicant wrote (the
 * applicant may have got the sum wrong): just under the confident mark. A scan may have misread it: below the mark
 * where validation asks the caseworker to look (`lowConfidenceThreshold`).
 */
const doubtful = { digital: 0.85, ocr: 0.6 };
/** A scanned amount put right by the budget equation: the equation vouches for it, but it is not what was read. */
const repairedConfidence = 0.8;

const budgetFields = [
  'budget.totalCost',
  'budget.ownFunding',
  'budget.otherFunding',
  'budget.amountRequested',
] as const;
type BudgetField = (typeof budgetFields)[number];

export interface CrossCheck {
  application: Application;
  provenance: ProvenanceMap;
  /** Relations that still fail once the alternatives were tried. */
  failed: FailedRelation[];
  /** Values read as something else than the page seems to say, because the other values call for it. */
  corrected: Correction[];
}

/** A scanned value put right by a relation it broke: what was read, what it was taken as, and why (Bokmål). */
export interface Correction {
  field: FieldPath;
  read: string;
  value: string;
  reason: string;
}

/**
 * The evidence the values give about each other: a scanned amount that alone breaks the budget equation is read
 * again as what the equation calls for, when that is a misreading OCR makes (one digit, a digit lost or added, a
 * thousands separator read as a decimal point); what still fails makes its values doubtful.
 */
export function crossCheck(
  application: Application,
  provenance: ProvenanceMap,
  scheme: Scheme | undefined,
  ocr: boolean,
): CrossCheck {
  const read = structuredClone(application);
  const sure = structuredClone(provenance);
  const corrected: Correction[] = [];
  if (ocr) {
    repairBudget(read, sure);
    corrected.push(...repairOrganisationNumber(read, sure), ...repairMunicipalityNumber(read, sure, scheme));
  }
  const failed = failedRelations(read, scheme);
  const cap = ocr ? doubtful.ocr : doubtful.digital;
  for (const relation of failed) {
    for (const path of relation.fields) {
      const entry = sure[path];
      if (entry && entry.confidence > cap) sure[path] = { ...entry, confidence: cap };
    }
  }
  return { application: read, provenance: sure, failed, corrected };
}

function repairBudget(application: Application, provenance: ProvenanceMap): void {
  const budget = application.budget;
  if (!budget || budgetBalances(budget) !== false) return;
  const value = (path: BudgetField) => budget[path.slice('budget.'.length) as keyof typeof budget];
  const repairs = budgetFields.flatMap((path) => {
    const read = value(path);
    if (read === undefined) return [];
    const others = budgetFields.filter((other) => other !== path).map((other) => value(other) ?? 0);
    const needed =
      path === 'budget.totalCost' ? others.reduce((a, b) => a + b, 0) : others[0]! - others[1]! - others[2]!;
    return needed >= 0 && isMisreading(read, needed) ? [{ path, needed }] : [];
  });
  if (repairs.length !== 1) return;
  const [{ path, needed }] = repairs as [{ path: BudgetField; needed: number }];
  budget[path.slice('budget.'.length) as keyof typeof budget] = needed;
  lowerConfidence(provenance, path);
}

/**
 * Whether OCR could have read `needed` as `read`: one digit read as one it looks like (`digitConfusions`), a digit
 * lost or added, or a factor of a thousand. A digit read as one of another shape is more likely the applicant's sum.
 */
function isMisreading(read: number, needed: number): boolean {
  if (read === needed) return false;
  if (read * 1000 === needed || needed * 1000 === read) return true;
  const [asRead, asNeeded] = [String(read), String(needed)];
  if (asRead.length === asNeeded.length) return confusableAlternatives(asRead).includes(asNeeded);
  return editDistance(asRead, asNeeded) === 1;
}

/**
 * Digits a scan reads for one another (a stroke lost, added or broken): 8 for 0, 3, 5, 6 and 9, 6 for 0 and 5, 7 for
 * 1 and 2, 9 for 0 and 3. Letters read for digits (O, l, S, B) are put right before this (`normaliseScanned…`).
 */
const digitConfusions: Readonly<Record<string, string>> = {
  '0': '689',
  '1': '7',
  '2': '7',
  '3': '89',
  '5': '68',
  '6': '058',
  '7': '12',
  '8': '03569',
  '9': '038',
};

/** Every number one confusable digit away from `read` (`digitConfusions`). */
export function confusableAlternatives(read: string): string[] {
  return [...read].flatMap((digit, i) =>
    [...(digitConfusions[digit] ?? '')].map((other) => `${read.slice(0, i)}${other}${read.slice(i + 1)}`),
  );
}

/**
 * A scanned organisation number failing MOD11 is one misread digit away from the real one: taken as that number when
 * exactly one confusable digit gives a valid number (with several, any could be it, and the read one stays).
 */
function repairOrganisationNumber(application: Application, provenance: ProvenanceMap): Correction[] {
  const read = application.applicant?.organisationNumber;
  if (!read || !/^\d{9}$/u.test(read) || isValidOrganisationNumber(read)) return [];
  const valid = confusableAlternatives(read).filter(isValidOrganisationNumber);
  if (valid.length !== 1) return [];
  const [value] = valid as [string];
  return repairApplicant(application, provenance, 'organisationNumber', {
    read,
    value,
    reason: `${read} har feil kontrollsiffer (MOD11), og ${value} er det eneste gyldige nummeret ett feillest siffer unna`,
  });
}

/**
 * A scanned municipality number that does not fit the applicant's name, one confusable digit (or one digit lost)
 * from the number the county's register has for the municipality the name names: taken as that number.
 */
function repairMunicipalityNumber(
  application: Application,
  provenance: ProvenanceMap,
  scheme: Scheme | undefined,
): Correction[] {
  const failing = failedRelations(application, scheme).some((r) => r.relation === 'municipality-number-name');
  const read = application.applicant?.municipalityNumber;
  const name = application.applicant?.name;
  const municipalities = scheme?.eligibility.county?.municipalities;
  if (!failing || !read || !name || !municipalities) return [];
  const named = Object.entries(municipalities).filter(([, municipality]) => wordIn(municipality, name));
  if (named.length !== 1) return [];
  const [[value, municipality]] = named as [[string, string]];
  const near = confusableAlternatives(read).includes(value) || editDistance(read, value) === 1;
  if (!near) return [];
  return repairApplicant(application, provenance, 'municipalityNumber', {
    read,
    value,
    reason: `kommunenummer ${read} hører ikke til ${municipality}, som har ${value} i fylkets register`,
  });
}

/** Puts a repaired applicant number in place of the one read, less sure than a reading, and says why. */
function repairApplicant(
  application: Application,
  provenance: ProvenanceMap,
  key: 'organisationNumber' | 'municipalityNumber',
  repair: Omit<Correction, 'field'>,
): Correction[] {
  const field = `applicant.${key}` as const;
  application.applicant = { ...application.applicant, [key]: repair.value };
  lowerConfidence(provenance, field);
  return [{ field, ...repair }];
}

function lowerConfidence(provenance: ProvenanceMap, path: FieldPath): void {
  const entry = provenance[path];
  if (entry) provenance[path] = { ...entry, confidence: Math.min(entry.confidence, repairedConfidence) };
}
