import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { hasLeftIntake, searchAttributes } from '../workflows/messages.ts';
import { CopyDestinationOptions, CopySourceOptions, type Client as MinioClient } from 'minio';
import { INBOX_PREFIX, movedKey } from '../intake/bucket-layout.ts';
import { startApplication } from '../intake/start.ts';
import { pinVersion } from './storage.ts';
import type { ObjectRef } from '../schemas/document.ts';


export interface InboxDeps {
  minio: MinioClient;
  client: Client;
  taskQueue: string;
  intakeBucket: string;
}

export interface SweepPage {
  seen: number;
  started: number;
  /** Objects whose workflow had already handled them (finished, or routed): an identical upload, moved to `processed/`. */
  alreadyHandled: number;
  /** The last key of this page: the next page starts after it. Absent when the inbox has been listed to its end. */
  next?: string;
}

export function createInboxActivities({ minio, client, taskQueue, intakeBucket }: InboxDeps) {
  return {
    /**
     * One page of the inbox: starts the application workflow of every object that has none. The same workflow id as
     * the webhook's makes this a no-op for objects already seen, so intake is complete even when events are lost,
     * and works on any S3-compatible store.
     */
    async sweepInboxPage({ startAfter, pageSize }: { startAfter?: string; pageSize: number }): Promise<SweepPage> {
      const objects: ObjectRef[] = [];
      const stream = minio.listObjectsV2(intakeBucket, INBOX_PREFIX, true, startAfter ?? '');
      for await (const item of stream) {
        if (!item.name || !item.etag || item.name.endsWith('/')) continue;
        objects.push({ bucket: intakeBucket, key: item.name, etag: item.etag });
        if (objects.length >= pageSize) {
          stream.destroy();
          break;
        }
      }
      let started = 0;
      let alreadyHandled = 0;
      for (const object of objects) {
        const outcome = await startApplication(client, taskQueue, object);
        if (outcome.started) started++;
        else if (documentHandled(await client.workflow.getHandle(outcome.workflowId).describe())) {
          await moveOutOfInbox(minio, await pinVersion(minio, object), 'processed');
          alreadyHandled++;
        }
      }
      return { seen: objects.length, started, alreadyHandled, next: objects.length >= pageSize ? objects.at(-1)!.key : undefined };
    },

    async moveOutOfInbox({ object, to }: { object: ObjectRef; to: 'processed' | 'quarantine' }): Promise<ObjectRef> {
      return moveOutOfInbox(minio, object, to);
    },
  };
}

/**
 * Whether the workflow of an identical upload is done with its document: finished, or past intake (read and routed,
 * its own copy out of the inbox) while its case waits for assessment.
 */
function documentHandled(description: WorkflowExecutionDescription): boolean {
  return description.status.name !== 'RUNNING' || hasLeftIntake(description.typedSearchAttributes.get(searchAttributes.status));
}

/**
 * Takes a handled document out of the inbox, keeping it with its metadata under `processed/` (or `quarantine/`
 * when it could not be read). Only this version is removed: a newer upload under the same name stays in the inbox.
 */
async function moveOutOfInbox(minio: MinioClient, object: ObjectRef, to: 'processed' | 'quarantine'): Promise<ObjectRef> {
  const key = movedKey(object.key, to);
  const copied = (await minio.copyObject(
    new CopySourceOptions({ Bucket: object.bucket, Object: object.key, VersionID: object.versionId ?? '', MatchETag: object.etag }),
    new CopyDestinationOptions({ Bucket: object.bucket, Object: key }),
  )) as { Etag?: string; VersionId?: string | null }; // the V2 result (minio does not export its type)
  // Without a version id (a store without versioning) the copy above is the only one that stays.
  await minio.removeObject(object.bucket, object.key, object.versionId ? { versionId: object.versionId } : {});
  return { bucket: object.bucket, key, etag: copied.Etag ?? object.etag, versionId: copied.VersionId ?? undefined };
}
