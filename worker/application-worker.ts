import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import type { Client as MinioClient } from 'minio';
import { createActivities } from '../activities/index.ts';
import type { Config } from '../config/env.ts';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface ApplicationWorkerOptions {
  connection: NativeConnection;
  /** For activities that start workflows (the inbox sweep). */
  client: Client;
  config: Config;
  minio: MinioClient;
  /** A prebuilt bundle (tests build one per file); without it the worker bundles `workflows/` itself. */
  workflowBundle?: WorkflowBundle;
}

/** The worker that runs application workflows and their activities on the configured task queue. */
export function createApplicationWorker({ connection, client, config, minio, workflowBundle }: ApplicationWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath }),
    activities: createActivities({
      minio,
      client,
      taskQueue: config.temporal.taskQueue,
      intakeBucket: config.buckets.intake,
      recordsBucket: config.buckets.records,
    }),
  });
}
