/**
 * A one-line progress bar on stderr (so stdout stays clean JSON). On a non-terminal stderr (CI, a pipe) it prints a
 * line per tenth instead of redrawing.
 */
export function createProgress(total: number, label: string, stream: NodeJS.WriteStream = process.stderr) {
  const started = Date.now();
  let done = 0;
  let lastTenth = -1;
  const render = () => {
    const elapsed = (Date.now() - started) / 1000;
    const rate = done / Math.max(elapsed, 0.001);
    const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round((done / Math.max(total, 1)) * width);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${rate.toFixed(1)}/s eta ${eta}s `);
    } else {
      const tenth = Math.floor((done / Math.max(total, 1)) * 10);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        stream.write(`${label}: ${done}/${total} (${rate.toFixed(1)}/s)\n`);
      }
    }
  };
  render();
  return {
    tick() {
      done++;
      render();
    },
    finish() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}

/** Runs `work` over `items` with at most `limit` at once, keeping the results in input order. */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(lanes);
  return results;
}
