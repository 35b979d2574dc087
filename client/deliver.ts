import { posix } from 'node:path';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { BucketItemStat, Client as MinioClient } from 'minio';
import type { Logger } from '../config/logger.ts';
import { CASE_METADATA_KEY } from '../schemas/bucket-layout.ts';
import { caseReferenceFor, caseWorkflowId, findCaseReference, submissionOf } from '../schemas/case-reference.ts';
import { caseRecordKey, CaseRecordSchema } from '../schemas/case-record.ts';
import { sameContent, unquotedEtag, type ObjectRef } from '../schemas/document.ts';
import { submissionFromMetadata } from '../schemas/mailroom-metadata.ts';
import { moveOutOfInbox, pinVersion, versionIdOf } from '../storage/inbox.ts';
import { readJsonIfExists, statObject } from '../storage/objects.ts';
import type { application, ApplicationInput } from '../workflows/application.ts';
import { documentSignal, searchAttributes, supplementSignal } from '../workflows/messages.ts';
import { caseWorkflowType } from './visibility.ts';

export interface IntakeDeps {
  client: Client;
  minio: MinioClient;
  taskQueue: string;
  recordsBucket: string;
  /** Where each delivery is logged; the sweep's deliveries are counted in its result instead. */
  logger?: Logger;
}

export type Delivery =
  | { outcome: 'delivered'; workflowId: string; as: 'document' | 'supplement' }
  /** The object was a copy of a document its case (now closed) already has: moved to `processed/`. */
  | { outcome: 'already-handled'; workflowId: string }
  /** The object is no longer in the inbox: its case took it out between the listing and now. */
  | { outcome: 'gone' };

/**
 * Hands one dropped object version to its case, exactly once whoever sees it first (the webhook or the sweep):
 * signal-with-start on the case's workflow, whose id derives from the submission (SPEC §5: the e-mail's message-id),
 * so the first attachment opens the case and the others join it, and the case ignores a version it already has.
 * A document quoting the reference of a running case is a supplement to it.
 */
export async function deliverDocument(deps: IntakeDeps, listed: ObjectRef): Promise<Delivery> {
  const stat = await statObject(deps.minio, listed);
  // Every delivery names its version, so that a case tells the same upload seen twice from a second upload.
  const object = stat && (await versionOf(deps.minio, listed, stat));
  if (!stat || !object) {
    deps.logger?.info({ key: listed.key }, 'document no longer in the inbox');
    return { outcome: 'gone' };
  }
  const meta = stat.metaData as Record<string, string | undefined>;
  const facts = submissionFromMetadata(meta, stat.lastModified.toISOString());

  const own = meta[CASE_METADATA_KEY];
  if (own && (await caseRunning(deps.client, caseWorkflowId(own)))) return signalCase(deps, own, object, 'document');
  const quoted = findCaseReference(posix.basename(object.key), facts.subject);
  let referredTo: ApplicationInput['referredTo'];
  if (quoted) {
    const running = await caseRunning(deps.client, caseWorkflowId(quoted));
    if (running) return signalCase(deps, quoted, object, 'supplement');
    referredTo = { reference: quoted, found: running === undefined ? 'unknown' : 'closed' };
  }

  const reference = caseReferenceFor(submissionOf(object, facts.messageId));
  try {
    return await signalCase(deps, reference, object, 'document', referredTo);
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  // The submission's case is closed (decided, or ended in quarantine).
  if (await caseHasDocument(deps, reference, object)) return alreadyHandled(deps, reference, object);
  // A late attachment to a closed case: a case of its own, which says which case it belongs with.
  const late = caseReferenceFor(submissionOf(object, undefined));
  try {
    return await signalCase(deps, late, object, 'document', { reference, found: 'closed' });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    return alreadyHandled(deps, late, object);
  }
}

/** A copy of a document its closed case already has: only moved out of the inbox. */
async function alreadyHandled({ minio, logger }: IntakeDeps, reference: string, object: ObjectRef): Promise<Delivery> {
  await moveOutOfInbox(minio, object, 'processed');
  logger?.info(
    { caseReference: reference, key: object.key },
    'copy of a document the closed case has: moved to processed/',
  );
  return { outcome: 'already-handled', workflowId: caseWorkflowId(reference) };
}

/** Signal-with-start on the case's workflow: opens the case with this document, or delivers it to the running case. */
export async function signalCase(
  { client, taskQueue, logger }: IntakeDeps,
  reference: string,
  object: ObjectRef,
  as: 'document' | 'supplement',
  referredTo?: ApplicationInput['referredTo'],
): Promise<Delivery> {
  const workflowId = caseWorkflowId(reference);
  const input: ApplicationInput = { object, caseId: reference, ...(referredTo && { referredTo }) };
  await client.workflow.signalWithStart<typeof application, [{ object: ObjectRef }]>(caseWorkflowType, {
    taskQueue,
    workflowId,
    args: [input],
    signal: as === 'supplement' ? supplementSignal : documentSignal,
    signalArgs: [{ object }],
    // A closed case is never started again under its id: a late document is told apart above.
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    typedSearchAttributes: [
      { key: searchAttributes.status, value: 'received' },
      { key: searchAttributes.caseReference, value: reference },
    ],
  });
  logger?.info({ caseReference: reference, key: object.key, as }, 'document delivered to its case');
  return { outcome: 'delivered', workflowId, as };
}

/** The listed object with its version id: the latest version's when it is the listed content, else found by etag. */
async function versionOf(minio: MinioClient, listed: ObjectRef, stat: BucketItemStat): Promise<ObjectRef | undefined> {
  if (listed.versionId) return listed;
  const versionId = versionIdOf(stat);
  if (unquotedEtag(stat.etag) === unquotedEtag(listed.etag)) return { ...listed, ...(versionId && { versionId }) };
  return pinVersion(minio, listed);
}

/** Whether the case's workflow runs (true), has closed (false), or never existed (undefined). */
async function caseRunning(client: Client, workflowId: string): Promise<boolean | undefined> {
  try {
    return (await client.workflow.getHandle(workflowId).describe()).status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

/** Whether a closed case's record lists this content under this name among its documents. */
async function caseHasDocument(
  { minio, recordsBucket }: IntakeDeps,
  reference: string,
  object: ObjectRef,
): Promise<boolean> {
  const record = CaseRecordSchema.safeParse(await readJsonIfExists(minio, recordsBucket, caseRecordKey(reference)));
  const sources = record.success ? [record.data.source, ...(record.data.documents ?? []).map((d) => d.source)] : [];
  return sources.some((source) => sameContent(source, object));
}
