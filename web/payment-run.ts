import type { Client } from '@temporalio/client';
import type { Client as MinioClient } from 'minio';
import { startPaymentRun } from '../client/payments.ts';
import { readObject } from '../storage/objects.ts';

export interface PaymentRunsDeps {
  temporal: Client;
  minio: MinioClient;
  recordsBucket: string;
  taskQueue: string;
}

/**
 * The finance officer's payment run from the review app: the `paymentRun` workflow (`client/payments.ts`) exports the
 * approved payments not yet in a run, records them as paid and keeps the file in the records bucket; the app hands
 * that same file over as the download.
 */
export class PaymentRuns {
  constructor(private readonly deps: PaymentRunsDeps) {}

  /** Runs one payment run as `actor`: its id and its file, or no file when no approved payment was waiting. */
  async run(actor: string): Promise<{ runId: string; payments: number; csv?: Buffer }> {
    const { temporal, minio, recordsBucket, taskQueue } = this.deps;
    const handle = await startPaymentRun(temporal, { actor, taskQueue, minio, recordsBucket });
    const result = await handle.result();
    if (!result.key) return { runId: result.runId, payments: 0 };
    return {
      runId: result.runId,
      payments: result.payments,
      csv: await readObject(minio, { bucket: recordsBucket, key: result.key }),
    };
  }
}
