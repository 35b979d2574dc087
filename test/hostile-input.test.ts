/**
 * Hostile input: broken and malicious files of every kind the mailroom could drop (see test/support/hostile-files.ts)
 * go through the extraction library, one after the other. Each must settle within a bounded time with the outcome a
 * caseworker should see (a specific `UnreadableDocumentError` code, or the text as plain text), without blocking the
 * event loop (parsing runs in a sandbox), and afterwards this process must still be alive, read a good document, and
 * never have held more than 1.5 GB.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { extractDocuments, type DocumentPart } from '../extraction/documents.ts';
import { extractText, UnreadableDocumentError } from '../extraction/text.ts';
import { makeDocx } from './support/documents.ts';
import {
  bytesOf,
  GOOD_LINES,
  goodPdf,
  hostileFiles,
  type HostileFile,
  type Outcome,
  type PartExpectation,
  type TextExpectation,
} from './support/hostile-files.ts';

/** No case may take longer than this, whatever the document does (the library's own default limit is 120 s). */
const CASE_TIMEOUT_MS = 60_000;
/** The process (this test file's, sandboxes included) may never have held more than this. */
const RSS_LIMIT_BYTES = 1.5 * 1024 ** 3;
/** The main thread's event loop may not stall longer than this while a document is parsed. */
const EVENT_LOOP_STALL_LIMIT_MS = 2_000;

/** Peak resident set size of this process so far (getrusage's maxrss is in kilobytes). */
const peakRss = () => process.resourceUsage().maxRSS * 1024;
const gb = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(2)} GB`;

/** The first case during which the peak crossed the limit, so the failure names it. */
let rssLimitCrossedBy: string | undefined;

const pageText = (part: DocumentPart) => part.text?.pages.map((page) => page.text).join('\n') ?? '';

/** What a part came to, for failure messages and the run's diagnostics. */
function describePart(part: DocumentPart): string {
  if (part.error) return `${part.file}: ${part.error.code} (${part.error.message})`;
  if (part.text)
    return `${part.file}: ${part.text.type}/${part.text.method}, ${part.text.pages.length} page(s): ${JSON.stringify(pageText(part).slice(0, 160))}`;
  return `${part.file}: neither text nor error`;
}

/** Why a part does not match an outcome, or undefined when it does. */
function mismatch(part: DocumentPart, outcome: Outcome): string | undefined {
  if ('code' in outcome) {
    if (!part.error) return `expected ${outcome.code}, got text`;
    if (!(part.error instanceof UnreadableDocumentError))
      return `expected an UnreadableDocumentError, got ${String(part.error)}`;
    if (part.error.code !== outcome.code) return `expected ${outcome.code}, got ${part.error.code}`;
    if (part.text) return `an error and text at once`;
    return undefined;
  }
  if (part.error) return `expected text, got ${part.error.code}`;
  if (!part.text) return 'expected text, got neither text nor error';
  return textMismatch(part, outcome.text);
}

function textMismatch(part: DocumentPart, expected: TextExpectation): string | undefined {
  const text = pageText(part);
  const method = part.text!.method;
  if (expected.method && method !== expected.method) return `expected ${expected.method}, read by ${method}`;
  const missing = (expected.contains ?? []).filter((s) => !text.includes(s));
  if (missing.length) return `text lacks ${JSON.stringify(missing)}`;
  const present = (expected.excludes ?? []).filter((s) => (typeof s === 'string' ? text.includes(s) : s.test(text)));
  if (present.length) return `text has ${present.map(String).join(', ')}`;
  if (method === 'ocr') {
    const unseen = (expected.ocrContains ?? []).filter((s) => !text.includes(s));
    if (unseen.length) return `OCR text lacks ${JSON.stringify(unseen)}`;
  }
  return undefined;
}

/** Asserts the parts against the case's expectation. */
function assertExpected(file: HostileFile, parts: DocumentPart[]): void {
  const summary = parts.map(describePart).join('\n  ');
  for (const part of parts) {
    assert.ok(part.text || part.error, `a part with neither text nor error:\n  ${summary}`);
    if (part.error)
      assert.ok(part.error instanceof UnreadableDocumentError, `not an UnreadableDocumentError: ${part.error}`);
  }
  const expect = file.expect;
  if ('parts' in expect) {
    if (expect.count !== undefined)
      assert.equal(parts.length, expect.count, `expected ${expect.count} part(s), got:\n  ${summary}`);
    if (expect.maxCount !== undefined)
      assert.ok(
        parts.length <= expect.maxCount,
        `expected at most ${expect.maxCount} part(s), got ${parts.length}:\n  ${summary}`,
      );
    for (const wanted of expect.parts) assertSomePart(parts, wanted, summary);
    for (const part of parts) {
      const leaked: string[] = (expect.noPartContains ?? []).filter((s) => pageText(part).includes(s));
      assert.deepEqual(leaked, [], `a part was read that is over the limits: ${describePart(part)}`);
    }
    return;
  }
  assert.equal(parts.length, 1, `one file, one part; got:\n  ${summary}`);
  const [part] = parts as [DocumentPart];
  assert.equal(part.file, file.fileName, 'the part keeps the file name it was given');
  const outcomes = 'anyOf' in expect ? expect.anyOf : [expect];
  const reasons = outcomes.map((outcome) => mismatch(part, outcome));
  if (reasons.every((reason) => reason !== undefined)) {
    assert.fail(`${file.name} (${file.what}):\n  ${reasons.join('\n  or: ')}\n  got: ${summary}`);
  }
}

function assertSomePart(parts: DocumentPart[], wanted: PartExpectation, summary: string): void {
  const named = parts.filter(
    (part) =>
      wanted.file === undefined ||
      (typeof wanted.file === 'string' ? part.file === wanted.file : wanted.file.test(part.file)),
  );
  assert.ok(named.length > 0, `no part named ${String(wanted.file)}:\n  ${summary}`);
  const outcomes = Array.isArray(wanted.outcome) ? wanted.outcome : [wanted.outcome];
  const reasons = named.map((part) => outcomes.map((outcome) => mismatch(part, outcome)));
  assert.ok(
    reasons.some((forPart) => forPart.some((reason) => reason === undefined)),
    `no part ${wanted.file ? `named ${String(wanted.file)} ` : ''}matches ${JSON.stringify(wanted.outcome)}: ${reasons.map((forPart) => forPart.join(' / ')).join('; ')}\n  ${summary}`,
  );
}

describe('hostile input', () => {
  after(() => {
    if (rssLimitCrossedBy) console.error(`peak RSS crossed ${gb(RSS_LIMIT_BYTES)} during ${rssLimitCrossedBy}`);
  });

  for (const file of hostileFiles) {
    test(`${file.name}: ${file.what}`, { timeout: CASE_TIMEOUT_MS }, async (t) => {
      const bytes = await bytesOf(file);
      const options = file.limits ? { limits: file.limits } : {};
      const loop = monitorEventLoopDelay({ resolution: 20 });
      loop.enable();
      const started = performance.now();
      let parts: DocumentPart[];
      try {
        parts = await extractDocuments(bytes, file.fileName, options);
      } finally {
        loop.disable();
      }
      const elapsed = performance.now() - started;
      const stallMs = loop.max / 1e6;
      t.diagnostic(
        `${Math.round(elapsed)} ms, ${bytes.length} bytes, event-loop stall ≤ ${Math.round(stallMs)} ms, peak RSS ${gb(peakRss())}`,
      );
      for (const part of parts) t.diagnostic(describePart(part));

      if (peakRss() > RSS_LIMIT_BYTES && !rssLimitCrossedBy) {
        rssLimitCrossedBy = file.name;
        assert.fail(
          `the process's peak RSS reached ${gb(peakRss())} during this case (limit ${gb(RSS_LIMIT_BYTES)}): the parser's memory is not bounded by its sandbox`,
        );
      }
      assert.ok(
        stallMs < EVENT_LOOP_STALL_LIMIT_MS,
        `the main thread's event loop stalled for ${Math.round(stallMs)} ms: the document was parsed outside the sandbox`,
      );
      assertExpected(file, parts);

      // extractText (one document, no e-mail expansion) must agree: it rejects with the same code, or reads it.
      // Only where it is cheap, to keep the suite within its time.
      if (!file.fileName.endsWith('.eml') && !('parts' in file.expect) && elapsed < 1_500) {
        const [part] = parts as [DocumentPart];
        if (part.error) {
          await assert.rejects(
            extractText(bytes, options),
            (error: unknown) => error instanceof UnreadableDocumentError && error.code === part.error!.code,
            `extractText should reject with ${part.error.code}`,
          );
        } else {
          const text = await extractText(bytes, options);
          assert.equal(text.type, part.text!.type);
        }
      }
    });
  }

  test(
    'a process that has extracted documents exits by itself (idle sandboxes do not hold it)',
    { timeout: CASE_TIMEOUT_MS },
    async () => {
      // In a child process: this one has run every case, and whatever they left behind is not the point here.
      const script = [
        `import { extractDocuments } from ${JSON.stringify(new URL('../extraction/documents.ts', import.meta.url).href)};`,
        `import { goodPdf } from ${JSON.stringify(new URL('./support/hostile-files.ts', import.meta.url).href)};`,
        `import { makeDocx } from ${JSON.stringify(new URL('./support/documents.ts', import.meta.url).href)};`,
        "const parts = [...(await extractDocuments(await goodPdf(), 'a.pdf')), ...(await extractDocuments(await makeDocx(['Hei']), 'b.docx'))];",
        'if (parts.some((part) => !part.text)) { console.error(JSON.stringify(parts.map((part) => part.error?.message))); process.exitCode = 2; }',
      ].join('\n');
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exitLimitMs = 30_000;
      const exit = await new Promise<number | 'still running'>((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve('still running');
        }, exitLimitMs);
        child.on('exit', (code) => {
          clearTimeout(timer);
          resolve(code ?? -1);
        });
      });
      assert.equal(
        exit,
        0,
        `after reading a PDF and a .docx the process ${exit === 'still running' ? `was still running ${exitLimitMs / 1000} s later` : `exited with ${exit}`}: ${stderr.slice(-500)}`,
      );
    },
  );

  test(
    'afterwards the process is alive, reads good documents and never held more than 1.5 GB',
    { timeout: CASE_TIMEOUT_MS },
    async () => {
      const [pdf] = await extractDocuments(await goodPdf(), 'soknad.pdf');
      assert.ok(pdf?.text, `the good PDF was not read: ${pdf && describePart(pdf)}`);
      for (const line of GOOD_LINES) assert.ok(pageText(pdf).includes(line), `the good PDF lacks ${line}`);
      const [docx] = await extractDocuments(await makeDocx(GOOD_LINES), 'soknad.docx');
      assert.ok(docx?.text, `the good .docx was not read: ${docx && describePart(docx)}`);
      for (const line of GOOD_LINES) assert.ok(pageText(docx).includes(line), `the good .docx lacks ${line}`);
      assert.ok(
        peakRss() < RSS_LIMIT_BYTES,
        `peak RSS ${gb(peakRss())} is over ${gb(RSS_LIMIT_BYTES)}${rssLimitCrossedBy ? `, first crossed during ${rssLimitCrossedBy}` : ''}`,
      );
    },
  );
});
