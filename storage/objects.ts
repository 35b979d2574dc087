import type { BucketItemStat, Client as MinioClient } from 'minio';
import type { ObjectRef } from '../schemas/document.ts';

/**
 * Object and JSON I/O against the S3 store (MinIO): what the activities, intake, the web app and the CLI read and
 * write. An object is addressed by bucket, key and, where it matters, version (`ObjectRef`).
 */

type Addressed = Pick<ObjectRef, 'bucket' | 'key' | 'versionId'>;

const versionOf = (object: Addressed) => (object.versionId ? { versionId: object.versionId } : {});

/** Whether an S3 error says the object, or the version asked for, is not there. */
export function isNotFound(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code === 'NotFound' || code === 'NoSuchKey' || code === 'NoSuchVersion';
}

/** The object's size, etag, upload time and user metadata; undefined when it (or the version asked for) is gone. */
export async function statObject(minio: MinioClient, object: Addressed): Promise<BucketItemStat | undefined> {
  try {
    return await minio.statObject(object.bucket, object.key, versionOf(object));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The object's bytes; one larger than `maxBytes` is refused with a `RangeError` before it is all read. */
export async function readObject(minio: MinioClient, object: Addressed, maxBytes = Infinity): Promise<Buffer> {
  const stream = await minio.getObject(object.bucket, object.key, versionOf(object));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      stream.destroy();
      throw new RangeError(`object larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readJson(minio: MinioClient, bucket: string, key: string): Promise<unknown> {
  return JSON.parse((await readObject(minio, { bucket, key })).toString('utf8'));
}

/** The JSON object at the key, or undefined when there is none. */
export async function readJsonIfExists(minio: MinioClient, bucket: string, key: string): Promise<unknown> {
  try {
    return await readJson(minio, bucket, key);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export async function writeJson(minio: MinioClient, bucket: string, key: string, value: unknown): Promise<void> {
  const json = Buffer.from(JSON.stringify(value, null, 2));
  await minio.putObject(bucket, key, json, json.length, { 'Content-Type': 'application/json' });
}

/** Writes a log entry that is never overwritten: a retried activity finds it there and leaves the first one. */
export async function writeJsonOnce(minio: MinioClient, bucket: string, key: string, value: unknown): Promise<void> {
  if (!(await statObject(minio, { bucket, key }))) await writeJson(minio, bucket, key, value);
}

/** The keys under a prefix, in key order (S3 lists them so). */
export async function listKeys(minio: MinioClient, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const item of minio.listObjectsV2(bucket, prefix, true) as AsyncIterable<{ name?: string }>)
    if (item.name) keys.push(item.name);
  return keys.sort();
}
