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
  return startServerProcess({
    name: 'minio',
    command: options.binary,
    args: [
      'server', join(options.dataDir, 'minio'),
      '--address', `127.0.0.1:${options.port}`,
      '--console-address', `127.0.0.1:${options.consolePort}`,
      '--quiet',
    ],
    env: {
      ...process.env,
      MINIO_ROOT_USER: options.accessKey,
      MINIO_ROOT_PASSWORD: options.secretKey,
      MINIO_BROWSER: 'on',
      MINIO_UPDATE: 'off',
      [`MINIO_NOTIFY_WEBHOOK_ENABLE_${id}`]: 'on',
      [`MINIO_NOTIFY_WEBHOOK_ENDPOINT_${id}`]: `http://127.0.0.1:${options.webhook.port}${WEBHOOK_PATH}`,
      [`MINIO_NOTIFY_WEBHOOK_AUTH_TOKEN_${id}`]: options.webhook.token,
      [`MINIO_NOTIFY_WEBHOOK_QUEUE_DIR_${id}`]: join(options.dataDir, 'minio-events'),
      [`MINIO_NOTIFY_WEBHOOK_QUEUE_LIMIT_${id}`]: '100000',
    },
    runDir: join(options.dataDir, 'run'),
    isReady: async () => {
      const response = await fetch(`http://127.0.0.1:${options.port}/minio/health/ready`, { signal: AbortSignal.timeout(1000) });
      return response.ok;
    },
  });
}
