import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { SandboxTask, SandboxTasks } from './sandbox-tasks.ts';
import { asUnreadable, UnreadableDocumentError } from './unreadable.ts';

type Result<T extends SandboxTask> = Awaited<ReturnType<SandboxTasks[T]>>;

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: { code?: string; message?: string; detail?: string; outOfMemory?: boolean };
}

/**
 * Child processes that parse documents, each with its memory capped by the kernel (the data segment: heap and
 * buffers alike, so a PDF whose streams inflate to gigabytes fails inside the sandbox) and a time limit per document.
 * A document that exhausts either loses only its sandbox: the process is killed and replaced, the worker goes on.
 * Idle sandboxes do not keep the parent alive, so the CLI and tests exit without closing anything.
 * Our own pool rather than piscina or tinypool: they run worker threads (or processes) without a kernel memory cap.
 */
class SandboxPool {
  private readonly idle: ChildProcess[] = [];
  private readonly waiting: Array<(child: ChildProcess) => void> = [];
  private processes = 0;
  private nextJob = 0;

  constructor(
    private readonly size: number,
    private readonly maxMemoryMb: number,
  ) {}

  async run<T extends SandboxTask>(task: T, args: Parameters<SandboxTasks[T]>, timeoutMs: number): Promise<Result<T>> {
    const child = await this.acquire();
    const id = this.nextJob++;
    setReferenced(child, true);
    return new Promise<Result<T>>((resolve, reject) => {
      let settled = false;
      const finish = (healthy: boolean, settle: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (healthy) this.release(child);
        else this.discard(child);
        settle();
      };
      const outOfMemory = (how = 'an allocation failed') =>
        new UnreadableDocumentError(
          'too-complex',
          `parsing the document needed more than ${this.maxMemoryMb} MB of memory (${how})`,
          `lesingen trengte mer enn ${this.maxMemoryMb} MB minne`,
        );
      const onMessage = (reply: Reply) => {
        if (reply.id !== id) return;
        // After running out of memory a parser's state is suspect: the sandbox is replaced.
        finish(!reply.error?.outOfMemory, () => {
          if (reply.ok) return resolve(reply.value as Result<T>);
          if (reply.error?.outOfMemory) return reject(outOfMemory());
          reject(
            asUnreadable(reply.error ?? {}) ?? new Error(`sandboxed ${task} parser failed: ${reply.error?.message}`),
          );
        });
      };
      // V8 aborts when the heap limit is reached, and the kernel's cap makes allocations fail: either ends the process.
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        // Its stderr may still be draining: give it a moment, it is what tells running out of memory from a crash.
        setTimeout(() => {
          const words = (lastWords.get(child) ?? []).join('');
          finish(false, () =>
            reject(
              outOfMemoryWords.test(words)
                ? outOfMemory(`the sandbox ended with ${signal ?? code}`)
                : crashed(task, code, signal, words),
            ),
          );
        }, 50);
      };
      const timer = setTimeout(() => {
        const seconds = Math.round(timeoutMs / 1000);
        finish(false, () =>
          reject(
            new UnreadableDocumentError(
              'too-complex',
              `parsing the document took longer than ${seconds} s`,
              `lesingen tok mer enn ${seconds} sekunder`,
            ),
          ),
        );
      }, timeoutMs);
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send({ id, task, args });
    });
  }

  private acquire(): Promise<ChildProcess> {
    const child = this.idle.pop();
    if (child) return Promise.resolve(child);
    if (this.processes < this.size) return Promise.resolve(this.spawn());
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(child: ChildProcess): void {
    const next = this.waiting.shift();
    if (next) return next(child);
    setReferenced(child, false);
    this.idle.push(child);
  }

  private discard(child: ChildProcess): void {
    child.kill('SIGKILL');
    const next = this.waiting.shift();
    if (next) next(this.spawn());
  }

  private spawn(): ChildProcess {
    // The kernel's cap on the data segment covers what V8's heap limit does not: typed arrays and native buffers.
    // It counts reserved memory too, and the PDF parser's native canvas module reserves about 1 GB at load
    // (measured), hence the headroom. V8 reserves far more address space still, so ulimit -v would not do.
    const dataKb = (this.maxMemoryMb + 2048) * 1024;
    const child = spawn(
      '/bin/sh',
      [
        '-c',
        `ulimit -d ${dataKb} && exec "$0" "$@"`,
        process.execPath,
        `--max-old-space-size=${this.maxMemoryMb}`,
        '--import',
        import.meta.resolve('tsx'),
        new URL('./sandbox-worker.ts', import.meta.url).pathname,
      ],
      // Parsers print a document's quirks (pdf.js about fonts) on stdout; they are not the worker's log. The end of
      // stderr tells a parser that ran out of memory from one that crashed.
      { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' },
    );
    const said: string[] = [];
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      said.push(chunk);
      if (said.length > 20) said.shift();
    });
    lastWords.set(child, said);
    child.on('error', () => {}); // a failed spawn shows as its exit, handled per job
    this.processes++;
    child.once('exit', () => {
      // Whenever it ends (killed, crashed while idle), it is no longer a sandbox to hand out.
      this.processes--;
      const index = this.idle.indexOf(child);
      if (index >= 0) this.idle.splice(index, 1);
    });
    setReferenced(child, false);
    return child;
  }
}

/** The last lines each sandbox wrote on stderr. */
const lastWords = new WeakMap<ChildProcess, string[]>();

/** V8's and the allocator's last words when memory ran out (a native crash says something else). */
const outOfMemoryWords = /heap limit|allocation failed|out of memory|Cannot allocate memory/i;

function setReferenced(child: ChildProcess, referenced: boolean): void {
  const handles = [child, child.channel, child.stderr] as Array<{ ref(): void; unref(): void } | null | undefined>;
  for (const handle of handles) {
    if (referenced) handle?.ref();
    else handle?.unref();
  }
}

function crashed(
  task: string,
  code: number | null,
  signal: NodeJS.Signals | null,
  words: string,
): UnreadableDocumentError {
  const said = words.trim().split('\n').slice(-2).join(' | ').slice(0, 300);
  return new UnreadableDocumentError(
    'unreadable',
    `the ${task} parser crashed (${signal ?? `exit code ${code}`})${said ? `: ${said}` : ''}`,
    'filen er skadet',
  );
}

const pools = new Map<number, SandboxPool>();

/** Runs one parser on one document in a sandbox with the given memory and time limits. */
export function runInSandbox<T extends SandboxTask>(
  task: T,
  args: Parameters<SandboxTasks[T]>,
  limits: { timeoutMs: number; maxMemoryMb: number },
): Promise<Result<T>> {
  let pool = pools.get(limits.maxMemoryMb);
  if (!pool) {
    pool = new SandboxPool(Math.max(1, Math.min(4, availableParallelism())), limits.maxMemoryMb);
    pools.set(limits.maxMemoryMb, pool);
  }
  return pool.run(task, args, limits.timeoutMs);
}
