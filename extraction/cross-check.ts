import type { Application, ProvenanceMap } from '../schemas/application.ts';
import { budgetBalances, failedRelations, type FailedRelation } from '../schemas/cross-field.ts';
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
  if (ocr) repairBudget(read, sure);
  const failed = failedRelations(read, scheme);
  const cap = ocr ? doubtful.ocr : doubtful.digital;
  for (const relation of failed) {
    for (const path of relation.fields) {
      const entry = sure[path];
      if (entry && entry.confidence > cap) sure[path] = { ...entry, confidence: cap };
    }
  }
  return { application: read, provenance: sure, failed };
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
  const entry = provenance[path];
  if (entry) provenance[path] = { ...entry, confidence: Math.min(entry.confidence, repairedConfidence) };
}

/** Whether OCR could have read `needed` as `read`: one digit wrong, lost or added, or a factor of a thousand. */
function isMisreading(read: number, needed: number): boolean {
  if (read === needed) return false;
  if (read * 1000 === needed || needed * 1000 === read) return true;
  return editDistance(String(read), String(needed)) === 1;
}
