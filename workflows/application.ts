import { ActivityFailure, ApplicationFailure, proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import { movedKey } from '../intake/bucket-layout.ts';
import type { ObjectRef } from '../schemas/document.ts';
import type { Finding } from '../schemas/finding.ts';
import { searchAttributes, type CaseStatus } from './messages.ts';

export interface ApplicationInput {
  /** The dropped object version; the workflow carries keys, never bytes. */
  object: ObjectRef;
  caseId: string;
}

export interface ApplicationResult {
  caseId: string;
  recordKey: string;
  status: CaseStatus;
}

const storage = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['document-missing'] },
});

const reading = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

/**
 * One dropped document: look at it, read its text, keep the original and the record of what was read, then take it
 * out of the inbox (to `processed/`, or to `quarantine/` when it could not be read; never deleted).
 */
export async function application({ object: listed, caseId }: ApplicationInput): Promise<ApplicationResult> {
  setStatus('reading');
  const { object, document } = await storage.describeDocument(listed);
  upsertSearchAttributes([{ key: searchAttributes.receivedAt, value: new Date(document.submission.receivedAt) }]);

  const findings: Finding[] = [];
  const text = await reading.extractText(object).catch((error: unknown) => {
    const reason = unreadableReason(error);
    if (!reason) throw error;
    findings.push(reason);
    return undefined;
  });

  const to = text ? 'processed' : 'quarantine';
  const recordKey = await storage.storeCase({
    caseId,
    workflowId: workflowInfo().workflowId,
    object,
    movedTo: movedKey(object.key, to),
    document,
    text,
    findings,
  });
  await storage.moveOutOfInbox({ object, to });
  const status: CaseStatus = text ? 'recorded' : 'quarantined';
  setStatus(status);
  return { caseId, recordKey, status };
}

function setStatus(status: CaseStatus): void {
  upsertSearchAttributes([{ key: searchAttributes.status, value: status }]);
}

/** A document the reader refused (a non-retryable failure with a finding as details) becomes a finding; anything else fails. */
function unreadableReason(error: unknown): Finding | undefined {
  if (!(error instanceof ActivityFailure) || !(error.cause instanceof ApplicationFailure)) return undefined;
  const finding = error.cause.details?.[0] as Finding | undefined;
  return error.cause.nonRetryable && finding?.code ? finding : undefined;
}
