import { z } from 'zod';
import { formatBankAccount, isValidBankAccount } from './bank-account.ts';
import { formatNok } from './format-nok.ts';
import { isValidOrganisationNumber } from './organisation-number.ts';
import type { Scheme } from './scheme.ts';

/**
 * A grant's payment (SPEC §6): prepared after the acceptance for the granted amount, or for the scheme's share
 * before the report and the rest once the report is approved; attested by one person and approved by another with
 * budget authority, never the same person (Reglement for økonomistyring i staten). Only an approved payment goes
 * into a payment run (`payment-run.ts`) and is recorded as *paid* in its pot's ledger.
 */

/** Which part of a grant a payment is: all or the share paid on acceptance, or the rest after the approved report. */
export const PaymentPartSchema = z.enum(['on-acceptance', 'after-report']);
export type PaymentPart = z.infer<typeof PaymentPartSchema>;

const stamp = z.object({ by: z.string().min(1), at: z.string().min(1) });

export const PaymentSchema = z.object({
  /**
   * `<case reference>-<part>` (`SAK-7F3A9C21-on-acceptance`): one payment per part, so preparing again is the same one.
   * A grant raised on appeal after its part was approved for payment pays the difference as the part's next payment
   * (`SAK-7F3A9C21-on-acceptance-2`).
   * */
  paymentId: z.string().min(1),
  caseId: z.string().min(1),
  /** The pot whose ledger the payment is paid out of. */
  potId: z.string().min(1),
  part: PaymentPartSchema,
  organisationNumber: z.string().regex(/^\d{9}$/),
  /** Eleven digits, MOD11-checked. */
  bankAccount: z.string().regex(/^\d{11}$/),
  /** Whole NOK. */
  amount: z.number().int().positive(),
  prepared: stamp,
  attested: stamp.optional(),
  approved: stamp.optional(),
  /** The payment run it was exported in, and the pot's ledger entry that recorded it as paid. */
  runId: z.string().optional(),
  ledgerEntry: z.number().int().positive().optional(),
});
export type Payment = z.infer<typeof PaymentSchema>;

export interface PaymentBasis {
  caseId: string;
  potId: string;
  organisationNumber: string;
  bankAccount: string;
  amountGranted: number;
}

/**
 * The parts a grant is paid in: the scheme's share on acceptance (all of it by default), and the rest after the report.
 * */
export function paymentParts(scheme: Scheme, amountGranted: number): Array<{ part: PaymentPart; amount: number }> {
  const first = Math.round(amountGranted * scheme.decisions.paymentShareBeforeReport);
  return [
    { part: 'on-acceptance' as const, amount: first },
    { part: 'after-report' as const, amount: amountGranted - first },
  ].filter((p) => p.amount > 0);
}

export type PaymentOutcome = { ok: true; payment: Payment } | { ok: false; refusal: string };

/**
 * The payment of one part of a grant, or why it cannot be prepared (in Bokmål). `difference`: the part was approved
 * for payment before its grant was raised on appeal, and this is the part's `sequence`th payment, of what it lacks.
 */
export function preparePayment(
  scheme: Scheme,
  basis: PaymentBasis,
  part: PaymentPart,
  prepared: { by: string; at: string },
  difference?: { amount: number; sequence: number },
): PaymentOutcome {
  const share = paymentParts(scheme, basis.amountGranted).find((p) => p.part === part);
  if (!share)
    return refuse(
      `Saken ${basis.caseId} har ingen del av tilskuddet som skal utbetales ${part === 'after-report' ? 'etter rapporten' : 'ved aksept'}.`,
    );
  if (!isValidBankAccount(basis.bankAccount))
    return refuse(
      `Kontonummeret ${formatBankAccount(basis.bankAccount)} er ikke gyldig; utbetalingen kan ikke klargjøres.`,
    );
  if (!isValidOrganisationNumber(basis.organisationNumber))
    return refuse(
      `Organisasjonsnummeret ${basis.organisationNumber} er ikke gyldig; utbetalingen kan ikke klargjøres.`,
    );
  return {
    ok: true,
    payment: {
      paymentId: difference ? `${basis.caseId}-${part}-${difference.sequence}` : `${basis.caseId}-${part}`,
      caseId: basis.caseId,
      potId: basis.potId,
      part,
      organisationNumber: basis.organisationNumber,
      bankAccount: basis.bankAccount,
      amount: difference?.amount ?? share.amount,
      prepared,
    },
  };
}

/** One person attests that the payment is right (amount, account, the grant's terms met). */
export function attestPayment(payment: Payment, by: string, at: string): PaymentOutcome {
  if (payment.attested) return refuse(`Utbetalingen er allerede attestert av ${payment.attested.by}.`);
  return { ok: true, payment: { ...payment, attested: { by, at } } };
}

/**
 * Another person, with budget authority (budsjettdisponeringsmyndighet) over the pot, approves the attested payment.
 * The same person never does both.
 */
export function approvePayment(
  payment: Payment,
  approver: { by: string; hasBudgetAuthority: boolean },
  at: string,
): PaymentOutcome {
  if (payment.approved) return refuse(`Utbetalingen er allerede godkjent av ${payment.approved.by}.`);
  if (!payment.attested) return refuse('Utbetalingen må attesteres før den kan godkjennes.');
  if (payment.attested.by === approver.by)
    return refuse(
      `${approver.by} har attestert utbetalingen og kan ikke også godkjenne den; en annen med budsjettdisponeringsmyndighet må godkjenne.`,
    );
  if (!approver.hasBudgetAuthority)
    return refuse(
      `${approver.by} har ikke budsjettdisponeringsmyndighet og kan ikke godkjenne utbetalingen av ${formatNok(payment.amount)}.`,
    );
  return { ok: true, payment: { ...payment, approved: { by: approver.by, at } } };
}

const refuse = (refusal: string): PaymentOutcome => ({ ok: false, refusal });
