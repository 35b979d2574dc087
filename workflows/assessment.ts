import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  patched,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { Check } from '../activities/reading.ts';
import type { CaseDocument } from '../schemas/case-record.ts';
import {
  CaseAssessment,
  defaultInformationReminderAfter,
  defaultServiceDays,
  DocumentDeliverySchema,
  type AssessmentStart,
  type AssessmentTimers,
  type AuditEntry,
  type CaseState,
  type Checked,
  type Decision,
  type DocumentReading,
  type InformationRequest,
} from '../schemas/assessment.ts';
import type { Finding } from '../schemas/finding.ts';
import { movedKey } from '../schemas/bucket-layout.ts';
import type { DeliveredDocuments } from './case-documents.ts';
import { processing, reading, storage } from './activities.ts';
import { readText } from './document-text.ts';
import { caseSummary } from './case-summary.ts';
import { countFindings } from '../schemas/validate.ts';
import {
  assignUpdate,
  caseStateQuery,
  claimUpdate,
  correctFieldUpdate,
  decideUpdate,
  declareConflictUpdate,
  requestInformationUpdate,
  searchAttributes,
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
 * applicant for more, and decide. It is reminded after the scheme's service time and escalated as late after that.
 * Every step is in the audit log; the case record follows the case. Returns the decided case once every request is done.
 */
export async function assess(input: AssessmentInput): Promise<CaseState & { decision: Decision }> {
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
  // Cases assessed before the memo followed corrections kept their first summary; their histories still replay.
  const memoFollowsCase = patched('memo-follows-case');

  /** Writes what happened: the audit entry, the case record, and the search attributes admins filter by. */
  async function record(...entries: AuditEntry[]): Promise<void> {
    showInQueue();
    for (const entry of entries) await storage.appendAudit(entry);
    await storage.updateCaseRecord(state);
  }

  function showInQueue(): void {
    const { errors, warnings } = countFindings(state.findings);
    // The assignee goes in the memo: queue lists (one visibility query) show who has each case.
    if (memoFollowsCase) upsertMemo({ summary: caseSummary(state.application, state.route.queue, state.status, errors, warnings), assignee: state.assignee ?? null });
    const { schemeId, applicant, budget } = state.application;
    const pairs: SearchAttributeUpdatePair[] = [
      { key: searchAttributes.status, value: state.status },
      { key: searchAttributes.queue, value: state.route.queue },
      { key: searchAttributes.errorCount, value: errors },
      { key: searchAttributes.warningCount, value: warnings },
    ];
    // A correction may have changed what admins filter by.
    if (schemeId) pairs.push({ key: searchAttributes.scheme, value: schemeId });
    if (applicant?.name) pairs.push({ key: searchAttributes.municipality, value: applicant.name });
    if (applicant?.organisationNumber) pairs.push({ key: searchAttributes.organisationNumber, value: applicant.organisationNumber });
    if (budget?.amountRequested !== undefined) pairs.push({ key: searchAttributes.amountRequested, value: budget.amountRequested });
    upsertSearchAttributes(pairs);
  }

  /** An Update that is checked in its validator, and checked again when its turn comes (requests run one at a time). */
  function update<T>(check: (raw: unknown) => Checked<T>, apply: (input: T) => Promise<void>) {
    const validator = (raw: unknown) => void accepted(check(raw));
    const handler = (raw: unknown) =>
      serialized(async () => {
        await apply(accepted(check(raw)));
        return JSON.parse(JSON.stringify(state)) as CaseState;
      });
    return { handler, validator };
  }

  setHandler(caseStateQuery, () => state);

  const claim = update((raw) => assessment.checkClaim(raw), (input) => record(assessment.claim(input, now())));
  setHandler(claimUpdate, claim.handler, { validator: claim.validator });

  const assign = update((raw) => assessment.checkAssign(raw), (input) => record(assessment.assign(input, now())));
  setHandler(assignUpdate, assign.handler, { validator: assign.validator });

  const conflict = update((raw) => assessment.checkConflict(raw), (input) => record(assessment.declareConflict(input, now())));
  setHandler(declareConflictUpdate, conflict.handler, { validator: conflict.validator });

  const correct = update(
    (raw) => assessment.checkCorrection(raw),
    async (input) => {
      // Checked before anything changes: should the check fail, the Update fails and the case is as it was.
      const corrected = assessment.corrected(input);
      const check: Check = await processing.checkApplication({ ...corrected, receivedAt, workflowId: workflowInfo().workflowId });
      const correction = assessment.correct(input, now());
      assessment.recheck(check.findings, check.route, check.terms?.pot);
      await record(assessment.correctionEntry(correction));
    },
  );
  setHandler(correctFieldUpdate, correct.handler, { validator: correct.validator });

  const requestInformation = update(
    (raw) => assessment.checkInformationRequest(raw),
    async (input) => {
      const { entry, request } = assessment.requestInformation(input, now());
      await record(entry);
      void remindApplicant(request);
    },
  );
  setHandler(requestInformationUpdate, requestInformation.handler, { validator: requestInformation.validator });

  const decide = update((raw) => assessment.checkDecision(raw), (input) => record(assessment.decide(input, now())));
  setHandler(decideUpdate, decide.handler, { validator: decide.validator });

  // A signal cannot be refused: a malformed supplement is left out, a well-formed one taken in like any document.
  const takesInDocuments = patched('submissions');
  setHandler(supplementSignal, (raw) => {
    const parsed = DocumentDeliverySchema.safeParse(raw);
    if (!parsed.success || assessment.decided) return;
    if (takesInDocuments) return input.delivered.deliver(parsed.data.object, 'supplement');
    // Cases assessed before submissions only noted a supplement's arrival; their histories still replay.
    return serialized(() => record(assessment.supplement(parsed.data, now())));
  });
  if (takesInDocuments) void takeInDelivered();

  /** The documents delivered to the case, one at a time in the order they came, until the decision. */
  async function takeInDelivered(): Promise<void> {
    for (;;) {
      await condition(() => input.delivered.pending || assessment.decided);
      if (assessment.decided) return;
      await serialized(() => takeIn());
    }
  }

  /**
   * One delivered document: a copy of one the case has is only taken out of the inbox; a new one is read, kept,
   * moved out, and what it says goes into the application (checked again at once, as a correction is).
   */
  async function takeIn(): Promise<void> {
    const copy = input.delivered.nextCopy();
    if (copy) return void (await unlessGone(storage.moveOutOfInbox({ object: copy, to: 'processed' })));
    const next = input.delivered.next()!;
    const described = await unlessGone(storage.describeDocument(next.object));
    if (!described) return;
    const { object, document } = described;
    const text = await readText(object, input.caseId);
    let role: CaseDocument['role'] = next.role;
    let read: DocumentReading | undefined;
    let unreadable: Finding | undefined;
    if (text === 'email') {
      const { objects, findings } = await processing.expandEmail({ object, document, caseId: input.caseId });
      for (const attachment of objects ?? []) input.delivered.deliver(attachment, next.role);
      role = 'e-mail';
      if (!objects?.length) unreadable = findings[0];
    } else if ('code' in text) {
      unreadable = text;
    } else {
      read = await reading.readFields({ textKey: text.textKey });
    }
    const to = unreadable ? 'quarantine' : 'processed';
    const kept = await storage.keepDocument({
      caseId: input.caseId,
      object,
      document,
      movedTo: movedKey(object.key, to),
      role,
      position: (state.documents?.length ?? 0) + 1,
      ...(text !== 'email' && !('code' in text) && { textKey: text.textKey }),
      ...(unreadable && { unreadable }),
    });
    await storage.moveOutOfInbox({ object, to });
    const changes = assessment.documentChanges(read, kept);
    const check = changes.effect === 'none' ? undefined : await processing.checkApplication({ ...changes, receivedAt, workflowId: workflowInfo().workflowId });
    const entry = assessment.addDocument(kept, read, changes, now());
    if (check) assessment.recheck(check.findings, check.route, check.terms?.pot);
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
      upsertSearchAttributes([{ key: searchAttributes.late, value: true }]);
      await serialized(() => record(assessment.escalate(now(), `${timers.reminderAfter} + ${timers.escalateAfter}`)));
    }
  }
  await condition(decided);
  await condition(allHandlersFinished);
  return { ...state, decision: state.decision! };
}

/** The activity's result, or undefined when its object has left the inbox meanwhile (another delivery took it). */
async function unlessGone<T>(step: Promise<T>): Promise<T | undefined> {
  try {
    return await step;
  } catch (error) {
    if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === 'document-missing') return undefined;
    throw error;
  }
}

/** The refusal of a checked request fails that Update only, with the reason for the caseworker. */
function accepted<T>(checked: Checked<T>): T {
  if (!checked.ok) throw ApplicationFailure.create({ message: checked.refusal, type: 'refused', nonRetryable: true });
  return checked.input;
}

/** Runs async steps one at a time, in the order they were asked for (samples' safe-message-handlers mutex). */
function serialize() {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(step: () => Promise<T>): Promise<T> => {
    const run = last.then(step, step);
    last = run.catch(() => undefined);
    return run;
  };
}
