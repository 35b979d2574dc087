import type { Application } from '../schemas/application.ts';
import type { Decision } from '../schemas/assessment.ts';

/** The memo's one line in the Temporal UI's list: who applies, for what, how much, and where it stands. */
export function caseSummary(application: Application, queue: string, status: string, errors: number, warnings: number): string {
  const who = application.applicant?.name ?? 'ukjent søker';
  const what = application.project?.title ?? application.schemeId ?? 'ukjent ordning';
  const amount = application.budget?.amountRequested !== undefined ? `, kr ${application.budget.amountRequested}` : '';
  return `${who}: ${what}${amount} → ${queue} (${status}; ${errors} feil, ${warnings} advarsler)`;
}

/** The Temporal UI's line for a decided case. */
export function decisionSummary(application: Application, decision: Decision): string {
  const who = application.applicant?.name ?? 'ukjent søker';
  const what = application.project?.title ?? application.schemeId ?? 'ukjent ordning';
  const outcome = decision.outcome === 'approved' ? `innvilget kr ${decision.amount}` : 'avslått';
  return `${who}: ${what} → ${outcome} av ${decision.decidedBy}`;
}
