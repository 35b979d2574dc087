import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { UnreadableDocumentError } from './unreadable.ts';

/**
 * The outside programs extraction runs, and the Debian package each comes from (for the line that says what to
 * install). */
const packages: Record<string, string> = {
  tesseract: 'tesseract-ocr tesseract-ocr-nor tesseract-ocr-eng',
  pdftoppm: 'poppler-utils',
  pdfimages: 'poppler-utils',
  soffice: 'libreoffice-writer-nogui',
};

/**
 * A program extraction needs is not installed: a fault of the machine, not of the document. Retrying elsewhere may
 * help. */
export class MissingToolError extends Error {
  override name = 'MissingToolError';
  constructor(readonly tool: string) {
    super(`${tool} is not installed (Debian: apt-get install ${packages[tool] ?? tool})`);
  }
}

export interface ToolOptions {
  timeoutMs: number;
  /** Address-space cap for the process (ulimit -v), so an image bomb fails in the tool, not the machine. */
  maxMemoryMb?: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * CPU-heavy tools (OCR, rendering, LibreOffice) run at most one per core: more would only slow each other down (and
 * tesseract's own threads are slower than one thread per process, measured: 0.7–0.9 s a page against 3–4 s).
 */
const slots = { free: Math.max(1, availableParallelism()), waiting: [] as Array<() => void> };

async function withSlot<T>(work: () => Promise<T>): Promise<T> {
  if (slots.free > 0) slots.free--;
  else await new Promise<void>((resolve) => slots.waiting.push(resolve));
  try {
    return await work();
  } finally {
    const next = slots.waiting.shift();
    if (next) next();
    else slots.free++;
  }
}

/**
 * Runs a tool to completion and returns its stdout. Past the time limit it is killed and the document is too complex.
 * */
export function runTool(command: string, args: readonly string[], options: ToolOptions): Promise<Buffer> {
  return withSlot(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        const [file, argv] = options.maxMemoryMb
          ? ['/bin/sh', ['-c', `ulimit -v ${options.maxMemoryMb * 1024} && exec "$0" "$@"`, command, ...args]]
          : [command, [...args]];
        const child = spawn(file, argv, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
        child.stderr.on('data', (chunk: Buffer) => stderr.length < 64 && stderr.push(chunk));
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, options.timeoutMs);
        child.on('error', (error: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          reject(error.code === 'ENOENT' ? new MissingToolError(command) : error);
        });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          if (timedOut) {
            const seconds = Math.round(options.timeoutMs / 1000);
            return reject(
              new UnreadableDocumentError(
                'too-complex',
                `${command} took longer than ${seconds} s`,
                `lesingen tok mer enn ${seconds} sekunder`,
              ),
            );
          }
          // The shell says 127 when it cannot find the program it was to exec.
          if (code === 127 && options.maxMemoryMb) return reject(new MissingToolError(command));
          if (code !== 0) {
            const said = Buffer.concat(stderr).toString().trim().split('\n').slice(-3).join(' | ');
            return reject(new ToolFailedError(command, code, signal, said));
          }
          resolve(Buffer.concat(stdout));
        });
      }),
  );
}

/** A tool exited with an error on this document. */
export class ToolFailedError extends Error {
  override name = 'ToolFailedError';
  constructor(
    readonly tool: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stderr: string,
  ) {
    super(`${tool} failed (${signal ?? `exit ${exitCode}`}): ${stderr || 'no message'}`);
  }
}
