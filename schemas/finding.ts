import { z } from 'zod';

/** What validation and reading report to a caseworker. Codes are kebab-case; the message is Norwegian (Bokmål). */
export const FindingSchema = z.object({
  code: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  severity: z.enum(['error', 'warning', 'info']),
  field: z.string().optional(),
  message: z.string().min(1),
});

export type Finding = z.infer<typeof FindingSchema>;
