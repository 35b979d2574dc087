import { CopyDestinationOptions, CopySourceOptions, type Client as MinioClient } from 'minio';
import { isDeepStrictEqual } from 'node:util';
import { movedKey } from '../schemas/bucket-layout.ts';
import { unquotedEtag, type ObjectRef } from '../schemas/document.ts';
import { isNotFound } from './objects.ts';

/** The tag on a version moved out of the inbox: the inbox version it is, so that no version is moved out twice. */
export const INBOX_VERSION_TAG = 'inbox-version';

/**
 * Takes a handled document out of the inbox, keeping it with its metadata under `processed/` (or `quarantine/`
 * when it could not be read). This version is removed, and with it every other version of the same upload (same
 * name, content and metadata): an upload retried after a lost answer leaves two, and the one whose event never came
 * would otherwise stay behind, surfacing only once this one is gone. A newer, different upload under the name stays.
 */
export async function moveOutOfInbox(
  minio: MinioClient,
  object: ObjectRef,
  to: 'processed' | 'quarantine',
): Promise<ObjectRef> {
  const moved = await moveVersion(minio, object, to);
  for (const copy of await sameUploadVersions(minio, object, moved)) {
    await moveVersion(minio, copy, to).catch((error: unknown) => {
      // Taken out meanwhile by another delivery of it.
      if (!isGoneFromInbox(error)) throw error;
    });
  }
  return moved;
}

/** One version out of the inbox: copied (once, whatever retries) and then removed. */
async function moveVersion(minio: MinioClient, object: ObjectRef, to: 'processed' | 'quarantine'): Promise<ObjectRef> {
  const moved = (object.versionId && (await movedVersionOf(minio, object))) || (await copyOut(minio, object, to));
  // Without a version id (a store without versioning) the copy above is the only one that stays.
  await minio
    .removeObject(object.bucket, object.key, object.versionId ? { versionId: object.versionId } : {})
    .catch((error: unknown) => {
      if (!isNotFound(error)) throw error;
    });
  return moved;
}

async function copyOut(minio: MinioClient, object: ObjectRef, to: 'processed' | 'quarantine'): Promise<ObjectRef> {
  const key = movedKey(object.key, to);
  const copied = (await minio.copyObject(
    new CopySourceOptions({
      Bucket: object.bucket,
      Object: object.key,
      VersionID: object.versionId ?? '',
      MatchETag: object.etag,
    }),
    new CopyDestinationOptions({
      Bucket: object.bucket,
      Object: key,
      ...(object.versionId && { UserTags: { [INBOX_VERSION_TAG]: object.versionId } }),
    }),
  )) as { Etag?: string; VersionId?: string | null }; // the V2 result (minio does not export its type)
  return { bucket: object.bucket, key, etag: copied.Etag ?? object.etag, versionId: copied.VersionId ?? undefined };
}

/** The version under `processed/` or `quarantine/` that an earlier move of this inbox version made, if one did. */
async function movedVersionOf(minio: MinioClient, object: ObjectRef): Promise<ObjectRef | undefined> {
  for (const to of ['processed', 'quarantine'] as const) {
    const key = movedKey(object.key, to);
    for (const version of await versionsOf(minio, { bucket: object.bucket, key })) {
      if (!version.versionId) continue;
      const tags = await minio.getObjectTagging(object.bucket, key, { versionId: version.versionId });
      if (tags.some((tag) => tag.Key === INBOX_VERSION_TAG && tag.Value === object.versionId)) return version;
    }
  }
  return undefined;
}

/** The inbox's other versions of the object's name with its content and the metadata its moved copy kept. */
async function sameUploadVersions(minio: MinioClient, object: ObjectRef, moved: ObjectRef): Promise<ObjectRef[]> {
  if (!object.versionId) return [];
  const copies = (await versionsOf(minio, object)).filter(
    (v) => v.versionId && v.versionId !== object.versionId && unquotedEtag(v.etag) === unquotedEtag(object.etag),
  );
  if (!copies.length) return [];
  const metadata = (
    await minio.statObject(moved.bucket, moved.key, moved.versionId ? { versionId: moved.versionId } : {})
  ).metaData;
  const same: ObjectRef[] = [];
  for (const copy of copies) {
    const stat = await minio
      .statObject(copy.bucket, copy.key, { versionId: copy.versionId! })
      .catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      });
    if (stat && isDeepStrictEqual(stat.metaData, metadata)) same.push(copy);
  }
  return same;
}

/** Every version (not delete markers) of exactly this name, newest first; one written before versioning has no id. */
export async function versionsOf(
  minio: MinioClient,
  { bucket, key }: Pick<ObjectRef, 'bucket' | 'key'>,
): Promise<ObjectRef[]> {
  const versions: ObjectRef[] = [];
  const listing = minio.listObjects(bucket, key, false, { IncludeVersion: true });
  for await (const item of listing as AsyncIterable<{
    name?: string;
    etag?: string;
    versionId?: string | null;
    isDeleteMarker?: boolean;
  }>) {
    const versionId = versionIdOf(item);
    if (item.name === key && !item.isDeleteMarker && item.etag)
      versions.push({ bucket, key, etag: item.etag, ...(versionId && { versionId }) });
  }
  return versions;
}

/** Whether moving a document out failed because that version is no longer in the inbox (gone, or its etag changed). */
export const isGoneFromInbox = (error: unknown) =>
  isNotFound(error) || (error as { code?: string } | undefined)?.code === 'PreconditionFailed';

/**
 * The version of a listed object that has the listed etag (the name may have been overwritten since); undefined when
 * no version with that content is left.
 */
export async function pinVersion(minio: MinioClient, object: ObjectRef): Promise<ObjectRef | undefined> {
  const wanted = unquotedEtag(object.etag);
  const version = (await versionsOf(minio, object)).find((v) => unquotedEtag(v.etag) === wanted);
  return version && { ...object, versionId: version.versionId };
}

/** Versioned stores answer `null` as the version id of an object written before versioning was enabled. */
export const versionIdOf = (stat: { versionId?: string | null }) =>
  stat.versionId && stat.versionId !== 'null' ? stat.versionId : undefined;
