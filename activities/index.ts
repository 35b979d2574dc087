import type { Client } from '@temporalio/client';
import type { Client as MinioClient } from 'minio';
import type { MailConfig } from '../config/env.ts';
import type { LlmReader } from '../extraction/llm-reader.ts';
import type { Scheme } from '../schemas/scheme.ts';
import { createEmailActivities } from './email.ts';
import { createFollowUpActivities } from './follow-up.ts';
import { createInboxActivities } from './inbox.ts';
import { createJournalActivities } from './journal.ts';
import { createLetterActivities } from './letters.ts';
import { createLedgerActivities } from './ledger.ts';
import { createPaymentActivities } from './payments.ts';
import { createReadingActivities } from './reading.ts';
import { createSchemeActivities } from './schemes.ts';
import { createStorageActivities } from './storage.ts';
import { createTextActivities } from './text.ts';

export interface ActivityDeps {
  minio: MinioClient;
  /** The sweep starts workflows through it; the duplicate check searches cases with it. */
  client: Client;
  taskQueue: string;
  intakeBucket: string;
  recordsBucket: string;
  /** The language model reader (or the one that says none is configured). */
  llm: LlmReader;
  schemes?: Scheme[];
  maxDocumentBytes?: number;
  /** How letters are sent; without SMTP they go to the records bucket's outbox. */
  mail?: MailConfig;
}

/** Every activity, built from its dependencies (samples-typescript's dependency-injection pattern). */
export function createActivities({
  minio,
  client,
  taskQueue,
  intakeBucket,
  recordsBucket,
  llm,
  schemes,
  maxDocumentBytes = 50 * 1024 * 1024,
  mail,
}: ActivityDeps) {
  return {
    ...createInboxActivities({ minio, client, taskQueue, intakeBucket, recordsBucket }),
    ...createStorageActivities({ minio, recordsBucket }),
    ...createTextActivities({ minio, recordsBucket, maxDocumentBytes }),
    ...createEmailActivities({ minio, maxDocumentBytes }),
    ...createReadingActivities({ minio, client, recordsBucket, llm, ...(schemes && { schemes }) }),
    ...createLetterActivities({ minio, recordsBucket, ...(schemes && { schemes }), ...(mail && { mail }) }),
    ...createLedgerActivities({ minio, client, taskQueue, recordsBucket, ...(schemes && { schemes }) }),
    ...createPaymentActivities({ minio, client, recordsBucket }),
    ...createJournalActivities({ minio, recordsBucket }),
    ...createFollowUpActivities({ minio, recordsBucket }),
    ...createSchemeActivities({ ...(schemes && { schemes }) }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
