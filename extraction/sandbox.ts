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
          reject(asUnreadable(reply.error ?? {}) ?? new Error(`sandboxed ${task} parser failed: ${reply.error?.message}`));
        });
      };
      // V8 aborts when the heap limit is reached, and the kernel's cap makes allocations fail: either ends the process.
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => 
        finish(false, () => reject(signal === 'SIGABRT' || signal === 'SIGSEGV' || code === 134 ? outOfMemory(`the sandbox ended with ${signal ?? code}`) : crashed(task, code, signal)));
      const timer = setTimeout(() => {
        const seconds = Math.round(timeoutMs / 1000);
        finish(false, () => reject(new UnreadableDocumentError('too-complex', `parsing the document took longer than ${seconds} s`, `lesingen tok mer enn ${seconds} sekunder`)));
      }, timeoutMs);
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send({ id, task, args });
    });
  }

  private acquire(): Promise<ChildProcess> {
    const child = this.idle.pop();
    if (child) return Promise.resolve(child);
    if (this.processes < this.size) {
      this.processes++;
      return Promise.resolve(this.spawn());
    }
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
    else this.processes--;
  }

  private spawn(): ChildProcess {
    // The kernel's cap on the data segment covers what V8's heap limit does not: typed arrays and native buffers.
    // V8 reserves address space it never touches, so a cap on the address space (ulimit -v) would not do.
    const dataKb = (this.maxMemoryMb + 512) * 1024;
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
      // Parsers print a document's quirks (pdf.js about fonts); they are not the worker's log.
      { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'advanced' },
    );
    child.on('error', () => {}); // a failed spawn shows as its exit, handled per job
    setReferenced(child, false);
    return child;
  }
}

function setReferenced(child: ChildProcess, referenced: boolean): void {
  const channel = child.channel as { ref(): void; unref(): void } | null | undefined;
  if (referenced) {
    child.ref();
    channel?.ref();
  } else {
    child.unref();
    channel?.unref();
  }
}

function crashed(task: string, code: number | null, signal: NodeJS.Signals | null): UnreadableDocumentError {
  return new UnreadableDocumentError('unreadable', `the ${task} parser crashed (${signal ?? `exit code ${code}`})`, 'filen er skadet');
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
