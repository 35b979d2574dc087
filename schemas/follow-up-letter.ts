import { z } from 'zod';
import {
  caseValues,
  DecisionLetterFactsSchema,
  formatDate,
  letterFrame,
  letterTemplate,
  type DecisionLetterFactsInput,
} from './decision-letter.ts';
import { formatNok } from './format-nok.ts';
import { fillTemplate, type FollowUpLetterKind, type Letter, type TemplateValues } from './letter-template.ts';
import type { Scheme } from './scheme.ts';

/**
 * The letters that follow a decision (acceptance reminder, report reminder, claim-back, appeal outcome) as a pure
 * function of the scheme, the kind, the case's facts and what the letter is about; the texts are the scheme's
 * templates (`letter-texts.ts`), laid out by `letters/pdf.ts` like the decision letter.
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const kroner = z.number().int().nonnegative();

/** What a follow-up letter says beyond the case's facts; each kind's composer checks it has what its text names. */
export const FollowUpDetailsSchema = z.object({
  /** The date of the decision the letter follows. */
  decisionDate: isoDate,
  amountGranted: kroner,
  /** Acceptance reminder: the deadline the decision letter gave, and the new one; request for more: by when. */
  acceptDeadline: isoDate.optional(),
  newDeadline: isoDate.optional(),
  /** Claim-back: what was paid, what is claimed, and by when. */
  amountPaid: kroner.optional(),
  amountClaimed: kroner.optional(),
  paymentDeadline: isoDate.optional(),
  /** Appeal outcome: when the appeal came, and the amount before a changed decision. */
  appealReceived: isoDate.optional(),
  previousAmount: kroner.optional(),
  /**
   * The caseworker's own words: what the report lacks, why money is claimed back, why the decision is changed or
   * upheld.
   */
  explanation: z.string().trim().min(1).optional(),
});
export type FollowUpDetails = z.input<typeof FollowUpDetailsSchema>;

/** The details each kind needs: a letter is never sent with a gap where its text names a value. */
const needs: Record<FollowUpLetterKind, Array<keyof FollowUpDetails>> = {
  'acceptance-reminder': ['acceptDeadline', 'newDeadline'],
  'report-reminder': [],
  'report-overdue': [],
  'report-more': ['newDeadline', 'explanation'],
  'claim-back': ['amountPaid', 'amountClaimed', 'paymentDeadline', 'explanation'],
  'appeal-changed': ['appealReceived', 'previousAmount', 'explanation'],
  'appeal-upheld': ['appealReceived', 'explanation'],
};

/** Names a follow-up letter within its case (`purring-aksept`), so that its PDF and its sending are its own. */
export const followUpLetterNames: Record<FollowUpLetterKind, string> = {
  'acceptance-reminder': 'purring-aksept',
  'report-reminder': 'purring-rapport',
  'report-overdue': 'purring-rapport-frist-ute',
  'report-more': 'rapport-mangler',
  'claim-back': 'tilbakebetaling',
  'appeal-changed': 'klagevedtak',
  'appeal-upheld': 'klage-oversendt',
};

export function composeFollowUpLetter(
  scheme: Scheme,
  kind: FollowUpLetterKind,
  factsInput: DecisionLetterFactsInput,
  detailsInput: FollowUpDetails,
): Letter {
  const facts = DecisionLetterFactsSchema.parse({ name: followUpLetterNames[kind], ...factsInput });
  const details = FollowUpDetailsSchema.parse(detailsInput);
  const missing = needs[kind].filter((key) => details[key] === undefined);
  if (missing.length) throw new Error(`${kind} letter: missing ${missing.join(', ')}`);
  const day = (value: string | undefined) => value && formatDate(value);
  const nok = (value: number | undefined) => (value === undefined ? undefined : formatNok(value));
  const values: TemplateValues = {
    ...caseValues(scheme, facts),
    decisionDate: formatDate(details.decisionDate),
    amountGranted: formatNok(details.amountGranted),
    acceptDeadline: day(details.acceptDeadline),
    newDeadline: day(details.newDeadline),
    amountPaid: nok(details.amountPaid),
    amountClaimed: nok(details.amountClaimed),
    paymentDeadline: day(details.paymentDeadline),
    appealReceived: day(details.appealReceived),
    previousAmount: nok(details.previousAmount),
    explanation: details.explanation,
  };
  const template = letterTemplate(scheme, facts.standard, kind);
  return { ...letterFrame(scheme, kind, template, facts), ...fillTemplate(template, values, {}) };
}
