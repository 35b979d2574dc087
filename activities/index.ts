import type { Client as MinioClient } from 'minio';
import { createStorageActivities } from './storage.ts';
import { createTextActivities } from './text.ts';

export interface ActivityDeps {
  minio: MinioClient;
  recordsBucket: string;
  maxDocumentBytes?: number;
}

/** Every activity, built from its dependencies (samples-typescript's dependency-injection pattern). */
export function createActivities({ minio, recordsBucket, maxDocumentBytes = 50 * 1024 * 1024 }: ActivityDeps) {
  return {
    ...createStorageActivities({ minio, recordsBucket }),
    ...createTextActivities({ minio, maxDocumentBytes }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
