import { z } from 'zod';
import { toCsv } from './csv.ts';
import { PaymentSchema, type Payment } from './payment.ts';

/**
 * A payment run: the approved payments not yet exported, as one file for the accounting system, kept in the records
 * bucket (`payments/<run id>.csv`).
 *
 * Layout (UTF-8 with a BOM, `;` between fields, CRLF line ends, one header row, one payment a row):
 *
 * | column | what | example |
 * |---|---|---|
 * | `Organisasjonsnummer` | the payee's organisation number, nine digits | `964964998` |
 * | `Kontonummer` | the payee's bank account, eleven digits, MOD11-checked | `97100500004` |
 * | `Beløp` | whole NOK, no grouping | `1250000` |
 * | `Saksnummer` | the case reference, for the payment's message to the payee | `SAK-7F3A9C21` |
 * | `Ramme` | the pot (ledger) the payment is paid out of | `pot-kompetanse-innovasjon-2017-utdanning` |
 * | `Linje` | the pot ledger's entry that records it as paid, when made | `42` |
 * | `Utbetaling` | the payment's id, unique: the accounting system's duplicate check | `SAK-7F3A9C21-on-acceptance` |
 */

export const paymentRunColumns = [
  'Organisasjonsnummer',
  'Kontonummer',
  'Beløp',
  'Saksnummer',
  'Ramme',
  'Linje',
  'Utbetaling',
] as const;

export interface PaymentRun {
  runId: string;
  createdAt: string;
  payments: Payment[];
}

/** A run's manifest as the records bucket keeps it: the run's payments, fixed before anything is paid. */
export const PaymentRunSchema = z.object({
  runId: z.string().min(1),
  createdAt: z.string().min(1),
  payments: z.array(PaymentSchema),
}) satisfies z.ZodType<PaymentRun>;

/** What a case hears when its payment has gone to the accounting system (the `paymentExported` Signal). */
export const PaymentExportedSchema = z.object({
  paymentId: z.string().min(1),
  runId: z.string().min(1),
  /** The pot ledger's entry (its `seq`) that records the payment as paid. */
  ledgerEntry: z.number().int().positive(),
});
export type PaymentExported = z.infer<typeof PaymentExportedSchema>;

/** A payment of a run its pot's ledger refused, left out of the run's file. */
export const RefusedPaymentSchema = z.object({
  paymentId: z.string(),
  caseId: z.string(),
  potId: z.string(),
  runId: z.string(),
  /** The ledger's reason, in Bokmål. */
  reason: z.string(),
  at: z.string(),
});
export type RefusedPayment = z.infer<typeof RefusedPaymentSchema>;

/** The run of the payments that are approved and in no run yet; the others are left for later. */
export function planPaymentRun(payments: readonly Payment[], runId: string, createdAt: string): PaymentRun {
  return { runId, createdAt, payments: payments.filter((p) => p.approved && !p.runId).map((p) => ({ ...p, runId })) };
}

export function paymentRunCsv(run: PaymentRun): string {
  return toCsv(
    paymentRunColumns,
    run.payments.map((p) => [
      p.organisationNumber,
      p.bankAccount,
      p.amount,
      p.caseId,
      p.potId,
      p.ledgerEntry,
      p.paymentId,
    ]),
  );
}

/** Where a run's file is kept in the records bucket. */
export const paymentRunKey = (runId: string) => `payments/${runId}.csv`;

/** A run's total, as the approver checks it against the accounting system. */
export const paymentRunTotal = (run: PaymentRun) => run.payments.reduce((sum, p) => sum + p.amount, 0);
