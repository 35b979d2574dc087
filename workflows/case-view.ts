import { upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { Application } from '../schemas/application.ts';
import type { Decision } from '../schemas/assessment/state.ts';
import type { CasePhase } from '../schemas/case-phase.ts';
import type { Finding } from '../schemas/finding.ts';
import { formatNok } from '../schemas/format-nok.ts';
import { countFindings } from '../schemas/validate.ts';
import { searchAttributes, type CaseStatus } from './messages.ts';

/** What admins see of a case in the Temporal UI and the review app's queues: its search attributes and its memo. */

export interface CaseView {
  application: Application;
  status: CaseStatus;
  queue: string;
  findings: readonly Finding[];
  assignee?: string;
}

/** The case's place in its queue, as admins filter for it, and the memo's line (with the assignee, for queue lists). */
export function showCase({ application, status, queue, findings, assignee }: CaseView): void {
  const { errors, warnings } = countFindings(findings);
  const { schemeId, applicant, budget } = application;
  const pairs: SearchAttributeUpdatePair[] = [
    { key: searchAttributes.status, value: status },
    { key: searchAttributes.queue, value: queue },
    { key: searchAttributes.errorCount, value: errors },
    { key: searchAttributes.warningCount, value: warnings },
  ];
  // A correction or a supplement may have changed what admins filter by.
  if (schemeId) pairs.push({ key: searchAttributes.scheme, value: schemeId });
  if (applicant?.name) pairs.push({ key: searchAttributes.municipality, value: applicant.name });
  if (applicant?.organisationNumber)
    pairs.push({ key: searchAttributes.organisationNumber, value: applicant.organisationNumber });
  if (budget?.amountRequested !== undefined)
    pairs.push({ key: searchAttributes.amountRequested, value: budget.amountRequested });
  upsertSearchAttributes(pairs);
  upsertMemo({ summary: caseSummary(application, queue, status, errors, warnings), assignee: assignee ?? null });
}

/** A case received: when, and under which reference, before anything is read. */
export function showReceived(caseId: string, receivedAt: string): void {
  upsertSearchAttributes([
    { key: searchAttributes.receivedAt, value: new Date(receivedAt) },
    { key: searchAttributes.caseReference, value: caseId },
  ]);
}

/** The case's status alone, and the memo's line when it has ended with no application to show. */
export function showStatus(status: CaseStatus, summary?: string): void {
  upsertSearchAttributes([{ key: searchAttributes.status, value: status }]);
  if (summary !== undefined) upsertMemo({ summary });
}

/** The case has waited past twice its service time. */
export function showLate(): void {
  upsertSearchAttributes([{ key: searchAttributes.late, value: true }]);
}

/** Where the case is in the grant's life, and the reporting deadline a granted case waits for. */
export function showPhase(phase: CasePhase, reportDeadline?: string): void {
  upsertSearchAttributes([
    { key: searchAttributes.phase, value: phase },
    ...(reportDeadline ? [{ key: searchAttributes.reportDeadline, value: new Date(reportDeadline) }] : []),
  ]);
}

/** The decided case. */
export function showDecided(application: Application, decision: Decision): void {
  showStatus(decision.outcome, decisionSummary(application, decision));
}

/** The memo's one line in the Temporal UI's list: who applies, for what, how much, and where it stands. */
function caseSummary(
  application: Application,
  queue: string,
  status: string,
  errors: number,
  warnings: number,
): string {
  const who = application.applicant?.name ?? 'ukjent søker';
  const what = application.project?.title ?? application.schemeId ?? 'ukjent ordning';
  const amount =
    application.budget?.amountRequested !== undefined ? `, ${formatNok(application.budget.amountRequested)}` : '';
  return `${who}: ${what}${amount} → ${queue} (${status}; ${errors} feil, ${warnings} advarsler)`;
}

/** The Temporal UI's line for a decided case. */
function decisionSummary(application: Application, decision: Decision): string {
  const who = application.applicant?.name ?? 'ukjent søker';
  const what = application.project?.title ?? application.schemeId ?? 'ukjent ordning';
  const outcome = decision.outcome === 'approved' ? `innvilget ${formatNok(decision.amount!)}` : 'avslått';
  return `${who}: ${what} → ${outcome} av ${decision.decidedBy}`;
}
