import type { Client } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { NotificationConfig, QueueConfig, type Client as MinioClient } from 'minio';
import type { Config } from '../config/env.ts';
import { INBOX_PREFIX } from '../intake/bucket-layout.ts';
import { allSearchAttributes } from '../workflows/messages.ts';


/**
 * Buckets with versioning (an overwritten attachment or record keeps its earlier version: nothing is lost) and default
 * encryption (SSE-S3: every object stored encrypted by the server's KMS; the local MinIO's key is `localKmsKey`).
 * Idempotent: a second start finds everything as it was.
 */
export async function ensureBuckets(minio: MinioClient, config: Config, log: (line: string) => void = () => {}): Promise<void> {
  for (const bucket of [config.buckets.intake, config.buckets.records]) {
    if (!(await minio.bucketExists(bucket))) {
      await minio.makeBucket(bucket, config.minio.region);
      log(`created bucket ${bucket}`);
    }
    await minio.setBucketVersioning(bucket, { Status: 'Enabled' }).catch((error: Error) => {
      log(`warning: versioning could not be enabled on ${bucket} (${error.message}); overwritten objects will not be kept`);
    });
    await minio.setBucketEncryption(bucket).catch((error: Error) => {
      log(`warning: default encryption could not be set on ${bucket} (${error.message}); objects are stored as sent (does the server have a KMS?)`);
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

/**
 * Registers the custom search attributes on a cluster (the local dev server gets them as start flags).
 * Temporal Cloud refuses this call: there an admin adds them once with `tcld`; the error says so.
 */
export async function ensureSearchAttributes(client: Client, namespace: string): Promise<void> {
  const typeCodes: Record<string, number> = { TEXT: 1, KEYWORD: 2, INT: 3, DOUBLE: 4, BOOL: 5, DATETIME: 6, KEYWORD_LIST: 7 };
  const existing = await client.connection.operatorService.listSearchAttributes({ namespace });
  const missing = allSearchAttributes.filter((key) => !(key.name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return;
  try {
    await client.connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, typeCodes[key.type]!])),
    });
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (code === 6) return; // gRPC ALREADY_EXISTS: another worker added them meanwhile
    throw new Error(
      `the search attributes ${missing.map((k) => k.name).join(', ')} are missing in namespace ${namespace} and could not be added (${(error as Error).message}); add them as an admin of the cluster`,
    );
  }
}

/**
 * How long the namespace keeps closed workflows' histories. The records bucket holds each case's lasting record (and
 * the audit log), so the histories, with their personal data, need not outlive the days an admin may look into one.
 */
export async function ensureRetention(client: Client, namespace: string, days: number): Promise<void> {
  const seconds = days * 86_400;
  const { config } = await client.workflowService.describeNamespace({ namespace });
  if (Number(config?.workflowExecutionRetentionTtl?.seconds ?? 0) === seconds) return;
  await client.workflowService.updateNamespace({ namespace, config: { workflowExecutionRetentionTtl: msToTs(`${days} days`) } });
}
