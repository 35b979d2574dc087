import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { NativeConnection, WorkflowBundle } from '@temporalio/worker';
import Fastify, { LogController } from 'fastify';
import type { Client as MinioClient } from 'minio';
import { deliverDocument } from '../client/deliver.ts';
import type { Config } from '../config/env.ts';
import type { Logger } from '../config/logger.ts';
import { INBOX_PREFIX } from '../schemas/bucket-layout.ts';
import { createApplicationWorkers } from './application-worker.ts';
import { minioEventsRoute, WEBHOOK_PATH } from './webhook.ts';

export interface IntakeServiceOptions {
  config: Config;
  client: Client;
  workerConnection: NativeConnection;
  minio: MinioClient;
  /** The token MinIO presents; without one (or without the `intake` role) no webhook is served. */
  webhookToken?: string;
  webhookHost: string;
  workflowBundle?: WorkflowBundle;
  logger: Logger;
}

export interface IntakeService {
  webhookUrl?: string;
  /** Stops taking work, lets running activities finish, closes the webhook. */
  stop(): Promise<void>;
}

/** The worker plus the webhook that turns MinIO's bucket events into workflow starts. */
export async function startIntakeService(options: IntakeServiceOptions): Promise<IntakeService> {
  const { config, client, logger } = options;
  const workers = await createApplicationWorkers({
    connection: options.workerConnection,
    client,
    config,
    minio: options.minio,
    workflowBundle: options.workflowBundle,
  });
  const running = Promise.all(workers.map((worker) => worker.run()));

  let webhookUrl: string | undefined;
  // A server of its own on the webhook's port: MinIO reaches it on an address the review app need not share.
  const intakeLogger = logger.child({ component: 'intake-webhook' });
  const webhook =
    options.webhookToken && config.roles.has('intake')
      ? Fastify({ loggerInstance: intakeLogger, logController: new LogController({ disableRequestLogging: true }) })
      : undefined;
  if (webhook) {
    const deps = {
      client,
      minio: options.minio,
      taskQueue: config.temporal.taskQueue,
      recordsBucket: config.buckets.records,
      logger: intakeLogger,
    };
    await webhook.register(minioEventsRoute, {
      inboxPrefix: INBOX_PREFIX,
      token: options.webhookToken!,
      onObjectCreated: (object) => deliverDocument(deps, object),
    });
    await webhook.listen({ port: config.webhook.port, host: options.webhookHost });
    const { port } = webhook.server.address() as AddressInfo;
    webhookUrl = `http://${options.webhookHost}:${port}${WEBHOOK_PATH}`;
  }

  return {
    webhookUrl,
    async stop() {
      await webhook?.close();
      for (const worker of workers) worker.shutdown();
      await running;
    },
  };
}
