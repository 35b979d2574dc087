import { posix } from 'node:path';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Client as MinioClient } from 'minio';
import { readJson } from '../activities/storage.ts';
import { caseRecordKey, CaseRecordSchema } from '../schemas/case-record.ts';
import type { ObjectRef } from '../schemas/document.ts';
import type { application, ApplicationInput } from '../workflows/application.ts';
import { documentSignal, searchAttributes, supplementSignal } from '../workflows/messages.ts';
import { CASE_METADATA_KEY } from './bucket-layout.ts';
import { caseReferenceFor, caseWorkflowId, findCaseReference, submissionOf } from './case-reference.ts';
import { moveOutOfInbox, pinVersion } from './inbox-objects.ts';
import { submissionFromMetadata } from './mailroom-metadata.ts';

export interface IntakeDeps {
  client: Client;
  minio: MinioClient;
  taskQueue: string;
  recordsBucket: string;
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
  const stat = await deps.minio.statObject(listed.bucket, listed.key, listed.versionId ? { versionId: listed.versionId } : {}).catch(
    (error: { code?: string }) => {
      if (error.code === 'NotFound' || error.code === 'NoSuchKey' || error.code === 'NoSuchVersion') return undefined;
      throw error;
    },
  );
  if (!stat) return { outcome: 'gone' };
  // Every delivery names its version, so that a case tells the same upload seen twice from a second upload.
  const object = await versionOf(deps.minio, listed, stat);
  if (!object) return { outcome: 'gone' };
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
  if (await caseHasDocument(deps, reference, object)) {
    await moveOutOfInbox(deps.minio, object, 'processed');
    return { outcome: 'already-handled', workflowId: caseWorkflowId(reference) };
  }
  // A late attachment to a closed case: a case of its own, which says which case it belongs with.
  const late = caseReferenceFor(submissionOf(object, undefined));
  try {
    return await signalCase(deps, late, object, 'document', { reference, found: 'closed' });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    await moveOutOfInbox(deps.minio, object, 'processed');
    return { outcome: 'already-handled', workflowId: caseWorkflowId(late) };
  }
}

/** Signal-with-start on the case's workflow: opens the case with this document, or delivers it to the running case. */
export async function signalCase(
  { client, taskQueue }: IntakeDeps,
  reference: string,
  object: ObjectRef,
  as: 'document' | 'supplement',
  referredTo?: ApplicationInput['referredTo'],
): Promise<Delivery> {
  const workflowId = caseWorkflowId(reference);
  const input: ApplicationInput = { object, caseId: reference, ...(referredTo && { referredTo }) };
  await client.workflow.signalWithStart<typeof application, [{ object: ObjectRef }]>('application', {
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
  return { outcome: 'delivered', workflowId, as };
}

/** The listed object with its version id: the latest version's when it is the listed content, else found by etag. */
async function versionOf(minio: MinioClient, listed: ObjectRef, stat: { etag: string; versionId?: string | null }): Promise<ObjectRef | undefined> {
  if (listed.versionId) return listed;
  if (stat.etag.replace(/"/g, '') === listed.etag.replace(/"/g, '')) return { ...listed, ...(stat.versionId && stat.versionId !== 'null' && { versionId: stat.versionId }) };
  return pinVersion(minio, listed).catch(() => undefined);
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
async function caseHasDocument({ minio, recordsBucket }: IntakeDeps, reference: string, object: ObjectRef): Promise<boolean> {
  const stored = await readJson(minio, recordsBucket, caseRecordKey(reference)).catch((error: { code?: string }) => {
    if (error.code === 'NoSuchKey' || error.code === 'NotFound') return undefined;
    throw error;
  });
  const record = CaseRecordSchema.safeParse(stored);
  const etag = (ref: ObjectRef) => ref.etag.replace(/"/g, '');
  const sources = record.success ? [record.data.source, ...(record.data.documents ?? []).map((d) => d.source)] : [];
  return sources.some((source) => source.key === object.key && etag(source) === etag(object));
}
