import { makeContinueAsNewFunc, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { DocumentDeliverySchema } from '../schemas/assessment/inputs.ts';
import type { AssessmentTimers, Decision } from '../schemas/assessment/state.ts';
import type { FollowUpTimers } from '../schemas/follow-up/state.ts';
import type { CaseDocument } from '../schemas/case-record.ts';
import type { ObjectRef } from '../schemas/document.ts';
import type { Finding } from '../schemas/finding.ts';
import { processing, storage } from './activities.ts';
import { assess } from './assessment.ts';
import { DeliveredDocuments } from './case-documents.ts';
import { showCase, showDecided, showReceived, showStatus } from './case-view.ts';
import { takeInDocument, type TakenIn } from './document-intake.ts';
import type { grantFollowUp } from './follow-up.ts';
import { documentSignal, followUpWorkflowType, type CaseStatus } from './messages.ts';

export interface ApplicationInput {
  /** The document that opened the case (an object version); the workflow carries keys, never bytes. */
  object: ObjectRef;
  /** The case reference (`SAK-…`, see `schemas/case-reference.ts`): the case's folder in the records bucket. */
  caseId: string;
  /**
   * The document quoted the reference of a case that is closed or unknown, so it opened a case of its own; or it came
   * to a case whose applicant it is not from, and a caseworker opened it as a case of its own (`separated`).
   */
  referredTo?: { reference: string; found: 'unknown' | 'closed' | 'separated' };
  /** The assessment's timers; the scheme's service time when absent (tests give seconds). */
  assessment?: AssessmentTimers;
  /** The follow-up's timers after the letter; the scheme's dates when absent (tests give seconds). */
  followUp?: FollowUpTimers;
}

export interface ApplicationResult {
  caseId: string;
  recordKey: string;
  status: CaseStatus;
  /** The caseworker queue; absent for a case that ended at intake. */
  queue?: string;
  decision?: Decision;
}

/**
 * One submission (an e-mail's attachments, or a single dropped document) and its case: receive its documents, read
 * them until one is an application, check it against the scheme, store the case record, route it to its caseworker
 * queue; then the assessment, which takes in the submission's other documents and the applicant's supplements as they
 * come, until the decision.
 */
export async function application({
  object: first,
  caseId,
  referredTo,
  assessment: timers,
  followUp: followUpTimers,
}: ApplicationInput): Promise<ApplicationResult> {
  // Receive: the submission's documents, in whichever order intake delivers them.
  const delivered = new DeliveredDocuments(first);
  setHandler(documentSignal, (raw) => {
    const parsed = DocumentDeliverySchema.safeParse(raw);
    if (parsed.success) delivered.deliver(parsed.data.object, 'appendix');
  });
  showStatus('reading');
  const workflowId = workflowInfo().workflowId;
  // Attachments that came first and could not be read, or the e-mail they were in, are kept in the case with what was
  // wrong with them.
  const documents: CaseDocument[] = [];
  const intakeFindings: Finding[] = referredTo ? [referenceFinding(referredTo)] : [];
  /** Where the attachments of an e-mail dropped whole went. */
  const attachments: string[] = [];
  let recordKey = '';

  // Read: until one document reads as an application.
  let form: Extract<TakenIn, { kind: 'read' }> | undefined;
  for (let listed: ObjectRef | undefined = first; listed; listed = delivered.next()?.object) {
    const taken = await takeInDocument(listed, {
      caseId,
      role: documents.length ? 'appendix' : 'application',
      roleIfRead: 'application',
      position: documents.length + 1,
      ...(!documents.length && { described: (info) => showReceived(caseId, info.submission.receivedAt) }),
    });
    if (taken.kind === 'vanished') {
      intakeFindings.push(taken.finding);
      continue;
    }
    if (taken.kind === 'read') {
      form = taken;
      break;
    }
    if (taken.kind === 'email') {
      attachments.push(...taken.dropped);
      for (const attachment of taken.attachments) delivered.deliver(attachment, 'appendix');
    }
    intakeFindings.push(...(taken.kind === 'email' ? taken.findings : [taken.finding]));
    documents.push(taken.document);
    ({ recordKey } = await storage.storeCase({
      caseId,
      workflowId,
      kept: taken.document,
      document: taken.info,
      documents,
      attachments,
      findings: intakeFindings,
    }));
  }
  if (!form) return ended(caseId, first, documents, intakeFindings, recordKey);

  // Check, store, route.
  const { document, info, textKey, reading } = form;
  documents.push(document);
  const receivedAt = info.submission.receivedAt;
  const check = await processing.checkApplication({
    application: reading.application,
    provenance: reading.provenance,
    receivedAt,
    workflowId,
  });
  const readingFindings = [...intakeFindings, ...reading.findings];
  const findings = [...readingFindings, ...check.findings];
  ({ recordKey } = await storage.storeCase({
    caseId,
    workflowId,
    kept: document,
    document: info,
    textKey,
    reading,
    route: check.route,
    findings,
    documents,
    attachments,
  }));
  showCase({ application: reading.application, status: check.route.stage, queue: check.route.queue, findings });

  // Assess and decide.
  const assessed = await assess({
    caseId,
    recordKey,
    receivedAt,
    application: reading.application,
    provenance: reading.provenance,
    readingFindings,
    checkFindings: check.findings,
    route: check.route,
    documents,
    delivered,
    ...(check.terms && { pot: check.terms.pot, serviceDays: check.terms.serviceDays }),
    ...(check.terms?.decisions && { terms: check.terms.decisions }),
    // Histories of cases read before letters carry no standard: Bokmål, a state office's own.
    ...(reading.standard && { standard: reading.standard }),
    ...(info.submission.sender && { sender: info.submission.sender }),
    ...(timers && { timers }),
  });
  const { decision, auditSeq, ...state } = assessed;
  await storage.recordDecision({ caseId, decision });
  showDecided(assessed.application, decision);
  // A case decided before the follow-up existed completes here, as its history says; a case whose letter was sent
  // lives on under the same id, in a fresh history, until its grant is settled.
  const letterSent = state.letters.some((l) => l.delivery);
  if (patched('follow-up-after-letter') && letterSent) {
    const followUp = makeContinueAsNewFunc<typeof grantFollowUp>({ workflowType: followUpWorkflowType });
    return followUp({
      state: { ...state, decision },
      letterSentAt: new Date().toISOString(),
      auditSeq,
      ...(followUpTimers && { timers: followUpTimers }),
    });
  }
  return { caseId, recordKey, status: decision.outcome, queue: assessed.route.queue, decision };
}

/**
 * Nothing in the submission could be read as an application: the case ends, its record says why. When not even one
 * document was there to keep (gone from the inbox before it was read), the record holds the finding alone.
 */
async function ended(
  caseId: string,
  first: ObjectRef,
  documents: CaseDocument[],
  findings: Finding[],
  recordKey: string,
): Promise<ApplicationResult> {
  if (!documents.length) {
    ({ recordKey } = await storage.recordVanished({
      caseId,
      workflowId: workflowInfo().workflowId,
      object: first,
      findings,
    }));
    showStatus('vanished', `${fileName(first.key)}: var borte fra innboksen før det ble lest`);
    return { caseId, recordKey, status: 'vanished' };
  }
  const why =
    documents.length > 1
      ? `ingen av ${documents.length} dokumenter kunne leses`
      : `kunne ikke leses (${findings.at(-1)?.code})`;
  showStatus('quarantined', `${documents[0]!.fileName}: ${why}`);
  return { caseId, recordKey, status: 'quarantined' };
}

const fileName = (key: string) => key.slice(key.lastIndexOf('/') + 1);

/** The caseworker should know that the document quoted a case it could not join. */
function referenceFinding({ reference, found }: NonNullable<ApplicationInput['referredTo']>): Finding {
  switch (found) {
    case 'closed':
      return {
        code: 'refers-to-closed-case',
        severity: 'warning',
        message: `Dokumentet viser til sak ${reference}, som allerede er avsluttet. Det er derfor behandlet som en ny sak.`,
      };
    case 'unknown':
      return {
        code: 'refers-to-unknown-case',
        severity: 'warning',
        message: `Dokumentet viser til sak ${reference}, som ikke finnes. Det er derfor behandlet som en ny sak.`,
      };
    case 'separated':
      return {
        code: 'separated-from-case',
        severity: 'info',
        message: `Dokumentet kom til sak ${reference}, men er fra en annen søker. Saksbehandleren har derfor opprettet det som en egen sak.`,
      };
  }
}
