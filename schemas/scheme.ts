import { z } from 'zod';
import { DecisionReasonSchema, GrantConditionSchema } from './decision-grounds.ts';
import { LetterTemplateSetSchema } from './letter-template.ts';
import { BilingualSchema } from './written-standard.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * A grant scheme as data (SPEC §1). A new scheme or a new year is a new definition file under `schemas/schemes/`
 * and nothing else: the form reader, validation, routing and the review app all read it from here.
 */
export const SchemeSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  name: z.string(),
  /**
   * Title words that tie a document to this scheme (Bokmål and Nynorsk). Detection matches them tolerantly: case,
   * diacritics, hyphens, spaces, line breaks and a few misread letters do not matter (`detect-scheme.ts`).
   */
  titlePatterns: z.array(z.string()).min(1),
  authority: z.string(),
  /** The caseworker queue of the managing authority, e.g. `fm-telemark-helse`. */
  queue: z.string(),
  /** The queue's name as caseworkers know it (the authority's unit); earmarked queues add the earmark's name. */
  queueName: z.string().optional(),
  /** End of this day in `timeZone` is the deadline. */
  deadline: z.object({ date: isoDate, timeZone: z.string() }),
  /** Service time in days before a waiting case is reminded, and escalated after twice that. */
  serviceDays: z.number().int().positive(),
  /** The money: the whole pot, and earmarks that categories draw on. Whole NOK. */
  money: z.object({
    total: z.number().int().positive(),
    scope: z.enum(['county', 'national']),
    earmarks: z.array(z.object({ id: z.string(), name: z.string(), amount: z.number().int().positive() })).default([]),
  }),
  categories: z
    .array(
      z.object({
        id: z.string(),
        /** The earmark this category draws on, if the money is earmarked. */
        earmark: z.string().optional(),
        /** The checkbox texts on the form (Bokmål and Nynorsk variants). */
        labels: z.array(z.string()).min(1),
        /**
         * Other words applicants write for the category instead of ticking its box (`Innovasjon`, `Oppstart`): its
         * short name and the start of its label, in Bokmål and Nynorsk. The form reader takes them as the category.
         */
        words: z.array(z.string()).default([]),
      }),
    )
    .min(1),
  /** Numbered sub-goals (delmål) as the form numbers them; empty when the form has none. */
  subGoals: z.array(z.object({ number: z.number().int().positive(), text: z.string() })).default([]),
  /** Whether the form asks about an overarching plan for work with relatives (raises priority when yes). */
  asksOverarchingPlan: z.boolean().default(false),
  /** What the scheme's decisions and their letters say (SPEC §§6–7). */
  decisions: z.object({
    /** The scheme's name as a letter writes it, in each written standard. */
    schemeName: BilingualSchema,
    /** The office that decides and signs the letters. */
    office: z.object({
      name: z.string().min(1),
      department: BilingualSchema.optional(),
      address: z.array(z.string().min(1)).min(1),
      /** Where acceptances, reports and appeals are sent. */
      email: z.email(),
    }),
    /** Who decides an appeal the office does not grant itself (forvaltningsloven §33). */
    appealBody: z.string().min(1),
    /** The day the grant's report is due (SPEC §6). */
    reportingDeadline: isoDate,
    /** Days from the letter's date the applicant has to accept (default three weeks). */
    acceptWithinDays: z.number().int().positive().default(21),
    /** The reasons a decision may give (forvaltningsloven §24), each for the kinds of decision it can ground. */
    reasons: z.array(DecisionReasonSchema).min(1),
    /** The standard conditions of a grant. */
    conditions: z.array(GrantConditionSchema).min(1),
    /** Letter templates of this scheme, kind by kind; the others are the default set (`letter-texts.ts`). */
    letterTemplates: LetterTemplateSetSchema.default({}),
  }),
  eligibility: z.object({
    applicantKind: z.literal('municipality'),
    /** County the applicant must be in (a warning otherwise), with its municipalities by number. */
    county: z
      .object({ name: z.string(), municipalities: z.record(z.string().regex(/^\d{4}$/), z.string()) })
      .optional(),
  }),
});

export type Scheme = z.infer<typeof SchemeSchema>;
export type SchemeInput = z.input<typeof SchemeSchema>;
