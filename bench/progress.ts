/**
 * A progress bar on stderr. On a terminal it redraws one line (at most ten times a second); otherwise (CI, a pipe,
 * a log file) it prints a plain line every few seconds and at the end, so logs stay readable.
 */
export interface Progress {
  /** Sets how many are done (and, optionally, a short note such as "routed 40, reading 12"). */
  update(done: number, note?: string): void;
  tick(note?: string): void;
  finish(note?: string): void;
}

export function createProgress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = performance.now();
  const tty = Boolean(stream.isTTY);
  let done = 0;
  let note = '';
  let lastDraw = 0;
  const line = () => {
    const elapsed = (performance.now() - started) / 1000;
    const rate = done / Math.max(elapsed, 0.001);
    const eta = rate > 0 && done < total ? `, eta ${Math.ceil((total - done) / rate)} s` : '';
    const stats = `${done}/${total} ${elapsed.toFixed(0)} s (${rate.toFixed(1)}/s${eta})${note ? ` ${note}` : ''}`;
    if (!tty) return `${label}: ${stats}`;
    const width = 28;
    const filled = Math.min(width, Math.round((done / Math.max(total, 1)) * width));
    return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${stats}`;
  };
  const draw = (force = false) => {
    const now = performance.now();
    if (!force && now - lastDraw < (tty ? 100 : 5000)) return;
    lastDraw = now;
    if (tty) stream.write(`\r\x1b[2K${line().slice(0, (stream.columns ?? 120) - 1)}`);
    else stream.write(`${line()}\n`);
  };
  draw(true);
  return {
    update(value, text) {
      done = value;
      if (text !== undefined) note = text;
      draw();
    },
    tick(text) {
      this.update(done + 1, text);
    },
    finish(text) {
      if (text !== undefined) note = text;
      draw(true);
      if (tty) stream.write('\n');
    },
  };
}

/** Runs `work` over `items`, at most `limit` at once. */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

/** Latency percentiles in milliseconds. */
export interface Percentiles {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : NaN);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    count: sorted.length,
    mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(sorted.at(-1) ?? NaN),
  };
}

export const say = (line = '') => process.stderr.write(`${line}\n`);
