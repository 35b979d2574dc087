/**
 * The fault and chaos run: uploads documents (forms and their appendices, several attachments to an e-mail) while the
 * worker is killed several times, MinIO is restarted once and the Temporal dev server (with its database file) is
 * restarted once; then checks that every submission has exactly one case, every case reached its queue, no document
 * is in two cases or twice in one, and the inbox is empty. `test/chaos.test.ts` runs it small in `npm test`; run it
 * large by hand:
 *
 *   node --import tsx test/chaos.ts --documents 1000 [--seed 7] [--out chaos.json]
 */
import { writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { Command } from 'commander';
import { readJson } from '../storage/objects.ts';
import { positiveInteger } from '../cli/options.ts';
import { createMinioClient } from '../storage/minio-client.ts';
import type { Config } from '../config/env.ts';
import { loadSchemes } from '../config/schemes.ts';
import { fillForm } from '../fixtures/forms.ts';
import { draftApplication } from '../fixtures/ground-truth.ts';
import { Random } from '../fixtures/random.ts';
import { renderFormPdf } from '../fixtures/render-pdf.ts';
import { caseReferenceFor, caseWorkflowId, submissionOf } from '../schemas/case-reference.ts';
import { CaseRecordSchema, caseRecordKey, type CaseRecord } from '../schemas/case-record.ts';
import { hasLeftIntake, searchAttributes } from '../workflows/messages.ts';
import { makePdf } from './support/documents.ts';
import { startRestartableServers } from './support/restartable-servers.ts';
import type { WorkerProcess } from './support/worker-process.ts';

export interface ChaosOptions {
  documents: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface ChaosReport {
  documents: number;
  submissions: number;
  workerKills: number;
  minioRestarts: number;
  temporalRestarts: number;
  uploadRetries: number;
  uploadSeconds: number;
  /** From the first upload until every case was in its queue. */
  totalSeconds: number;
  /** What is wrong; empty when every check passed. */
  problems: string[];
}

export interface Submission {
  reference: string;
  workflowId: string;
  keys: string[];
}

export async function runChaos({ documents, seed = 7, log = () => {} }: ChaosOptions): Promise<ChaosReport> {
  const servers = await startRestartableServers({ name: 'chaos', minioSecret: 'grant-intake-chaos' });
  const { config, minio, client } = servers;
  const startWorker = () => servers.startWorker({ INTAKE_SWEEP_INTERVAL_SECONDS: '5' });
  let worker: WorkerProcess | undefined = await startWorker();
  const report: ChaosReport = {
    documents,
    submissions: 0,
    workerKills: 0,
    minioRestarts: 0,
    temporalRestarts: 0,
    uploadRetries: 0,
    uploadSeconds: 0,
    totalSeconds: 0,
    problems: [],
  };

  try {
    const submissions = await plan(documents, seed);
    report.submissions = submissions.length;
    const uploads = submissions.flatMap((s) => s.uploads);
    log(`chaos: ${uploads.length} documents in ${submissions.length} submissions`);

    // What goes wrong, and when (by the share of documents uploaded).
    const restartWorker = async () => {
      if (worker?.child.exitCode !== null)
        report.problems.push(`the worker had stopped by itself:\n${worker?.output().slice(-3000)}`);
      await worker?.kill();
      report.workerKills++;
      worker = await startWorker();
    };
    const events: [string, () => Promise<void>][] = [
      ['kill the worker', restartWorker],
      [
        'restart MinIO',
        async () => {
          await servers.restartMinio();
          report.minioRestarts++;
        },
      ],
      ['kill the worker', restartWorker],
      [
        'restart the Temporal server',
        async () => {
          await servers.restartTemporal();
          report.temporalRestarts++;
        },
      ],
      ['kill the worker', restartWorker],
    ];

    // The uploads in slices: each thing that goes wrong happens while the next slice is being uploaded.
    const started = Date.now();
    const slices = Array.from({ length: events.length + 1 }, (_, k) =>
      uploads.filter((_, i) => i % (events.length + 1) === k),
    );
    let uploaded = 0;
    const uploadSlice = async (slice: Upload[]) => {
      const retries = await uploadAll(minio, config.buckets.intake, slice);
      report.uploadRetries += retries;
      uploaded += slice.length;
    };
    await uploadSlice(slices[0]!);
    for (const [k, [what, act]] of events.entries()) {
      log(`chaos: ${uploaded}/${uploads.length} uploaded: ${what}`);
      await Promise.all([act(), uploadSlice(slices[k + 1]!)]);
    }
    report.uploadSeconds = (Date.now() - started) / 1000;
    log(`chaos: all uploaded in ${report.uploadSeconds.toFixed(1)} s; waiting for every case`);

    const waiting = await waitForCases(client, minio, config, submissions, (line) => log(`chaos: ${line}`));
    report.totalSeconds = (Date.now() - started) / 1000;
    report.problems = await check(client, minio, config, submissions, uploads.length);
    for (const submission of waiting)
      report.problems.push(`${submission.workflowId}: not complete (no case completed for five minutes)`);
    return report;
  } finally {
    await worker?.stop().catch(() => undefined);
    await servers.stop();
  }
}

export interface Upload {
  key: string;
  bytes: Buffer;
  metadata: Record<string, string>;
}

/**
 * The mailroom's uploads, four at a time; an upload that fails (MinIO restarting, a node gone) is retried until it is
 * stored. Resolves to the number of retries.
 */
export async function uploadAll(
  minio: ReturnType<typeof createMinioClient>,
  bucket: string,
  uploads: Upload[],
): Promise<number> {
  let next = 0;
  let retries = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < uploads.length) {
        const upload = uploads[next++]!;
        for (;;) {
          try {
            await minio.putObject(bucket, upload.key, upload.bytes, upload.bytes.length, upload.metadata);
            break;
          } catch {
            retries++;
            await sleep(500);
          }
        }
      }
    }),
  );
  return retries;
}

/**
 * Waits until every submission's case is past intake with all its documents in its record; gives up when none
 * completes for five minutes (stuck, not slow). Resolves to the submissions still waiting.
 */
export async function waitForCases(
  client: Client,
  minio: ReturnType<typeof createMinioClient>,
  config: Config,
  submissions: Submission[],
  log: (line: string) => void,
): Promise<Submission[]> {
  let waiting = submissions;
  let progressAt = Date.now();
  while (waiting.length && Date.now() - progressAt < 300_000) {
    const routed = await routedCases(client).catch(() => new Set<string>()); // the cluster may be restarting
    const done: Submission[] = [];
    for (const submission of waiting) {
      if (!routed.has(submission.workflowId)) continue;
      const record = await recordOf(minio, config, submission.reference);
      if ((record?.documents?.length ?? 0) >= submission.keys.length) done.push(submission);
    }
    if (done.length) progressAt = Date.now();
    waiting = waiting.filter((s) => !done.includes(s));
    if (waiting.length) {
      log(`${submissions.length - waiting.length}/${submissions.length} cases complete`);
      await sleep(5_000);
    }
  }
  return waiting;
}

/**
 * Submissions of one to three attachments (a form first, then appendices), as e-mails would bring them, under
 * `inbox/<folder>/`.
 */
export async function plan(
  documents: number,
  seed: number,
  folder = 'kaos',
): Promise<(Submission & { uploads: Upload[] })[]> {
  const schemes = await loadSchemes();
  const random = Random.for(seed, 1);
  const submissions: (Submission & { uploads: Upload[] })[] = [];
  for (let n = 0, i = 0; n < documents; i++) {
    const size = Math.min(documents - n, 1 + random.int(0, 2));
    const messageId = `<${folder}-${seed}-${i}@kommune.no>`;
    const metadata = { 'X-Amz-Meta-received-at': '2017-04-10T09:12:00+02:00', 'X-Amz-Meta-message-id': messageId };
    const draft = draftApplication(random, random.pick(schemes));
    const uploads: Upload[] = [
      { key: `inbox/${folder}/${i}/søknad.pdf`, bytes: await renderFormPdf(fillForm(draft, random)), metadata },
    ];
    for (let a = 1; a < size; a++)
      uploads.push({
        key: `inbox/${folder}/${i}/vedlegg-${a}.pdf`,
        bytes: await makePdf([`Vedlegg ${a} til innsending ${i}`]),
        metadata,
      });
    const first = { bucket: 'mailroom', key: uploads[0]!.key, etag: 'unused' };
    const reference = caseReferenceFor(submissionOf(first, messageId));
    submissions.push({ reference, workflowId: caseWorkflowId(reference), keys: uploads.map((u) => u.key), uploads });
    n += size;
  }
  return submissions;
}

/** The case workflows past intake (routed, or ended), by id, from one visibility listing. */
async function routedCases(client: Client): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const execution of client.workflow.list({ query: `WorkflowType = 'application'` })) {
    if (hasLeftIntake(execution.typedSearchAttributes.get(searchAttributes.status))) ids.add(execution.workflowId);
  }
  return ids;
}

async function recordOf(
  minio: ReturnType<typeof createMinioClient>,
  config: Config,
  reference: string,
): Promise<CaseRecord | undefined> {
  const stored = await readJson(minio, config.buckets.records, caseRecordKey(reference)).catch(() => undefined);
  return stored ? CaseRecordSchema.parse(stored) : undefined;
}

/** Every submission exactly one case, in its queue, with each of its documents once; nothing left in the inbox. */
export async function check(
  client: Client,
  minio: ReturnType<typeof createMinioClient>,
  config: Config,
  submissions: Submission[],
  uploaded: number,
): Promise<string[]> {
  const problems: string[] = [];
  const executions = new Map<string, number>();
  for await (const execution of client.workflow.list({ query: `WorkflowType = 'application'` })) {
    executions.set(execution.workflowId, (executions.get(execution.workflowId) ?? 0) + 1);
    if (!execution.typedSearchAttributes.get(searchAttributes.queue))
      problems.push(`${execution.workflowId}: no queue`);
  }
  const expected = new Set(submissions.map((s) => s.workflowId));
  for (const [id, count] of executions) {
    if (!expected.has(id)) problems.push(`${id}: a case no submission should have opened`);
    if (count !== 1) problems.push(`${id}: ${count} executions`);
  }
  const caseOfKey = new Map<string, string>();
  for (const submission of submissions) {
    if (!executions.has(submission.workflowId)) problems.push(`${submission.workflowId}: no case`);
    const record = await recordOf(minio, config, submission.reference);
    if (!record) {
      problems.push(`${submission.workflowId}: no record`);
      continue;
    }
    const sources = (record.documents ?? []).map((d) => d.source.key);
    if (new Set(sources).size !== sources.length)
      problems.push(`${submission.workflowId}: a document twice: ${sources.join(', ')}`);
    if ([...submission.keys].sort().join() !== [...sources].sort().join())
      problems.push(
        `${submission.workflowId}: documents ${sources.join(', ')}, expected ${submission.keys.join(', ')}`,
      );
    for (const key of sources) {
      if (caseOfKey.has(key)) problems.push(`${key}: in ${caseOfKey.get(key)} and ${submission.workflowId}`);
      caseOfKey.set(key, submission.workflowId);
    }
    let originals = 0;
    for await (const _ of minio.listObjectsV2(config.buckets.records, `cases/${record.caseId}/original/`, true))
      originals++;
    if (originals !== sources.length)
      problems.push(`${submission.workflowId}: ${originals} originals kept for ${sources.length} documents`);
  }
  let inbox = 0;
  for await (const _ of minio.listObjectsV2(config.buckets.intake, 'inbox/', true)) inbox++;
  if (inbox) problems.push(`${inbox} objects left in the inbox`);
  let processed = 0;
  for await (const _ of minio.listObjectsV2(config.buckets.intake, 'processed/', true)) processed++;
  if (processed !== uploaded) problems.push(`${processed} documents in processed/, ${uploaded} uploaded`);
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const values = new Command('node --import tsx test/chaos.ts')
    .option('--documents <n>', 'documents to upload', positiveInteger, 1000)
    .option('--seed <n>', 'seed of the faults and the documents', positiveInteger, 7)
    .option('--out <file.json>', 'also write the report here')
    .parse()
    .opts<{ documents: number; seed: number; out?: string }>();
  const report = await runChaos({ documents: values.documents, seed: values.seed, log: (line) => console.error(line) });
  const json = JSON.stringify(report, null, 2);
  if (values.out) await writeFile(values.out, json);
  console.log(json);
  process.exitCode = report.problems.length ? 1 : 0;
}
