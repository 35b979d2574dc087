import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { Check } from '../activities/reading.ts';
import { CaseAssessment, type Checked } from '../schemas/assessment/case-assessment.ts';
import type { AuditEntry } from '../schemas/assessment/audit.ts';
import { DocumentDeliverySchema } from '../schemas/assessment/inputs.ts';
import type { DocumentChanges } from '../schemas/assessment/merge.ts';
import {
  defaultInformationReminderAfter,
  defaultServiceDays,
  type AssessmentStart,
  type AssessmentTimers,
  type CaseState,
  type Decision,
  type InformationRequest,
} from '../schemas/assessment/state.ts';
import { isGrant } from '../schemas/decision-grounds.ts';
import type { ObjectRef } from '../schemas/document.ts';
import { ledger, letters, processing, storage } from './activities.ts';
import type { DeliveredDocuments } from './case-documents.ts';
import { showCase, showLate } from './case-view.ts';
import { serialize } from './serialize.ts';
import { takeInDocument, unlessGone } from './document-intake.ts';
import {
  approveProposalUpdate,
  assignUpdate,
  caseStateQuery,
  claimUpdate,
  correctFieldUpdate,
  decideUnrelatedDocumentUpdate,
  decideUpdate,
  declareConflictUpdate,
  proposeUpdate,
  requestInformationUpdate,
  returnProposalUpdate,
  supplementSignal,
} from './messages.ts';

export interface AssessmentInput extends AssessmentStart {
  receivedAt: string;
  /** The documents intake delivers to the case: the submission's other attachments, the applicant's supplements. */
  delivered: DeliveredDocuments;
  serviceDays?: number;
  timers?: AssessmentTimers;
}

/**
 * A routed case waits for its assessment: caseworkers claim it, correct fields (checked again at once), ask the
 * applicant for more, and propose a decision, which a second person approves or sends back. The pot's ledger holds a
 * grant's money from the proposal on. It is reminded after the scheme's service time and escalated as late after that.
 * Once decided, the decision letter is written and sent. Every step is in the audit log; the case record follows the
 * case. Returns the decided case once every request is done.
 */
export async function assess(input: AssessmentInput): Promise<CaseState & { decision: Decision; auditSeq: number }> {
  const { receivedAt } = input;
  const assessment = new CaseAssessment(input);
  const { state } = assessment;
  const serialized = serialize();
  const timers = {
    reminderAfter: input.timers?.reminderAfter ?? `${input.serviceDays ?? defaultServiceDays} days`,
    escalateAfter: input.timers?.escalateAfter ?? `${input.serviceDays ?? defaultServiceDays} days`,
    informationReminderAfter: input.timers?.informationReminderAfter ?? defaultInformationReminderAfter,
  };
  const now = () => new Date().toISOString();

  /** Writes what happened: the audit entry, the case record, and what admins see of the case. */
  async function record(...entries: AuditEntry[]): Promise<void> {
    showCase({
      application: state.application,
      status: state.status,
      queue: state.route.queue,
      findings: state.findings,
      ...(state.assignee && { assignee: state.assignee }),
    });
    for (const entry of entries) await storage.appendAudit(entry);
    await storage.updateCaseRecord(state);
  }

  /** Checks the application as a document or a correction would change it, before anything changes. */
  const checkChanged = (changed: Pick<DocumentChanges, 'application' | 'provenance'>): Promise<Check> =>
    processing.checkApplication({
      application: changed.application,
      provenance: changed.provenance,
      receivedAt,
      workflowId: workflowInfo().workflowId,
    });

  const handle = checkedUpdates(serialized, state);

  setHandler(caseStateQuery, () => state);

  handle(
    claimUpdate,
    (raw) => assessment.checkClaim(raw),
    (input) => record(assessment.claim(input, now())),
  );

  handle(
    assignUpdate,
    (raw) => assessment.checkAssign(raw),
    (input) => record(assessment.assign(input, now())),
  );

  handle(
    declareConflictUpdate,
    (raw) => assessment.checkConflict(raw),
    (input) => record(assessment.declareConflict(input, now())),
  );

  handle(
    correctFieldUpdate,
    (raw) => assessment.checkCorrection(raw),
    async (input) => {
      // Checked before anything changes: should the check fail, the Update fails and the case is as it was.
      const check = await checkChanged(assessment.corrected(input));
      const correction = assessment.correct(input, now());
      assessment.recheck(check.findings, check.route, check.terms && termsOf(check));
      await record(assessment.correctionEntry(correction));
    },
  );

  handle(
    requestInformationUpdate,
    (raw) => assessment.checkInformationRequest(raw),
    async (input) => {
      const { entry, request } = assessment.requestInformation(input, now());
      await record(entry);
      void remindApplicant(request);
    },
  );

  // Registered still (histories name it), so that a client of old learns where decisions are made now.
  handle(
    decideUpdate,
    () => assessment.checkDecision(),
    async () => undefined,
  );

  handle(
    proposeUpdate,
    (raw) => assessment.checkProposal(raw),
    async (checked, raw) => {
      let input = checked;
      if (!assessment.hasDecisionTerms) {
        // A case checked before proposals knows neither its pot nor the scheme's reasons: check it again for them.
        const check = await checkChanged(state);
        assessment.recheck(check.findings, check.route, check.terms && termsOf(check));
        if (!assessment.hasDecisionTerms)
          throw refused(
            'Saken er ikke knyttet til noen ordning med ramme: rett ordning og kategori før det lages en innstilling.',
          );
        input = accepted(assessment.checkProposal(raw));
      }
      const potId = state.pot!.id!;
      const open = assessment.openProposal;
      if (isGrant(input.grounds)) {
        await inPot(
          ledger.reserveInPot({ potId, caseId: state.caseId, amount: input.grounds.amountGranted, actor: input.actor }),
        );
      } else if (open && isGrant(open.grounds)) {
        await inPot(
          ledger.releaseInPot({
            potId,
            caseId: state.caseId,
            reason: 'Innstillingen er erstattet',
            actor: input.actor,
          }),
        );
      }
      await record(assessment.propose(input, now()));
    },
  );

  handle(
    approveProposalUpdate,
    (raw) => assessment.checkApproval(raw),
    async (input) => {
      if (input.done) return;
      const { grounds } = state.proposals.find((p) => p.seq === input.proposal)!;
      const potId = state.pot?.id;
      if (isGrant(grounds))
        await inPot(
          ledger.commitInPot({
            potId: potId!,
            caseId: state.caseId,
            amount: grounds.amountGranted,
            actor: input.actor,
          }),
        );
      else if (potId)
        await inPot(
          ledger.releaseInPot({ potId, caseId: state.caseId, reason: `Vedtak: ${grounds.kind}`, actor: input.actor }),
        );
      await record(assessment.approve(input, now()));
    },
  );

  handle(
    returnProposalUpdate,
    (raw) => assessment.checkReturn(raw),
    async (input) => {
      const { grounds } = state.proposals.find((p) => p.seq === input.proposal)!;
      if (isGrant(grounds) && state.pot?.id) {
        await inPot(
          ledger.releaseInPot({
            potId: state.pot.id,
            caseId: state.caseId,
            reason: `Innstillingen er sendt tilbake: ${input.comment}`,
            actor: input.actor,
          }),
        );
      }
      await record(assessment.returnProposal(input, now()));
    },
  );

  /**
   * Where the documents held back from another applicant were moved out of the inbox: what their own case would read.
   */
  const heldBackCopies = new Map<string, ObjectRef>();
  handle(
    decideUnrelatedDocumentUpdate,
    (raw) => assessment.checkUnrelatedDocument(raw),
    async (input) => {
      if (input.decision === 'take-in') {
        const changes = assessment.unrelatedChanges(input);
        const check = changes.effect === 'none' ? undefined : await checkChanged(changes);
        const entry = assessment.takeInUnrelated(input, changes, now());
        if (check) assessment.recheck(check.findings, check.route, check.terms && termsOf(check));
        return record(entry);
      }
      const { source, movedTo } = state.documents!.find((d) => d.original.key === input.document)!;
      // Its version under processed/; else the name it was moved to, found by its content (etag).
      const object = heldBackCopies.get(input.document) ?? { bucket: source.bucket, key: movedTo, etag: source.etag };
      const opened = await storage.openCaseOf({ object, from: state.caseId });
      heldBackCopies.delete(input.document);
      await record(assessment.openedAsCase(input, opened.caseId, now()));
    },
  );

  // A signal cannot be refused: a malformed supplement is left out, a well-formed one taken in like any document.
  setHandler(supplementSignal, (raw) => {
    const parsed = DocumentDeliverySchema.safeParse(raw);
    if (parsed.success && !assessment.decided) input.delivered.deliver(parsed.data.object, 'supplement');
  });
  void takeInDelivered();

  /** The documents delivered to the case, one at a time in the order they came, until the decision. */
  async function takeInDelivered(): Promise<void> {
    for (;;) {
      await condition(() => input.delivered.pending || assessment.decided);
      if (assessment.decided) return;
      await serialized(() => takeIn());
    }
  }

  /**
   * One delivered document: a copy of one the case has is only taken out of the inbox; a new one is taken in, and what
   * it says goes into the application (checked again at once, as a correction is) if it is the applicant's.
   */
  async function takeIn(): Promise<void> {
    const copy = input.delivered.nextCopy();
    // A copy already taken out of the inbox (by another delivery of it) needs nothing more.
    if (copy) return void (await unlessGone(storage.moveOutOfInbox({ object: copy, to: 'processed' })));
    const next = input.delivered.next()!;
    const taken = await takeInDocument(next.object, {
      caseId: input.caseId,
      role: next.role,
      position: (state.documents?.length ?? 0) + 1,
    });
    // Gone meanwhile: another delivery of it took it out.
    if (taken.kind === 'vanished') return;
    if (taken.kind === 'email')
      for (const attachment of taken.attachments) input.delivered.deliver(attachment, next.role);
    const reading = taken.kind === 'read' ? taken.reading : undefined;
    const changes = assessment.documentChanges(reading, taken.document);
    const check = changes.effect === 'adopted' || changes.effect === 'merged' ? await checkChanged(changes) : undefined;
    if (changes.effect === 'unrelated' && taken.moved) heldBackCopies.set(taken.document.original.key, taken.moved);
    const entry = assessment.addDocument(taken.document, reading, changes, now());
    if (check) assessment.recheck(check.findings, check.route, check.terms && termsOf(check));
    await record(entry);
  }

  /** The applicant is reminded once when the requested supplement has not come in time. */
  async function remindApplicant(request: InformationRequest): Promise<void> {
    const answered = () => request.answeredAt !== undefined || assessment.decided;
    if (await condition(answered, timers.informationReminderAfter)) return;
    await serialized(() => record(assessment.remindApplicant(request, now())));
  }

  // The service time: a reminder when it has passed, and the case escalated as late after that.
  const decided = () => assessment.decided;
  if (!(await condition(decided, timers.reminderAfter))) {
    await serialized(() => record(assessment.remind(now(), String(timers.reminderAfter))));
    if (!(await condition(decided, timers.escalateAfter))) {
      showLate();
      await serialized(() => record(assessment.escalate(now(), `${timers.reminderAfter} + ${timers.escalateAfter}`)));
    }
  }
  await condition(decided);
  await serialized(sendDecisionLetter);
  await condition(allHandlersFinished);
  return { ...state, decision: state.decision!, auditSeq: assessment.auditSeq };

  /** The decision letter in the applicant's written standard, kept with the case and sent to both of its addresses. */
  async function sendDecisionLetter(): Promise<void> {
    const { decision, terms } = state;
    if (!decision?.grounds || !terms) return;
    const letter = await letters.writeDecisionLetter({
      caseId: state.caseId,
      schemeId: terms.schemeId,
      grounds: decision.grounds,
      facts: assessment.letterFacts(),
    });
    await record(assessment.letterWritten(letter, now()));
    const delivery = await letters.sendLetter({ letter, to: [state.application.contact?.email, state.sender] });
    await record(assessment.letterSent(delivery, now()));
  }
}

/**
 * Registers the case's Updates: each checked in its validator (a refusal leaves no trace in history), and checked
 * again when its turn comes (requests run one at a time); each answers with the case as it then stands.
 */
export function checkedUpdates(serialized: ReturnType<typeof serialize>, state: CaseState) {
  return function handle<Raw, T>(
    definition: UpdateDefinition<CaseState, [Raw]>,
    check: (raw: unknown) => Checked<T>,
    apply: (input: T, raw: unknown) => Promise<void>,
  ): void {
    // The input is checked as unknown: a client's payload is whatever it sent, whatever the definition's type says.
    const validator = (raw: Raw) => void accepted(check(raw));
    const handler = (raw: Raw) =>
      serialized(async () => {
        await apply(accepted(check(raw)), raw);
        return JSON.parse(JSON.stringify(state)) as CaseState;
      });
    setHandler(definition, handler, { validator });
  };
}

/**
 * A ledger request; its refusal (the pot's remaining amount in Bokmål) refuses the case's Update with the same reason.
 */
export async function inPot<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === 'refused')
      throw refused(error.cause.message);
    throw error;
  }
}

const termsOf = ({ terms }: Check) => ({ pot: terms!.pot, ...(terms!.decisions && { decisions: terms!.decisions }) });

const refused = (message: string) => ApplicationFailure.create({ message, type: 'refused', nonRetryable: true });

/** The refusal of a checked request fails that Update only, with the reason for the caseworker. */
export function accepted<T>(checked: Checked<T>): T {
  if (!checked.ok) throw refused(checked.refusal);
  return checked.input;
}
