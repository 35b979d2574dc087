import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection, type WorkerOptions, type WorkflowBundle } from '@temporalio/worker';
import type { Client as MinioClient } from 'minio';
import { createActivities } from '../activities/index.ts';
import { clientOptions } from '../client/connection.ts';
import type { Config } from '../config/env.ts';
import { createLlmReader } from '../extraction/llm-reader.ts';
import { ocrTaskQueue } from '../workflows/messages.ts';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/**
 * Concurrency and cache settings of the application worker (SDK defaults where absent); `npm run bench` prints them
 * beside its figures and runs its baseline worker with the same ones.
 *
 * `maxCachedWorkflows`: a routed case stays running for days, waiting for its caseworker. The SDK's default cache
 * (about 2 300 workflows with node's 4 GiB heap) kept every one in memory: the worker grew 1.6 MiB per routed case
 * (1 914 MiB peak at 1 000 documents). With 100 (more than the 40 workflow tasks at once, as the SDK requires) the
 * peak was 947 MiB; a case evicted from the cache is replayed from its ~45 events when a caseworker acts on it.
 */
export const applicationWorkerTuning: Partial<
  Pick<
    WorkerOptions,
    | 'maxConcurrentWorkflowTaskExecutions'
    | 'maxConcurrentActivityTaskExecutions'
    | 'maxCachedWorkflows'
    | 'reuseV8Context'
  >
> = { maxCachedWorkflows: 100 };

/**
 * A worker of a Worker Deployment version when `TEMPORAL_DEPLOYMENT_NAME` is set (its tasks come to it only while its
 * version is current or ramping, or for runs pinned to it); unversioned otherwise. Each workflow type has its own
 * behaviour (`workflows/versioning.ts`); the default, for a type without one, is AUTO_UPGRADE: what unversioned
 * workers did, and what this code is written for (replay tests, `patched()`).
 */
export function workerDeploymentOptions(config: Config): Pick<WorkerOptions, 'workerDeploymentOptions'> {
  const version = config.temporal.deployment;
  return version
    ? { workerDeploymentOptions: { useWorkerVersioning: true, version, defaultVersioningBehavior: 'AUTO_UPGRADE' } }
    : {};
}

export interface ApplicationWorkerOptions {
  connection: NativeConnection;
  /** For activities that start or find workflows (the inbox sweep, the duplicate check). */
  client: Client;
  config: Config;
  minio: MinioClient;
  /**
   * A prebuilt bundle (tests build one per file, with `failureConverterPath`); without it the worker bundles
   * `workflows/` itself. */
  workflowBundle?: WorkflowBundle;
}

/**
 * The workers of one process: application workflows and their activities on the configured task queue, and OCR on
 * a task queue of its own, one scan per core (tesseract runs single-threaded, which is fastest on few cores). More
 * processes anywhere add capacity to both; an OCR-heavy day is met with more of them, and a deployment that scales
 * them apart runs each in processes of their own (`GRANT_INTAKE_ROLES=application` / `ocr`).
 */
export async function createApplicationWorkers({
  connection,
  client,
  config,
  minio,
  workflowBundle,
}: ApplicationWorkerOptions): Promise<Worker[]> {
  const activities = createActivities({
    minio,
    client,
    taskQueue: config.temporal.taskQueue,
    intakeBucket: config.buckets.intake,
    recordsBucket: config.buckets.records,
    llm: createLlmReader(config.llm),
    mail: config.mail,
  });
  const { ocrText, ...others } = activities;
  const { namespace, dataConverter } = await clientOptions(config);
  const deployment = workerDeploymentOptions(config);
  const workers: Promise<Worker>[] = [];
  if (config.roles.has('application')) {
    workers.push(
      Worker.create({
        connection,
        namespace,
        dataConverter,
        taskQueue: config.temporal.taskQueue,
        ...(workflowBundle ? { workflowBundle } : { workflowsPath }),
        activities: others,
        ...deployment,
        ...applicationWorkerTuning,
      }),
    );
  }
  if (config.roles.has('ocr')) {
    workers.push(
      Worker.create({
        connection,
        namespace,
        dataConverter,
        taskQueue: ocrTaskQueue(config.temporal.taskQueue),
        activities: { ocrText },
        // The same version as the application worker: OCR of a case pinned to a version runs on that version's code.
        ...deployment,
        maxConcurrentActivityTaskExecutions: availableParallelism(),
      }),
    );
  }
  return Promise.all(workers);
}
