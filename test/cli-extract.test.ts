import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DocumentResult } from '../cli/extract.ts';
import { loadSchemes } from '../config/schemes.ts';
import { generateCorpus, type CorpusEntry } from '../fixtures/generate.ts';
import type { Application } from '../schemas/application.ts';
import type { Scheme } from '../schemas/scheme.ts';
import { runCli, writeForm, writeLetterDocx, type WrittenForm } from './support/cli-documents.ts';
import { buildEml, mimeTypes } from './support/documents.ts';
import { completion, startFakeOpenAiServer } from './support/fake-openai-server.ts';

/**
 * `grant-intake extract` run as a developer runs it (a child process) on real documents: generated forms with their
 * ground truth as Word and PDF, a folder, broken files, an e-mail with attachments, and a letter read by a (fake)
 * model.
 */

let dir: string;
let schemes: Scheme[];
let docx: WrittenForm;
let pdf: WrittenForm;
/** The folder of several documents: relative path → its corpus entry. */
const folderEntries = new Map<string, CorpusEntry>();

const seed = 42;
const deadlines = { before: '2017-03-20T09:00:00+01:00', after: '2017-05-02T09:00:00+02:00' };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'grant-intake-cli-extract-'));
  schemes = await loadSchemes();
  docx = await writeForm(join(dir, 'soknad.docx'), 'docx', schemes, seed, 0);
  pdf = await writeForm(join(dir, 'soknad.pdf'), 'pdf', schemes, seed, 1);
  // A file's modification time stands for the received time when nothing else says it.
  await utimes(docx.path, new Date('2017-04-10T08:30:00Z'), new Date('2017-04-10T08:30:00Z'));

  // A folder as the mailroom might leave it: documents at two levels, and a hidden file that is not read.
  const corpus = await generateCorpus({ size: 5, seed: 2017, dir: join(dir, 'corpus'), formats: ['docx', 'pdf'] });
  await mkdir(join(dir, 'several', 'b-later'), { recursive: true });
  for (const [i, entry] of corpus.entries.entries()) {
    const relative = i === 1 ? join('b-later', entry.file) : entry.file;
    await copyFile(join(corpus.dir, entry.file), join(dir, 'several', relative));
    folderEntries.set(join('several', relative), entry);
  }
  await writeFile(join(dir, 'several', '.DS_Store'), randomBytes(64));

  // Broken files next to a good one.
  await mkdir(join(dir, 'mixed'));
  await copyFile(docx.path, join(dir, 'mixed', 'a-good.docx'));
  await writeFile(join(dir, 'mixed', 'b-random.pdf'), randomBytes(4096));
  await writeFile(
    join(dir, 'mixed', 'c-truncated.pdf'),
    Buffer.concat([Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog'), randomBytes(2048)]),
  );
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const extract = (args: string[], env?: Record<string, string>) => runCli(['extract', ...args], { cwd: dir, env });

function parseOne(stdout: string): DocumentResult {
  const parsed = JSON.parse(stdout) as DocumentResult | DocumentResult[];
  assert.ok(!Array.isArray(parsed), 'a single document is printed as one object, not an array');
  return parsed;
}

function codes(result: DocumentResult): string[] {
  return result.findings.map((finding) => finding.code);
}

describe('one document', () => {
  test('a Word form: one JSON object whose application is exactly the ground truth, read by the form reader', async () => {
    const run = await extract(['soknad.docx']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '', 'nothing on stderr for one readable file (no progress bar)');
    const result = parseOne(run.stdout);
    assert.deepEqual(Object.keys(result), [
      'file',
      'receivedAt',
      'receivedAtSource',
      'document',
      'application',
      'findings',
      'provenance',
      'timings',
    ]);
    assert.equal(result.file, 'soknad.docx');
    assert.deepEqual(result.application, docx.truth);
    assert.deepEqual(result.document, { type: 'docx', method: 'text', pages: 1 });
    assert.equal(result.provenance?.['applicant.organisationNumber']?.method, 'form');
    assert.equal(result.provenance?.['budget.amountRequested']?.method, 'form');
    assert.equal(result.receivedAt, '2017-04-10T08:30:00.000Z');
    assert.equal(result.receivedAtSource, 'file-mtime');
    for (const [name, ms] of Object.entries(result.timings))
      assert.ok(typeof ms === 'number' && ms >= 0, `${name} is a duration`);
    assert.deepEqual(Object.keys(result.timings), ['extractMs', 'readMs', 'validateMs', 'totalMs']);
    assert.ok(result.timings.totalMs >= result.timings.extractMs + result.timings.readMs);
    for (const finding of result.findings) assert.ok(finding.message.length > 0 && finding.severity);
  });

  test('a PDF form, with --received-at before and after the deadline: validation uses that time', async () => {
    const early = await extract(['soknad.pdf', '--received-at', deadlines.before]);
    assert.equal(early.code, 0, early.stderr);
    const before = parseOne(early.stdout);
    assert.deepEqual(before.application, pdf.truth);
    assert.equal(before.document?.type, 'pdf');
    assert.equal(before.receivedAt, deadlines.before);
    assert.equal(before.receivedAtSource, 'option');
    assert.ok(!codes(before).includes('received-after-deadline'), JSON.stringify(before.findings));

    const late = parseOne((await extract(['--received-at', deadlines.after, 'soknad.pdf'])).stdout);
    assert.ok(codes(late).includes('received-after-deadline'), JSON.stringify(late.findings));
    const finding = late.findings.find((f) => f.code === 'received-after-deadline')!;
    assert.match(finding.message, /etter søknadsfristen/);
  });
});

describe('a folder', () => {
  test('pretty output is one JSON array, sorted by path, nested folders read, hidden files skipped; progress on stderr', async () => {
    const run = await extract(['several', '--received-at', deadlines.before]);
    assert.equal(run.code, 0, run.stderr);
    const results = JSON.parse(run.stdout) as DocumentResult[];
    assert.ok(Array.isArray(results));
    const expectedFiles = [...folderEntries.keys()].sort();
    assert.deepEqual(
      results.map((r) => r.file),
      expectedFiles,
    );
    for (const result of results) {
      const entry = folderEntries.get(result.file)!;
      if (entry.formReadable) {
        assert.deepEqual(result.application, entry.application, `${result.file}: the application is the ground truth`);
      } else {
        // A letter: no form to read, and no model configured in this run; both are said.
        assert.ok(codes(result).includes('not-a-form'), `${result.file}: ${codes(result)}`);
        assert.ok(codes(result).includes('llm-not-configured'), `${result.file}: ${codes(result)}`);
      }
    }
    assert.ok(
      results.some((r) => !folderEntries.get(r.file)!.formReadable),
      'the folder holds a letter too',
    );
    // Progress goes to stderr (a line per tenth when stderr is not a terminal), never to stdout.
    assert.match(run.stderr, new RegExp(`extract: ${results.length}/${results.length}`));
    assert.match(run.stderr, /extract: 3 documents from 3 files in [\d.]+ s/);
    assert.ok(!run.stdout.includes('extract:'));
  });

  test('--jsonl gives one compact JSON line per document, the same objects as the pretty output', async () => {
    const run = await extract(['several', '--jsonl', '--concurrency', '1', '--received-at', deadlines.before]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.equal(lines.pop(), '', 'the output ends with a newline');
    assert.equal(lines.length, folderEntries.size);
    const results = lines.map((line) => JSON.parse(line) as DocumentResult);
    assert.deepEqual(
      results.map((r) => r.file),
      [...folderEntries.keys()].sort(),
    );
    for (const result of results.filter((r) => folderEntries.get(r.file)!.formReadable)) {
      assert.deepEqual(result.application, folderEntries.get(result.file)!.application);
    }
  });

  test('files that cannot be read: each gets its finding and error, the others are still read, exit code 1', async () => {
    const run = await extract(['mixed']);
    assert.equal(run.code, 1, run.stderr);
    const results = JSON.parse(run.stdout) as DocumentResult[];
    assert.deepEqual(
      results.map((r) => r.file),
      ['mixed/a-good.docx', 'mixed/b-random.pdf', 'mixed/c-truncated.pdf'],
    );
    const [good, random, truncated] = results as [DocumentResult, DocumentResult, DocumentResult];
    assert.deepEqual(good.application, docx.truth);
    assert.equal(good.error, undefined);

    // Random bytes named .pdf: the type is taken from the content, which is no format at all.
    assert.equal(random.error?.code, 'unsupported-type');
    assert.deepEqual(codes(random), ['unsupported-type']);
    assert.match(random.findings[0]!.message, /^Filtypen støttes ikke: .*Originalen er tatt vare på og kan åpnes\.$/);
    assert.equal(random.findings[0]!.severity, 'error');
    assert.match(random.error!.message, /neither a PDF/);
    assert.equal(random.application, null);
    assert.equal(random.provenance, null);

    // A PDF header and garbage after it: a PDF that cannot be parsed.
    assert.equal(truncated.error?.code, 'unreadable');
    assert.deepEqual(codes(truncated), ['unreadable']);
    assert.match(truncated.findings[0]!.message, /^Dokumentet kunne ikke leses/);
    assert.equal(typeof truncated.timings.totalMs, 'number');

    // The developer sees which file and why on stderr, one line each.
    assert.match(run.stderr, /^extract: mixed\/b-random\.pdf: unsupported-type: .+$/m);
    assert.match(run.stderr, /^extract: mixed\/c-truncated\.pdf: unreadable: .+$/m);
    assert.match(run.stderr, /2 could not be read/);
  });
});

describe('an e-mail', () => {
  test('an .eml gives one object per attachment, with the e-mail facts, validated at the e-mail date', async () => {
    const eml = buildEml(
      {
        from: 'Kari Nordmann <kari.nordmann@vinje.kommune.no>',
        to: 'postmottak@fylkesmannen.no',
        subject: 'Søknad om tilskudd – to vedlegg',
        date: 'Mon, 10 Apr 2017 09:12:00 +0200',
        messageId: '<soknad-2017-0410@vinje.kommune.no>',
      },
      'Hei,\n\nvedlagt er søknaden vår, i Word og som PDF.\n\nHilsen Kari',
      [
        { fileName: 'soknad.docx', contentType: mimeTypes.docx, bytes: docx.bytes },
        { fileName: 'soknad-signert.pdf', contentType: mimeTypes.pdf, bytes: pdf.bytes },
      ],
    );
    await writeFile(join(dir, 'mail.eml'), eml);
    const run = await extract(['mail.eml']);
    assert.equal(run.code, 0, run.stderr);
    const results = JSON.parse(run.stdout) as DocumentResult[];
    assert.ok(Array.isArray(results), 'two documents are a JSON array');
    assert.deepEqual(
      results.map((r) => r.file),
      ['mail.eml › soknad.docx', 'mail.eml › soknad-signert.pdf'],
    );
    assert.deepEqual(results[0]!.application, docx.truth);
    assert.deepEqual(results[1]!.application, pdf.truth);
    for (const result of results) {
      assert.equal(result.email?.subject, 'Søknad om tilskudd – to vedlegg');
      assert.equal(result.email?.messageId, '<soknad-2017-0410@vinje.kommune.no>');
      assert.match(result.email?.from ?? '', /kari\.nordmann@vinje\.kommune\.no/);
      assert.equal(new Date(result.email!.date!).toISOString(), '2017-04-10T07:12:00.000Z');
      assert.equal(result.receivedAt, result.email!.date);
      assert.equal(result.receivedAtSource, 'email');
    }
    // --received-at still wins over the e-mail's date.
    const forced = JSON.parse(
      (await extract(['mail.eml', '--jsonl', '--received-at', deadlines.after])).stdout.split('\n')[0]!,
    ) as DocumentResult;
    assert.equal(forced.receivedAtSource, 'option');
    assert.equal(forced.receivedAt, deadlines.after);
  });
});

describe('usage errors: one line on stderr, nothing on stdout, exit code 2', () => {
  const cases: Array<[string, string[], RegExp]> = [
    [
      'a path that does not exist',
      ['finnes-ikke.pdf'],
      /^grant-intake: extract: finnes-ikke\.pdf: no such file or folder$/,
    ],
    ['no path', [], /^grant-intake: extract: name a file or folder to read/],
    [
      'a date without time and offset',
      ['soknad.docx', '--received-at', '10.04.2017'],
      /--received-at must be an ISO 8601 time with an offset.*got "10\.04\.2017"/,
    ],
    [
      'a time without offset',
      ['soknad.docx', '--received-at', '2017-04-10T09:12:00'],
      /--received-at must be an ISO 8601 time with an offset/,
    ],
    [
      'a day that does not exist',
      ['soknad.docx', '--received-at', '2017-02-30T09:12:00+01:00'],
      /no such date or time/,
    ],
    ['--received-at without its value', ['soknad.docx', '--received-at'], /--received-at needs a value/],
    [
      'a bad --concurrency',
      ['soknad.docx', '--concurrency', '0'],
      /--concurrency must be a whole number of at least 1/,
    ],
    ['an unknown option', ['soknad.docx', '--json'], /unknown option --json/],
  ];
  for (const [name, args, message] of cases) {
    test(name, async () => {
      const run = await extract(args);
      assert.equal(run.code, 2, run.stderr);
      assert.equal(run.stdout, '');
      const lines = run.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, `one line, no stack trace: ${run.stderr}`);
      assert.match(lines[0]!, message);
    });
  }

  test('--help prints the command usage on stdout', async () => {
    const run = await extract(['--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^grant-intake extract <file\|folder>/);
  });
});

describe('with a language model configured', () => {
  test("a letter (not a form): the model's fields arrive with method 'llm' and its quote as the source", async () => {
    const scheme = schemes.find((s) => s.id === 'kompetanse-innovasjon-2017')!;
    const letter = await writeLetterDocx(join(dir, 'brev.docx'), scheme, seed);
    const said = letter.application;
    const answer = {
      application: {
        schemeId: said.schemeId,
        applicant: {
          name: said.applicant!.name,
          postalCode: said.applicant!.postalCode,
          postalPlace: said.applicant!.postalPlace,
        },
        contact: { name: said.contact!.name, email: said.contact!.email },
        project: { title: said.project!.title },
        budget: { amountRequested: said.budget!.amountRequested },
        signature: { date: said.signature!.date, name: said.signature!.name },
      } satisfies Application,
      evidence: [
        { field: 'applicant.name', quote: said.applicant!.name! },
        { field: 'contact.email', quote: said.contact!.email! },
        { field: 'project.title', quote: said.project!.title! },
        { field: 'signature.name', quote: said.signature!.name! },
      ],
    };
    const server = await startFakeOpenAiServer([completion(answer)]);
    try {
      const run = await extract(['brev.docx', '--received-at', deadlines.before], {
        OPENAI_BASE_URL: server.baseUrl,
        OPENAI_API_KEY: 'sk-test-cli-extract',
        OPENAI_MODEL: 'fake-model',
      });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(server.requests.length, 1, 'the model was asked once');
      const result = parseOne(run.stdout);
      const provenance = result.provenance!;
      for (const path of ['applicant.name', 'contact.email', 'project.title', 'signature.name'] as const) {
        assert.equal(provenance[path]?.method, 'llm', `${path} was read by the model`);
        assert.equal(provenance[path]?.confidence, 0.7, `${path}: quoted, so as sure as a lenient form read`);
      }
      assert.equal(provenance['contact.email']?.source, said.contact!.email);
      // Every value the model gave that the form reader did not find is the letter's own.
      const llmFields = Object.entries(provenance)
        .filter(([, read]) => read.method === 'llm')
        .map(([path]) => path);
      assert.ok(llmFields.length >= 6, `fields from the model: ${llmFields}`);
      assert.equal(result.application!.applicant?.name, said.applicant!.name);
      assert.equal(result.application!.contact?.email, said.contact!.email);
      assert.equal(result.application!.project?.title, said.project!.title);
      assert.equal(result.application!.budget?.amountRequested, said.budget!.amountRequested);
      assert.equal(result.application!.signature?.date, said.signature!.date);
      assert.ok(!codes(result).includes('llm-not-configured'));
      // A value without a quote in the document is flagged for a second look.
      assert.ok(
        result.findings.some((f) => f.code === 'low-confidence' && f.field === 'budget.amountRequested'),
        JSON.stringify(result.findings.map((f) => [f.code, f.field])),
      );
      assert.ok(
        !run.stdout.includes('sk-test-cli-extract') && !run.stderr.includes('sk-test-cli-extract'),
        'the key is never printed',
      );
    } finally {
      await server.close();
    }
  });
});
