import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client as MinioClient } from 'minio';
import { loadConfig, type Config } from '../../config/env.ts';
import { resolveServerBinary } from '../../stack/binaries.ts';
import { startLocalMinio } from '../../stack/minio-server.ts';
import { freePort } from '../../stack/ports.ts';
import { ensureBuckets } from '../../stack/setup.ts';
import { createMinioClient } from '../../storage/minio-client.ts';

/** A MinIO server alone, on free ports with a temporary data folder and the stack's buckets: for activity tests. */
export interface MinioOnly {
  config: Config;
  minio: MinioClient;
  stop(): Promise<void>;
}

export async function startMinioOnly(name: string): Promise<MinioOnly> {
  const dir = await mkdtemp(join(tmpdir(), `grant-intake-${name}-`));
  const config = loadConfig(
    {
      GRANT_INTAKE_DATA_DIR: dir,
      MINIO_PORT: String(await freePort()),
      MINIO_CONSOLE_PORT: String(await freePort()),
      INTAKE_WEBHOOK_PORT: String(await freePort()),
    },
    { dotenv: false },
  );
  const server = await startLocalMinio({
    binary: await resolveServerBinary('minio'),
    dataDir: dir,
    port: config.minio.localPort,
    consolePort: config.minio.localConsolePort,
    accessKey: config.minio.accessKey,
    secretKey: config.minio.secretKey,
    webhook: { port: config.webhook.port, token: randomBytes(24).toString('hex') },
  });
  const minio = createMinioClient(config);
  await ensureBuckets(minio, config);
  return {
    config,
    minio,
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
