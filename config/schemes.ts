import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { SchemeSchema, type Scheme } from '../schemas/scheme.ts';
import { UserError } from './user-error.ts';

export const schemesDir = fileURLToPath(new URL('../schemas/schemes/', import.meta.url));

/**
 * Every scheme definition in `schemas/schemes/`: a new scheme or a new year is a new file there and nothing else.
 * Pure code (reading, validation, routing) takes the schemes as a parameter and never loads them itself.
 */
export async function loadSchemes(dir = schemesDir): Promise<Scheme[]> {
  const files = (await readdir(dir)).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).sort();
  const schemes: Scheme[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(dir, file)).href)) as { default?: unknown };
    const parsed = SchemeSchema.safeParse(module.default);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new UserError(
        `scheme definition ${file} is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}`,
      );
    }
    if (`${parsed.data.id}.ts` !== file && `${parsed.data.id}.js` !== file) {
      throw new UserError(`scheme definition ${file} has id "${parsed.data.id}": the file must be named after its id`);
    }
    schemes.push(parsed.data);
  }
  return schemes;
}
