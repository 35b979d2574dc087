/**
 * Where a case is in the grant's life (SPEC §6), as the `CasePhase` search attribute shows it in the Temporal UI and
 * the review app's timeline draws it. `CaseStatus` says what a case waits for within intake and assessment; the phase
 * is the coarser line a case follows from receipt until its grant is settled.
 */
export const casePhases = [
  /** Read and routed, not yet taken by a caseworker. */
  'received',
  /** A caseworker assesses it. */
  'assessment',
  /** A proposal (innstilling) waits for the approver. */
  'proposed',
  /** Approved or rejected; the letter is being written. */
  'decided',
  /** The decision letter is sent; a grant waits for its acceptance, a refusal only for an appeal. */
  'letter-sent',
  /** The acceptance is in; the payment waits to be attested, approved and exported. */
  'accepted',
  /** Paid (all of it, or the share before the report). */
  'paid',
  /** Waiting for the report; overdue once the `ReportDeadline` has passed. */
  'report-due',
  /** The report is in the caseworker's queue to assess. */
  'report-received',
  /** Settled: the report approved (and any held-back part paid), a refusal unappealed, or money claimed back. */
  'closed',
  /** An appeal waits for the office that decided; the case returns to its phase when it is settled. */
  'appeal',
] as const;

export type CasePhase = (typeof casePhases)[number];

/** The phase's name on the review app's timeline. */
export const casePhaseLabels: Record<CasePhase, string> = {
  received: 'Mottatt',
  assessment: 'Til vurdering',
  proposed: 'Innstilt',
  decided: 'Vedtatt',
  'letter-sent': 'Vedtaksbrev sendt',
  accepted: 'Akseptert',
  paid: 'Utbetalt',
  'report-due': 'Venter på rapport',
  'report-received': 'Rapport mottatt',
  closed: 'Avsluttet',
  appeal: 'Klage til behandling',
};
