import { z } from 'zod';
import { isGrant, type DecisionGrounds } from './decision-grounds.ts';
import { formatNok } from './format-nok.ts';
import {
  fillTemplate,
  fillText,
  LetterTemplateSetSchema,
  type Letter,
  type LetterKind,
  type LetterTemplate,
  type TemplateValues,
} from './letter-template.ts';
import { defaultLetterTemplates } from './letter-texts.ts';
import type { Scheme } from './scheme.ts';
import { WrittenStandardSchema, type WrittenStandard } from './written-standard.ts';

/**
 * The decision letter (SPEC §7) as a pure function of the scheme, the decision and the case's facts: every text
 * from the scheme's templates in the applicant's written standard, dates as dd.mm.yyyy, amounts as «kr 1 250 000».
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const text = z.string().trim().min(1);

/** What the case knows that the letter prints. */
export const DecisionLetterFactsSchema = z.object({
  /** The case reference (`SAK-7F3A9C21`). */
  reference: text,
  /** Names the letter within its case (`vedtak`); a later decision letter of the same case needs another name. */
  name: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    .default('vedtak'),
  /** The letter's date. */
  date: isoDate,
  standard: WrittenStandardSchema,
  applicant: z.object({
    name: text,
    address: text.optional(),
    postalCode: text.optional(),
    postalPlace: text.optional(),
  }),
  contact: z.object({ name: text.optional(), email: text.optional() }).default({}),
  projectTitle: text,
  amountRequested: z.number().int().nonnegative().optional(),
  caseworker: text,
  approver: text,
});
export type DecisionLetterFacts = z.infer<typeof DecisionLetterFactsSchema>;
export type DecisionLetterFactsInput = z.input<typeof DecisionLetterFactsSchema>;

/** dd.mm.yyyy, as Norwegian letters write a date. */
export function formatDate(isoDay: string): string {
  const [year, month, day] = isoDay.split('-');
  return `${day}.${month}.${year}`;
}

/** The calendar day `days` after an ISO day. */
function addDays(isoDay: string, days: number): string {
  const [year, month, day] = isoDay.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

const defaultTemplates = LetterTemplateSetSchema.parse(defaultLetterTemplates);

/** The scheme's template for a letter kind in a written standard, or the default set's. */
export function letterTemplate(scheme: Scheme, standard: WrittenStandard, kind: LetterKind): LetterTemplate {
  return scheme.decisions.letterTemplates[standard]?.[kind] ?? defaultTemplates[standard]![kind]!;
}

/** The day the applicant must accept a grant by: the scheme's days after the letter's date. */
export const acceptDeadline = (scheme: Scheme, letterDate: string) =>
  addDays(letterDate, scheme.decisions.acceptWithinDays);

export function composeDecisionLetter(
  scheme: Scheme,
  grounds: DecisionGrounds,
  factsInput: DecisionLetterFactsInput,
): Letter {
  const facts = DecisionLetterFactsSchema.parse(factsInput);
  const { standard } = facts;
  const { office } = scheme.decisions;
  const values: TemplateValues = {
    office: office.name,
    officeEmail: office.email,
    reference: facts.reference,
    date: formatDate(facts.date),
    applicant: facts.applicant.name,
    contactPerson: facts.contact.name,
    schemeName: scheme.decisions.schemeName[standard],
    projectTitle: facts.projectTitle,
    amountRequested: facts.amountRequested === undefined ? undefined : formatNok(facts.amountRequested),
    amountGranted: formatNok(isGrant(grounds) ? grounds.amountGranted : 0),
    acceptDeadline: formatDate(acceptDeadline(scheme, facts.date)),
    reportingDeadline: formatDate(scheme.decisions.reportingDeadline),
    appealBody: scheme.decisions.appealBody,
    caseworker: facts.caseworker,
    approver: facts.approver,
    explanation: 'explanation' in grounds ? grounds.explanation : undefined,
  };
  const reasons =
    'reasonIds' in grounds
      ? grounds.reasonIds.map((id) => {
          const reason = scheme.decisions.reasons.find((r) => r.id === id);
          if (!reason) throw new Error(`decision letter: scheme ${scheme.id} has no reason «${id}»`);
          return reason.text[standard];
        })
      : [];
  const conditions = isGrant(grounds)
    ? [
        ...grounds.conditionIds.map((id) => {
          const condition = scheme.decisions.conditions.find((c) => c.id === id);
          if (!condition) throw new Error(`decision letter: scheme ${scheme.id} has no condition «${id}»`);
          return fillText(condition.text[standard], values);
        }),
        ...grounds.extraConditions,
      ]
    : [];
  const template = letterTemplate(scheme, standard, grounds.kind);
  const postal = [facts.applicant.postalCode, facts.applicant.postalPlace].filter(Boolean).join(' ');
  return {
    letterId: `${facts.reference}-${facts.name}`,
    kind: grounds.kind,
    standard,
    reference: facts.reference,
    date: facts.date,
    sender: {
      office: office.name,
      ...(office.department && { department: office.department[standard] }),
      address: office.address,
      email: office.email,
    },
    recipient: {
      name: facts.applicant.name,
      lines: [
        ...(facts.contact.name ? [`v/ ${facts.contact.name}`] : []),
        ...(facts.applicant.address ? [facts.applicant.address] : []),
        ...(postal ? [postal] : []),
      ],
    },
    head: [
      { label: template.labels.date, value: formatDate(facts.date) },
      { label: template.labels.reference, value: facts.reference },
      { label: template.labels.caseworker, value: facts.caseworker },
    ],
    pageLabel: template.labels.page,
    ...fillTemplate(template, values, { reasons, conditions }),
  };
}
