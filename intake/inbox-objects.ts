import { ApplicationFailure } from '@temporalio/common';
import { CopyDestinationOptions, CopySourceOptions, type Client as MinioClient } from 'minio';
import type { ObjectRef } from '../schemas/document.ts';
import { movedKey } from './bucket-layout.ts';

/**
 * Takes a handled document out of the inbox, keeping it with its metadata under `processed/` (or `quarantine/`
 * when it could not be read). Only this version is removed: a newer upload under the same name stays in the inbox.
 * Idempotent: a retry after a worker died between the removal and reporting the move finds the version already
 * moved, and returns that copy.
 */
export async function moveOutOfInbox(minio: MinioClient, object: ObjectRef, to: 'processed' | 'quarantine'): Promise<ObjectRef> {
  const key = movedKey(object.key, to);
  let copied: { Etag?: string; VersionId?: string | null }; // the V2 result (minio does not export its type)
  try {
    copied = (await minio.copyObject(
      new CopySourceOptions({ Bucket: object.bucket, Object: object.key, VersionID: object.versionId ?? '', MatchETag: object.etag }),
      new CopyDestinationOptions({ Bucket: object.bucket, Object: key }),
    )) as typeof copied;
  } catch (error) {
    const moved = isNoLongerThere(error) ? await movedCopy(minio, object, key) : undefined;
    if (moved) return moved;
    throw error;
  }
  // Without a version id (a store without versioning) the copy above is the only one that stays.
  await minio.removeObject(object.bucket, object.key, object.versionId ? { versionId: object.versionId } : {});
  return { bucket: object.bucket, key, etag: copied.Etag ?? object.etag, versionId: copied.VersionId ?? undefined };
}

/** The store's answer when an object version is gone (or was replaced: the etag no longer matches). */
export function isNoLongerThere(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'NoSuchKey' || code === 'NoSuchVersion' || code === 'NotFound' || code === 'PreconditionFailed';
}

/** The version of `bucket/key` with this etag, if there is one (a name may have been overwritten, or moved). */
async function versionWithEtag(minio: MinioClient, bucket: string, key: string, etag: string): Promise<{ versionId?: string } | undefined> {
  const wanted = etag.replace(/"/g, '');
  const versions = minio.listObjects(bucket, key, false, { IncludeVersion: true });
  for await (const item of versions as AsyncIterable<{ name?: string; etag?: string; versionId?: string | null; isDeleteMarker?: boolean }>) {
    if (item.name === key && !item.isDeleteMarker && item.etag?.replace(/"/g, '') === wanted) {
      return { versionId: item.versionId && item.versionId !== 'null' ? item.versionId : undefined };
    }
  }
  return undefined;
}

/** The copy an earlier move of this version left at `key`: the same bytes, so the same etag (a single-part copy). */
async function movedCopy(minio: MinioClient, object: ObjectRef, key: string): Promise<ObjectRef | undefined> {
  const found = await versionWithEtag(minio, object.bucket, key, object.etag);
  return found && { bucket: object.bucket, key, etag: object.etag, versionId: found.versionId };
}

/** The version of a listed object that has the listed etag (the name may have been overwritten since). */
export async function pinVersion(minio: MinioClient, object: ObjectRef): Promise<ObjectRef> {
  const found = await versionWithEtag(minio, object.bucket, object.key, object.etag);
  if (!found) throw ApplicationFailure.nonRetryable(`${object.bucket}/${object.key} with etag ${object.etag.replace(/"/g, '')} no longer exists`, 'document-missing');
  return { ...object, versionId: found.versionId };
}
