import { z } from 'zod';
import { formatNok } from './format-nok.ts';
import type { Scheme } from './scheme.ts';

/**
 * The budget ledger of one pot (an earmark, or a scheme's money where it has none): the single truth of how much of
 * the round's money is reserved by proposals, committed by decisions and left. Pure rules; `workflows/pot.ts` keeps
 * the state, and every entry is also written to the records bucket (`pots/<pot id>/`).
 */

/** A pot as the scheme's data gives it. */
export interface PotDefinition {
  /** `pot-<scheme>-<earmark>`, or `pot-<scheme>` for a scheme's money without earmarks; the pot workflow's id. */
  id: string;
  schemeId: string;
  earmarkId?: string;
  /** The earmark's or the scheme's name, as caseworkers know it. */
  name: string;
  /** The money the scheme's data gives the pot, whole NOK (adjustments come on top). */
  allocation: number;
}

export const potId = (schemeId: string, earmarkId?: string): string =>
  earmarkId ? `pot-${schemeId}-${earmarkId}` : `pot-${schemeId}`;

/**
 * The pots of a scheme: one per earmark, and one for the scheme's money outside its earmarks (all of it when it has
 * none; left out when the earmarks take it all).
 */
export function potsOf(scheme: Scheme): PotDefinition[] {
  const earmarked = scheme.money.earmarks.map((e) => ({
    id: potId(scheme.id, e.id),
    schemeId: scheme.id,
    earmarkId: e.id,
    name: e.name,
    allocation: e.amount,
  }));
  const rest = scheme.money.total - earmarked.reduce((sum, p) => sum + p.allocation, 0);
  return rest > 0
    ? [...earmarked, { id: potId(scheme.id), schemeId: scheme.id, name: scheme.name, allocation: rest }]
    : earmarked;
}

/** The pot a category's grants draw on: its earmark's, else the scheme's. */
export function potForCategory(scheme: Scheme, categoryId: string | undefined): PotDefinition | undefined {
  const earmarkId = scheme.categories.find((c) => c.id === categoryId)?.earmark;
  return potsOf(scheme).find((p) => p.id === potId(scheme.id, earmarkId));
}

export function findPot(schemes: Scheme[], id: string): PotDefinition | undefined {
  return schemes.flatMap(potsOf).find((p) => p.id === id);
}

const kroner = z.number({ error: 'Beløpet må være et tall i hele kroner.' }).int('Beløpet må være i hele kroner.');
const positiveKroner = kroner.positive('Beløpet må være større enn null.');
const actor = z
  .string({ error: 'Hvem som fører posten, må oppgis.' })
  .trim()
  .min(1, 'Hvem som fører posten, må oppgis.');
const reason = z.string({ error: 'Posten må ha en begrunnelse.' }).trim().min(1, 'Posten må ha en begrunnelse.');
const caseId = z.string({ error: 'Saksnummeret må oppgis.' }).trim().min(1, 'Saksnummeret må oppgis.');

/** A proposal (innstilling) reserves its amount; proposing again with another amount replaces the reservation. */
export const ReserveSchema = z.object({ caseId, amount: positiveKroner, actor });
/**
 * An approved decision commits its amount, taking over the case's reservation. A decision changed on appeal to a
 * higher grant raises the case's commitment `raiseFrom` → `amount`: only the difference is committed, and what was
 * paid of it stays paid.
 */
export const CommitSchema = z.object({
  caseId,
  amount: positiveKroner,
  actor,
  raiseFrom: positiveKroner.optional(),
  reason: reason.optional(),
});
/**
 * A rejection, a proposal sent back, a withdrawn grant (`keep` 0, the default) or a reduced one (`keep` the new
 * amount): the case's money above `keep` goes back to the pot.
 */
export const ReleaseSchema = z.object({
  caseId,
  keep: kroner.nonnegative('Beløpet kan ikke være negativt.').default(0),
  reason,
  actor,
});
/**
 * An admin's change of the allocation (a county's share of a national scheme, a supplementary allocation), positive
 * or negative. `reference` names the adjustment once, so that sending it again changes nothing.
 */
export const AdjustSchema = z.object({
  reference: z.string({ error: 'Justeringen må ha en referanse.' }).trim().min(1, 'Justeringen må ha en referanse.'),
  amount: kroner.refine((n) => n !== 0, 'En justering kan ikke være kr 0.'),
  reason,
  actor,
});

export type ReserveInput = z.input<typeof ReserveSchema>;
export type CommitInput = z.input<typeof CommitSchema>;
export type ReleaseInput = z.input<typeof ReleaseSchema>;
export type AdjustInput = z.input<typeof AdjustSchema>;

/**
 * An approved payment (attested and approved by two people, `payment.ts`) paid out of the case's commitment. The
 * payment's id names it once, so that recording it again changes nothing.
 */
export const PaySchema = z.object({
  caseId,
  paymentId: z.string({ error: 'Utbetalingen må ha en id.' }).trim().min(1, 'Utbetalingen må ha en id.'),
  amount: positiveKroner,
  actor,
});
export type PayInput = z.input<typeof PaySchema>;

/**
 * Money claimed back from a case (unspent or misused, SPEC §6): it returns to the pot, out of what the case was paid
 * and granted. `claimId` names the claim once, so that recording it again changes nothing.
 */
export const ClaimBackSchema = z.object({
  caseId,
  claimId: z.string({ error: 'Kravet må ha en id.' }).trim().min(1, 'Kravet må ha en id.'),
  amount: positiveKroner,
  reason,
  actor,
});
export type ClaimBackInput = z.input<typeof ClaimBackSchema>;

/** How an entry moves the balance. Summing the effects of a pot's entries gives its balance, to the krone. */
export interface Effect {
  allocation: number;
  reserved: number;
  committed: number;
  /** Paid out of what is committed: a payment leaves what remains unchanged, as its money was committed already. */
  paid: number;
}

export const PotEntrySchema = z.object({
  potId: z.string(),
  /** 1, 2, 3…: the order entries were made in, kept across continue-as-new. */
  seq: z.number().int().positive(),
  kind: z.enum(['open', 'reserve', 'commit', 'release', 'adjust', 'paid', 'claim-back']),
  /** The case (`SAK-…`), the adjustment's reference, or the pot itself for its opening. */
  reference: z.string(),
  /**
   * The case's amount (reserve, commit; a raised commitment: the new amount, its effect the difference), the amount
   * released, the adjustment, or the opening allocation.
   */
  amount: z.number().int(),
  actor: z.string(),
  at: z.string(),
  reason: z.string().optional(),
  /** The payment a `paid` entry records. */
  paymentId: z.string().optional(),
  /** The claim a `claim-back` entry records. */
  claimId: z.string().optional(),
  effect: z.object({
    allocation: z.number().int(),
    reserved: z.number().int(),
    committed: z.number().int(),
    paid: z.number().int(),
  }),
});
export type PotEntry = z.infer<typeof PotEntrySchema>;
export type PotEntryKind = PotEntry['kind'];

/** What the ledger holds for one case: at most one reservation or commitment. */
export interface CaseHolding {
  status: 'reserved' | 'committed';
  amount: number;
  /** Paid so far of a commitment. */
  paid?: number;
}

/** The ledger's state: what continue-as-new carries over. */
export interface LedgerState {
  pot: PotDefinition;
  allocation: number;
  paid: number;
  cases: Record<string, CaseHolding>;
  /** Adjustments made, by reference, with their amount. */
  adjustments: Record<string, number>;
  /** Payments made, by payment id, with their case and amount (absent in a ledger that has made none). */
  payments?: Record<string, { caseId: string; amount: number }>;
  /** Money claimed back, by claim id, with its case and amount (absent in a ledger that has had none). */
  claims?: Record<string, { caseId: string; amount: number }>;
  /** The number of entries made; the next one is `entries + 1`. */
  entries: number;
}

export interface PotBalance {
  potId: string;
  name: string;
  allocation: number;
  reserved: number;
  committed: number;
  paid: number;
  /** Claimed back from cases and returned to the pot (already out of `committed` and `paid`). */
  claimedBack: number;
  /** Allocation less what is reserved and committed: what proposals and decisions may still draw on. */
  remaining: number;
  entries: number;
}

/**
 * An entry the ledger will make, `null` when the request changes nothing (a retry), or the Bokmål reason it is refused.
 * */
export type Planned = { ok: true; entry: PotEntry | null } | { ok: false; refusal: string };

const noEffect: Effect = { allocation: 0, reserved: 0, committed: 0, paid: 0 };

/** A new pot's ledger and its first entry, the allocation from the scheme's data. */
export function openLedger(pot: PotDefinition, at: string): { state: LedgerState; entry: PotEntry } {
  const state: LedgerState = { pot, allocation: 0, paid: 0, cases: {}, adjustments: {}, entries: 0 };
  const entry = entryOf(state, 'open', pot.id, pot.allocation, 'ordningens data', at, {
    ...noEffect,
    allocation: pot.allocation,
  });
  applyEntry(state, entry);
  return { state, entry };
}

export function balanceOf(state: LedgerState): PotBalance {
  const held = (status: CaseHolding['status']) =>
    Object.values(state.cases).reduce((sum, c) => sum + (c.status === status ? c.amount : 0), 0);
  const reserved = held('reserved');
  const committed = held('committed');
  return {
    potId: state.pot.id,
    name: state.pot.name,
    allocation: state.allocation,
    reserved,
    committed,
    paid: state.paid,
    claimedBack: Object.values(state.claims ?? {}).reduce((sum, claim) => sum + claim.amount, 0),
    remaining: state.allocation - reserved - committed,
    entries: state.entries,
  };
}

export function planReserve(state: LedgerState, raw: unknown, at: string): Planned {
  const parsed = ReserveSchema.safeParse(raw);
  if (!parsed.success) return refusal(parsed.error);
  const { caseId, amount, actor } = parsed.data;
  const held = state.cases[caseId];
  if (held?.status === 'committed')
    return refuse(
      `Saken ${caseId} har allerede fått innvilget ${formatNok(held.amount)} fra rammen; den kan ikke reserveres på nytt.`,
    );
  if (held?.amount === amount) return { ok: true, entry: null };
  const available = balanceOf(state).remaining + (held?.amount ?? 0);
  if (amount > available)
    return refuse(`Rammen har bare ${formatNok(available)} igjen; ${formatNok(amount)} kan ikke reserveres.`);
  return accept(
    entryOf(state, 'reserve', caseId, amount, actor, at, { ...noEffect, reserved: amount - (held?.amount ?? 0) }),
  );
}

export function planCommit(state: LedgerState, raw: unknown, at: string): Planned {
  const parsed = CommitSchema.safeParse(raw);
  if (!parsed.success) return refusal(parsed.error);
  const { caseId, amount, actor, raiseFrom, reason } = parsed.data;
  const held = state.cases[caseId];
  if (held?.status === 'committed') {
    if (held.amount === amount) return { ok: true, entry: null };
    if (raiseFrom !== undefined && raiseFrom === held.amount && amount > raiseFrom) {
      const { remaining } = balanceOf(state);
      if (amount - raiseFrom > remaining)
        return refuse(
          `Rammen har bare ${formatNok(remaining)} igjen; tilskuddet kan ikke økes med ${formatNok(amount - raiseFrom)}.`,
        );
      return accept(
        entryOf(state, 'commit', caseId, amount, actor, at, { ...noEffect, committed: amount - raiseFrom }, reason),
      );
    }
    return refuse(
      `Saken ${caseId} har allerede fått innvilget ${formatNok(held.amount)}; et endret beløp må føres som en frigjøring.`,
    );
  }
  if (raiseFrom !== undefined)
    return refuse(`Saken ${caseId} har ikke ${formatNok(raiseFrom)} innvilget i rammen; tilskuddet kan ikke økes.`);
  const reservation = held?.amount ?? 0;
  const available = balanceOf(state).remaining + reservation;
  if (amount > available)
    return refuse(`Rammen har bare ${formatNok(available)} igjen; ${formatNok(amount)} kan ikke innvilges.`);
  return accept(
    entryOf(state, 'commit', caseId, amount, actor, at, { ...noEffect, reserved: -reservation, committed: amount }),
  );
}

export function planRelease(state: LedgerState, raw: unknown, at: string): Planned {
  const parsed = ReleaseSchema.safeParse(raw);
  if (!parsed.success) return refusal(parsed.error);
  const { caseId, keep, reason, actor } = parsed.data;
  const held = state.cases[caseId];
  if (!held || held.amount === keep) return { ok: true, entry: null };
  if (keep > held.amount)
    return refuse(
      `Saken ${caseId} har bare ${formatNok(held.amount)} i rammen; beløpet kan ikke økes til ${formatNok(keep)} ved en frigjøring.`,
    );
  if (keep < (held.paid ?? 0))
    return refuse(
      `Saken ${caseId} har fått utbetalt ${formatNok(held.paid ?? 0)}; det som er utbetalt, må kreves tilbake før tilsagnet kan settes ned til ${formatNok(keep)}.`,
    );
  const released = held.amount - keep;
  const effect =
    held.status === 'reserved' ? { ...noEffect, reserved: -released } : { ...noEffect, committed: -released };
  return accept(entryOf(state, 'release', caseId, released, actor, at, effect, reason));
}

export function planAdjust(state: LedgerState, raw: unknown, at: string): Planned {
  const parsed = AdjustSchema.safeParse(raw);
  if (!parsed.success) return refusal(parsed.error);
  const { reference, amount, reason, actor } = parsed.data;
  const made = state.adjustments[reference];
  if (made === amount) return { ok: true, entry: null };
  if (made !== undefined) return refuse(`Justeringen «${reference}» er allerede ført med ${formatNok(made)}.`);
  const { remaining } = balanceOf(state);
  if (-amount > remaining)
    return refuse(`Rammen har bare ${formatNok(remaining)} igjen; den kan ikke reduseres med ${formatNok(-amount)}.`);
  return accept(entryOf(state, 'adjust', reference, amount, actor, at, { ...noEffect, allocation: amount }, reason));
}

export function planPay(state: LedgerState, raw: unknown, at: string): Planned {
  const parsed = PaySchema.safeParse(raw);
  if (!parsed.success) return refusal(parsed.error);
  const { caseId, paymentId, amount, actor } = parsed.data;
  const made = state.payments?.[paymentId];
  if (made) {
    if (made.caseId === caseId && made.amount === amount) return { ok: true, entry: null };
    return refuse(`Utbetalingen ${paymentId} er allerede ført med ${formatNok(made.amount)} til sak ${made.caseId}.`);
  }
  const held = state.cases[caseId];
  if (held?.status !== 'committed')
    return refuse(`Saken ${caseId} har ikke noe innvilget tilskudd i rammen; det kan ikke utbetales.`);
  const unpaid = held.amount - (held.paid ?? 0);
  if (amount > unpaid)
    return refuse(
      `Saken ${caseId} har bare ${formatNok(unpaid)} innvilget som ikke er utbetalt; ${formatNok(amount)} kan ikke utbetales.`,
    );
  return accept({ ...entryOf(state, 'paid', caseId, amount, actor, at, { ...noEffect, paid: amount }), paymentId });
}

export function planClaimBack(state: LedgerState, raw: unknown, at: string): Planned {
  const parsed = ClaimBackSchema.safeParse(raw);
  if (!parsed.success) return refusal(parsed.error);
  const { caseId, claimId, amount, reason, actor } = parsed.data;
  const made = state.claims?.[claimId];
  if (made) {
    if (made.caseId === caseId && made.amount === amount) return { ok: true, entry: null };
    return refuse(`Kravet ${claimId} er allerede ført med ${formatNok(made.amount)} til sak ${made.caseId}.`);
  }
  const held = state.cases[caseId];
  const paid = held?.status === 'committed' ? (held.paid ?? 0) : 0;
  if (amount > paid)
    return refuse(
      `Saken ${caseId} har fått utbetalt ${formatNok(paid)}; ${formatNok(amount)} kan ikke kreves tilbake.`,
    );
  return accept({
    ...entryOf(
      state,
      'claim-back',
      caseId,
      amount,
      actor,
      at,
      { ...noEffect, committed: -amount, paid: -amount },
      reason,
    ),
    claimId,
  });
}

/** Makes a planned entry: the state follows its effect (and its case's or adjustment's holding). */
export function applyEntry(state: LedgerState, entry: PotEntry): void {
  state.entries = entry.seq;
  state.allocation += entry.effect.allocation;
  state.paid += entry.effect.paid;
  const held = state.cases[entry.reference];
  switch (entry.kind) {
    case 'reserve':
      state.cases[entry.reference] = { status: 'reserved', amount: entry.amount };
      break;
    case 'commit':
      // A raised commitment keeps what was paid of it.
      state.cases[entry.reference] = {
        status: 'committed',
        amount: entry.amount,
        ...(held?.status === 'committed' && held.paid && { paid: held.paid }),
      };
      break;
    case 'release':
      if (held && held.amount === entry.amount) delete state.cases[entry.reference];
      else if (held) held.amount -= entry.amount;
      break;
    case 'adjust':
      state.adjustments[entry.reference] = entry.amount;
      break;
    case 'paid':
      if (held) held.paid = (held.paid ?? 0) + entry.amount;
      state.payments = { ...state.payments, [entry.paymentId!]: { caseId: entry.reference, amount: entry.amount } };
      break;
    case 'claim-back':
      // The money returns to the pot: the grant and what was paid of it are both that much less.
      if (held) {
        held.amount -= entry.amount;
        held.paid = (held.paid ?? 0) - entry.amount;
        if (held.amount === 0) delete state.cases[entry.reference];
      }
      state.claims = { ...state.claims, [entry.claimId!]: { caseId: entry.reference, amount: entry.amount } };
      break;
    case 'open':
      break;
  }
}

/** The balance the entries add up to: what an auditor computes from the records bucket alone. */
export function sumOfEntries(entries: PotEntry[]): Omit<PotBalance, 'potId' | 'name'> {
  const total = entries.reduce<Effect>(
    (sum, { effect }) => ({
      allocation: sum.allocation + effect.allocation,
      reserved: sum.reserved + effect.reserved,
      committed: sum.committed + effect.committed,
      paid: sum.paid + effect.paid,
    }),
    noEffect,
  );
  const claimedBack = entries.reduce((sum, e) => sum + (e.kind === 'claim-back' ? e.amount : 0), 0);
  return {
    ...total,
    claimedBack,
    remaining: total.allocation - total.reserved - total.committed,
    entries: entries.length,
  };
}

/** The memo's line in the Temporal UI. */
export function potSummary(balance: PotBalance): string {
  const claimed = balance.claimedBack ? ` · krevd tilbake ${formatNok(balance.claimedBack)}` : '';
  return `${balance.name}: ramme ${formatNok(balance.allocation)} · reservert ${formatNok(balance.reserved)} · innvilget ${formatNok(balance.committed)} · utbetalt ${formatNok(balance.paid)}${claimed} · igjen ${formatNok(balance.remaining)}`;
}

/** Where an entry is kept in the records bucket: one object per entry, in the order they were made. */
export const potEntryKey = (entry: Pick<PotEntry, 'potId' | 'seq' | 'kind'>): string =>
  `pots/${entry.potId}/${String(entry.seq).padStart(6, '0')}-${entry.kind}.json`;

function entryOf(
  state: LedgerState,
  kind: PotEntryKind,
  reference: string,
  amount: number,
  actor: string,
  at: string,
  effect: Effect,
  reason?: string,
): PotEntry {
  return {
    potId: state.pot.id,
    seq: state.entries + 1,
    kind,
    reference,
    amount,
    actor,
    at,
    ...(reason && { reason }),
    effect,
  };
}

const accept = (entry: PotEntry): Planned => ({ ok: true, entry });
const refuse = (reason: string): Planned => ({ ok: false, refusal: reason });
const refusal = (error: z.ZodError): Planned => refuse(error.issues[0]?.message ?? 'Posten er ugyldig.');
