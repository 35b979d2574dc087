import { readdir, readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import pLimit from 'p-limit';
import { loadConfig } from '../config/env.ts';
import { loadSchemes } from '../config/schemes.ts';
import { UserError } from '../config/user-error.ts';
import { extractDocuments, type DocumentPart, type EmailFacts } from '../extraction/documents.ts';
import { defaultLimits } from '../extraction/limits.ts';
import { createLlmReader, type LlmReader } from '../extraction/llm-reader.ts';
import { readDocument } from '../extraction/read-document.ts';
import { UnreadableDocumentError, unreadableFinding } from '../extraction/text.ts';
import type { Application, ProvenanceMap } from '../schemas/application.ts';
import type { DocumentType, ExtractedText } from '../schemas/document.ts';
import type { Finding } from '../schemas/finding.ts';
import type { Scheme } from '../schemas/scheme.ts';
import { validateApplication } from '../schemas/validate.ts';
import { createProgress } from './progress.ts';

export const extractUsage = `grant-intake extract <file|folder>... [--jsonl] [--received-at ISO] [--concurrency N]

Reads documents the way intake does (text, scheme, form reader, language model when configured, validation) and
prints, per document, one JSON object on stdout:
  {file, email?, receivedAt, receivedAtSource, document?, application, findings, provenance, error?, timings}
One document gives one object, several a JSON array; an e-mail (.eml) gives one per attachment. Folders are read
recursively (hidden files skipped, sorted by path). Progress and diagnostics go to stderr.

  --jsonl              one compact JSON line per document instead of pretty JSON
  --received-at ISO    the received time validation uses, ISO 8601 with offset (2017-04-10T09:12:00+02:00);
                       default: an e-mail's Date header for its attachments, else the file's modification time
  --concurrency N      files read at once (default: the number of cores, ${availableParallelism()})

Exit code: 0 when every document was read (findings or not), 1 when some document could not be read, 2 for usage.`;

export interface ExtractArgs {
  paths: string[];
  jsonl: boolean;
  /** Validated ISO 8601 instant with an offset, as given. */
  receivedAt?: string;
  concurrency: number;
}

/** What the output says about one document. `application` and `provenance` are null when it could not be read. */
export interface DocumentResult {
  file: string;
  email?: EmailFacts;
  receivedAt: string;
  receivedAtSource: 'option' | 'email' | 'file-mtime';
  /** What the text came from: the type by content, text layer or OCR, and pages. */
  document?: { type: DocumentType; method: ExtractedText['method']; pages: number };
  application: Application | null;
  /** Reading findings, then validation findings (SPEC §4), for caseworkers (Bokmål). */
  findings: Finding[];
  provenance: ProvenanceMap | null;
  /** Why the document could not be read, for developers (English). */
  error?: { code: string; message: string };
  timings: { extractMs: number; readMs: number; validateMs: number; totalMs: number };
}

interface InputFile {
  /** As shown in the output: the path as given, or the folder as given joined with the path inside it. */
  path: string;
  size: number;
  /** The modification time (ISO 8601), the received time when nothing better is known. */
  mtime: string;
}

interface Context {
  schemes: Scheme[];
  llm: LlmReader;
  receivedAt?: string;
  diagnostics: Diagnostics;
}

/**
 * `grant-intake extract`: its options, and the run, which sets the exit code (0, or 1 when a document was unreadable).
 * */
export function extractCommand(): Command {
  return new Command('extract')
    .configureHelp({ formatHelp: () => `${extractUsage}\n` })
    .argument('[paths...]')
    .option('--jsonl', '', false)
    .option('--received-at <ISO>', '', parseReceivedAt)
    .option('--concurrency <N>', '', parseConcurrency, availableParallelism())
    .action(async (paths: string[], options: Omit<ExtractArgs, 'paths'>) => {
      // Commander would say "missing required argument 'paths'"; this says what to type.
      if (!paths.length)
        throw new UserError('extract: name a file or folder to read, e.g. "grant-intake extract soknad.pdf"');
      process.exitCode = await extract({ paths, ...options });
    });
}

/** Reads the documents and prints the results; resolves to the exit code (0 or 1). Usage errors throw `UserError`. */
export async function extract(args: ExtractArgs): Promise<number> {
  const files = await collectInputs(args.paths);
  const config = loadConfig();
  const context: Context = {
    schemes: await loadSchemes(),
    llm: createLlmReader(config.llm),
    ...(args.receivedAt && { receivedAt: args.receivedAt }),
    diagnostics: new Diagnostics(process.stderr),
  };

  // A reader that goes away (`| head`) is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const output = new OrderedOutput(args.jsonl, (chunk) => process.stdout.write(chunk));
  const progress = files.length > 1 ? createProgress('extract', files.length) : undefined;
  context.diagnostics.progressShown = Boolean(progress);
  const started = performance.now();
  let documents = 0;
  const failed: DocumentResult[] = [];

  await pLimit(args.concurrency).map(files, async (file, index) => {
    const results = await processFile(file, context);
    documents += results.length;
    failed.push(...results.filter((result) => result.error));
    output.add(index, results);
    progress?.tick();
  });
  progress?.finish();
  output.end();

  if (progress) {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const unread = failed.length ? `; ${failed.length} could not be read` : '';
    context.diagnostics.line(`extract: ${documents} documents from ${files.length} files in ${seconds} s${unread}`);
  }
  return failed.length ? 1 : 0;
}

// --- arguments -----------------------------------------------------------------------------------------------------

const isoInstant = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * An instant with a date, a time and an offset, as validation takes it. `Date` alone would take «10.04.2017» (as
 * 4 October), a time without offset (as local time) and 30 February (as 2 March), so the fields are checked here.
 */
export function parseReceivedAt(value: string): string {
  const problem = `--received-at must be an ISO 8601 time with an offset, e.g. 2017-04-10T09:12:00+02:00 or 2017-04-10T07:12:00Z; got "${value}"`;
  const match = isoInstant.exec(value);
  if (!match) throw new UserError(problem);
  const [year, month, day, hour, minute, second = 0, , offsetHours = 0, offsetMinutes = 0] = match
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part)));
  const calendar = new Date(Date.UTC(year!, month! - 1, day!));
  const validDate =
    calendar.getUTCFullYear() === year && calendar.getUTCMonth() === month! - 1 && calendar.getUTCDate() === day;
  const validTime = hour! <= 23 && minute! <= 59 && second! <= 59 && offsetHours! <= 14 && offsetMinutes! <= 59;
  if (!validDate || !validTime || Number.isNaN(new Date(value).getTime()))
    throw new UserError(`${problem} (no such date or time)`);
  return value;
}

function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw new UserError(`--concurrency must be a whole number of at least 1; got "${value}"`);
  return n;
}

// --- inputs --------------------------------------------------------------------------------------------------------

/** The files to read: each path given, folders expanded recursively without hidden entries, sorted within a folder. */
async function collectInputs(paths: readonly string[]): Promise<InputFile[]> {
  const files: InputFile[] = [];
  for (const path of paths) {
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR')
        throw new UserError(`extract: ${path}: no such file or folder`);
      throw new UserError(`extract: ${path}: ${error.code === 'EACCES' ? 'permission denied' : error.message}`);
    });
    if (info.isFile()) {
      files.push({ path, size: info.size, mtime: info.mtime.toISOString() });
    } else if (info.isDirectory()) {
      const inside = (await listFolder(path)).sort((a, b) => byCodeUnits(a.relative, b.relative));
      if (!inside.length) throw new UserError(`extract: ${path}: the folder holds no files (hidden files are skipped)`);
      files.push(...inside.map(({ relative, size, mtime }) => ({ path: join(path, relative), size, mtime })));
    } else {
      throw new UserError(`extract: ${path}: not a file or folder`);
    }
  }
  return files;
}

type FolderEntry = { relative: string } & Omit<InputFile, 'path'>;

/**
 * The files under `folder`, paths relative to it. Symbolic links to files are read; links to folders are not followed.
 * */
async function listFolder(folder: string, prefix = ''): Promise<FolderEntry[]> {
  const entries = await readdir(join(folder, prefix), { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(
      `extract: ${join(folder, prefix)}: cannot list the folder (${error.code === 'EACCES' ? 'permission denied' : error.message})`,
    );
  });
  const files: FolderEntry[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const relative = join(prefix, entry.name);
    if (entry.isDirectory()) {
      files.push(...(await listFolder(folder, relative)));
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      const info = await stat(join(folder, relative)).catch(() => undefined);
      if (info?.isFile()) files.push({ relative, size: info.size, mtime: info.mtime.toISOString() });
    }
  }
  return files;
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// --- one file ------------------------------------------------------------------------------------------------------

const elapsed = (since: number) => Math.round((performance.now() - since) * 10) / 10;
const rounded = (ms: number) => Math.round(ms * 10) / 10;

/** Every document in one file (one, or an e-mail's attachments), each read and validated. Never rejects. */
async function processFile(input: InputFile, context: Context): Promise<DocumentResult[]> {
  const started = performance.now();
  const { mtime } = input;
  if (input.size > defaultLimits.maxBytes) {
    // Refused before it is loaded, with the finding extraction itself would give.
    const error = new UnreadableDocumentError(
      'too-large',
      `the file is ${input.size} bytes, more than the ${defaultLimits.maxBytes} read`,
      `filen er ${megabytes(input.size)} MB (grensen er ${megabytes(defaultLimits.maxBytes)} MB)`,
    );
    return [unreadableResult(input.path, undefined, received(context, undefined, mtime), error, 0, started, context)];
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(input.path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const unreadable = new UnreadableDocumentError(
      'unreadable',
      `the file cannot be opened: ${code === 'EACCES' ? 'permission denied' : (error as Error).message}`,
      'filen kunne ikke åpnes',
    );
    return [
      unreadableResult(input.path, undefined, received(context, undefined, mtime), unreadable, 0, started, context),
    ];
  }

  let parts: DocumentPart[];
  try {
    parts = await extractDocuments(bytes, input.path);
    if (!parts.length) throw new Error('extractDocuments returned no documents for the file');
  } catch (error) {
    return [failedResult(input.path, undefined, received(context, undefined, mtime), error, 0, started, context)];
  }

  const results: DocumentResult[] = [];
  for (const part of parts) {
    const when = received(context, part.email, mtime);
    if (part.error) {
      results.push(unreadableResult(part.file, part.email, when, part.error, part.extractMs, started, context));
      continue;
    }
    try {
      if (!part.text) throw new Error('extractDocuments gave a document with neither text nor error');
      results.push(await readPart(part, part.text, when, started, context));
    } catch (error) {
      results.push(failedResult(part.file, part.email, when, error, part.extractMs, started, context));
    }
  }
  return results;
}

type Received = Pick<DocumentResult, 'receivedAt' | 'receivedAtSource'>;

/** The option wins; else an e-mail's own date for its attachments; else the file's modification time. */
function received(context: Context, email: EmailFacts | undefined, mtime: string): Received {
  if (context.receivedAt) return { receivedAt: context.receivedAt, receivedAtSource: 'option' };
  if (email?.date) return { receivedAt: email.date, receivedAtSource: 'email' };
  return { receivedAt: mtime, receivedAtSource: 'file-mtime' };
}

async function readPart(
  part: DocumentPart,
  text: ExtractedText,
  when: Received,
  started: number,
  context: Context,
): Promise<DocumentResult> {
  const readStarted = performance.now();
  const reading = await readDocument(text, context.schemes, context.llm);
  const readMs = elapsed(readStarted);
  const validateStarted = performance.now();
  const scheme = context.schemes.find((candidate) => candidate.id === reading.application.schemeId);
  const validation = validateApplication(reading.application, {
    scheme,
    receivedAt: when.receivedAt,
    provenance: reading.provenance,
  });
  const validateMs = elapsed(validateStarted);
  return {
    file: part.file,
    ...(part.email && { email: part.email }),
    ...when,
    document: { type: text.type, method: text.method, pages: text.pages.length },
    application: reading.application,
    findings: [...reading.findings, ...validation],
    provenance: reading.provenance,
    timings: { extractMs: rounded(part.extractMs), readMs, validateMs, totalMs: elapsed(started) },
  };
}

/** A document that cannot be read: the caseworker's finding, and the developer's reason. */
function unreadableResult(
  file: string,
  email: EmailFacts | undefined,
  when: Received,
  error: UnreadableDocumentError,
  extractMs: number,
  started: number,
  context: Context,
): DocumentResult {
  context.diagnostics.line(`extract: ${file}: ${error.code}: ${error.message}`);
  return {
    file,
    ...(email && { email }),
    ...when,
    application: null,
    findings: [unreadableFinding(error)],
    provenance: null,
    error: { code: error.code, message: error.message },
    timings: { extractMs: rounded(extractMs), readMs: 0, validateMs: 0, totalMs: elapsed(started) },
  };
}

/**
 * A failure that is not the document's fault (a bug, a crashed tool): reported like an unreadable one, stack on stderr.
 * */
function failedResult(
  file: string,
  email: EmailFacts | undefined,
  when: Received,
  error: unknown,
  extractMs: number,
  started: number,
  context: Context,
): DocumentResult {
  if (error instanceof UnreadableDocumentError)
    return unreadableResult(file, email, when, error, extractMs, started, context);
  const message = error instanceof Error ? error.message : String(error);
  context.diagnostics.line(
    `extract: ${file}: internal error: ${error instanceof Error && error.stack ? error.stack : message}`,
  );
  return {
    file,
    ...(email && { email }),
    ...when,
    application: null,
    findings: [],
    provenance: null,
    error: { code: 'internal-error', message },
    timings: { extractMs: rounded(extractMs), readMs: 0, validateMs: 0, totalMs: elapsed(started) },
  };
}

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);

// --- output --------------------------------------------------------------------------------------------------------

/**
 * Writes results in input order as soon as they are ready (files finish out of order). Pretty output is one object for
 * a single document and an array for several; the array is opened when the second document arrives.
 */
class OrderedOutput {
  private readonly ready = new Map<number, DocumentResult[]>();
  private next = 0;
  private count = 0;
  private first: DocumentResult | undefined;

  constructor(
    private readonly jsonl: boolean,
    private readonly write: (chunk: string) => void,
  ) {}

  add(index: number, results: DocumentResult[]): void {
    this.ready.set(index, results);
    for (let batch = this.ready.get(this.next); batch; batch = this.ready.get(this.next)) {
      this.ready.delete(this.next++);
      for (const result of batch) this.emit(result);
    }
  }

  private emit(result: DocumentResult): void {
    this.count++;
    if (this.jsonl) return this.write(`${JSON.stringify(result)}\n`);
    if (this.count === 1) {
      this.first = result;
      return;
    }
    if (this.count === 2) this.write(`[\n${indented(this.first!)}`);
    this.write(`,\n${indented(result)}`);
  }

  end(): void {
    if (this.jsonl) return;
    if (this.count === 0) this.write('[]\n');
    else if (this.count === 1) this.write(`${JSON.stringify(this.first, null, 2)}\n`);
    else this.write('\n]\n');
  }
}

/** As `JSON.stringify(array, null, 2)` prints an element. */
const indented = (result: DocumentResult) =>
  JSON.stringify(result, null, 2)
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');

/** Lines on stderr; on a terminal the progress bar's line is cleared first (it is redrawn on the next tick). */
class Diagnostics {
  progressShown = false;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  line(text: string): void {
    const clear = this.progressShown && this.stream.isTTY ? '\r\x1b[2K' : '';
    this.stream.write(`${clear}${text}\n`);
  }
}
