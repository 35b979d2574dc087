import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { connectTemporalClient } from '../../client/connection.ts';
import type { Client as MinioClient } from 'minio';
import { createMinioClient } from '../../storage/minio-client.ts';
import { loadConfig, type Config } from '../../config/env.ts';
import { resolveServerBinary } from '../../stack/binaries.ts';
import { startLocalMinio, WEBHOOK_TARGET_ARN } from '../../stack/minio-server.ts';
import { freePort } from '../../stack/ports.ts';
import type { ServerProcess } from '../../stack/server-process.ts';
import { ensureBuckets, ensureInboxNotification } from '../../stack/setup.ts';
import { startLocalTemporal } from '../../stack/temporal-server.ts';
import { startWorkerProcess, type WorkerProcess } from './worker-process.ts';

/**
 * For fault tests: a Temporal dev server that keeps its database file and a MinIO server, both as processes of their
 * own that can be stopped and started again on the same data and ports, and workers as `grant-intake start` in child
 * processes that can be killed (`test/support/stack.ts`'s in-process servers cannot be restarted).
 */
export interface RestartableServers {
  config: Config;
  minio: MinioClient;
  /** Survives the Temporal server's restarts (the connection reconnects). */
  client: Client;
  restartTemporal(): Promise<void>;
  restartMinio(): Promise<void>;
  /** A worker process on the servers; `env` adds to its environment. */
  startWorker(env?: Record<string, string>): Promise<WorkerProcess>;
  stop(): Promise<void>;
}

export async function startRestartableServers({
  name,
  minioSecret,
}: {
  name: string;
  minioSecret: string;
}): Promise<RestartableServers> {
  const dataDir = await mkdtemp(join(tmpdir(), `grant-intake-${name}-`));
  const [temporalBinary, minioBinary] = [await resolveServerBinary('temporal'), await resolveServerBinary('minio')];
  const ports = {
    temporal: await freePort(),
    ui: await freePort(),
    minio: await freePort(),
    console: await freePort(),
    webhook: await freePort(),
    web: await freePort(),
  };
  const config: Config = loadConfig(
    {
      GRANT_INTAKE_DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}`,
      TEMPORAL_TASK_QUEUE: name,
      PAYLOAD_KEYS: `${name}:${randomBytes(32).toString('base64')}`,
      MINIO_ENDPOINT: `http://127.0.0.1:${ports.minio}`,
      MINIO_ACCESS_KEY: 'grant-intake',
      MINIO_SECRET_KEY: minioSecret,
      INTAKE_WEBHOOK_PORT: String(ports.webhook),
    },
    { dotenv: false },
  );
  const webhookToken = `${name}-webhook-token-0123456789`;
  const startTemporal = () =>
    startLocalTemporal({
      binary: temporalBinary,
      dataDir,
      port: ports.temporal,
      uiPort: ports.ui,
      namespace: 'default',
    });
  const startMinio = () =>
    startLocalMinio({
      binary: minioBinary,
      dataDir,
      port: ports.minio,
      consolePort: ports.console,
      accessKey: config.minio.accessKey,
      secretKey: config.minio.secretKey,
      webhook: { port: ports.webhook, token: webhookToken },
    });
  let temporal: ServerProcess = await startTemporal();
  let minioServer: ServerProcess = await startMinio();
  const minio = createMinioClient(config);
  await ensureBuckets(minio, config);
  await ensureInboxNotification(minio, config.buckets.intake, WEBHOOK_TARGET_ARN);
  const client = await connectTemporalClient(config);
  return {
    config,
    minio,
    client,
    async restartTemporal() {
      await temporal.stop();
      temporal = await startTemporal();
    },
    async restartMinio() {
      await minioServer.stop();
      minioServer = await startMinio();
    },
    startWorker: (env = {}) =>
      startWorkerProcess(config, { cwd: dataDir, webhookToken, env: { WEB_PORT: String(ports.web), ...env } }),
    async stop() {
      await client.connection.close().catch(() => undefined);
      await minioServer.stop();
      await temporal.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
