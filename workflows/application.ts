import {
  ActivityFailure,
  ApplicationFailure,
  patched,
  proxyActivities,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { Activities } from '../activities/index.ts';
import type { TextRead } from '../activities/text.ts';
import { movedKey } from '../intake/bucket-layout.ts';
import type { Application } from '../schemas/application.ts';
import type { AssessmentTimers, Decision } from '../schemas/assessment.ts';
import type { ObjectRef } from '../schemas/document.ts';
import type { Finding } from '../schemas/finding.ts';
import type { Route } from '../schemas/route.ts';
import { countFindings } from '../schemas/validate.ts';
import { assess } from './assessment.ts';
import { ocrTaskQueue, searchAttributes, type CaseStatus } from './messages.ts';

export interface ApplicationInput {
  /** The dropped object version; the workflow carries keys, never bytes. */
  object: ObjectRef;
  caseId: string;
  /** The assessment's timers; the scheme's service time when absent (tests give seconds). */
  assessment?: AssessmentTimers;
}

export interface ApplicationResult {
  caseId: string;
  recordKey: string;
  status: CaseStatus;
  /** The caseworker queue; absent for a quarantined document. */
  queue?: string;
  /** The assessment's outcome (cases started before assessment existed end at routing, without one). */
  decision?: Decision;
}

const storage = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['document-missing'] },
});

const reading = proxyActivities<Activities>({
  // Reading may ask the language model, which is given a minute per request and retries rate limits itself.
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

/**
 * One dropped document: look at it, read its text (OCR for a scan), read the application's fields, check them
 * against the scheme, keep the original and the case record, take the document out of the inbox (to `processed/`,
 * or to `quarantine/` when it could not be read; never deleted) and put the case in its caseworker queue.
 */
export async function application({ object: listed, caseId, assessment: timers }: ApplicationInput): Promise<ApplicationResult> {
  setStatus('reading');
  const { object, document } = await storage.describeDocument(listed);
  const receivedAt = document.submission.receivedAt;
  upsertSearchAttributes([
    { key: searchAttributes.receivedAt, value: new Date(receivedAt) },
    { key: searchAttributes.caseReference, value: caseId },
  ]);

  const text = await readText(object, caseId);
  if (text === 'email') {
    // An e-mail dropped whole: its attachments go into the inbox as the mailroom would have dropped them, each to
    // become a case of its own; the e-mail's record lists them.
    const { dropped, findings } = await reading.expandEmail({ object, document });
    const to = dropped.length ? 'processed' : 'quarantine';
    const recordKey = await storage.storeCase({ caseId, workflowId: workflowInfo().workflowId, object, movedTo: movedKey(object.key, to), document, attachments: dropped, findings });
    await storage.moveOutOfInbox({ object, to });
    setStatus(dropped.length ? 'expanded' : 'quarantined');
    upsertMemo({ summary: `${document.fileName}: e-post med ${dropped.length} vedlegg lagt i innboksen` });
    return { caseId, recordKey, status: dropped.length ? 'expanded' : 'quarantined' };
  }
  if ('code' in text) {
    const recordKey = await storage.storeCase({ caseId, workflowId: workflowInfo().workflowId, object, movedTo: movedKey(object.key, 'quarantine'), document, findings: [text] });
    await storage.moveOutOfInbox({ object, to: 'quarantine' });
    setStatus('quarantined');
    upsertMemo({ summary: `${document.fileName}: kunne ikke leses (${text.code})` });
    return { caseId, recordKey, status: 'quarantined' };
  }

  const read = await reading.readFields({ textKey: text.textKey });
  const check = await reading.checkApplication({ application: read.application, provenance: read.provenance, receivedAt, workflowId: workflowInfo().workflowId });
  const findings = [...read.findings, ...check.findings];
  const recordKey = await storage.storeCase({
    caseId,
    workflowId: workflowInfo().workflowId,
    object,
    movedTo: movedKey(object.key, 'processed'),
    document,
    textKey: text.textKey,
    reading: read,
    route: check.route,
    findings,
  });
  await storage.moveOutOfInbox({ object, to: 'processed' });
  routeCase(read.application, check.route, findings);
  // Cases routed before assessment existed ended here; their histories still replay.
  if (!patched('assessment')) return { caseId, recordKey, status: check.route.stage, queue: check.route.queue };

  const assessed = await assess({
    caseId,
    recordKey,
    receivedAt,
    application: read.application,
    provenance: read.provenance,
    readingFindings: read.findings,
    checkFindings: check.findings,
    route: check.route,
    ...(check.terms && { pot: check.terms.pot, serviceDays: check.terms.serviceDays }),
    ...(timers && { timers }),
  });
  const { decision } = assessed;
  await storage.recordDecision({ caseId, decision });
  setStatus(decision.outcome);
  upsertMemo({ summary: decisionSummary(assessed.application, decision) });
  return { caseId, recordKey, status: decision.outcome, queue: assessed.route.queue, decision };
}

/** The document's text, by OCR on its own task queue when it is a scan; a finding when it cannot be read; or an e-mail. */
async function readText(object: ObjectRef, caseId: string): Promise<TextRead | Finding | 'email'> {
  try {
    const outcome = await reading.readText({ object, caseId });
    if (outcome.status === 'read') return outcome.text;
    if (outcome.status === 'email') return 'email';
    const ocr = proxyActivities<Activities>({
      taskQueue: ocrTaskQueue(workflowInfo().taskQueue),
      // A page reads in about a second; a long scan on a busy worker may wait its turn.
      startToCloseTimeout: '20 minutes',
      heartbeatTimeout: '30 seconds',
      retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
    });
    return await ocr.ocrText({ object, caseId, scan: outcome.scan });
  } catch (error) {
    const reason = unreadableReason(error);
    if (!reason) throw error;
    return reason;
  }
}

/** The case's place in its queue, as admins filter for it in the Temporal UI. */
function routeCase(application: Application, route: Route, findings: readonly Finding[]): void {
  const { errors, warnings } = countFindings(findings);
  const pairs: SearchAttributeUpdatePair[] = [
    { key: searchAttributes.status, value: route.stage },
    { key: searchAttributes.queue, value: route.queue },
    { key: searchAttributes.errorCount, value: errors },
    { key: searchAttributes.warningCount, value: warnings },
  ];
  if (application.schemeId) pairs.push({ key: searchAttributes.scheme, value: application.schemeId });
  if (application.applicant?.name) pairs.push({ key: searchAttributes.municipality, value: application.applicant.name });
  if (application.applicant?.organisationNumber) pairs.push({ key: searchAttributes.organisationNumber, value: application.applicant.organisationNumber });
  if (application.budget?.amountRequested !== undefined) pairs.push({ key: searchAttributes.amountRequested, value: application.budget.amountRequested });
  upsertSearchAttributes(pairs);
  upsertMemo({ summary: caseSummary(application, route, errors, warnings) });
}

/** One line for the Temporal UI's list: who applies, for what, how much, and where it stands. */
function caseSummary(application: Application, route: Route, errors: number, warnings: number): string {
  const who = application.applicant?.name ?? 'ukjent søker';
  const what = application.project?.title ?? application.schemeId ?? 'ukjent ordning';
  const amount = application.budget?.amountRequested !== undefined ? `, kr ${application.budget.amountRequested}` : '';
  return `${who}: ${what}${amount} → ${route.queue} (${route.stage}; ${errors} feil, ${warnings} advarsler)`;
}

/** The Temporal UI's line for a decided case. */
function decisionSummary(application: Application, decision: Decision): string {
  const who = application.applicant?.name ?? 'ukjent søker';
  const what = application.project?.title ?? application.schemeId ?? 'ukjent ordning';
  const outcome = decision.outcome === 'approved' ? `innvilget kr ${decision.amount}` : 'avslått';
  return `${who}: ${what} → ${outcome} av ${decision.decidedBy}`;
}

function setStatus(status: CaseStatus): void {
  upsertSearchAttributes([{ key: searchAttributes.status, value: status }]);
}

/** A document the reader refused (a non-retryable failure with a finding as details) becomes a finding; anything else fails. */
function unreadableReason(error: unknown): Finding | undefined {
  if (!(error instanceof ActivityFailure) || !(error.cause instanceof ApplicationFailure)) return undefined;
  const finding = error.cause.details?.[0] as Finding | undefined;
  return error.cause.nonRetryable && finding?.code ? finding : undefined;
}
