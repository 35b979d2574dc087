import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { NativeConnection, WorkflowBundle } from '@temporalio/worker';
import type { Client as MinioClient } from 'minio';
import type { Config } from '../config/env.ts';
import { deliverDocument } from '../intake/deliver.ts';
import { createWebhookServer } from '../intake/webhook.ts';
import { INBOX_PREFIX } from '../intake/bucket-layout.ts';
import { createApplicationWorkers } from './application-worker.ts';

export interface IntakeServiceOptions {
  config: Config;
  client: Client;
  workerConnection: NativeConnection;
  minio: MinioClient;
  /** The token MinIO presents; without one (or without the `intake` role) no webhook is served. */
  webhookToken?: string;
  webhookHost: string;
  workflowBundle?: WorkflowBundle;
  log: (line: string) => void;
}

export interface IntakeService {
  webhookUrl?: string;
  /** Stops taking work, lets running activities finish, closes the webhook. */
  stop(): Promise<void>;
}

/** The worker plus the webhook that turns MinIO's bucket events into workflow starts. */
export async function startIntakeService(options: IntakeServiceOptions): Promise<IntakeService> {
  const { config, client, log } = options;
  const workers = await createApplicationWorkers({
    connection: options.workerConnection,
    client,
    config,
    minio: options.minio,
    workflowBundle: options.workflowBundle,
  });
  const running = Promise.all(workers.map((worker) => worker.run()));

  let webhookUrl: string | undefined;
  const webhook = options.webhookToken && config.roles.has('intake')
    ? createWebhookServer({
        prefix: INBOX_PREFIX,
        token: options.webhookToken,
        onObjectCreated: async (object) => {
          const delivery = await deliverDocument(
            { client, minio: options.minio, taskQueue: config.temporal.taskQueue, recordsBucket: config.buckets.records },
            object,
          );
          log(`${JSON.stringify(object.key)}: ${delivery.outcome}${'workflowId' in delivery ? ` to ${delivery.workflowId}` : ''}`);
        },
        log: (message, meta) => log(`${message} ${JSON.stringify(meta ?? {})}`),
      })
    : undefined;
  if (webhook) {
    await new Promise<void>((resolve, reject) => {
      webhook.once('error', reject);
      webhook.listen(config.webhook.port, options.webhookHost, () => resolve());
    });
    const { port } = webhook.address() as AddressInfo;
    webhookUrl = `http://${options.webhookHost}:${port}/minio/events`;
  }

  return {
    webhookUrl,
    async stop() {
      if (webhook) await new Promise((resolve) => webhook.close(resolve));
      for (const worker of workers) worker.shutdown();
      await running;
    },
  };
}
