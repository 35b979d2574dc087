import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Client as MinioClient } from 'minio';
import { caseWorkflowId } from '../schemas/case-reference.ts';
import { PaymentSchema, type Payment } from '../schemas/payment.ts';
import {
  paymentRunCsv,
  paymentRunKey,
  paymentRunTotal,
  PaymentRunSchema,
  planPaymentRun,
  RefusedPaymentSchema,
  type RefusedPayment,
  type PaymentExported,
  type PaymentRun,
} from '../schemas/payment-run.ts';
import { readJsonIfExists, writeJsonOnce, writeOnce } from '../storage/objects.ts';
import {
  approvedPaymentKey,
  exportedPaymentKey,
  paymentRunManifestKey,
  readApprovedPayments,
  readPaymentRuns,
  refusedPaymentKey,
} from '../storage/payments.ts';
import { paymentExportedSignal } from '../workflows/messages.ts';

export interface PaymentDeps {
  minio: MinioClient;
  /** Tells a case its payment has been exported; without it (the files alone, in tests) no case is told. */
  client?: Client;
  recordsBucket: string;
}

export interface KeptPaymentRun {
  key: string;
  payments: number;
  total: number;
}

/** The payment runs' activities: approved payments, the runs' manifests and files, kept in the records bucket. */
export function createPaymentActivities({ minio, client, recordsBucket }: PaymentDeps) {
  return {
    /**
     * Keeps an approved payment at `payments/approved/<payment id>.json`, once (a retry leaves the first), for the
     * next payment run. One not attested and approved by two different people is refused, not retried.
     */
    async recordApprovedPayment(payment: Payment): Promise<{ key: string }> {
      const parsed = PaymentSchema.safeParse(payment);
      const approved = parsed.data;
      if (!approved?.attested || !approved.approved || approved.attested.by === approved.approved.by)
        throw ApplicationFailure.nonRetryable(
          `payment ${payment.paymentId} is not attested and approved by two people: ${parsed.error?.message ?? 'not approved'}`,
          'PaymentNotApproved',
        );
      const key = approvedPaymentKey(approved.paymentId);
      await writeJsonOnce(minio, recordsBucket, key, approved);
      return { key };
    },

    /**
     * Fixes a run's payments once (`payments/runs/<run id>.json`): the approved payments in no run yet. The run's
     * manifest, once written, is its set for good: the same run again (a retry, the worker killed midway) gets the same
     * payments, and a later run none of them. A run with nothing to pay writes nothing.
     */
    async fixPaymentRun({
      runId,
      createdAt,
    }: {
      runId: string;
      createdAt: string;
    }): Promise<PaymentRun & { refused: RefusedPayment[] }> {
      const kept = await readJsonIfExists(minio, recordsBucket, paymentRunManifestKey(runId));
      if (kept !== undefined) {
        const run = PaymentRunSchema.parse(kept);
        const refused = await Promise.all(
          run.payments.map((p) => readJsonIfExists(minio, recordsBucket, refusedPaymentKey(p.paymentId))),
        );
        return { ...run, refused: refused.filter((r) => r !== undefined).map((r) => RefusedPaymentSchema.parse(r)) };
      }
      const [approved, runs] = await Promise.all([
        readApprovedPayments(minio, recordsBucket),
        readPaymentRuns(minio, recordsBucket),
      ]);
      const inRun = new Map(runs.flatMap((run) => run.payments.map((p) => [p.paymentId, run.runId] as const)));
      const run = planPaymentRun(
        approved.map((p) => ({ ...p, ...(inRun.has(p.paymentId) && { runId: inRun.get(p.paymentId) }) })),
        runId,
        createdAt,
      );
      if (run.payments.length > 0) await writeJsonOnce(minio, recordsBucket, paymentRunManifestKey(runId), run);
      return { ...run, refused: [] };
    },

    /**
     * Records that the pot's ledger refused a payment of a run (`payments/refused/<payment id>.json`, once): it is left
     * out of the run's file, and the same run again leaves it out without asking the ledger, so the file stays the
     * one written. Returns the refusal kept (the first).
     */
    async markPaymentRefused({
      payment,
      runId,
      reason,
    }: {
      payment: Payment;
      runId: string;
      reason: string;
    }): Promise<RefusedPayment> {
      const key = refusedPaymentKey(payment.paymentId);
      await writeJsonOnce(minio, recordsBucket, key, {
        paymentId: payment.paymentId,
        caseId: payment.caseId,
        potId: payment.potId,
        runId,
        reason,
        at: new Date().toISOString(),
      } satisfies RefusedPayment);
      return RefusedPaymentSchema.parse(await readJsonIfExists(minio, recordsBucket, key));
    },

    /**
     * Keeps a run's CSV at `payments/<run id>.csv`, once: a retry, or the same run again, leaves the first file, so
     * the accounting system never sees a run change after it was written.
     */
    async writePaymentRun(run: PaymentRun): Promise<KeptPaymentRun> {
      const key = paymentRunKey(run.runId);
      await writeOnce(minio, recordsBucket, key, Buffer.from(paymentRunCsv(run), 'utf8'), 'text/csv; charset=utf-8');
      return { key, payments: run.payments.length, total: paymentRunTotal(run) };
    },

    /**
     * Marks a payment exported (`payments/exported/<payment id>.json`, once) and tells its case with the
     * `paymentExported` Signal; a case that is not running any more has its record here. Returns whether the case
     * heard it.
     */
    async markPaymentExported({
      payment,
      exported,
    }: {
      payment: Payment;
      exported: PaymentExported;
    }): Promise<{ signalled: boolean }> {
      await writeJsonOnce(minio, recordsBucket, exportedPaymentKey(payment.paymentId), {
        ...exported,
        caseId: payment.caseId,
        potId: payment.potId,
        at: new Date().toISOString(),
      });
      if (!client) return { signalled: false };
      try {
        await client.workflow.getHandle(caseWorkflowId(payment.caseId)).signal(paymentExportedSignal, exported);
        return { signalled: true };
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return { signalled: false };
        throw error;
      }
    },
  };
}
