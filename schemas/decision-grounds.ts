import { z } from 'zod';
import type { Checked } from './assessment.ts';
import { formatNok } from './format-nok.ts';
import type { Scheme } from './scheme.ts';
import { BilingualSchema } from './written-standard.ts';

/**
 * What a decision says and on which grounds (forvaltningsloven §§24–25): its kind, the amount, the reasons chosen from
 * the scheme's catalogue with the caseworker's own words, and the conditions of a grant. Pure; the case's Update
 * validator checks a proposed decision with `checkDecisionGrounds`, the letter is written from the checked grounds.
 */

/** SPEC §6: approved in full, approved in part, rejected, dismissed for a formal defect. */
export const DecisionKindSchema = z.enum(['approved-in-full', 'approved-in-part', 'rejected', 'dismissed']);
export type DecisionKind = z.infer<typeof DecisionKindSchema>;

const id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/);

/** One reason of a scheme's catalogue: the sentence the letter gives, and the kinds of decision it can ground. */
export const DecisionReasonSchema = z.object({
  id,
  text: BilingualSchema,
  appliesTo: z.array(DecisionKindSchema).min(1),
});
export type DecisionReason = z.infer<typeof DecisionReasonSchema>;

/** One standard condition of a scheme's grants (SPEC §7: use as applied for, report by the deadline, pay back). */
export const GrantConditionSchema = z.object({ id, text: BilingualSchema });
export type GrantCondition = z.infer<typeof GrantConditionSchema>;

const amountGranted = z
  .number('beløpet må være et tall')
  .int('beløpet må være hele kroner')
  .positive('beløpet må være større enn null');
const reasonIds = z
  .array(z.string(), 'mangler begrunnelse')
  .min(1, 'vedtaket må begrunnes med minst én grunn fra ordningens liste');
const explanation = z
  .string('mangler begrunnelse med egne ord')
  .trim()
  .min(1, 'vedtaket må også begrunnes med egne ord');
const conditionIds = z.array(z.string()).default([]);
/** Conditions the caseworker adds for this grant, written in the applicant's standard as the letter will print them. */
const extraConditions = z.array(z.string().trim().min(1, 'et vilkår kan ikke være tomt')).default([]);

export const DecisionGroundsSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('approved-in-full'), amountGranted, conditionIds, extraConditions }),
    z.object({
      kind: z.literal('approved-in-part'),
      amountGranted,
      reasonIds,
      explanation,
      conditionIds,
      extraConditions,
    }),
    z.object({ kind: z.literal('rejected'), reasonIds, explanation }),
    z.object({ kind: z.literal('dismissed'), reasonIds, explanation }),
  ],
  'vedtaket må være «approved-in-full», «approved-in-part», «rejected» eller «dismissed»',
);
export type DecisionGrounds = z.infer<typeof DecisionGroundsSchema>;
export type DecisionGroundsInput = z.input<typeof DecisionGroundsSchema>;

const kindNames: Record<DecisionKind, string> = {
  'approved-in-full': 'innvilgelse i sin helhet',
  'approved-in-part': 'delvis innvilgelse',
  rejected: 'avslag',
  dismissed: 'avvisning',
};

/** What a decision is checked against: the scheme's name and its catalogue of reasons and conditions. */
export type DecisionCatalogue = Pick<Scheme, 'name'> & {
  decisions: Pick<Scheme['decisions'], 'reasons' | 'conditions'>;
};

export const isGrant = (grounds: DecisionGrounds): grounds is Extract<DecisionGrounds, { amountGranted: number }> =>
  grounds.kind === 'approved-in-full' || grounds.kind === 'approved-in-part';

/**
 * Whether a decision may be made as proposed, for the scheme and the amount the application requests: its parsed
 * grounds, or why not (Bokmål, for the caseworker). Partial grants, rejections and dismissals need a reason from the
 * scheme's catalogue that applies to their kind, and the caseworker's own words; a grant names its conditions (the
 * scheme's, or its own) and its amount fits the kind.
 */
export function checkDecisionGrounds(
  scheme: DecisionCatalogue,
  raw: unknown,
  amountRequested: number | undefined,
): Checked<DecisionGrounds> {
  const parsed = DecisionGroundsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? ` (${issue.path.join('.')})` : '';
    return { ok: false, refusal: `Ugyldig vedtak${where}: ${issue.message}.` };
  }
  const grounds = parsed.data;
  const refusal = whyNot(scheme, grounds, amountRequested);
  return refusal ? { ok: false, refusal } : { ok: true, input: grounds };
}

function whyNot(
  scheme: DecisionCatalogue,
  grounds: DecisionGrounds,
  amountRequested: number | undefined,
): string | undefined {
  if ('reasonIds' in grounds) {
    for (const reasonId of grounds.reasonIds) {
      const reason = scheme.decisions.reasons.find((r) => r.id === reasonId);
      if (!reason) return `Begrunnelsen «${reasonId}» finnes ikke for ${scheme.name}.`;
      if (!reason.appliesTo.includes(grounds.kind)) {
        return `Begrunnelsen «${reason.text.nb}» kan ikke begrunne ${kindNames[grounds.kind]}.`;
      }
    }
  }
  if (!isGrant(grounds)) return undefined;
  for (const conditionId of grounds.conditionIds) {
    if (!scheme.decisions.conditions.some((c) => c.id === conditionId))
      return `Vilkåret «${conditionId}» finnes ikke for ${scheme.name}.`;
  }
  if (grounds.conditionIds.length + grounds.extraConditions.length === 0)
    return 'Et tilsagn må angi vilkårene for tilskuddet.';
  if (amountRequested === undefined) return 'Søknadsbeløpet mangler: rett feltet før tilskudd innvilges.';
  if (grounds.kind === 'approved-in-full' && grounds.amountGranted !== amountRequested) {
    return `Full innvilgelse må gi søknadsbeløpet ${formatNok(amountRequested)}, ikke ${formatNok(grounds.amountGranted)}; et lavere beløp er delvis innvilgelse.`;
  }
  if (grounds.kind === 'approved-in-part' && grounds.amountGranted >= amountRequested) {
    return `Delvis innvilgelse må gi mindre enn søknadsbeløpet ${formatNok(amountRequested)}.`;
  }
  return undefined;
}
