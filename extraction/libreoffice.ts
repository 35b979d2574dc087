import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runTool, ToolFailedError } from './tools.ts';
import { UnreadableDocumentError } from './unreadable.ts';

export function libreOfficeAvailable(): boolean {
  return spawnSync('soffice', ['--version'], { stdio: 'ignore', timeout: 60_000 }).status === 0;
}

/**
 * LibreOffice's filter names: what Word users send (a PDF as Word exports it, .doc, .odt, .rtf), and .docx for reading.
 * */
const filters = { pdf: 'pdf', doc: 'doc:MS Word 97', docx: 'docx:MS Word 2007 XML', odt: 'odt', rtf: 'rtf' } as const;
export type LibreOfficeTarget = keyof typeof filters;

/** Files per LibreOffice start: one start costs seconds, and a long command line has its limits. */
const batchSize = 80;

/**
 * Converts documents with LibreOffice, many per start. A private profile keeps this instance apart from any other
 * LibreOffice on the machine (two at once on one profile would block each other). Outputs land in `outDir` under
 * the same base names.
 */
export async function convertWithLibreOffice(
  files: readonly string[],
  target: LibreOfficeTarget,
  outDir: string,
  timeoutMs = 10 * 60_000,
): Promise<void> {
  const profile = await mkdtemp(join(tmpdir(), 'grant-intake-lo-'));
  try {
    for (let i = 0; i < files.length; i += batchSize) {
      await runTool(
        'soffice',
        [
          `-env:UserInstallation=${pathToFileURL(profile).href}`,
          '--headless',
          '--norestore',
          '--convert-to',
          filters[target],
          '--outdir',
          outDir,
          ...files.slice(i, i + batchSize),
        ],
        { timeoutMs },
      );
    }
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/**
 * One document (OpenDocument text, RTF, a .doc the Word reader cannot take) as a .docx, to be read like any other.
 * LibreOffice writes nothing when it cannot open a file, and says so only on stderr, so a missing output is a damaged
 * file.
 */
export async function convertToDocx(bytes: Uint8Array, extension: string, timeoutMs: number): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'grant-intake-convert-'));
  try {
    const input = join(dir, `document.${extension}`);
    await writeFile(input, bytes);
    await convertWithLibreOffice([input], 'docx', dir, timeoutMs).catch((error: unknown) => {
      if (error instanceof ToolFailedError) throw cannotConvert(extension, error.message);
      throw error;
    });
    return await readFile(join(dir, 'document.docx')).catch(() => {
      throw cannotConvert(extension, 'LibreOffice wrote no output');
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function cannotConvert(extension: string, why: string): UnreadableDocumentError {
  return new UnreadableDocumentError(
    'unreadable',
    `the .${extension} document cannot be read: ${why}`,
    `filen (.${extension}) er skadet`,
  );
}
