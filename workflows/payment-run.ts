import { ActivityFailure, ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import type { PaymentExported, PaymentRun, RefusedPayment } from '../schemas/payment-run.ts';
import { ledger, payments } from './activities.ts';

export interface PaymentRunInput {
  /** Who runs it: the actor of each *paid* entry in the pots' ledgers. */
  actor: string;
}

export interface PaymentRunResult {
  runId: string;
  /** The run's file for the accounting system, absent when there was nothing to pay. */
  key?: string;
  payments: number;
  total: number;
  exported: Array<PaymentExported & { caseId: string; potId: string; amount: number; signalled: boolean }>;
  /** Payments the pot's ledger refused (the case's grant reduced or withdrawn since), left out of the file. */
  refused: RefusedPayment[];
}

/**
 * A payment run (SPEC §6): the approved payments not yet in a run, fixed once as the run's manifest; each recorded as
 * *paid* in its pot's ledger; the file for the accounting system written with the ledger's lines; each payment marked
 * exported and its case told. Every step is idempotent (the manifest, the file and the marks are written once, the
 * ledger pays once per payment id), so a run stopped anywhere and run again gives the same file and pays nothing twice.
 * A payment the pot's ledger refuses (its grant reduced or withdrawn since it was approved) is recorded as refused
 * and left out of the file, so that one payment cannot hold up the others. The run's id is its workflow id.
 */
export async function paymentRun({ actor }: PaymentRunInput): Promise<PaymentRunResult> {
  const runId = workflowInfo().workflowId;
  const fixed = await payments.fixPaymentRun({ runId, createdAt: new Date().toISOString() });
  const { refused, ...run } = fixed;
  const paid: PaymentRun = { ...run, payments: [] };
  for (const payment of run.payments) {
    if (refused.some((r) => r.paymentId === payment.paymentId)) continue;
    try {
      const entry = await ledger.recordPaymentInPot({
        potId: payment.potId,
        caseId: payment.caseId,
        paymentId: payment.paymentId,
        amount: payment.amount,
        actor,
      });
      paid.payments.push({ ...payment, ledgerEntry: entry.seq });
    } catch (error) {
      if (!(
        error instanceof ActivityFailure &&
        error.cause instanceof ApplicationFailure &&
        error.cause.type === 'refused'
      ))
        throw error;
      refused.push(await payments.markPaymentRefused({ payment, runId, reason: error.cause.message }));
    }
  }
  if (paid.payments.length === 0) return { runId, payments: 0, total: 0, exported: [], refused };

  const file = await payments.writePaymentRun(paid);
  const exported: PaymentRunResult['exported'] = [];
  for (const payment of paid.payments) {
    const notice: PaymentExported = { paymentId: payment.paymentId, runId, ledgerEntry: payment.ledgerEntry! };
    const { signalled } = await payments.markPaymentExported({ payment, exported: notice });
    exported.push({ ...notice, caseId: payment.caseId, potId: payment.potId, amount: payment.amount, signalled });
  }
  return { runId, key: file.key, payments: file.payments, total: file.total, exported, refused };
}
