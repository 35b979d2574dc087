import { CopyDestinationOptions, CopySourceOptions, type Client as MinioClient } from 'minio';
import { movedKey } from '../schemas/bucket-layout.ts';
import { unquotedEtag, type ObjectRef } from '../schemas/document.ts';
import { isNotFound } from './objects.ts';

/**
 * Takes a handled document out of the inbox, keeping it with its metadata under `processed/` (or `quarantine/`
 * when it could not be read). Only this version is removed: a newer upload under the same name stays in the inbox.
 * Idempotent: a retry after a worker died between the removal and reporting the move finds the version already
 * moved, and returns that copy.
 */
export async function moveOutOfInbox(
  minio: MinioClient,
  object: ObjectRef,
  to: 'processed' | 'quarantine',
): Promise<ObjectRef> {
  const key = movedKey(object.key, to);
  let copied: { Etag?: string; VersionId?: string | null }; // the V2 result (minio does not export its type)
  try {
    copied = (await minio.copyObject(
      new CopySourceOptions({
        Bucket: object.bucket,
        Object: object.key,
        VersionID: object.versionId ?? '',
        MatchETag: object.etag,
      }),
      new CopyDestinationOptions({ Bucket: object.bucket, Object: key }),
    )) as typeof copied;
  } catch (error) {
    const moved = isGoneFromInbox(error) ? await movedCopy(minio, object, key) : undefined;
    if (moved) return moved;
    throw error;
  }
  // Without a version id (a store without versioning) the copy above is the only one that stays.
  await minio.removeObject(object.bucket, object.key, object.versionId ? { versionId: object.versionId } : {});
  return { bucket: object.bucket, key, etag: copied.Etag ?? object.etag, versionId: copied.VersionId ?? undefined };
}

/** Whether moving a document out failed because that version is no longer in the inbox (gone, or its etag changed). */
export const isGoneFromInbox = (error: unknown) =>
  isNotFound(error) || (error as { code?: string } | undefined)?.code === 'PreconditionFailed';

/** The copy an earlier move of this version left at `key`: the same bytes, so the same etag (a single-part copy). */
async function movedCopy(minio: MinioClient, object: ObjectRef, key: string): Promise<ObjectRef | undefined> {
  return pinVersion(minio, { ...object, key });
}

/**
 * The version of a listed object that has the listed etag (the name may have been overwritten since); undefined when
 * no version with that content is left.
 */
export async function pinVersion(minio: MinioClient, object: ObjectRef): Promise<ObjectRef | undefined> {
  const wanted = unquotedEtag(object.etag);
  const versions = minio.listObjects(object.bucket, object.key, false, { IncludeVersion: true });
  for await (const item of versions as AsyncIterable<{
    name?: string;
    etag?: string;
    versionId?: string | null;
    isDeleteMarker?: boolean;
  }>) {
    if (item.name === object.key && !item.isDeleteMarker && item.etag && unquotedEtag(item.etag) === wanted) {
      return { ...object, versionId: versionIdOf(item) };
    }
  }
  return undefined;
}

/** Versioned stores answer `null` as the version id of an object written before versioning was enabled. */
export const versionIdOf = (stat: { versionId?: string | null }) =>
  stat.versionId && stat.versionId !== 'null' ? stat.versionId : undefined;
