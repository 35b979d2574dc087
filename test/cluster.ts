/**
 * `npm run test:cluster`: end to end and chaos against the rehearsal of production (`stack/cluster.ts`: the Temporal
 * server on PostgreSQL, MinIO distributed over four nodes, two application workers, an OCR worker, intake and the
 * review app as processes of their own). Not part of `npm test`: it builds the Temporal server once and takes minutes.
 *
 * While documents are uploaded: one MinIO node is killed for a minute, an application worker is killed, the Temporal
 * server is restarted, PostgreSQL is restarted. Then every submission must have exactly one case, every case its
 * record,
 * no document may be in two cases (`test/chaos.ts`'s checks), and a case must be visible through the Temporal UI
 * server.
 * Then throughput: the same number of documents with one application worker, then with two.
 *
 * npm run test:cluster -- [--documents 500] [--throughput-documents 100] [--port-base 27000] [--out cluster.json]
 * [--keep]
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { createMinioClient } from '../storage/minio-client.ts';
import { startCluster, NAMESPACE, type Cluster } from '../stack/cluster.ts';
import { check, plan, uploadAll, waitForCases, type Submission, type Upload } from './chaos.ts';

const { values } = parseArgs({
  options: {
    documents: { type: 'string', default: '500' },
    'throughput-documents': { type: 'string', default: '100' },
    'port-base': { type: 'string', default: '27000' },
    seed: { type: 'string', default: '20' },
    out: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const log = (line: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${line}`);
const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;

interface FaultFigures {
  fault: string;
  /** How long the fault's own action took (a minute for the MinIO node; stop and start for the restarts). */
  actionSeconds: number;
  /** The slice of uploads made meanwhile: how many, how long, how many uploads were retried. */
  uploads: number;
  uploadSeconds: number;
  uploadRetries: number;
}

const dir = await mkdtemp(join(tmpdir(), 'grant-intake-cluster-'));
await chmod(dir, 0o755); // PostgreSQL runs as its own user (as root: `postgres`) and keeps its data in here
const started = Date.now();
log(`starting the rehearsal under ${dir}`);
const cluster: Cluster = await startCluster({
  dir,
  portBase: Number(values['port-base']),
  applicationWorkers: 2,
  ocrWorkers: 1,
  say: log,
});
const startSeconds = seconds(started);
const minio = createMinioClient(cluster.config);
const connection = await Connection.connect({ address: cluster.urls.temporal });
const client = new Client({ connection, namespace: NAMESPACE });
const problems: string[] = [];
const report: Record<string, unknown> = { startSeconds, problems };

try {
  // --- chaos: the uploads in five slices, a fault during each slice but the first -----------------------------------
  const submissions = await plan(Number(values.documents), Number(values.seed), 'kaos');
  const uploads = submissions.flatMap((s) => s.uploads);
  log(`chaos: ${uploads.length} documents in ${submissions.length} submissions`);
  const faults: [string, () => Promise<void>][] = [
    [
      'MinIO node 3 killed for a minute',
      async () => {
        await cluster.minio.nodes[2]!.kill();
        await sleep(60_000);
        await cluster.minio.restartNode(2);
      },
    ],
    [
      'application worker 1 killed (and started again)',
      async () => {
        await cluster.processes.get('application-1')!.kill();
        await cluster.startProcess('application-1');
      },
    ],
    ['Temporal server restarted (all four services)', () => cluster.restartTemporal()],
    ['PostgreSQL restarted', () => cluster.restartPostgres()],
  ];
  const slices = Array.from({ length: faults.length + 1 }, (_, k) =>
    uploads.filter((_, i) => i % (faults.length + 1) === k),
  );
  const chaosStarted = Date.now();
  const uploadSlice = async (slice: Upload[]) => {
    const at = Date.now();
    const retries = await uploadAll(minio, cluster.config.buckets.intake, slice);
    return { uploads: slice.length, uploadSeconds: seconds(at), uploadRetries: retries };
  };
  const figures: FaultFigures[] = [
    { fault: 'none (first slice)', actionSeconds: 0, ...(await uploadSlice(slices[0]!)) },
  ];
  for (const [k, [fault, act]] of faults.entries()) {
    log(`chaos: ${fault}`);
    const at = Date.now();
    const [actionSeconds, slice] = await Promise.all([act().then(() => seconds(at)), uploadSlice(slices[k + 1]!)]);
    figures.push({ fault, actionSeconds, ...slice });
    log(`chaos: ${JSON.stringify(figures.at(-1))}`);
  }
  const chaosUploadSeconds = seconds(chaosStarted);
  log(`chaos: all uploaded in ${chaosUploadSeconds} s; waiting for every case`);
  const stuck = await waitForCases(client, minio, cluster.config, submissions, (line) => log(`chaos: ${line}`));
  const chaosSeconds = seconds(chaosStarted);
  problems.push(...stuck.map((s) => `${s.workflowId}: not complete (no case completed for five minutes)`));
  problems.push(...(await check(client, minio, cluster.config, submissions, uploads.length)));
  const retries = await workflowRetries(client, submissions);
  report.chaos = {
    documents: uploads.length,
    submissions: submissions.length,
    uploadSeconds: chaosUploadSeconds,
    totalSeconds: chaosSeconds,
    uploadRetries: figures.reduce((sum, f) => sum + f.uploadRetries, 0),
    ...retries,
    faults: figures,
  };
  log(`chaos: ${JSON.stringify(report.chaos)}`);

  // --- end to end: a routed case as the Temporal UI shows it
  // ------------------------------------------------------------
  const shown = await fetch(
    `${cluster.urls.temporalUi}/api/v1/namespaces/${NAMESPACE}/workflows/${encodeURIComponent(submissions[0]!.workflowId)}`,
  );
  const body = shown.ok
    ? ((await shown.json()) as { workflowExecutionInfo?: { type?: { name?: string } } })
    : undefined;
  if (body?.workflowExecutionInfo?.type?.name !== 'application')
    problems.push(`the Temporal UI server does not show ${submissions[0]!.workflowId} (HTTP ${shown.status})`);

  // --- throughput: one application worker, then two, same rehearsal
  // -----------------------------------------------------
  const throughput: Record<string, unknown>[] = [];
  const all: Submission[] = [...submissions];
  let uploaded = uploads.length;
  for (const workers of [1, 2]) {
    if (workers === 1) await cluster.processes.get('application-2')!.stop();
    else await cluster.startProcess('application-2');
    const batch = await plan(Number(values['throughput-documents']), Number(values.seed) + workers, `takt-${workers}`);
    const batchUploads = batch.flatMap((s) => s.uploads);
    log(`throughput: ${batchUploads.length} documents with ${workers} application worker${workers > 1 ? 's' : ''}`);
    const at = Date.now();
    await uploadAll(minio, cluster.config.buckets.intake, batchUploads);
    const waiting = await waitForCases(client, minio, cluster.config, batch, (line) => log(`throughput: ${line}`));
    const total = seconds(at);
    problems.push(...waiting.map((s) => `${s.workflowId}: not complete (throughput, ${workers} workers)`));
    throughput.push({
      applicationWorkers: workers,
      documents: batchUploads.length,
      cases: batch.length,
      seconds: total,
      documentsPerMinute: Math.round((batchUploads.length / total) * 600) / 10,
    });
    log(`throughput: ${JSON.stringify(throughput.at(-1))}`);
    all.push(...batch);
    uploaded += batchUploads.length;
  }
  report.throughput = throughput;
  problems.push(...(await check(client, minio, cluster.config, all, uploaded)));
  report.cases = all.length;
  report.documents = uploaded;
} finally {
  report.totalSeconds = seconds(started);
  await connection.close().catch(() => undefined);
  await cluster.stop();
  if (!values.keep) await rm(dir, { recursive: true, force: true });
}

const json = JSON.stringify(report, null, 2);
if (values.out) await writeFile(values.out, json);
console.log(json);
if (problems.length) {
  console.error(`FAILED: ${problems.length} problems:\n${problems.slice(0, 50).join('\n')}`);
  process.exitCode = 1;
} else {
  console.error('passed: every submission one case with its record, nothing in two cases');
}

/**
 * What the faults cost inside Temporal: activities that needed more than one attempt, workflow tasks that timed out
 * on a dead worker's sticky queue (each a case that waited 5 s to move to another worker), other workflow task
 * timeouts, and workflow tasks that failed.
 */
async function workflowRetries(temporal: Client, cases: Submission[]) {
  const figures = {
    activityRetries: 0,
    stickyWorkflowTaskTimeouts: 0,
    workflowTaskTimeouts: 0,
    workflowTaskFailures: 0,
  };
  for (const submission of cases) {
    const history = await temporal.workflow.getHandle(submission.workflowId).fetchHistory();
    for (const event of history.events ?? []) {
      if ((event.activityTaskStartedEventAttributes?.attempt ?? 1) > 1) figures.activityRetries++;
      if (event.workflowTaskFailedEventAttributes) figures.workflowTaskFailures++;
      const timedOut = event.workflowTaskTimedOutEventAttributes;
      // TimeoutType SCHEDULE_TO_START (2) happens only on a sticky queue: the worker that cached the case is gone.
      if (timedOut) figures[timedOut.timeoutType === 2 ? 'stickyWorkflowTaskTimeouts' : 'workflowTaskTimeouts']++;
    }
  }
  return figures;
}
