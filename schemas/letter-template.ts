import { z } from 'zod';
import { DecisionKindSchema } from './decision-grounds.ts';
import { WrittenStandardSchema, type WrittenStandard } from './written-standard.ts';

/**
 * Letters as data: a template per written standard and letter kind, with `{placeholders}` the letter's composer fills
 * in. The texts are in `letter-texts.ts` (the default set every scheme uses) and a scheme may override any of them
 * (`decisions.letterTemplates`). A new kind of letter is a new kind here, its templates, and a composer that gives
 * its placeholders (`decision-letter.ts`, `follow-up-letter.ts`).
 */

/**
 * The letters that follow a decision (SPEC §6): reminders to accept and to report (before the reporting deadline, and
 * after it has passed), a request for more in a report, a claim for repayment, and the outcome of an appeal (the
 * decision changed, or upheld and sent to the appeal body).
 */
export const FollowUpLetterKindSchema = z.enum([
  'acceptance-reminder',
  'report-reminder',
  'report-overdue',
  'report-more',
  'claim-back',
  'appeal-changed',
  'appeal-upheld',
]);
export type FollowUpLetterKind = z.infer<typeof FollowUpLetterKindSchema>;

/** The letters the office writes: the four decisions, and those that follow them. */
export const LetterKindSchema = z.enum([...DecisionKindSchema.options, ...FollowUpLetterKindSchema.options]);
export type LetterKind = z.infer<typeof LetterKindSchema>;

/**
 * A part of the letter: an optional heading, paragraphs, and where `list` names one (the decision's `reasons`, its
 * `conditions`), that list as bullets followed by `afterList`. A section whose list is empty is left out.
 */
export const LetterSectionTemplateSchema = z.object({
  heading: z.string().min(1).optional(),
  paragraphs: z.array(z.string().min(1)).default([]),
  list: z.string().min(1).optional(),
  afterList: z.array(z.string().min(1)).default([]),
});

export const LetterTemplateSchema = z.object({
  title: z.string().min(1),
  /** The covering e-mail the letter is attached to. */
  email: z.object({ subject: z.string().min(1), text: z.string().min(1) }),
  /** The letter head's labels; `page` has `{page}` and `{pages}`. */
  labels: z.object({ date: z.string(), reference: z.string(), caseworker: z.string(), page: z.string() }),
  /** The facts table under the title; a row whose placeholders have no value is left out. */
  facts: z.array(z.object({ label: z.string().min(1), value: z.string().min(1) })),
  sections: z.array(LetterSectionTemplateSchema).min(1),
  closing: z.object({
    greeting: z.string().min(1),
    signatures: z.array(z.object({ name: z.string().min(1), role: z.string().min(1) })).min(1),
    /** Why the letter has no handwritten signatures. */
    note: z.string().min(1),
  }),
});
export type LetterTemplate = z.infer<typeof LetterTemplateSchema>;
export type LetterTemplateInput = z.input<typeof LetterTemplateSchema>;

/** Templates per written standard and kind; a scheme's set overrides the default set kind by kind. */
export const LetterTemplateSetSchema = z.partialRecord(
  WrittenStandardSchema,
  z.partialRecord(LetterKindSchema, LetterTemplateSchema),
);
export type LetterTemplateSet = z.infer<typeof LetterTemplateSetSchema>;
export type LetterTemplateSetInput = z.input<typeof LetterTemplateSetSchema>;

/** A letter ready to be laid out: every text filled in, in the letter's written standard. */
export interface Letter {
  /** Unique per letter of the office (`SAK-7F3A9C21-vedtak`): names its PDF and makes sending it idempotent. */
  letterId: string;
  kind: LetterKind;
  standard: WrittenStandard;
  /** The case reference. */
  reference: string;
  /** The letter's date (YYYY-MM-DD); the PDF's creation date too, so the same letter gives the same bytes. */
  date: string;
  sender: { office: string; department?: string; address: string[]; email: string };
  recipient: { name: string; lines: string[] };
  /** The letter head's lines (label and value): date, reference, caseworker. */
  head: Array<{ label: string; value: string }>;
  /** The page footer, with `{page}` and `{pages}` left for the layout. */
  pageLabel: string;
  title: string;
  facts: Array<{ label: string; value: string }>;
  sections: Array<{ heading?: string; paragraphs: string[]; items: string[]; afterList: string[] }>;
  closing: { greeting: string; signatures: Array<{ name: string; role: string }>; note: string };
  email: { subject: string; text: string };
}

/** Placeholder values by name: formatted text, or undefined where the case has none. */
export type TemplateValues = Record<string, string | undefined>;

/** A template's text with its placeholders filled; a placeholder without a value is an error in the template's data. */
export function fillText(text: string, values: TemplateValues): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`letter template: no value for {${name}} in «${text}»`);
    return value;
  });
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

/**
 * The template filled in: the letter's title, facts, sections and closing (the head and addresses are the composer's).
 * The lists are final text: the applicant's and the caseworker's words are never read as placeholders.
 */
export function fillTemplate(
  template: LetterTemplate,
  values: TemplateValues,
  lists: Record<string, string[]>,
): Pick<Letter, 'title' | 'facts' | 'sections' | 'closing' | 'email'> {
  const fill = (text: string) => fillText(text, values);
  const fillAll = (texts: string[]) => texts.map(fill);
  const sections: Letter['sections'] = [];
  for (const section of template.sections) {
    let items: string[] = [];
    if (section.list !== undefined) {
      const list = lists[section.list];
      if (!list) throw new Error(`letter template: no list named «${section.list}»`);
      if (list.length === 0) continue;
      items = list;
    }
    sections.push({
      ...(section.heading && { heading: fill(section.heading) }),
      paragraphs: fillAll(section.paragraphs),
      items,
      afterList: fillAll(section.afterList),
    });
  }
  return {
    title: fill(template.title),
    facts: template.facts
      .filter((fact) => placeholders(fact.value).every((name) => values[name] !== undefined))
      .map((fact) => ({ label: fill(fact.label), value: fill(fact.value) })),
    sections,
    closing: {
      greeting: fill(template.closing.greeting),
      signatures: template.closing.signatures.map((s) => ({ name: fill(s.name), role: fill(s.role) })),
      note: fill(template.closing.note),
    },
    email: { subject: fill(template.email.subject), text: fill(template.email.text) },
  };
}
