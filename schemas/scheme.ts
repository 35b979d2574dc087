import { z } from 'zod';

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
  /** End of this day in `timeZone` is the deadline. */
  deadline: z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), timeZone: z.string() }),
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
