import { z } from 'zod';

/**
 * The extracted application (SPEC §3), one source of truth for its type, the LLM reader's structured output and
 * validation. Every field is optional: a field that cannot be found is absent, never guessed. Values are in their
 * normal forms: amounts whole NOK, dates YYYY-MM-DD, organisation numbers 9 digits, municipality numbers 4 digits,
 * phones digits without +47, e-mail lower case, text trimmed with inner whitespace folded.
 */
const text = z.string().min(1);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const amount = z.number().int();

export const ApplicantSchema = z
  .object({
    name: text,
    organisationNumber: z.string().regex(/^\d{9}$/),
    municipalityNumber: z.string().regex(/^\d{4}$/),
    address: text,
    postalCode: z.string().regex(/^\d{4}$/),
    postalPlace: text,
  })
  .partial();

export const ContactSchema = z
  .object({ name: text, role: text, email: text, phone: z.string().regex(/^\d+$/) })
  .partial();

export const ProjectSchema = z
  .object({
    title: text,
    category: text,
    summary: text,
    targetGroup: text,
    startDate: isoDate,
    endDate: isoDate,
    participants: z.number().int().nonnegative(),
  })
  .partial();

export const BudgetSchema = z
  .object({ totalCost: amount, ownFunding: amount, otherFunding: amount, amountRequested: amount })
  .partial();

export const SignatureSchema = z.object({ place: text, date: isoDate, name: text, role: text }).partial();

export const ApplicationSchema = z
  .object({
    schemeId: z.string().nullable(),
    applicant: ApplicantSchema,
    contact: ContactSchema,
    partners: z.array(text),
    project: ProjectSchema,
    subGoals: z.array(z.number().int().positive()),
    hasOverarchingPlan: z.boolean(),
    budget: BudgetSchema,
    signature: SignatureSchema,
  })
  .partial();

export type Application = z.infer<typeof ApplicationSchema>;

/** Dotted paths of the leaf fields, as findings and provenance name them: `applicant.name`, `budget.totalCost`. */
export type FieldPath =
  | `applicant.${keyof z.infer<typeof ApplicantSchema>}`
  | `contact.${keyof z.infer<typeof ContactSchema>}`
  | `project.${keyof z.infer<typeof ProjectSchema>}`
  | `budget.${keyof z.infer<typeof BudgetSchema>}`
  | `signature.${keyof z.infer<typeof SignatureSchema>}`
  | 'partners'
  | 'subGoals'
  | 'hasOverarchingPlan'
  | 'schemeId';

/** Where one field's value came from, so a caseworker can check it against the original. */
export const ProvenanceSchema = z.object({
  method: z.enum(['form', 'ocr+form', 'llm', 'ocr+llm', 'correction']),
  /** 1-based page of the document (a .docx is one page). */
  page: z.number().int().positive().optional(),
  /** The text the value was read from, as it stands in the document. */
  source: z.string(),
  /**
   * The kept original (`cases/<reference>/original/…`) the value was read from, for a value a later document of the
   * case gave (a supplement, a form that came after its appendix); absent: the document the case was opened with.
   */
  document: z.string().optional(),
  confidence: z.number().min(0).max(1),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

/** Provenance per field path. */
export type ProvenanceMap = Partial<Record<FieldPath, Provenance>>;
