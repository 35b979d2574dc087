import type { Client as MinioClient } from 'minio';
import { paymentRunCsv, paymentRunKey, paymentRunTotal, type PaymentRun } from '../schemas/payment-run.ts';
import { writeOnce } from '../storage/objects.ts';

export interface PaymentDeps {
  minio: MinioClient;
  recordsBucket: string;
}

export interface KeptPaymentRun {
  key: string;
  payments: number;
  total: number;
}

/** The payment runs' activities: the file for the accounting system, kept in the records bucket. */
export function createPaymentActivities({ minio, recordsBucket }: PaymentDeps) {
  return {
    /**
     * Keeps a run's CSV at `payments/<run id>.csv`, once: a retry, or the same run again, leaves the first file, so
     * the accounting system never sees a run change after it was written.
     */
    async writePaymentRun(run: PaymentRun): Promise<KeptPaymentRun> {
      const key = paymentRunKey(run.runId);
      await writeOnce(minio, recordsBucket, key, Buffer.from(paymentRunCsv(run), 'utf8'), 'text/csv; charset=utf-8');
      return { key, payments: run.payments.length, total: paymentRunTotal(run) };
    },
  };
}
