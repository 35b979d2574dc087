import { z } from 'zod';
import { isValidBankAccount } from '../bank-account.ts';

/**
 * The requests to a decided case as it lives on (the follow-up workflow's Updates and signal): acceptance, payment,
 * report and appeal. A refusal names what is wrong, in Bokmål.
 */

const actor = z.string().trim().min(1, 'mangler hvem som gjør det (actor)');
const comment = z.string().trim().min(1, 'skriv en begrunnelse (comment)');
const kroner = z.number('beløpet må være et tall i hele kroner').int('beløpet må være i hele kroner');

/** Eleven digits with its MOD11 check; spaces and dots as people write it are allowed. */
const bankAccount = z
  .string('mangler kontonummer (bankAccount)')
  .transform((value) => value.replace(/[\s.]/g, ''))
  .refine((digits) => /^\d{11}$/.test(digits), 'kontonummeret må ha 11 siffer')
  .refine(isValidBankAccount, 'kontonummeret er ikke gyldig (kontrollsifferet stemmer ikke)');

/** The caseworker records an acceptance that came another way (by post, on paper, by phone confirmed in writing). */
export const RecordAcceptanceInputSchema = z.object({
  actor,
  bankAccount,
  /** Who signed the acceptance for the applicant. */
  signedBy: z.string().trim().min(1).optional(),
  /** When it came (ISO 8601); now when absent. */
  receivedAt: z.iso.datetime({ offset: true, error: 'mottatt-tidspunktet må være en ISO 8601-dato' }).optional(),
  note: z.string().trim().min(1).optional(),
});
export type RecordAcceptanceInput = z.input<typeof RecordAcceptanceInputSchema>;

/** One person attests a prepared payment (amount, account, the grant's terms met). */
export const AttestPaymentInputSchema = z.object({
  actor,
  paymentId: z.string().trim().min(1, 'mangler utbetalingen (paymentId)'),
});
export type AttestPaymentInput = z.input<typeof AttestPaymentInputSchema>;

/** Another person, with budget authority over the pot, approves an attested payment; never the one who attested it. */
export const ApprovePaymentInputSchema = z.object({
  actor,
  paymentId: z.string().trim().min(1, 'mangler utbetalingen (paymentId)'),
  hasBudgetAuthority: z.boolean('oppgi om du har budsjettdisponeringsmyndighet (hasBudgetAuthority)'),
});
export type ApprovePaymentInput = z.input<typeof ApprovePaymentInputSchema>;

/**
 * The caseworker's assessment of the report: approve it (the case closes, a held-back part is paid), ask for more (a
 * letter; the case waits for another report), or claim back `amount` kroner (a letter; the money returns to the pot).
 */
export const AssessReportInputSchema = z
  .object({
    actor,
    outcome: z.enum(['approve', 'ask-more', 'claim-back'], 'utfallet må være «approve», «ask-more» eller «claim-back»'),
    amount: kroner.positive('beløpet som kreves tilbake, må være større enn null').optional(),
    comment,
  })
  .refine((input) => input.outcome !== 'claim-back' || input.amount !== undefined, {
    message: 'oppgi beløpet som kreves tilbake (amount)',
    path: ['amount'],
  });
export type AssessReportInput = z.input<typeof AssessReportInputSchema>;

/**
 * The office that decided settles an appeal (forvaltningsloven §33): changes its decision (`amountGranted`, a new
 * letter, the ledger adjusted) or upholds it (the appeal is sent on to the scheme's appeal body).
 */
export const DecideAppealInputSchema = z
  .object({
    actor,
    /** The appeal's number within the case (1, 2, …). */
    appeal: z.number('mangler klagen (appeal)').int().positive('mangler klagen (appeal)'),
    outcome: z.enum(['uphold', 'change'], 'utfallet må være «uphold» eller «change»'),
    /** The amount granted by the changed decision, whole NOK (0: the grant withdrawn). */
    amountGranted: kroner.nonnegative('beløpet kan ikke være negativt').optional(),
    comment,
  })
  .refine((input) => input.outcome !== 'change' || input.amountGranted !== undefined, {
    message: 'oppgi det innvilgede beløpet i det endrede vedtaket (amountGranted)',
    path: ['amountGranted'],
  });
export type DecideAppealInput = z.input<typeof DecideAppealInputSchema>;

/** The payment run's notice to the case (`paymentExported`): defined with the payment run. */
export { PaymentExportedSchema, type PaymentExported } from '../payment-run.ts';
