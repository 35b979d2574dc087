import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import type { Client as MinioClient } from 'minio';
import { createActivities } from '../activities/index.ts';
import type { Config } from '../config/env.ts';
import { createLlmReader } from '../extraction/llm-reader.ts';
import { ocrTaskQueue } from '../workflows/messages.ts';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface ApplicationWorkerOptions {
  connection: NativeConnection;
  /** For activities that start or find workflows (the inbox sweep, the duplicate check). */
  client: Client;
  config: Config;
  minio: MinioClient;
  /** A prebuilt bundle (tests build one per file); without it the worker bundles `workflows/` itself. */
  workflowBundle?: WorkflowBundle;
}

/**
 * The workers of one process: application workflows and their activities on the configured task queue, and OCR on
 * a task queue of its own, one scan per core (tesseract runs single-threaded, which is fastest on few cores). More
 * processes anywhere add capacity to both; an OCR-heavy day is met with more of them.
 */
export async function createApplicationWorkers({ connection, client, config, minio, workflowBundle }: ApplicationWorkerOptions): Promise<Worker[]> {
  const activities = createActivities({
    minio,
    client,
    taskQueue: config.temporal.taskQueue,
    intakeBucket: config.buckets.intake,
    recordsBucket: config.buckets.records,
    llm: createLlmReader(config.llm),
  });
  const { ocrText, ...others } = activities;
  return Promise.all([
    Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      ...(workflowBundle ? { workflowBundle } : { workflowsPath }),
      activities: others,
    }),
    Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: ocrTaskQueue(config.temporal.taskQueue),
      activities: { ocrText },
      maxConcurrentActivityTaskExecutions: availableParallelism(),
    }),
  ]);
}
