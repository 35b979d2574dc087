/**
 * `npm run eval -- [--size 300] [--seed 2017] [--out dir] [--keep] [--formats docx,pdf]`
 *
 * Generates a corpus of filled forms (and letters and non-applications) with their ground truth, reads every
 * document the way intake does (text extraction, scheme detection, form reading), and reports field-level accuracy
 * per format, field and language, and how often a value read with confidence ≥ 0.9 is wrong.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Command, Option } from 'commander';
import pLimit from 'p-limit';
import { positiveInteger } from '../cli/options.ts';
import { loadSchemes } from '../config/schemes.ts';
import { readApplication } from '../extraction/read-application.ts';
import { extractText } from '../extraction/text.ts';
import type { Application, FieldPath } from '../schemas/application.ts';
import { fieldLabels, valueAt } from '../schemas/rules/fields.ts';
import type { Scheme } from '../schemas/scheme.ts';
import { formats, generateCorpus, type CorpusEntry, type Format } from '../fixtures/generate.ts';

const highConfidence = 0.9;
const concurrency = 2;
const digitalFormats: readonly Format[] = ['docx', 'pdf', 'libreoffice-pdf', 'doc'];

type Outcome = 'exact' | 'wrong' | 'missing' | 'spurious';

interface FieldResult {
  path: FieldPath;
  outcome: Outcome;
  expected?: unknown;
  actual?: unknown;
  confidence?: number;
}

interface DocumentResult {
  id: string;
  file: string;
  format: Format;
  kind: CorpusEntry['kind'];
  language: CorpusEntry['language'];
  layout?: string;
  checkbox?: string;
  /** Why the text could not be extracted, if it could not. */
  error?: string;
  seconds: number;
  fields: FieldResult[];
}

const args = new Command('npm run eval --')
  .option('--size <n>', 'filled forms to generate and read', positiveInteger, 300)
  .option('--seed <n>', 'seed of the generated forms', positiveInteger, 2017)
  .option('--out <dir>', 'where the corpus and the report go (default: a temporary folder)')
  .option('--keep', 'keep the corpus')
  .addOption(new Option('--formats <f,f>', 'only these formats').argParser((value) => value.split(',').map((f) => f.trim())))
  .parse()
  .opts<{ size: number; seed: number; out?: string; keep?: true; formats?: string[] }>();
const { size, seed } = args;
if (args.formats?.some((f) => !(formats as readonly string[]).includes(f))) throw new Error(`--formats takes some of: ${formats.join(', ')}`);
const chosenFormats = args.formats as Format[] | undefined;

const out = args.out ?? (await mkdtemp(join(tmpdir(), 'grant-intake-eval-')));
const corpusDir = join(out, 'corpus');
await rm(corpusDir, { recursive: true, force: true });
await mkdir(corpusDir, { recursive: true });

const started = performance.now();
const corpus = await generateCorpus({
  size,
  seed,
  dir: corpusDir,
  ...(chosenFormats ? { formats: chosenFormats } : {}),
  onProgress: (message) => process.stderr.write(`${message}\n`),
});
const generatedSeconds = (performance.now() - started) / 1000;
const schemes = await loadSchemes();

const readStarted = performance.now();
const results: DocumentResult[] = [];
let done = 0;
await pLimit(concurrency).map(corpus.entries, async (entry) => {
  const result = await evaluate(entry, schemes);
  results.push(result);
  done++;
  const counted = result.fields.filter((f) => f.outcome !== 'spurious');
  const exact = counted.filter((f) => f.outcome === 'exact').length;
  process.stderr.write(
    `[${String(done).padStart(4)}/${corpus.entries.length}] ${entry.file.padEnd(10)} ${entry.format.padEnd(16)} ${entry.kind.padEnd(15)} ` +
      `${result.error ?? `${exact}/${counted.length} exact`}  ${result.seconds.toFixed(1)} s\n`,
  );
});
const readSeconds = (performance.now() - readStarted) / 1000;
results.sort((a, b) => a.id.localeCompare(b.id));

async function evaluate(entry: CorpusEntry, schemes: Scheme[]): Promise<DocumentResult> {
  const startedAt = performance.now();
  const base = {
    id: entry.id,
    file: entry.file,
    format: entry.format,
    kind: entry.kind,
    language: entry.language,
    ...(entry.style ? { layout: entry.style.layout, checkbox: entry.style.checkbox } : {}),
  };
  try {
    const extracted = await extractText(await readFile(join(corpusDir, entry.file)));
    const reading = readApplication(extracted, schemes);
    const fields = compare(entry.application, reading.application, (path) => reading.provenance[path]?.confidence);
    return { ...base, seconds: (performance.now() - startedAt) / 1000, fields };
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as Error).name;
    const fields = compare(entry.application, {}, () => undefined);
    return { ...base, error: `unreadable (${code}): ${(error as Error).message}`, seconds: (performance.now() - startedAt) / 1000, fields };
  }
}

function compare(truth: Application, read: Application, confidenceOf: (path: FieldPath) => number | undefined): FieldResult[] {
  const results: FieldResult[] = [];
  for (const path of Object.keys(fieldLabels) as FieldPath[]) {
    const expected = valueAt(truth, path);
    const actual = valueAt(read, path);
    if (expected === undefined && actual === undefined) continue;
    const confidence = confidenceOf(path);
    const outcome: Outcome =
      expected === undefined ? 'spurious' : actual === undefined ? 'missing' : isDeepStrictEqual(expected, actual) ? 'exact' : 'wrong';
    results.push({ path, outcome, expected, actual, ...(confidence !== undefined ? { confidence } : {}) });
  }
  return results;
}

// --- figures -----------------------------------------------------------------------------------------------------

interface Tally {
  documents: number;
  fields: number;
  exact: number;
  wrong: number;
  missing: number;
  /** Values read with confidence ≥ 0.9, and how many of them are wrong (or should not be there at all). */
  confident: number;
  confidentWrong: number;
}

function tally(documents: readonly DocumentResult[], fieldFilter: (field: FieldResult) => boolean = () => true): Tally {
  const t: Tally = { documents: documents.length, fields: 0, exact: 0, wrong: 0, missing: 0, confident: 0, confidentWrong: 0 };
  for (const document of documents) {
    for (const field of document.fields.filter(fieldFilter)) {
      if (field.outcome !== 'spurious') {
        t.fields++;
        t[field.outcome]++;
      }
      if (field.outcome !== 'missing' && (field.confidence ?? 0) >= highConfidence) {
        t.confident++;
        if (field.outcome !== 'exact') t.confidentWrong++;
      }
    }
  }
  return t;
}

const percent = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(2)} %` : '–');

function table(title: string, rows: Array<[string, Tally]>): string {
  const header = ['', 'docs', 'fields', 'exact', 'wrong', 'missing', 'accuracy', 'conf≥0.9', 'wrong≥0.9'];
  const lines = rows.map(([name, t]) => [
    name,
    String(t.documents),
    String(t.fields),
    String(t.exact),
    String(t.wrong),
    String(t.missing),
    percent(t.exact, t.fields),
    String(t.confident),
    percent(t.confidentWrong, t.confident),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [title, format(header), ...lines.map(format)].join('\n');
}

const forms = results.filter((r) => r.kind === 'form');
const digital = forms.filter((r) => digitalFormats.includes(r.format));
const scanned = forms.filter((r) => r.format === 'scanned');
const group = <K extends string>(items: readonly DocumentResult[], key: (r: DocumentResult) => K | undefined) => {
  const groups = new Map<K, DocumentResult[]>();
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
};

const byFormat: Array<[string, Tally]> = [
  ...formats.filter((f) => forms.some((r) => r.format === f)).map((f): [string, Tally] => [f, tally(forms.filter((r) => r.format === f))]),
  ['digital (all but scanned)', tally(digital)],
  ['digital, text extracted', tally(digital.filter((r) => !r.error))],
  ['all forms', tally(forms)],
];
const fieldPaths = Object.keys(fieldLabels) as FieldPath[];
const byField = (documents: DocumentResult[]) =>
  fieldPaths
    .map((path): [string, Tally] => [path, tally(documents, (f) => f.path === path)])
    .filter(([, t]) => t.fields || t.confident);
const byLanguage = (documents: DocumentResult[]) => group(documents, (r) => r.language).map(([k, v]): [string, Tally] => [k, tally(v)]);
const byStyle = (documents: DocumentResult[]) => [
  ...group(documents, (r) => r.layout && `layout ${r.layout}`).map(([k, v]): [string, Tally] => [k, tally(v)]),
  ...group(documents, (r) => r.checkbox && `checkbox ${r.checkbox}`).map(([k, v]): [string, Tally] => [
    k,
    tally(v, (f) => f.path === 'project.category' || f.path === 'subGoals' || f.path === 'hasOverarchingPlan'),
  ]),
];

const others = results.filter((r) => r.kind !== 'form');
const otherRows = group(others, (r) => r.kind).map(([kind, documents]) => {
  const schemeRight = documents.filter((d) => d.fields.find((f) => f.path === 'schemeId')?.outcome === 'exact').length;
  const read = documents.flatMap((d) => d.fields.filter((f) => f.path !== 'schemeId' && f.actual !== undefined));
  const confident = read.filter((f) => (f.confidence ?? 0) >= highConfidence);
  return `${kind.padEnd(16)} docs ${documents.length}  scheme right ${schemeRight}/${documents.length}  fields read by the form reader ${read.length} (of them exact ${read.filter((f) => f.outcome === 'exact').length}, with confidence ≥ 0.9 ${confident.length}, wrong at ≥ 0.9 ${confident.filter((f) => f.outcome !== 'exact').length})`;
});

const unreadable = results.filter((r) => r.error);
const mismatches = forms.filter((r) => !r.error).flatMap((r) =>
  r.fields.filter((f) => f.outcome !== 'exact').map((f) => ({ id: r.id, format: r.format, layout: r.layout, ...f })),
);
const confidentMistakes = mismatches.filter((m) => m.outcome !== 'missing' && (m.confidence ?? 0) >= highConfidence);

const digitalTally = tally(digital);
const extractedTally = tally(digital.filter((r) => !r.error));
const scannedTally = tally(scanned);
const summary = [
  `Corpus: ${results.length} documents (seed ${seed}, size ${size}): ${forms.length} forms, ${others.filter((r) => r.kind === 'letter').length} letters, ${others.filter((r) => r.kind === 'not-application').length} non-applications; ${corpus.dir}`,
  ...corpus.unavailable.map((u) => `Not produced: ${u.documents} ${u.format} documents (${u.reason})`),
  `Time: generated in ${generatedSeconds.toFixed(0)} s, read in ${readSeconds.toFixed(0)} s (concurrency ${concurrency}), ${(readSeconds / Math.max(1, results.length)).toFixed(2)} s per document`,
  '',
  table('Field accuracy of forms by format', byFormat),
  '',
  table('Digital forms by field', byField(digital)),
  '',
  ...(scanned.length ? [table('Scanned forms by field', byField(scanned)), ''] : []),
  table('Forms by language (digital)', byLanguage(digital)),
  ...(scanned.length ? ['', table('Forms by language (scanned)', byLanguage(scanned))] : []),
  '',
  table('Digital forms by layout (all fields) and checkbox style (option fields only)', byStyle(digital)),
  '',
  'Letters and non-applications (not forms: excluded from the figures above)',
  ...otherRows,
  '',
  `Unreadable documents: ${unreadable.length}`,
  ...group(unreadable, (r) => r.format).map(([format, documents]) => `  ${format}: ${documents.length} (${documents[0]!.error})`),
  '',
  `Targets: digital ${percent(digitalTally.exact, digitalTally.fields)} exact, ${percent(extractedTally.exact, extractedTally.fields)} where text was extracted (target ≥ 99 %), scanned ${percent(scannedTally.exact, scannedTally.fields)} (target ≥ 95 %); ` +
    `wrong among values with confidence ≥ 0.9: ${percent(tally(forms).confidentWrong, tally(forms).confident)} (${tally(forms).confidentWrong} of ${tally(forms).confident})`,
  ...(confidentMistakes.length
    ? ['', 'Wrong values with confidence ≥ 0.9 (first 15):', ...confidentMistakes.slice(0, 15).map((m) => `  ${m.id} ${m.format} ${m.layout} ${m.path}: expected ${JSON.stringify(m.expected)}, read ${JSON.stringify(m.actual)} (${m.confidence})`)]
    : []),
  '',
  'Mismatches in digital forms whose text was extracted (first 25):',
  ...mismatches
    .filter((m) => m.format !== 'scanned')
    .slice(0, 25)
    .map((m) => `  ${m.id} ${m.format} ${m.layout} ${m.path} ${m.outcome}: expected ${JSON.stringify(m.expected)}, read ${JSON.stringify(m.actual)}`),
].join('\n');

const reportFile = join(out, 'report.json');
await writeFile(
  reportFile,
  JSON.stringify(
    {
      seed,
      size,
      generatedSeconds,
      readSeconds,
      unavailable: corpus.unavailable,
      byFormat: Object.fromEntries(byFormat),
      digitalByField: Object.fromEntries(byField(digital)),
      scannedByField: Object.fromEntries(byField(scanned)),
      digitalByLanguage: Object.fromEntries(byLanguage(digital)),
      scannedByLanguage: Object.fromEntries(byLanguage(scanned)),
      digitalByStyle: Object.fromEntries(byStyle(digital)),
      others: otherRows,
      mismatches,
      documents: results,
    },
    null,
    2,
  ),
);
if (!args.keep) await rm(corpusDir, { recursive: true, force: true });
process.stdout.write(`${summary}\n\nReport: ${reportFile}${args.keep ? `\nCorpus kept in ${corpusDir}` : ''}\n`);
