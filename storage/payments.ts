import type { Client as MinioClient } from 'minio';
import { z } from 'zod';
import { PaymentSchema, type Payment } from '../schemas/payment.ts';
import {
  PaymentExportedSchema,
  PaymentRunSchema,
  RefusedPaymentSchema,
  type PaymentRun,
  type RefusedPayment,
} from '../schemas/payment-run.ts';
import { listKeys, readJson } from './objects.ts';

/**
 * Payments in the records bucket, each record written once:
 *
 * - `payments/approved/<payment id>.json`: an approved payment, as the case recorded it;
 * - `payments/runs/<run id>.json`: a run's manifest, which fixes the payments of the run before anything is paid;
 * - `payments/<run id>.csv`: the run's file for the accounting system (`schemas/payment-run.ts`);
 * - `payments/exported/<payment id>.json`: the payment exported, with its run and the pot ledger's line;
 * - `payments/refused/<payment id>.json`: a payment of a run its pot's ledger refused (the reason in Bokmål), left
 *   out of the run's file.
 */

export const approvedPaymentKey = (paymentId: string) => `payments/approved/${paymentId}.json`;
export const paymentRunManifestKey = (runId: string) => `payments/runs/${runId}.json`;
export const exportedPaymentKey = (paymentId: string) => `payments/exported/${paymentId}.json`;
export const refusedPaymentKey = (paymentId: string) => `payments/refused/${paymentId}.json`;

const ExportedPaymentSchema = PaymentExportedSchema.extend({ caseId: z.string(), potId: z.string(), at: z.string() });
export type ExportedPayment = z.infer<typeof ExportedPaymentSchema>;

const readAll = async <T>(minio: MinioClient, bucket: string, prefix: string, schema: z.ZodType<T>) =>
  Promise.all(
    (await listKeys(minio, bucket, prefix))
      .filter((key) => key.endsWith('.json'))
      .map(async (key) => schema.parse(await readJson(minio, bucket, key))),
  );

export const readApprovedPayments = (minio: MinioClient, bucket: string): Promise<Payment[]> =>
  readAll(minio, bucket, 'payments/approved/', PaymentSchema);

export const readPaymentRuns = (minio: MinioClient, bucket: string): Promise<PaymentRun[]> =>
  readAll(minio, bucket, 'payments/runs/', PaymentRunSchema);

export const readExportedPayments = (minio: MinioClient, bucket: string): Promise<ExportedPayment[]> =>
  readAll(minio, bucket, 'payments/exported/', ExportedPaymentSchema);

export const readRefusedPayments = (minio: MinioClient, bucket: string): Promise<RefusedPayment[]> =>
  readAll(minio, bucket, 'payments/refused/', RefusedPaymentSchema);

/** Runs whose manifest is fixed but some payment of which is neither exported nor refused: a run stopped midway. */
export async function unfinishedPaymentRuns(minio: MinioClient, bucket: string): Promise<string[]> {
  const [runs, exported, refused] = await Promise.all([
    readPaymentRuns(minio, bucket),
    readExportedPayments(minio, bucket),
    readRefusedPayments(minio, bucket),
  ]);
  const done = new Set([...exported, ...refused].map((e) => e.paymentId));
  return runs.filter((run) => run.payments.some((p) => !done.has(p.paymentId))).map((run) => run.runId);
}
