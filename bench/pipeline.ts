import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createMinioClient } from '../storage/minio-client.ts';
import { temporalDataConverter } from '../config/data-converter.ts';
import { loadConfig } from '../config/env.ts';
import type { DataConverter } from '@temporalio/common';
import { applicationWorkerTuning } from '../worker/application-worker.ts';
import { searchAttributes } from '../workflows/messages.ts';
import type { BenchDocument } from './corpus.ts';
import { noopActivities } from './noop-activities.ts';
import pLimit from 'p-limit';
import { createProgress } from '../cli/progress.ts';
import { percentiles, say, type Percentiles } from './progress.ts';
import { sampleMemory, startSystem, type MemoryFigures } from './system.ts';

const routedStatuses = ['triage', 'needs-correction', 'ready-for-assessment'];
const routedQuery = `CaseStatus IN (${routedStatuses.map((s) => `'${s}'`).join(', ')})`;

/** The application worker's settings as the running worker has them (the SDK's defaults where the code sets none). */
export function workerSettings() {
  const t = applicationWorkerTuning;
  const reuseV8Context = t.reuseV8Context ?? true;
  // The SDK's default cache size, from the heap limit (`grant-intake start` runs with node's default heap, as this
  // process does).
  const heapMiB = getHeapStatistics().heap_size_limit / 1024 / 1024;
  const defaultCache = reuseV8Context
    ? Math.max(Math.floor((Math.max(heapMiB - 200, 0) * 600) / 1024), 10)
    : Math.max(Math.floor((Math.max(heapMiB - 400, 0) * 250) / 1024), 10);
  const wft = t.maxConcurrentWorkflowTaskExecutions ?? 40;
  const at = t.maxConcurrentActivityTaskExecutions ?? 100;
  return {
    setInCode: { ...t },
    maxConcurrentWorkflowTaskExecutions: wft,
    maxConcurrentActivityTaskExecutions: at,
    maxCachedWorkflows: t.maxCachedWorkflows ?? defaultCache,
    reuseV8Context,
    workflowTaskPollers: Math.min(10, wft),
    activityTaskPollers: Math.min(10, at),
    /** Parser sandboxes (extraction/sandbox.ts): min(4, cores). */
    parserSandboxes: Math.max(1, Math.min(4, availableParallelism())),
    /** OCR worker (its own task queue): one scan per core. Not exercised here: the corpus is digital forms. */
    ocrActivitySlots: availableParallelism(),
  };
}

export const describeSettings = (s: ReturnType<typeof workerSettings>) =>
  `workflow tasks ${s.maxConcurrentWorkflowTaskExecutions}, activities ${s.maxConcurrentActivityTaskExecutions}, ` +
  `cached workflows ${s.maxCachedWorkflows}, pollers ${s.workflowTaskPollers}/${s.activityTaskPollers}, reuseV8Context ${s.reuseV8Context}, ` +
  `parser sandboxes ${s.parserSandboxes}`;

export interface PipelineRun {
  documents: number;
  /** Cases routed (triage / needs-correction / ready-for-assessment) within the run. */
  routed: number;
  /** Documents that ended otherwise (quarantined, failed) or never got there before the stall limit. */
  notRouted: number;
  statuses: Record<string, number>;
  /** From the first upload (or start) to the last case routed. */
  seconds: number;
  casesPerSecond: number;
  /**
   * Time to route 95 % of the cases, and that rate: robust against a few tasks lost on a loaded machine, which the
   * server gives again only when their start-to-close timeout (1 or 5 minutes) has passed.
   */
  seconds95: number;
  casesPerSecond95: number;
  /** Upload completion (baseline: the signal-with-start call's) to the routing upsert in the workflow's history. */
  latencyMs: Percentiles;
  /** The workflow's start to its routing: the pipeline's own time. */
  startToRoutedMs: Percentiles;
  /** Upload completion to workflow start: MinIO's event, the webhook, the start. */
  uploadToStartMs?: Percentiles;
  uploadSeconds: number;
  /** History shape up to routing (median over the cases): the baseline must match the pipeline. */
  shape: { activities: number; events: number };
  /**
   * Per activity type, mean milliseconds waiting in the task queue (scheduled → started) and running (started →
   * completed). */
  activities: Record<string, { count: number; queuedMs: number; runMs: number }>;
  /** Up to ten cases that were not routed: their status and what their pending activities say. */
  stuck: Array<{ workflowId: string; status?: string; pending: string[] }>;
}

export interface PipelineSize {
  documents: number;
  worker: ReturnType<typeof workerSettings>;
  baseline: PipelineRun;
  pipeline: PipelineRun;
  /** The pipeline's cases/s divided by the no-op baseline's (all cases; and to 95 % of them). */
  ratio: number;
  ratio95: number;
  memory: MemoryFigures;
  /** The machine's load average (1 min) before and after this size. */
  load: [number, number];
}

export interface PipelineOptions {
  runId: string;
  uploadConcurrency: number;
  /** Give up waiting when no case has been routed for this long. */
  stallSeconds: number;
  skipBaseline: boolean;
}

/** Part 2 for one size: a fresh `grant-intake start`, the no-op baseline through its servers, then the documents. */
export async function benchPipeline(
  documents: readonly BenchDocument[],
  options: PipelineOptions,
): Promise<PipelineSize> {
  const size = documents.length;
  const loadBefore = loadavg()[0]!;
  say(`starting grant-intake (npm start) on free ports with a fresh data folder…`);
  const system = await startSystem();
  try {
    const config = loadConfig(system.env, { dotenv: false });
    const address = `127.0.0.1:${config.temporal.localPort}`;
    const connection = await Connection.connect({ address });
    const dataConverter = await temporalDataConverter(config);
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter });
    const settings = workerSettings();
    say(`worker: ${describeSettings(settings)}`);

    const baseline = options.skipBaseline
      ? undefined
      : await runBaseline(client, address, size, options, dataConverter);
    // Let the servers settle after the baseline before the measured run.
    await sleep(2000);
    const memory = sampleMemory(system.pid);
    const pipeline = await runDocuments(client, config, documents, options);
    const figures = memory.stop();
    await connection.close();
    const loadAfter = loadavg()[0]!;
    return {
      documents: size,
      worker: settings,
      baseline: baseline ?? emptyRun(size),
      pipeline,
      ratio: baseline ? pipeline.casesPerSecond / baseline.casesPerSecond : NaN,
      ratio95: baseline ? pipeline.casesPerSecond95 / baseline.casesPerSecond95 : NaN,
      memory: figures,
      load: [round(loadBefore, 2), round(loadAfter, 2)],
    };
  } catch (error) {
    say(`\ngrant-intake said:\n${system.output()}`);
    throw error;
  } finally {
    await system.stop();
  }
}

async function runBaseline(
  client: Client,
  address: string,
  size: number,
  options: PipelineOptions,
  dataConverter: DataConverter,
): Promise<PipelineRun> {
  const taskQueue = `bench-noop-${options.runId}`;
  const workerConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: workerConnection,
    taskQueue,
    dataConverter,
    workflowsPath: fileURLToPath(new URL('./noop-workflow.ts', import.meta.url)),
    activities: noopActivities,
    ...applicationWorkerTuning,
  });
  const running = worker.run();
  try {
    const ids = Array.from({ length: size }, (_, i) => `bench-noop-${options.runId}-${size}-${i}`);
    const submitted = new Map<string, number>();
    const firstSubmit = Date.now();
    await pLimit(options.uploadConcurrency).map(ids, async (workflowId) => {
      await client.workflow.signalWithStart('benchNoopApplication', {
        taskQueue,
        workflowId,
        args: [{ caseId: workflowId }],
        signal: 'document',
        signalArgs: [{ object: { bucket: 'mailroom', key: `inbox/${workflowId}.pdf`, etag: workflowId } }],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [
          { key: searchAttributes.status, value: 'received' },
          { key: searchAttributes.caseReference, value: workflowId },
        ],
      });
      submitted.set(workflowId, Date.now());
    });
    const uploadSeconds = (Date.now() - firstSubmit) / 1000;
    const query = `WorkflowType = 'benchNoopApplication' AND TaskQueue = '${taskQueue}'`;
    await waitForRouted(client, `baseline ${size} (no-op workflows)`, query, size, options.stallSeconds);
    return summarise(client, query, firstSubmit, uploadSeconds, size, (workflowId) => submitted.get(workflowId));
  } finally {
    worker.shutdown();
    await running;
    await workerConnection.close();
  }
}

async function runDocuments(
  client: Client,
  config: ReturnType<typeof loadConfig>,
  documents: readonly BenchDocument[],
  options: PipelineOptions,
): Promise<PipelineRun> {
  const minio = createMinioClient(config);
  const bucket = config.buckets.intake;
  const size = documents.length;
  // One document, one e-mail: every upload has its own message-id, so each is a case of its own.
  const tokens = documents.map((_, i) => `bench-${options.runId}-${size}-${String(i).padStart(5, '0')}`);
  const uploaded = new Map<string, number>();
  const firstUpload = Date.now();
  const progress = createProgress(`upload ${size}`, size);
  await pLimit(options.uploadConcurrency).map(documents, async (document, i) => {
    const token = tokens[i]!;
    await minio.putObject(bucket, `inbox/${token}.${document.extension}`, document.bytes, document.bytes.length, {
      'X-Amz-Meta-received-at': '2017-04-10T09:12:00+02:00',
      'X-Amz-Meta-sender': `post@bench${i % 97}.kommune.no`,
      'X-Amz-Meta-subject': `Soknad om tilskudd ${token}`,
      'X-Amz-Meta-message-id': `<${token}@bench.grant-intake.invalid>`,
    });
    uploaded.set(token, Date.now());
    progress.tick();
  });
  progress.finish();
  const uploadSeconds = (Date.now() - firstUpload) / 1000;
  const query = `WorkflowType = 'application'`;
  await waitForRouted(client, `pipeline ${size} (upload → routed)`, query, size, options.stallSeconds);
  // Whatever the workflow id scheme, the document's key (and so its token) is in the workflow's input.
  const tokenPattern = new RegExp(`bench-${options.runId}-${size}-\\d{5}`);
  return summarise(client, query, firstUpload, uploadSeconds, size, undefined, (input) => {
    const token = tokenPattern.exec(input)?.[0];
    return token ? uploaded.get(token) : undefined;
  });
}

/**
 * One count query a second until `size` cases are routed (or quarantined, or failed), or nothing moves for too long. */
async function waitForRouted(
  client: Client,
  label: string,
  query: string,
  size: number,
  stallSeconds: number,
): Promise<void> {
  const progress = createProgress(label, size);
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const [routed, ended] = await Promise.all([
      client.workflow.count(`${query} AND ${routedQuery}`),
      client.workflow.count(
        `${query} AND (CaseStatus = 'quarantined' OR ExecutionStatus IN ('Failed', 'Terminated', 'TimedOut'))`,
      ),
    ]);
    const done = routed.count + ended.count;
    progress.update(routed.count, ended.count ? `(${ended.count} not routed)` : '');
    if (done >= size) break;
    if (done !== last) {
      last = done;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallSeconds * 1000) {
      progress.finish(`stalled: nothing routed for ${stallSeconds} s`);
      return;
    }
    await sleep(1000);
  }
  progress.finish();
}

/** The figures, from each workflow's history (read after the run, so that reading it costs the run nothing). */
async function summarise(
  client: Client,
  query: string,
  firstSubmit: number,
  uploadSeconds: number,
  size: number,
  submittedById?: (workflowId: string) => number | undefined,
  submittedByInput?: (input: string) => number | undefined,
): Promise<PipelineRun> {
  const executions: Array<{ workflowId: string; runId: string; status?: string }> = [];
  for await (const execution of client.workflow.list({ query })) {
    executions.push({
      workflowId: execution.workflowId,
      runId: execution.runId,
      status: execution.searchAttributes?.CaseStatus?.[0] as string | undefined,
    });
  }
  const statuses: Record<string, number> = {};
  for (const e of executions) statuses[e.status ?? 'none'] = (statuses[e.status ?? 'none'] ?? 0) + 1;

  const latency: number[] = [];
  const startToRouted: number[] = [];
  const uploadToStart: number[] = [];
  const activities: number[] = [];
  const events: number[] = [];
  const routedTimes: number[] = [];
  const timings: Record<string, { count: number; queuedMs: number; runMs: number }> = {};
  let lastRouted = firstSubmit;
  let routed = 0;
  const unrouted: Array<{ workflowId: string; runId: string; status?: string }> = [];
  const progress = createProgress('reading histories', executions.length);
  await pLimit(8).map(executions, async ({ workflowId, runId }) => {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const read = readHistory(history);
    progress.tick();
    if (read.routedAt === undefined || read.startedAt === undefined) {
      unrouted.push({
        workflowId,
        runId,
        status: executions.find((e) => e.workflowId === workflowId && e.runId === runId)?.status,
      });
      return;
    }
    routed++;
    lastRouted = Math.max(lastRouted, read.routedAt);
    routedTimes.push(read.routedAt);
    startToRouted.push(read.routedAt - read.startedAt);
    activities.push(read.activities);
    events.push(read.events);
    for (const t of read.timings) {
      const sum = (timings[t.type] ??= { count: 0, queuedMs: 0, runMs: 0 });
      sum.count++;
      sum.queuedMs += t.queuedMs;
      sum.runMs += t.runMs;
    }
    const submitted = submittedById?.(workflowId) ?? submittedByInput?.(read.input);
    if (submitted !== undefined) {
      latency.push(read.routedAt - submitted);
      if (submittedByInput) uploadToStart.push(read.startedAt - submitted);
    }
  });
  progress.finish();
  const stuck: PipelineRun['stuck'] = [];
  for (const { workflowId, runId, status } of unrouted.slice(0, 10)) {
    const described = await client.workflow
      .getHandle(workflowId, runId)
      .describe()
      .catch(() => undefined);
    const pending = (described?.raw.pendingActivities ?? []).map(
      (a) =>
        `${a.activityType?.name} attempt ${a.attempt}${a.lastFailure?.message ? `: ${a.lastFailure.message}` : ''}`,
    );
    stuck.push({
      workflowId,
      ...(status && { status }),
      pending: [`execution ${described?.status.name ?? '?'}`, ...pending],
    });
  }
  const seconds = (lastRouted - firstSubmit) / 1000;
  routedTimes.sort((a, b) => a - b);
  const n95 = Math.ceil(0.95 * size);
  const seconds95 = routedTimes.length >= n95 ? (routedTimes[n95 - 1]! - firstSubmit) / 1000 : NaN;
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  return {
    documents: size,
    routed,
    notRouted: size - routed,
    statuses,
    seconds: round(seconds, 2),
    casesPerSecond: round(routed / Math.max(seconds, 0.001), 2),
    seconds95: round(seconds95, 2),
    casesPerSecond95: round(n95 / seconds95, 2),
    latencyMs: percentiles(latency),
    startToRoutedMs: percentiles(startToRouted),
    ...(submittedByInput && { uploadToStartMs: percentiles(uploadToStart) }),
    uploadSeconds: round(uploadSeconds, 2),
    shape: { activities: median(activities), events: median(events) },
    stuck,
    activities: Object.fromEntries(
      Object.entries(timings).map(([type, t]) => [
        type,
        { count: t.count, queuedMs: Math.round(t.queuedMs / t.count), runMs: Math.round(t.runMs / t.count) },
      ]),
    ),
  };
}

interface HistoryFacts {
  startedAt?: number;
  routedAt?: number;
  /** The start event's input, as text (to find the document it is about). */
  input: string;
  /** Activities scheduled, and events, up to the routing upsert. */
  activities: number;
  events: number;
  timings: Array<{ type: string; queuedMs: number; runMs: number }>;
}

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
type EventTime = NonNullable<History['events']>[number]['eventTime'];

function readHistory(history: History): HistoryFacts {
  const facts: HistoryFacts = { input: '', activities: 0, events: 0, timings: [] };
  const scheduled = new Map<string, { type: string; at: number; startedAt?: number }>();
  for (const event of history.events ?? []) {
    facts.events++;
    const at = timeOf(event.eventTime);
    const started = event.workflowExecutionStartedEventAttributes;
    if (started) {
      facts.startedAt = at;
      facts.input += (started.input?.payloads ?? []).map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
    }
    // Intake may deliver the document as a signal (signal-with-start): its object is then in the signal's input.
    const signalled = event.workflowExecutionSignaledEventAttributes;
    if (signalled)
      facts.input += (signalled.input?.payloads ?? [])
        .map((p) => Buffer.from(p.data ?? []).toString('utf8'))
        .join('\n');
    const id = String(event.eventId);
    if (event.activityTaskScheduledEventAttributes) {
      facts.activities++;
      scheduled.set(id, { type: event.activityTaskScheduledEventAttributes.activityType?.name ?? '?', at });
    }
    const startedTask = event.activityTaskStartedEventAttributes;
    if (startedTask) {
      const s = scheduled.get(String(startedTask.scheduledEventId));
      if (s) s.startedAt = at;
    }
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed) {
      const s = scheduled.get(String(completed.scheduledEventId));
      if (s?.startedAt !== undefined)
        facts.timings.push({ type: s.type, queuedMs: s.startedAt - s.at, runMs: at - s.startedAt });
    }
    const upsert = event.upsertWorkflowSearchAttributesEventAttributes;
    const status = upsert?.searchAttributes?.indexedFields?.[searchAttributes.status.name]?.data;
    if (status) {
      const value = JSON.parse(Buffer.from(status).toString('utf8')) as unknown;
      if (routedStatuses.includes(String(value))) {
        facts.routedAt = at;
        break;
      }
    }
  }
  return facts;
}

function timeOf(time: EventTime): number {
  if (!time) return NaN;
  const seconds = typeof time.seconds === 'number' ? time.seconds : Number(time.seconds?.toString() ?? 0);
  return seconds * 1000 + (time.nanos ?? 0) / 1e6;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

function emptyRun(size: number): PipelineRun {
  const none = percentiles([]);
  return {
    documents: size,
    routed: 0,
    notRouted: size,
    statuses: {},
    seconds: NaN,
    casesPerSecond: NaN,
    seconds95: NaN,
    casesPerSecond95: NaN,
    latencyMs: none,
    startToRoutedMs: none,
    uploadSeconds: 0,
    shape: { activities: 0, events: 0 },
    activities: {},
    stuck: [],
  };
}
