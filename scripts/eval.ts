/**
 * `npm run eval -- [--size 300] [--seed 2017] [--held-out-size 150] [--held-out-seed 4517] [--out dir] [--keep]
 * [--formats docx,pdf]`
 *
 * Generates a corpus of filled forms (and letters and non-applications) with their ground truth, reads every
 * document the way intake does (text extraction, scheme detection, form reading, validation), and reports
 * field-level accuracy per format, field, language and kind of form (template, fonts, choices, scans), how often a
 * value read with confidence ≥ 0.9 is wrong, and how many documents get an error finding for a field they do hold.
 * A second corpus from its own seed is the held-out set: reader changes are tuned on the first and checked on it.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Command, Option } from 'commander';
import pLimit from 'p-limit';
import { positiveInteger, wholeNumber } from '../cli/options.ts';
import { loadSchemes } from '../config/schemes.ts';
import { readApplication } from '../extraction/read-application.ts';
import { extractText } from '../extraction/text.ts';
import type { Application, FieldPath } from '../schemas/application.ts';
import { fieldLabels, valueAt } from '../schemas/rules/fields.ts';
import type { Scheme } from '../schemas/scheme.ts';
import { validateApplication } from '../schemas/validate.ts';
import { formats, generateCorpus, loadCorpus, type CorpusEntry, type Format } from '../fixtures/generate.ts';

/** Before every deadline: lateness is not what the reader is measured on. */
const receivedAt = '2017-03-20T10:00:00+01:00';

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

type CorpusSet = 'tuning' | 'held-out';

interface DocumentResult {
  set: CorpusSet;
  id: string;
  file: string;
  format: Format;
  kind: CorpusEntry['kind'];
  language: CorpusEntry['language'];
  layout?: string;
  checkbox?: string;
  /** What sets the form apart from our own template, for the per-kind figures (`template county`, `scan fax`…). */
  kinds: string[];
  /** Error findings about a field the document does hold: a case sent to needs-correction for nothing. */
  falseErrors: string[];
  /** Why the text could not be extracted, if it could not. */
  error?: string;
  seconds: number;
  fields: FieldResult[];
}

const args = new Command('npm run eval --')
  .option('--size <n>', 'filled forms to generate and read', positiveInteger, 300)
  .option('--seed <n>', 'seed of the generated forms', positiveInteger, 2017)
  .option('--held-out-size <n>', 'forms of the held-out set, never tuned on (default: half of --size)', wholeNumber)
  .option('--held-out-seed <n>', 'seed of the held-out set', positiveInteger, 4517)
  .option('--out <dir>', 'where the corpus and the report go (default: a temporary folder)')
  .option('--keep', 'keep the corpus')
  .option('--reuse', 'read the corpus already in --out (kept by --keep) instead of generating it again')
  .addOption(
    new Option('--formats <f,f>', 'only these formats').argParser((value) => value.split(',').map((f) => f.trim())),
  )
  .parse()
  .opts<{
    size: number;
    seed: number;
    heldOutSize?: number;
    heldOutSeed: number;
    out?: string;
    keep?: true;
    reuse?: true;
    formats?: string[];
  }>();
const { size, seed, heldOutSeed } = args;
const heldOutSize = args.heldOutSize ?? Math.round(size / 2);
if (heldOutSize && heldOutSeed === seed) throw new Error('--held-out-seed must differ from --seed');
if (args.formats?.some((f) => !(formats as readonly string[]).includes(f)))
  throw new Error(`--formats takes some of: ${formats.join(', ')}`);
const chosenFormats = args.formats as Format[] | undefined;

const out = args.out ?? (await mkdtemp(join(tmpdir(), 'grant-intake-eval-')));
const corpusDir = join(out, 'corpus');
if (!args.reuse) {
  await rm(corpusDir, { recursive: true, force: true });
  await mkdir(corpusDir, { recursive: true });
}

const started = performance.now();
const sets = [
  { set: 'tuning' as const, size, seed },
  ...(heldOutSize ? [{ set: 'held-out' as const, size: heldOutSize, seed: heldOutSeed }] : []),
];
const corpora = [];
for (const { set, size, seed } of sets) {
  const dir = join(corpusDir, set);
  const corpus = args.reuse
    ? await loadCorpus(dir)
    : await generateCorpus({
        size,
        seed,
        dir,
        ...(chosenFormats ? { formats: chosenFormats } : {}),
        onProgress: (message) => process.stderr.write(`${set}: ${message}\n`),
      });
  corpora.push({ set, corpus });
}
const generatedSeconds = (performance.now() - started) / 1000;
const schemes = await loadSchemes();

const readStarted = performance.now();
const results: DocumentResult[] = [];
let done = 0;
const queue = corpora.flatMap(({ set, corpus }) => corpus.entries.map((entry) => ({ set, dir: corpus.dir, entry })));
const total = queue.length;
await pLimit(concurrency).map(queue, async (next) => {
  const { entry } = next;
  const result = await evaluate(next.set, next.dir, entry, schemes);
  results.push(result);
  done++;
  const counted = result.fields.filter((f) => f.outcome !== 'spurious');
  const exact = counted.filter((f) => f.outcome === 'exact').length;
  process.stderr.write(
    `[${String(done).padStart(4)}/${total}] ${next.set.padEnd(8)} ${entry.file.padEnd(10)} ${entry.format.padEnd(16)} ${entry.kind.padEnd(15)} ` +
      `${result.error ?? `${exact}/${counted.length} exact`}  ${result.seconds.toFixed(1)} s
`,
  );
});
const readSeconds = (performance.now() - readStarted) / 1000;
results.sort((a, b) => a.set.localeCompare(b.set) || a.id.localeCompare(b.id));

function kindsOf(entry: CorpusEntry): string[] {
  const style = entry.style;
  if (!style) return [];
  return [
    `template ${style.template}`,
    `layout ${style.layout}`,
    `category ${style.choices === 'words' ? 'in words' : `boxes ${style.checkbox}`}`,
    ...(entry.application.hasOverarchingPlan !== undefined ? [`yes/no ${style.yesNo}`] : []),
    `font ${style.font} ${style.fontSize} pt`,
    ...(entry.scan ? [`scan ${entry.scan}`] : []),
  ];
}

async function evaluate(set: CorpusSet, dir: string, entry: CorpusEntry, schemes: Scheme[]): Promise<DocumentResult> {
  const startedAt = performance.now();
  const base = {
    set,
    id: entry.id,
    file: entry.file,
    format: entry.format,
    kind: entry.kind,
    language: entry.language,
    kinds: kindsOf(entry),
    ...(entry.style ? { layout: entry.style.layout, checkbox: entry.style.checkbox } : {}),
  };
  try {
    const extracted = await extractText(await readFile(join(dir, entry.file)));
    const reading = readApplication(extracted, schemes);
    const fields = compare(entry.application, reading.application, (path) => reading.provenance[path]?.confidence);
    const scheme = schemes.find((candidate) => candidate.id === reading.application.schemeId);
    const findings = [
      ...reading.findings,
      ...validateApplication(reading.application, { scheme, receivedAt, provenance: reading.provenance }),
    ];
    const falseErrors = findings
      .filter(
        (f) =>
          f.severity === 'error' &&
          f.field !== undefined &&
          valueAt(entry.application, f.field as FieldPath) !== undefined,
      )
      .map((f) => `${f.code} ${f.field}`);
    return {
      ...base,
      seconds: (performance.now() - startedAt) / 1000,
      fields,
      falseErrors: entry.kind === 'form' ? falseErrors : [],
    };
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as Error).name;
    const fields = compare(entry.application, {}, () => undefined);
    return {
      ...base,
      error: `unreadable (${code}): ${(error as Error).message}`,
      seconds: (performance.now() - startedAt) / 1000,
      fields,
      falseErrors: [],
    };
  }
}

function compare(
  truth: Application,
  read: Application,
  confidenceOf: (path: FieldPath) => number | undefined,
): FieldResult[] {
  const results: FieldResult[] = [];
  for (const path of Object.keys(fieldLabels) as FieldPath[]) {
    const expected = valueAt(truth, path);
    const actual = valueAt(read, path);
    if (expected === undefined && actual === undefined) continue;
    const confidence = confidenceOf(path);
    const outcome: Outcome =
      expected === undefined
        ? 'spurious'
        : actual === undefined
          ? 'missing'
          : isDeepStrictEqual(expected, actual)
            ? 'exact'
            : 'wrong';
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
  const t: Tally = {
    documents: documents.length,
    fields: 0,
    exact: 0,
    wrong: 0,
    missing: 0,
    confident: 0,
    confidentWrong: 0,
  };
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

const group = <K extends string>(items: readonly DocumentResult[], key: (r: DocumentResult) => K | undefined) => {
  const groups = new Map<K, DocumentResult[]>();
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
};
const fieldPaths = Object.keys(fieldLabels) as FieldPath[];
/** Amounts and the organisation number: a confident wrong one costs money or sends the letter to the wrong body. */
const criticalFields: ReadonlySet<FieldPath> = new Set([
  'applicant.organisationNumber',
  'budget.totalCost',
  'budget.ownFunding',
  'budget.otherFunding',
  'budget.amountRequested',
]);

/** The figures of one corpus set. */
function figures(set: CorpusSet) {
  const documents = results.filter((r) => r.set === set);
  const forms = documents.filter((r) => r.kind === 'form');
  const digital = forms.filter((r) => digitalFormats.includes(r.format));
  const scanned = forms.filter((r) => r.format === 'scanned');
  const byFormat: Array<[string, Tally]> = [
    ...formats
      .filter((f) => forms.some((r) => r.format === f))
      .map((f): [string, Tally] => [f, tally(forms.filter((r) => r.format === f))]),
    ['digital (all but scanned)', tally(digital)],
    ['digital, text extracted', tally(digital.filter((r) => !r.error))],
    ['all forms', tally(forms)],
  ];
  const byField = (of: DocumentResult[]) =>
    fieldPaths
      .map((path): [string, Tally] => [path, tally(of, (f) => f.path === path)])
      .filter(([, t]) => t.fields || t.confident);
  const byLanguage = (of: DocumentResult[]) =>
    group(of, (r) => r.language).map(([k, v]): [string, Tally] => [k, tally(v)]);
  const kinds = [...new Set(forms.flatMap((r) => r.kinds))].sort();
  const byKind = (of: DocumentResult[]) =>
    kinds
      .map((kind): [string, Tally] => [kind, tally(of.filter((r) => r.kinds.includes(kind)))])
      .filter(([, t]) => t.documents);
  const falseErrorDocuments = forms.filter((r) => r.falseErrors.length);
  const mismatches = forms
    .filter((r) => !r.error)
    .flatMap((r) =>
      r.fields.filter((f) => f.outcome !== 'exact').map((f) => ({ id: r.id, format: r.format, kinds: r.kinds, ...f })),
    );
  const confidentMistakes = mismatches.filter((m) => m.outcome !== 'missing' && (m.confidence ?? 0) >= highConfidence);
  const others = documents.filter((r) => r.kind !== 'form');
  const otherRows = group(others, (r) => r.kind).map(([kind, of]) => {
    const schemeRight = of.filter((d) => d.fields.find((f) => f.path === 'schemeId')?.outcome === 'exact').length;
    const read = of.flatMap((d) => d.fields.filter((f) => f.path !== 'schemeId' && f.actual !== undefined));
    const confident = read.filter((f) => (f.confidence ?? 0) >= highConfidence);
    return `${kind.padEnd(16)} docs ${of.length}  scheme right ${schemeRight}/${of.length}  fields read by the form reader ${read.length} (of them exact ${read.filter((f) => f.outcome === 'exact').length}, with confidence ≥ 0.9 ${confident.length}, wrong at ≥ 0.9 ${confident.filter((f) => f.outcome !== 'exact').length})`;
  });
  return {
    documents,
    forms,
    digital: tally(digital),
    scanned: tally(scanned),
    byFormat,
    digitalByField: byField(digital),
    scannedByField: byField(scanned),
    digitalByLanguage: byLanguage(digital),
    scannedByLanguage: byLanguage(scanned),
    digitalByKind: byKind(digital),
    scannedByKind: byKind(scanned),
    falseErrorDocuments,
    confidentMistakes,
    confidentCriticalMistakes: confidentMistakes.filter((m) => criticalFields.has(m.path)),
    mismatches,
    otherRows,
    unreadable: documents.filter((r) => r.error),
  };
}

const tuning = figures('tuning');
const heldOut = heldOutSize ? figures('held-out') : undefined;

/** A table with the tuning set's accuracy and, beside it, the held-out set's. */
function sideBySide(
  title: string,
  tuningRows: Array<[string, Tally]>,
  heldOutRows: Array<[string, Tally]> | undefined,
): string {
  const header = [
    '',
    'docs',
    'fields',
    'wrong',
    'missing',
    'accuracy',
    'wrong≥0.9',
    '| held-out docs',
    'accuracy',
    'wrong≥0.9',
  ];
  const names = [...new Set([...tuningRows.map(([n]) => n), ...(heldOutRows ?? []).map(([n]) => n)])];
  const lines = names.map((name) => {
    const t = tuningRows.find(([n]) => n === name)?.[1];
    const h = heldOutRows?.find(([n]) => n === name)?.[1];
    return [
      name,
      String(t?.documents ?? 0),
      String(t?.fields ?? 0),
      String(t?.wrong ?? 0),
      String(t?.missing ?? 0),
      t ? percent(t.exact, t.fields) : '–',
      t ? `${t.confidentWrong}/${t.confident}` : '–',
      String(h?.documents ?? 0),
      h ? percent(h.exact, h.fields) : '–',
      h ? `${h.confidentWrong}/${h.confident}` : '–',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [title, format(header), ...lines.map(format)].join('\n');
}

type Figures = ReturnType<typeof figures>;
const targetLine = (name: string, f: Figures) =>
  `${name}: digital ${percent(f.digital.exact, f.digital.fields)} exact (target ≥ 99.7 %), scanned ${percent(f.scanned.exact, f.scanned.fields)} (target ≥ 98 %); ` +
  `documents with an error finding for a field they hold ${f.falseErrorDocuments.length} of ${f.forms.length} = ${percent(f.falseErrorDocuments.length, f.forms.length)} (target ≤ 1 %); ` +
  `wrong amounts or organisation numbers with confidence ≥ 0.9: ${f.confidentCriticalMistakes.length} (target 0); all wrong values with confidence ≥ 0.9: ${f.confidentMistakes.length}`;

const summary = [
  ...corpora.map(
    ({ set, corpus }) =>
      `Corpus ${set}: ${corpus.entries.length} documents (seed ${corpus.seed}): ${results.filter((r) => r.set === set && r.kind === 'form').length} forms; ${corpus.dir}` +
      corpus.unavailable.map((u) => `; not produced: ${u.documents} ${u.format} (${u.reason})`).join(''),
  ),
  `Time: generated in ${generatedSeconds.toFixed(0)} s, read in ${readSeconds.toFixed(0)} s (concurrency ${concurrency}), ${(readSeconds / Math.max(1, results.length)).toFixed(2)} s per document`,
  '',
  sideBySide('Field accuracy of forms by format', tuning.byFormat, heldOut?.byFormat),
  '',
  sideBySide('Digital forms by kind', tuning.digitalByKind, heldOut?.digitalByKind),
  '',
  sideBySide('Scanned forms by kind', tuning.scannedByKind, heldOut?.scannedByKind),
  '',
  sideBySide('Digital forms by field', tuning.digitalByField, heldOut?.digitalByField),
  '',
  sideBySide('Scanned forms by field', tuning.scannedByField, heldOut?.scannedByField),
  '',
  sideBySide('Forms by language (digital)', tuning.digitalByLanguage, heldOut?.digitalByLanguage),
  sideBySide('Forms by language (scanned)', tuning.scannedByLanguage, heldOut?.scannedByLanguage),
  '',
  'Letters and non-applications (not forms: excluded from the figures above), tuning set',
  ...tuning.otherRows,
  '',
  `Unreadable documents: ${tuning.unreadable.length} (tuning), ${heldOut?.unreadable.length ?? 0} (held-out)`,
  ...group([...tuning.unreadable, ...(heldOut?.unreadable ?? [])], (r) => r.format).map(
    ([format, of]) => `  ${format}: ${of.length} (${of[0]!.error})`,
  ),
  '',
  targetLine('Tuning', tuning),
  ...(heldOut ? [targetLine('Held-out', heldOut)] : []),
  '',
  'Error findings for a field the document holds, tuning set (first 15):',
  ...tuning.falseErrorDocuments
    .slice(0, 15)
    .map((r) => `  ${r.id} ${r.format} ${r.kinds.join(', ')}: ${r.falseErrors.join('; ')}`),
  ...(tuning.confidentMistakes.length
    ? [
        '',
        'Wrong values with confidence ≥ 0.9, tuning set (first 15):',
        ...tuning.confidentMistakes
          .slice(0, 15)
          .map(
            (m) =>
              `  ${m.id} ${m.format} ${m.path}: expected ${JSON.stringify(m.expected)}, read ${JSON.stringify(m.actual)} (${m.confidence})`,
          ),
      ]
    : []),
  '',
  'Mismatches, tuning set (first 40):',
  ...tuning.mismatches
    .slice(0, 40)
    .map(
      (m) =>
        `  ${m.id} ${m.format} [${m.kinds.join(', ')}] ${m.path} ${m.outcome}: expected ${JSON.stringify(m.expected)}, read ${JSON.stringify(m.actual)}`,
    ),
].join('\n');

const reportFile = join(out, 'report.json');
const asJson = (f: Figures) => ({
  byFormat: Object.fromEntries(f.byFormat),
  digitalByKind: Object.fromEntries(f.digitalByKind),
  scannedByKind: Object.fromEntries(f.scannedByKind),
  digitalByField: Object.fromEntries(f.digitalByField),
  scannedByField: Object.fromEntries(f.scannedByField),
  digitalByLanguage: Object.fromEntries(f.digitalByLanguage),
  scannedByLanguage: Object.fromEntries(f.scannedByLanguage),
  falseErrorDocuments: f.falseErrorDocuments.map((r) => ({
    id: r.id,
    format: r.format,
    kinds: r.kinds,
    falseErrors: r.falseErrors,
  })),
  confidentMistakes: f.confidentMistakes,
  mismatches: f.mismatches,
  others: f.otherRows,
});
await writeFile(
  reportFile,
  JSON.stringify(
    {
      sets: sets.map(({ set, size, seed }) => ({ set, size, seed })),
      generatedSeconds,
      readSeconds,
      unavailable: corpora.map(({ set, corpus }) => ({ set, unavailable: corpus.unavailable })),
      tuning: asJson(tuning),
      ...(heldOut ? { heldOut: asJson(heldOut) } : {}),
      documents: results,
    },
    null,
    2,
  ),
);
if (!args.keep) await rm(corpusDir, { recursive: true, force: true });
process.stdout.write(`${summary}\n\nReport: ${reportFile}${args.keep ? `\nCorpus kept in ${corpusDir}` : ''}\n`);
