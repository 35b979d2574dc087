import { z } from 'zod';
import { ObjectRefSchema } from '../document.ts';

/** The caseworkers' requests to a case (the Updates' inputs); a refusal names what is wrong, in Bokmål. */

const actor = z.string().trim().min(1, 'mangler hvem som gjør det (actor)');

export const ClaimInputSchema = z.object({
  actor,
  /** The caseworker's declaration that they are not disqualified (inhabil) for this applicant. */
  notDisqualified: z.literal(true, 'du må erklære at du ikke er inhabil i saken'),
});
export type ClaimInput = z.infer<typeof ClaimInputSchema>;

export const AssignInputSchema = z.object({
  actor,
  assignee: z.string().trim().min(1, 'mangler saksbehandler (assignee)'),
});
export type AssignInput = z.infer<typeof AssignInputSchema>;

export const ConflictInputSchema = z.object({
  actor,
  reason: z.string().trim().min(1, 'mangler begrunnelse for inhabiliteten'),
});
export type ConflictInput = z.infer<typeof ConflictInputSchema>;

export const CorrectFieldInputSchema = z.object({
  actor,
  field: z.string().min(1, 'mangler felt'),
  value: z.unknown(),
});
export type CorrectFieldInput = z.infer<typeof CorrectFieldInputSchema>;

export const InformationRequestInputSchema = z.object({
  actor,
  /** The message to the applicant. */
  message: z.string().trim().min(1, 'mangler melding til søkeren'),
  reason: z.string().trim().min(1, 'mangler begrunnelse'),
});
export type InformationRequestInput = z.infer<typeof InformationRequestInputSchema>;

/**
 * The caseworker's decision on a document that came to the case from another applicant: take it in as the case's own
 * after all, or open it as a case of its own. The document is named by its kept original (`original.key`).
 */
export const UnrelatedDocumentInputSchema = z.object({
  actor,
  document: z.string().min(1, 'mangler dokumentet (document)'),
  decision: z.enum(['take-in', 'own-case'], 'avgjørelsen må være «take-in» eller «own-case»'),
});
export type UnrelatedDocumentInput = z.infer<typeof UnrelatedDocumentInputSchema>;

/** A document for a running case: another attachment of its e-mail, or a supplement quoting its reference. */
export const DocumentDeliverySchema = z.object({ object: ObjectRefSchema });
export type DocumentDelivery = z.infer<typeof DocumentDeliverySchema>;

/**
 * The caseworker's proposal: the decision's grounds (`schemas/decision-grounds.ts`), checked against the scheme's
 * catalogue.
 */
export const ProposeInputSchema = z.object({ actor, grounds: z.unknown() });
export type ProposeInput = z.infer<typeof ProposeInputSchema>;

const proposal = z.number('mangler innstillingen (proposal)').int().positive('mangler innstillingen (proposal)');

/** A second person approves the proposal they name (its seq): the same approval again changes nothing. */
export const ApproveInputSchema = z.object({
  actor,
  proposal,
  notDisqualified: z.literal(true, 'du må erklære at du ikke er inhabil i saken'),
});
export type ApproveInput = z.infer<typeof ApproveInputSchema>;

/** The approver sends the proposal back to the caseworker with a comment. */
export const ReturnInputSchema = z.object({
  actor,
  proposal,
  comment: z.string().trim().min(1, 'skriv hvorfor innstillingen sendes tilbake'),
});
export type ReturnInput = z.infer<typeof ReturnInputSchema>;
