import type { Application, FieldPath } from './application.ts';
import { isValidOrganisationNumber } from './organisation-number.ts';
import { municipalityNumberProblem } from './rules/municipality.ts';
import type { Scheme } from './scheme.ts';

/**
 * A relation between an application's values that holds on a form filled in with care: the evidence one value gives
 * about another. A read value that breaks one is more likely misread than one that keeps them all.
 */
export interface FailedRelation {
  relation:
    'budget-equation' | 'organisation-number-check-digit' | 'municipality-number-name' | 'date-range' | 'period-order';
  /** The values the relation ties together: each is in doubt while it fails. */
  fields: FieldPath[];
  /** What fails, for the caseworker (Bokmål). */
  message: string;
}

/** Dates on a form for a scheme year lie within a few years of it; anything else is a misread year. */
const plausibleYears = { before: 2, after: 4 };

/** The budget's parts: total = own funding + other funding + the amount requested. */
export const budgetParts = ['budget.ownFunding', 'budget.otherFunding', 'budget.amountRequested'] as const;

/** Whether the budget adds up; undefined when a part is missing (an empty `other funding` counts as none). */
export function budgetBalances(budget: Application['budget']): boolean | undefined {
  const { totalCost, ownFunding, otherFunding, amountRequested } = budget ?? {};
  if (totalCost === undefined || ownFunding === undefined || amountRequested === undefined) return undefined;
  return ownFunding + (otherFunding ?? 0) + amountRequested === totalCost;
}

/** The relations the application's values break (SPEC §3–4 facts: MOD11, the county's table, the budget, dates). */
export function failedRelations(application: Application, scheme: Scheme | undefined): FailedRelation[] {
  const failed: FailedRelation[] = [];
  const { budget, applicant, project, signature } = application;
  if (budgetBalances(budget) === false) {
    failed.push({
      relation: 'budget-equation',
      fields: [
        'budget.totalCost',
        ...budgetParts.filter((path) => budget?.[path.slice('budget.'.length) as keyof typeof budget] !== undefined),
      ],
      message: 'totale kostnader er ikke lik egenfinansiering + annen finansiering + søknadsbeløp',
    });
  }
  if (applicant?.organisationNumber !== undefined && !isValidOrganisationNumber(applicant.organisationNumber)) {
    failed.push({
      relation: 'organisation-number-check-digit',
      fields: ['applicant.organisationNumber'],
      message: 'organisasjonsnummerets kontrollsiffer (MOD11) stemmer ikke',
    });
  }
  const county = scheme?.eligibility.county;
  const number = applicant?.municipalityNumber;
  if (number !== undefined && applicant?.name !== undefined && county) {
    const registered = county.municipalities[number];
    const named = Object.entries(county.municipalities).find(([, name]) => wordIn(name, applicant.name!));
    if (
      municipalityNumberProblem(number, county) ||
      (named && !registered) ||
      (registered && named && named[0] !== number)
    ) {
      failed.push({
        relation: 'municipality-number-name',
        fields: ['applicant.municipalityNumber'],
        message: `kommunenummer ${number} hører ikke til «${applicant.name}»`,
      });
    }
  }
  const year = scheme ? Number(scheme.deadline.date.slice(0, 4)) : undefined;
  const dates = [
    ['project.startDate', project?.startDate],
    ['project.endDate', project?.endDate],
    ['signature.date', signature?.date],
  ] as const;
  for (const [path, date] of dates) {
    if (date === undefined || year === undefined) continue;
    const y = Number(date.slice(0, 4));
    if (y < year - plausibleYears.before || y > year + plausibleYears.after) {
      failed.push({
        relation: 'date-range',
        fields: [path],
        message: `datoen ${date} ligger langt fra ordningsåret ${year}`,
      });
    }
  }
  if (project?.startDate && project.endDate && project.endDate < project.startDate) {
    failed.push({
      relation: 'period-order',
      fields: ['project.startDate', 'project.endDate'],
      message: 'sluttdatoen er før startdatoen',
    });
  }
  return failed;
}

/** Whether `word` stands in `text` as a word of its own, in any case. */
export function wordIn(word: string, text: string): boolean {
  return new RegExp(`(?<![\\p{L}\\p{N}])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'iu').test(
    text,
  );
}
