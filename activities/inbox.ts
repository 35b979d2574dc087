import { ApplicationFailure } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Client as MinioClient } from 'minio';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { deliverDocument, signalCase } from '../client/deliver.ts';
import { INBOX_PREFIX } from '../schemas/bucket-layout.ts';
import { caseReferenceFor, caseWorkflowId, submissionOf } from '../schemas/case-reference.ts';
import type { ObjectRef } from '../schemas/document.ts';
import { isGoneFromInbox, moveOutOfInbox } from '../storage/inbox.ts';

export interface InboxDeps {
  minio: MinioClient;
  client: Client;
  taskQueue: string;
  intakeBucket: string;
  recordsBucket: string;
}

export interface SweepPage {
  seen: number;
  /** Objects handed to their case (a new case, or one already running that now has it or ignores it). */
  delivered: number;
  /** Copies of documents their closed case already has: moved to `processed/`. */
  alreadyHandled: number;
  /** The last key of this page: the next page starts after it. Absent when the inbox has been listed to its end. */
  next?: string;
}

export function createInboxActivities({ minio, client, taskQueue, intakeBucket, recordsBucket }: InboxDeps) {
  return {
    /**
     * One page of the inbox: hands every object to its case as the webhook does, so intake is complete even when
     * events are lost, and works on any S3-compatible store.
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
      let delivered = 0;
      let alreadyHandled = 0;
      for (const object of objects) {
        const delivery = await deliverDocument({ client, minio, taskQueue, recordsBucket }, object);
        if (delivery.outcome === 'delivered') delivered++;
        if (delivery.outcome === 'already-handled') alreadyHandled++;
      }
      return {
        seen: objects.length,
        delivered,
        alreadyHandled,
        next: objects.length >= pageSize ? objects.at(-1)!.key : undefined,
      };
    },

    /**
     * Opens a document as a case of its own (a caseworker found it is from another applicant than the case it came to):
     * the same signal-with-start intake opens every case with, under the reference of this document alone. A retry
     * finds the case opened and says so.
     */
    async openCaseOf({
      object,
      from,
    }: {
      object: ObjectRef;
      from: string;
    }): Promise<{ caseId: string; workflowId: string }> {
      const caseId = caseReferenceFor(submissionOf(object, undefined));
      try {
        await signalCase({ client, minio, taskQueue, recordsBucket }, caseId, object, 'document', {
          reference: from,
          found: 'separated',
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
      return { caseId, workflowId: caseWorkflowId(caseId) };
    },

    /** Takes a handled document out of the inbox; fails for good when that version is no longer there. */
    async moveOutOfInbox({ object, to }: { object: ObjectRef; to: 'processed' | 'quarantine' }): Promise<ObjectRef> {
      try {
        return await moveOutOfInbox(minio, object, to);
      } catch (error) {
        if (isGoneFromInbox(error))
          throw ApplicationFailure.nonRetryable(
            `${object.bucket}/${object.key} is no longer in the inbox`,
            'document-missing',
          );
        throw error;
      }
    },
  };
}
