import { ActivityFailure, ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { TextRead } from '../activities/text.ts';
import type { ObjectRef } from '../schemas/document.ts';
import type { Finding } from '../schemas/finding.ts';
import { ocrTaskQueue } from './messages.ts';

const reading = proxyActivities<Activities>({
  // Reading may ask the language model, which is given a minute per request and retries rate limits itself.
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

/** The document's text, by OCR on its own task queue when it is a scan; a finding when it cannot be read; or an e-mail. */
export async function readText(object: ObjectRef, caseId: string): Promise<TextRead | Finding | 'email'> {
  try {
    const outcome = await reading.readText({ object, caseId });
    if (outcome.status === 'read') return outcome.text;
    if (outcome.status === 'email') return 'email';
    const ocr = proxyActivities<Activities>({
      taskQueue: ocrTaskQueue(workflowInfo().taskQueue),
      // A page reads in about a second; a long scan on a busy worker may wait its turn.
      startToCloseTimeout: '20 minutes',
      heartbeatTimeout: '30 seconds',
      retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
    });
    return await ocr.ocrText({ object, caseId, scan: outcome.scan });
  } catch (error) {
    const reason = refusal(error);
    if (!reason) throw error;
    return reason;
  }
}

/** A refusal for good (a non-retryable failure with a finding as details) as its finding; anything else is undefined. */
export function refusal(error: unknown): Finding | undefined {
  if (!(error instanceof ActivityFailure) || !(error.cause instanceof ApplicationFailure)) return undefined;
  const finding = error.cause.details?.[0] as Finding | undefined;
  return error.cause.nonRetryable && finding?.code ? finding : undefined;
}
