import { patched, setHandler, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { movedKey } from '../schemas/bucket-layout.ts';
import type { Application } from '../schemas/application.ts';
import { DocumentDeliverySchema, type AssessmentTimers, type Decision } from '../schemas/assessment.ts';
import type { CaseDocument } from '../schemas/case-record.ts';
import type { ObjectRef } from '../schemas/document.ts';
import type { Finding } from '../schemas/finding.ts';
import type { Route } from '../schemas/route.ts';
import { countFindings } from '../schemas/validate.ts';
import { processing, reading, storage } from './activities.ts';
import { assess } from './assessment.ts';
import { caseSummary, decisionSummary } from './case-summary.ts';
import { DeliveredDocuments } from './case-documents.ts';
import { readText } from './document-text.ts';
import { documentSignal, searchAttributes, type CaseStatus } from './messages.ts';

export interface ApplicationInput {
  /** The document that opened the case (an object version); the workflow carries keys, never bytes. */
  object: ObjectRef;
  /** The case reference (`SAK-…`, see `schemas/case-reference.ts`): the case's folder in the records bucket. */
  caseId: string;
  /** The document quoted the reference of a case that is closed or unknown, so it opened a case of its own. */
  referredTo?: { reference: string; found: 'unknown' | 'closed' };
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



/**
 * One submission (an e-mail's attachments, or a single dropped document) and its case: look at the first document,
 * read its text (OCR for a scan), read the application's fields, check them against the scheme, keep the original
 * and the case record, take the document out of the inbox (to `processed/`, or to `quarantine/` when it could not be
 * read; never deleted) and put the case in its caseworker queue; then the assessment, which takes in the
 * submission's other documents and the applicant's supplements as they come, until the decision.
 */
export async function application({ object: first, caseId, referredTo, assessment: timers }: ApplicationInput): Promise<ApplicationResult> {
  const delivered = new DeliveredDocuments(first);
  setHandler(documentSignal, (raw) => {
    const parsed = DocumentDeliverySchema.safeParse(raw);
    if (parsed.success) delivered.deliver(parsed.data.object, 'appendix');
  });
  setStatus('reading');
  const workflowId = workflowInfo().workflowId;
  // Until one document reads as an application: attachments that came first and could not be read, or the e-mail
  // they were in, are kept in the case with what was wrong with them.
  const documents: CaseDocument[] = [];
  const intakeFindings: Finding[] = referredTo ? [referenceFinding(referredTo)] : [];
  /** Where the attachments of an e-mail dropped whole went. */
  const attachments: string[] = [];
  let recordKey = '';
  for (let listed: ObjectRef | undefined = first; listed; listed = delivered.next()?.object) {
    const { object, document } = await storage.describeDocument(listed);
    const receivedAt = document.submission.receivedAt;
    if (!documents.length) {
      upsertSearchAttributes([
        { key: searchAttributes.receivedAt, value: new Date(receivedAt) },
        { key: searchAttributes.caseReference, value: caseId },
      ]);
    }
    const text = await readText(object, caseId);
    if (text === 'email') {
      // An e-mail dropped whole: its attachments go into the inbox as the mailroom would have dropped them, marked
      // as this case's, and the case takes them in at once.
      const { dropped, objects, findings } = await processing.expandEmail({ object, document, caseId });
      const to = dropped.length ? 'processed' : 'quarantine';
      attachments.push(...dropped);
      const stored = await storage.storeCase({ caseId, workflowId, object, movedTo: movedKey(object.key, to), document, attachments, findings: [...intakeFindings, ...findings], documents, role: 'e-mail', ...(!dropped.length && findings[0] && { unreadable: findings[0] }) });
      recordKey = keyOf(stored);
      await storage.moveOutOfInbox({ object, to });
      for (const attachment of objects ?? []) delivered.deliver(attachment, 'appendix');
      if (!patched('submissions')) return ended(caseId, document, recordKey, dropped.length ? 'expanded' : 'quarantined', `e-post med ${dropped.length} vedlegg lagt i innboksen`);
      if (typeof stored !== 'string') documents.push(stored.document);
      intakeFindings.push(...findings);
      continue;
    }
    if ('code' in text) {
      const stored = await storage.storeCase({ caseId, workflowId, object, movedTo: movedKey(object.key, 'quarantine'), document, findings: [...intakeFindings, text], documents, ...(attachments.length && { attachments }), role: documents.length ? 'appendix' : 'application', unreadable: text });
      recordKey = keyOf(stored);
      await storage.moveOutOfInbox({ object, to: 'quarantine' });
      if (!patched('submissions')) return ended(caseId, document, recordKey, 'quarantined', `kunne ikke leses (${text.code})`);
      if (typeof stored !== 'string') documents.push(stored.document);
      intakeFindings.push(text);
      continue;
    }

    const read = await reading.readFields({ textKey: text.textKey });
    const check = await processing.checkApplication({ application: read.application, provenance: read.provenance, receivedAt, workflowId });
    const readingFindings = [...intakeFindings, ...read.findings];
    const findings = [...readingFindings, ...check.findings];
    const stored = await storage.storeCase({
      caseId,
      workflowId,
      object,
      movedTo: movedKey(object.key, 'processed'),
      document,
      textKey: text.textKey,
      reading: read,
      route: check.route,
      findings,
      documents,
      ...(attachments.length && { attachments }),
    });
    recordKey = keyOf(stored);
    if (typeof stored !== 'string') documents.push(stored.document);
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
      readingFindings,
      checkFindings: check.findings,
      route: check.route,
      ...(documents.length && { documents }),
      delivered,
      ...(check.terms && { pot: check.terms.pot, serviceDays: check.terms.serviceDays }),
      ...(timers && { timers }),
    });
    const { decision } = assessed;
    await storage.recordDecision({ caseId, decision });
    setStatus(decision.outcome);
    upsertMemo({ summary: decisionSummary(assessed.application, decision) });
    return { caseId, recordKey, status: decision.outcome, queue: assessed.route.queue, decision };
  }
  // Nothing in the submission could be read as an application: the case ends in quarantine, its record says why.
  const why = documents.length > 1 ? `ingen av ${documents.length} dokumenter kunne leses` : `kunne ikke leses (${intakeFindings.at(-1)?.code})`;
  return ended(caseId, { fileName: documents[0]?.fileName ?? first.key }, recordKey, 'quarantined', why);
}

/** Cases stored before submissions got the record key alone from `storeCase`; their histories still replay. */
const keyOf = (stored: string | { recordKey: string }) => (typeof stored === 'string' ? stored : stored.recordKey);

/** A case that ends at intake, with nothing to assess. */
function ended(caseId: string, document: { fileName: string }, recordKey: string, status: 'expanded' | 'quarantined', what: string): ApplicationResult {
  setStatus(status);
  upsertMemo({ summary: `${document.fileName}: ${what}` });
  return { caseId, recordKey, status };
}

/** The caseworker should know that the document quoted a case it could not join. */
function referenceFinding({ reference, found }: NonNullable<ApplicationInput['referredTo']>): Finding {
  return found === 'closed'
    ? { code: 'refers-to-closed-case', severity: 'warning', message: `Dokumentet viser til sak ${reference}, som allerede er avsluttet. Det er derfor behandlet som en ny sak.` }
    : { code: 'refers-to-unknown-case', severity: 'warning', message: `Dokumentet viser til sak ${reference}, som ikke finnes. Det er derfor behandlet som en ny sak.` };
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
  upsertMemo({ summary: caseSummary(application, route.queue, route.stage, errors, warnings) });
}

function setStatus(status: CaseStatus): void {
  upsertSearchAttributes([{ key: searchAttributes.status, value: status }]);
}
