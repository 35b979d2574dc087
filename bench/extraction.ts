import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { loadSchemes } from '../config/schemes.ts';
import { readApplication } from '../extraction/read-application.ts';
import { extractText } from '../extraction/text.ts';
import { findOnPath } from '../stack/binaries.ts';
import type { BenchDocument } from './corpus.ts';
import pLimit from 'p-limit';
import { createProgress } from '../cli/progress.ts';
import { percentiles, say, type Percentiles } from './progress.ts';

/** One way of reading a set of documents: how many per second, and how long each took (under that load). */
export interface Throughput {
  documents: number;
  /** Documents read at once. */
  concurrency: number;
  seconds: number;
  documentsPerSecond: number;
  /** Milliseconds per document. */
  latencyMs: Percentiles;
  failures: number;
}

export interface ExtractionResult {
  corpus: { pdf: number; docx: number };
  concurrency: number;
  /** The first document of each type, read before the clock starts: it spawns the parser sandboxes. */
  coldStartMs: { pdf?: number; docx?: number };
  /**
   * In-process text extraction (`extractText`: sniff, sandboxed parser, text-layer check), as intake reads a document.
   * */
  pdfText: Throughput;
  /** The same PDFs through `pdftotext` (poppler-utils), one process per file: the baseline. */
  pdftotext?: Throughput;
  /** In-process extraction of PDFs divided by pdftotext's throughput (1 = as fast). */
  pdfRatio?: number;
  /** The same PDFs, text and fields (`extractText` + `readApplication`), as the pipeline's reading does. */
  pdfTextAndFields: Throughput;
  docxText: Throughput;
  docxTextAndFields: Throughput;
  pdftotextMissing?: string;
}

/**
 * Part 1: extraction in this process (the library the activities call, with its parser sandboxes) against pdftotext,
 * one process per file, over the same PDF files and at the same concurrency (one per core by default).
 */
export async function benchExtraction(
  documents: readonly BenchDocument[],
  concurrency = availableParallelism(),
): Promise<ExtractionResult> {
  const pdfs = documents.filter((d) => d.extension === 'pdf');
  const docxs = documents.filter((d) => d.extension === 'docx');
  const schemes = await loadSchemes();

  // Warm-up: the first documents of each kind start the sandbox processes (node + tsx + the parser's modules), one
  // per document read at once; that start-up is reported apart, as intake pays it once per worker.
  const coldStartMs: ExtractionResult['coldStartMs'] = {};
  for (const [kind, list] of [
    ['pdf', pdfs],
    ['docx', docxs],
  ] as const) {
    if (!list.length) continue;
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, (_, i) => extractText(list[i % list.length]!.bytes)));
    coldStartMs[kind] = Math.round(performance.now() - started);
  }

  const inProcess = (label: string, list: readonly BenchDocument[], fields: boolean) =>
    measure(label, list, concurrency, async (document) => {
      const text = await extractText(document.bytes);
      if (fields) readApplication(text, schemes);
    });

  const pdftotext = findOnPath('pdftotext');
  const result: ExtractionResult = {
    corpus: { pdf: pdfs.length, docx: docxs.length },
    concurrency,
    coldStartMs,
    pdfText: await inProcess('extract PDF (in-process)', pdfs, false),
    pdfTextAndFields: await inProcess('extract+read PDF', pdfs, true),
    docxText: await inProcess('extract .docx (in-process)', docxs, false),
    docxTextAndFields: await inProcess('extract+read .docx', docxs, true),
  };
  if (pdftotext) {
    result.pdftotext = await measure('pdftotext (baseline)', pdfs, concurrency, (document) =>
      runPdftotext(pdftotext, document.path),
    );
    result.pdfRatio = result.pdfText.documentsPerSecond / result.pdftotext.documentsPerSecond;
  } else {
    result.pdftotextMissing = 'pdftotext is not installed (poppler-utils): no baseline';
    say(`warning: ${result.pdftotextMissing}`);
  }
  return result;
}

async function measure(
  label: string,
  list: readonly BenchDocument[],
  concurrency: number,
  work: (document: BenchDocument) => Promise<void>,
): Promise<Throughput> {
  const progress = createProgress(label, list.length);
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  await pLimit(concurrency).map(list, async (document) => {
    const begun = performance.now();
    try {
      await work(document);
      latencies.push(performance.now() - begun);
    } catch (error) {
      failures++;
      say(`\n${label}: ${document.id}.${document.extension} failed: ${(error as Error).message}`);
    }
    progress.tick();
  });
  const seconds = (performance.now() - started) / 1000;
  progress.finish();
  return {
    documents: list.length,
    concurrency,
    seconds,
    documentsPerSecond: latencies.length / seconds,
    latencyMs: percentiles(latencies),
    failures,
  };
}

function runPdftotext(binary: string, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // -layout keeps table rows on one line, as the in-process reader does; '-' writes to stdout (read and dropped).
    execFile(
      binary,
      ['-layout', '-enc', 'UTF-8', path, '-'],
      { maxBuffer: 64 * 1024 * 1024, encoding: 'buffer' },
      (error) => (error ? reject(error) : resolve()),
    );
  });
}
