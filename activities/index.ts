import type { Client } from '@temporalio/client';
import type { Client as MinioClient } from 'minio';
import { createInboxActivities } from './inbox.ts';
import { createStorageActivities } from './storage.ts';
import { createTextActivities } from './text.ts';

export interface ActivityDeps {
  minio: MinioClient;
  /** The sweep starts workflows through it. */
  client: Client;
  taskQueue: string;
  intakeBucket: string;
  recordsBucket: string;
  maxDocumentBytes?: number;
}

/** Every activity, built from its dependencies (samples-typescript's dependency-injection pattern). */
export function createActivities({ minio, client, taskQueue, intakeBucket, recordsBucket, maxDocumentBytes = 50 * 1024 * 1024 }: ActivityDeps) {
  return {
    ...createInboxActivities({ minio, client, taskQueue, intakeBucket }),
    ...createStorageActivities({ minio, recordsBucket }),
    ...createTextActivities({ minio, maxDocumentBytes }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
