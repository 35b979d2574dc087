import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Client as MinioClient } from 'minio';
import { unfinishedPaymentRuns } from '../storage/payments.ts';
import { paymentRunWorkflowPrefix } from '../workflows/messages.ts';
import type { paymentRun, PaymentRunInput } from '../workflows/payment-run.ts';

export interface StartPaymentRunOptions extends PaymentRunInput {
  taskQueue: string;
  /** The records bucket, where a run stopped midway is found by its manifest. */
  minio: MinioClient;
  recordsBucket: string;
  /** The run's time (its id); now by default. */
  at?: Date;
}

/**
 * Starts a payment run (`workflows/payment-run.ts`). A run stopped midway (its manifest written, some payment not yet
 * exported: the workflow terminated, or failed on a refusal since mended) is started again under its own id first,
 * so that its payments go out in the file they were fixed for, and nowhere else; a run still going is joined.
 */
export async function startPaymentRun(
  client: Client,
  { taskQueue, minio, recordsBucket, at = new Date(), ...input }: StartPaymentRunOptions,
): Promise<WorkflowHandle<typeof paymentRun>> {
  const [unfinished] = await unfinishedPaymentRuns(minio, recordsBucket);
  const workflowId = unfinished ?? `${paymentRunWorkflowPrefix}${at.toISOString().replace(/[-:]|\.\d+/g, '')}`;
  return client.workflow.start<typeof paymentRun>('paymentRun', {
    workflowId,
    taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}
