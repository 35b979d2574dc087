import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { generateCorpus, type CorpusEntry, type Format } from '../fixtures/generate.ts';

/** The bench's documents: digital filled forms (no letters, no scans), read from disk once. */
export interface BenchDocument {
  id: string;
  format: Format;
  /** `pdf` or `docx`: what the bytes are. */
  extension: 'pdf' | 'docx';
  path: string;
  bytes: Buffer;
}

export const benchFormats: readonly Format[] = ['pdf', 'docx'];

/**
 * At least `forms` filled forms as PDF (a form tool's) and .docx, from the eval's generator: deterministic for a seed.
 * The generator draws kinds and formats at random, so the plan is grown until enough forms come out.
 */
export async function generateForms(
  forms: number,
  seed: number,
  dir: string,
  onProgress: (line: string) => void,
): Promise<BenchDocument[]> {
  let planned = Math.ceil(forms / 0.5) + 10;
  for (;;) {
    await rm(dir, { recursive: true, force: true });
    const corpus = await generateCorpus({ size: planned, seed, dir, formats: benchFormats, onProgress });
    const entries = corpus.entries.filter((entry: CorpusEntry) => entry.kind === 'form');
    if (entries.length >= forms) {
      return Promise.all(
        entries.slice(0, forms).map(async (entry) => {
          const path = join(dir, entry.file);
          return {
            id: entry.id,
            format: entry.format,
            extension: entry.file.endsWith('.docx') ? 'docx' : 'pdf',
            path,
            bytes: await readFile(path),
          } as BenchDocument;
        }),
      );
    }
    planned = Math.ceil((planned * forms) / Math.max(1, entries.length)) + 20;
  }
}
