import cliProgress, { type Options, type Params } from 'cli-progress';

// A CommonJS module: its named exports come through the default import.
const { Format, SingleBar } = cliProgress;

/**
 * A progress bar on stderr (so stdout stays clean JSON). On a terminal it redraws one line; otherwise (CI, a pipe, a
 * log file) it prints a plain line every few seconds and at the end, so logs stay readable.
 */
export interface Progress {
  /** Sets how many are done (and, optionally, a short note such as "routed 40, reading 12"). */
  update(done: number, note?: string): void;
  tick(note?: string): void;
  finish(note?: string): void;
}

export function createProgress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = Boolean(stream.isTTY);
  const line = (options: Options, params: Params, payload: { note: string }) => {
    const elapsed = (Date.now() - params.startTime) / 1000;
    const rate = params.value / Math.max(elapsed, 0.001);
    const eta =
      rate > 0 && params.value < params.total ? `, eta ${Math.ceil((params.total - params.value) / rate)} s` : '';
    const stats = `${params.value}/${params.total} ${elapsed.toFixed(0)} s (${rate.toFixed(1)}/s${eta})${payload.note ? ` ${payload.note}` : ''}`;
    return tty ? `${label} [${Format.BarFormat(params.progress, options)}] ${stats}` : `${label}: ${stats}`;
  };
  const bar = new SingleBar({
    stream,
    format: line,
    noTTYOutput: true,
    notTTYSchedule: 5000,
    barsize: 28,
    barCompleteChar: '#',
    barIncompleteChar: '.',
    hideCursor: false,
    clearOnComplete: !tty,
  });
  bar.start(total, 0, { note: '' });
  return {
    update: (done, note) => bar.update(done, note === undefined ? {} : { note }),
    tick: (note) => bar.increment(1, note === undefined ? {} : { note }),
    finish: (note) => {
      if (note !== undefined) bar.update({ note });
      bar.stop();
    },
  };
}
