import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WEBHOOK_PATH } from '../worker/webhook.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

/** The id of MinIO's webhook notification target; bucket notifications name it as `arn:minio:sqs::INTAKE:webhook`. */
export const WEBHOOK_TARGET_ID = 'INTAKE';
export const WEBHOOK_TARGET_ARN = `arn:minio:sqs::${WEBHOOK_TARGET_ID}:webhook`;

export interface LocalMinioOptions {
  binary: string;
  dataDir: string;
  port: number;
  consolePort: number;
  accessKey: string;
  secretKey: string;
  /** Where MinIO delivers bucket events (the intake webhook). */
  webhook: { port: number; token: string };
}

/**
 * A MinIO server with its data under the data folder. Bucket events go to the intake webhook through a persistent
 * queue directory: events of uploads made while the receiver is down (even across a MinIO restart) arrive later.
 */
export async function startLocalMinio(options: LocalMinioOptions): Promise<ServerProcess> {
  const id = WEBHOOK_TARGET_ID;
  const kmsSecretKey = await localKmsKey(options.dataDir);
  return startServerProcess({
    name: 'minio',
    command: options.binary,
    args: [
      'server',
      join(options.dataDir, 'minio'),
      '--address',
      `127.0.0.1:${options.port}`,
      '--console-address',
      `127.0.0.1:${options.consolePort}`,
      '--quiet',
    ],
    env: {
      ...process.env,
      MINIO_ROOT_USER: options.accessKey,
      MINIO_ROOT_PASSWORD: options.secretKey,
      MINIO_BROWSER: 'on',
      MINIO_UPDATE: 'off',
      MINIO_KMS_SECRET_KEY: kmsSecretKey,
      [`MINIO_NOTIFY_WEBHOOK_ENABLE_${id}`]: 'on',
      [`MINIO_NOTIFY_WEBHOOK_ENDPOINT_${id}`]: `http://127.0.0.1:${options.webhook.port}${WEBHOOK_PATH}`,
      [`MINIO_NOTIFY_WEBHOOK_AUTH_TOKEN_${id}`]: options.webhook.token,
      [`MINIO_NOTIFY_WEBHOOK_QUEUE_DIR_${id}`]: join(options.dataDir, 'minio-events'),
      [`MINIO_NOTIFY_WEBHOOK_QUEUE_LIMIT_${id}`]: '100000',
    },
    runDir: join(options.dataDir, 'run'),
    isReady: async () => {
      const response = await fetch(`http://127.0.0.1:${options.port}/minio/health/ready`, {
        signal: AbortSignal.timeout(1000),
      });
      return response.ok;
    },
  });
}

/**
 * The local MinIO's KMS key (`name:base64`, MinIO's single-key KMS), generated on the first start and kept in
 * `<data dir>/minio-kms-key` (mode 600) beside, not inside, MinIO's data: the buckets' default encryption (SSE-S3)
 * encrypts every object with keys sealed by it. Lose it and the objects are lost; a cluster uses MinIO KES instead.
 */
export async function localKmsKey(dataDir: string): Promise<string> {
  const path = join(dataDir, 'minio-kms-key');
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true });
  const key = `grant-intake-local:${randomBytes(32).toString('base64')}`;
  await writeFile(path, `${key}\n`, { mode: 0o600 });
  return key;
}
