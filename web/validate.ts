import type { z } from 'zod';
import { HttpError } from './plugins/auth.ts';

/** Parses request input with a zod schema; a bad value is a 400 that names the field. */
export function parseInput<T extends z.ZodType>(schema: T, data: unknown): z.infer<T> {
  const parsed = schema.safeParse(data ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'forespørselen'}: ${issue.message}`);
  throw new HttpError(400, `Ugyldig forespørsel (${issues.join('; ')}).`);
}
