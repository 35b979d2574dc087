import type { Client as MinioClient } from 'minio';
import { INBOX_VERSION_TAG } from '../../storage/inbox.ts';

export interface StoredVersion {
  key: string;
  versionId?: string;
  deleteMarker: boolean;
  /** The inbox version a version under `processed/` or `quarantine/` was moved from (its `inbox-version` tag). */
  from?: string;
}

/** Every version under the prefix, delete markers too: what a versioned bucket holds, not only what a listing shows. */
export async function versionsUnder(minio: MinioClient, bucket: string, prefix: string): Promise<StoredVersion[]> {
  const versions: StoredVersion[] = [];
  const listing = minio.listObjects(bucket, prefix, true, { IncludeVersion: true });
  for await (const item of listing as AsyncIterable<{ name?: string; versionId?: string; isDeleteMarker?: boolean }>) {
    if (!item.name) continue;
    const deleteMarker = item.isDeleteMarker === true;
    const tags =
      deleteMarker || !item.versionId
        ? []
        : await minio.getObjectTagging(bucket, item.name, { versionId: item.versionId });
    versions.push({
      key: item.name,
      versionId: item.versionId,
      deleteMarker,
      from: tags.find((t) => t.Key === INBOX_VERSION_TAG)?.Value,
    });
  }
  return versions;
}
