import { ApplicationFailure } from '@temporalio/common';
import { CopyDestinationOptions, CopySourceOptions, type Client as MinioClient } from 'minio';
import type { ObjectRef } from '../schemas/document.ts';
import { movedKey } from './bucket-layout.ts';

/**
 * Takes a handled document out of the inbox, keeping it with its metadata under `processed/` (or `quarantine/`
 * when it could not be read). Only this version is removed: a newer upload under the same name stays in the inbox.
 */
export async function moveOutOfInbox(minio: MinioClient, object: ObjectRef, to: 'processed' | 'quarantine'): Promise<ObjectRef> {
  const key = movedKey(object.key, to);
  const copied = (await minio.copyObject(
    new CopySourceOptions({ Bucket: object.bucket, Object: object.key, VersionID: object.versionId ?? '', MatchETag: object.etag }),
    new CopyDestinationOptions({ Bucket: object.bucket, Object: key }),
  )) as { Etag?: string; VersionId?: string | null }; // the V2 result (minio does not export its type)
  // Without a version id (a store without versioning) the copy above is the only one that stays.
  await minio.removeObject(object.bucket, object.key, object.versionId ? { versionId: object.versionId } : {});
  return { bucket: object.bucket, key, etag: copied.Etag ?? object.etag, versionId: copied.VersionId ?? undefined };
}

/** The version of a listed object that has the listed etag (the name may have been overwritten since). */
export async function pinVersion(minio: MinioClient, object: ObjectRef): Promise<ObjectRef> {
  const wanted = object.etag.replace(/"/g, '');
  const versions = minio.listObjects(object.bucket, object.key, false, { IncludeVersion: true });
  for await (const item of versions as AsyncIterable<{ name?: string; etag?: string; versionId?: string | null; isDeleteMarker?: boolean }>) {
    if (item.name === object.key && !item.isDeleteMarker && item.etag?.replace(/"/g, '') === wanted) {
      return { ...object, versionId: item.versionId && item.versionId !== 'null' ? item.versionId : undefined };
    }
  }
  throw ApplicationFailure.nonRetryable(`${object.bucket}/${object.key} with etag ${wanted} no longer exists`, 'document-missing');
}

