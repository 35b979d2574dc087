import { ActivityFailure, ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import { ocr, reading } from './activities.ts';
import type { TextRead } from '../activities/text.ts';
import type { ObjectRef } from '../schemas/document.ts';
import type { Finding } from '../schemas/finding.ts';


/** The document's text, by OCR on its own task queue when it is a scan; a finding when it cannot be read; or an e-mail. */
export async function readText(object: ObjectRef, caseId: string): Promise<TextRead | Finding | 'email'> {
  try {
    const outcome = await reading.readText({ object, caseId });
    if (outcome.status === 'read') return outcome.text;
    if (outcome.status === 'email') return 'email';
    return await ocr(workflowInfo().taskQueue).ocrText({ object, caseId, scan: outcome.scan });
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
