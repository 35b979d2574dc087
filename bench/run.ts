/**
 * `npm run bench -- [--sizes 100,1000] [--extraction-size 200] [--seed 2017] [--out file.json] [--skip-extraction]
 *                   [--skip-e2e] [--skip-baseline] [--upload-concurrency 8] [--stall-seconds 400] [--keep-corpus]`
 *
 * A benchmark, not a test. Part 1: text extraction in this process over generated digital forms (PDF and .docx),
 * against `pdftotext` one process per file over the same PDFs. Part 2, per size: a fresh `grant-intake start`
 * (Temporal dev server, MinIO, worker) in a child process; a no-op workflow of the pipeline's shape through the same
 * servers (the baseline); then the documents uploaded to `inbox/` as the mailroom drops them, timed to their routed
 * case, with the worker's memory sampled. Progress on stderr, a summary on stdout, every figure in a JSON report.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, tmpdir, totalmem, availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { Command } from 'commander';
import { positiveInteger, positiveIntegers } from '../cli/options.ts';
import { SERVER_BINARIES } from '../stack/binaries.ts';
import { generateForms } from './corpus.ts';
import { benchExtraction, type ExtractionResult, type Throughput } from './extraction.ts';
import { benchPipeline, describeSettings, workerSettings, type PipelineSize } from './pipeline.ts';
import { say } from './progress.ts';

const args = new Command('npm run bench --')
  .description(
    'A benchmark: extraction against pdftotext, then the pipeline end to end per size (see the top of bench/run.ts).',
  )
  .option('--sizes <n,n>', 'documents in each end-to-end run', positiveIntegers, [100, 1000])
  .option('--extraction-size <n>', 'documents in the extraction part', positiveInteger, 200)
  .option('--seed <n>', 'seed of the generated forms', positiveInteger, 2017)
  .option('--out <file.json>', 'the JSON report (default: bench/results/<start time>.json)')
  .option('--skip-extraction', 'no extraction part')
  .option('--skip-e2e', 'no end-to-end runs')
  .option('--skip-baseline', 'no no-op baseline in the end-to-end runs')
  .option('--upload-concurrency <n>', 'uploads at once', positiveInteger, 8)
  .option('--stall-seconds <n>', 'give up a run when nothing is routed for this long', positiveInteger, 400)
  .option('--keep-corpus', 'keep the generated documents')
  .parse()
  .opts<{
    sizes: number[];
    extractionSize: number;
    seed: number;
    out?: string;
    skipExtraction?: true;
    skipE2e?: true;
    skipBaseline?: true;
    uploadConcurrency: number;
    stallSeconds: number;
    keepCorpus?: true;
  }>();
const sizes = args.skipE2e ? [] : args.sizes;
const extractionSize = args.skipExtraction ? 0 : args.extractionSize;
const { seed, uploadConcurrency, stallSeconds } = args;
const runId = randomBytes(3).toString('hex');
const startedAt = new Date();
const out =
  args.out ??
  join(dirname(fileURLToPath(import.meta.url)), 'results', `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);

Runtime.install({ logger: new DefaultLogger('WARN') });

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: availableParallelism(),
  memoryGiB: Math.round(totalmem() / 1024 ** 3),
  os: `${process.platform} ${release()}`,
  node: process.version,
  temporalCli: SERVER_BINARIES.temporal.version,
  minio: SERVER_BINARIES.minio.version,
  loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
};
say(
  `grant-intake bench ${runId}: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, load ${machine.loadAverageAtStart.join(' ')}`,
);

const corpusDir = await mkdtemp(join(tmpdir(), 'grant-intake-bench-corpus-'));
const wanted = Math.max(extractionSize, ...sizes, 0);
let generatedSeconds: number;
let extraction: ExtractionResult | undefined;
const pipeline: PipelineSize[] = [];
try {
  const generationStarted = performance.now();
  say(`generating ${wanted} digital forms (PDF and .docx, seed ${seed})…`);
  const documents = wanted ? await generateForms(wanted, seed, corpusDir, () => {}) : [];
  generatedSeconds = (performance.now() - generationStarted) / 1000;
  say(`generated in ${generatedSeconds.toFixed(0)} s`);

  if (extractionSize) {
    say('\n== extraction (in-process) vs pdftotext ==');
    extraction = await benchExtraction(documents.slice(0, extractionSize));
  }
  for (const size of sizes) {
    say(`\n== end to end: ${size} documents ==`);
    pipeline.push(
      await benchPipeline(documents.slice(0, size), {
        runId,
        uploadConcurrency,
        stallSeconds,
        skipBaseline: args.skipBaseline ?? false,
      }),
    );
  }
} finally {
  if (!args.keepCorpus) await rm(corpusDir, { recursive: true, force: true });
  else say(`corpus kept in ${corpusDir}`);
}

const report = {
  command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
  runId,
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  machine: { ...machine, loadAverageAtEnd: loadavg().map((x) => Math.round(x * 100) / 100) },
  options: {
    sizes,
    extractionSize,
    seed,
    uploadConcurrency,
    stallSeconds,
    formats: ['pdf', 'docx'],
    scans: 'not included (OCR is out of scope for these figures)',
  },
  corpus: { generatedSeconds: Math.round(generatedSeconds), forms: wanted },
  worker: workerSettings(),
  extraction,
  pipeline,
};
await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`${summary()}\nReport: ${out}\n`);
// Idle parser sandboxes and the SDK's runtime would keep nothing alive, but be sure the process ends.
process.exit(pipeline.some((p) => p.pipeline.notRouted > 0) ? 1 : 0);

function summary(): string {
  const lines: string[] = [
    '',
    `grant-intake bench (${machine.cores} cores, ${machine.cpu}, ${machine.memoryGiB} GiB, node ${machine.node})`,
  ];
  const fmt = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
  if (extraction) {
    const row = (name: string, t: Throughput) =>
      `  ${name.padEnd(36)} ${String(t.documents).padStart(5)} docs  ${fmt(t.documentsPerSecond).padStart(7)} docs/s  p50 ${fmt(t.latencyMs.p50, 0).padStart(5)} ms  p95 ${fmt(t.latencyMs.p95, 0).padStart(5)} ms  p99 ${fmt(t.latencyMs.p99, 0).padStart(5)} ms${t.failures ? `  ${t.failures} failed` : ''}`;
    lines.push(
      '',
      `Extraction, ${extraction.concurrency} at once (cold start: PDF ${extraction.coldStartMs.pdf ?? '–'} ms, .docx ${extraction.coldStartMs.docx ?? '–'} ms)`,
    );
    lines.push(row('PDF text, in-process (extractText)', extraction.pdfText));
    if (extraction.pdftotext) lines.push(row('PDF text, pdftotext per file (baseline)', extraction.pdftotext));
    lines.push(row('PDF text + fields (readApplication)', extraction.pdfTextAndFields));
    lines.push(row('.docx text, in-process', extraction.docxText));
    lines.push(row('.docx text + fields', extraction.docxTextAndFields));
    if (extraction.pdfRatio !== undefined) {
      lines.push(
        `  ratio: in-process PDF extraction runs at ${fmt(extraction.pdfRatio, 2)}× pdftotext's throughput (${fmt(1 / extraction.pdfRatio, 2)}× slower)`,
      );
    } else lines.push(`  ${extraction.pdftotextMissing}`);
  }
  for (const p of pipeline) {
    const m = p.memory;
    lines.push(
      '',
      `End to end, ${p.documents} documents (worker: ${describeSettings(p.worker)}; load ${p.load.join(' → ')})`,
    );
    const run = (name: string, r: PipelineSize['pipeline']) =>
      `  ${name.padEnd(36)} ${r.routed}/${r.documents} routed in ${fmt(r.seconds)} s  ${fmt(r.casesPerSecond, 2).padStart(6)} cases/s (95 % in ${fmt(r.seconds95)} s: ${fmt(r.casesPerSecond95, 2)}/s)  latency p50 ${fmt(r.latencyMs.p50 / 1000)} s  p95 ${fmt(r.latencyMs.p95 / 1000)} s  p99 ${fmt(r.latencyMs.p99 / 1000)} s  (${r.shape.activities} activities, ${r.shape.events} events to routing)`;
    if (p.baseline.routed) lines.push(run('no-op workflow, same shape (baseline)', p.baseline));
    lines.push(run('pipeline (upload → routed case)', p.pipeline));
    if (p.pipeline.uploadToStartMs)
      lines.push(
        `  upload → workflow started p50 ${fmt(p.pipeline.uploadToStartMs.p50 / 1000, 2)} s, p95 ${fmt(p.pipeline.uploadToStartMs.p95 / 1000, 2)} s; started → routed p50 ${fmt(p.pipeline.startToRoutedMs.p50 / 1000)} s`,
      );
    lines.push(
      `  activities, mean queued/run ms: ${Object.entries(p.pipeline.activities)
        .map(([type, t]) => `${type} ${t.queuedMs}/${t.runMs}`)
        .join(', ')}`,
    );
    lines.push(
      `  ratio: the pipeline routes ${fmt(p.ratio, 2)}× the no-op baseline's cases/s (${fmt(p.ratio95, 2)}× to 95 % of the cases)`,
    );
    for (const s of p.pipeline.stuck)
      lines.push(`  not routed: ${s.workflowId} (${s.status ?? '?'}): ${s.pending.join('; ')}`);
    lines.push(
      `  statuses: ${Object.entries(p.pipeline.statuses)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    lines.push(
      `  memory (peak RSS): worker ${m.workerPeakMb} MiB (VmHWM ${m.workerHwmMb}, idle ${m.workerIdleMb}, end ${m.workerEndMb}), sandboxes ${m.sandboxesPeakMb} MiB, worker+sandboxes ${m.workerTreePeakMb} MiB; Temporal ${m.temporalPeakMb} MiB, MinIO ${m.minioPeakMb} MiB; all ${m.totalPeakMb} MiB`,
    );
  }
  if (pipeline.length > 1) {
    const [a, b] = [pipeline[0]!, pipeline.at(-1)!];
    lines.push(
      '',
      `Worker peak RSS ${a.documents} → ${b.documents} documents: ${a.memory.workerPeakMb} → ${b.memory.workerPeakMb} MiB (×${fmt(b.memory.workerPeakMb / a.memory.workerPeakMb, 2)})`,
    );
  }
  return lines.join('\n');
}
