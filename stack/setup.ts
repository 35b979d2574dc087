import { NotificationConfig, QueueConfig, type Client as MinioClient } from 'minio';
import type { Config } from '../config/env.ts';
import type { Logger } from '../config/logger.ts';
import { INBOX_PREFIX } from '../schemas/bucket-layout.ts';

/**
 * Buckets with versioning (an overwritten attachment or record keeps its earlier version: nothing is lost) and default
 * encryption (SSE-S3: every object stored encrypted by the server's KMS; the local MinIO's key is `localKmsKey`).
 * Idempotent: a second start finds everything as it was.
 */
export async function ensureBuckets(minio: MinioClient, config: Config, logger?: Logger): Promise<void> {
  for (const bucket of [config.buckets.intake, config.buckets.records]) {
    if (!(await minio.bucketExists(bucket))) {
      await minio.makeBucket(bucket, config.minio.region);
      logger?.info({ bucket }, `created bucket ${bucket}`);
    }
    await minio.setBucketVersioning(bucket, { Status: 'Enabled' }).catch((error: Error) => {
      logger?.warn(
        { bucket, err: error },
        `versioning could not be enabled on ${bucket}; overwritten objects will not be kept`,
      );
    });
    await minio.setBucketEncryption(bucket).catch((error: Error) => {
      logger?.warn(
        { bucket, err: error },
        `default encryption could not be set on ${bucket}; objects are stored as sent (does the server have a KMS?)`,
      );
    });
  }
}

/** Sends the intake bucket's `inbox/` uploads to a notification target (MinIO's webhook target of the local stack). */
export async function ensureInboxNotification(minio: MinioClient, bucket: string, targetArn: string): Promise<void> {
  const config = new NotificationConfig();
  const queue = new QueueConfig(targetArn);
  queue.addFilterPrefix(INBOX_PREFIX);
  queue.addEvent('s3:ObjectCreated:*');
  config.add(queue);
  await minio.setBucketNotification(bucket, config);
}
