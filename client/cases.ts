import pRetry from 'p-retry';
import { WorkflowUpdateFailedError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { WorkflowNotFoundError, type UpdateDefinition } from '@temporalio/common';
import type { Application } from '../schemas/application.ts';
import { casePhases, type CasePhase } from '../schemas/case-phase.ts';
import type { ApproveInput, CaseState } from '../schemas/assessment.ts';
import type {
  ApprovePaymentInput,
  AssessReportInput,
  AttestPaymentInput,
  DecideAppealInput,
  RecordAcceptanceInput,
} from '../schemas/follow-up/inputs.ts';
import {
  approvePaymentUpdate,
  approveProposalUpdate,
  assessReportUpdate,
  attestPaymentUpdate,
  caseStateQuery,
  decideAppealUpdate,
  recordAcceptanceUpdate,
  searchAttributes,
} from '../workflows/messages.ts';
import { caseWithReference, otherApplicationsOf } from './visibility.ts';

/**
 * A case's workflow as clients see it: lists from the visibility store (search attributes and memo), the `caseState`
 * Query, the result of a closed case, and the caseworkers' Updates.
 */

/** One row of a queue list: what the visibility store holds of a case. */
export interface CaseSummary {
  workflowId: string;
  /** The case reference shown to people and used in the app's URLs. */
  reference: string;
  queue?: string;
  scheme?: string;
  status: string;
  applicant?: string;
  organisationNumber?: string;
  amountRequested?: number;
  errors: number;
  warnings: number;
  receivedAt?: Date;
  /** When the case's workflow started: the service time counts from here, not from a document's received date. */
  startedAt?: Date;
  late: boolean;
  running: boolean;
  closedAt?: Date;
  summary?: string;
  assignee?: string;
  /** Where the case is in the grant's life after intake (`CasePhase`), once its workflow sets it. */
  phase?: CasePhase;
  /** A granted case's reporting deadline (`ReportDeadline`). */
  reportDeadline?: Date;
}

/** A request refused by the workflow's validator, with its reason in Bokmål for the caseworker. */
export class RefusedError extends Error {
  override name = 'RefusedError';
}

/** The cases a visibility query finds (at most `limit`), as rows; workflows that are not cases are left out. */
export async function listCases(temporal: Client, query: string, limit: number): Promise<CaseSummary[]> {
  const cases: CaseSummary[] = [];
  for await (const execution of temporal.workflow.list({ query })) {
    const summary = summaryOf(execution);
    if (summary) cases.push(summary);
    if (cases.length >= limit) break;
  }
  return cases;
}

/** The case with this reference, or undefined. */
export async function findCase(temporal: Client, reference: string): Promise<CaseSummary | undefined> {
  const found = await listCases(temporal, caseWithReference(reference), 5);
  // A reference names one case; should a workflow id have run twice, the running or latest run is the case.
  return found.sort((a, b) => Number(b.running) - Number(a.running))[0];
}

function summaryOf(execution: WorkflowExecutionInfo): CaseSummary | undefined {
  const attributes = execution.typedSearchAttributes;
  const reference = attributes.get(searchAttributes.caseReference);
  if (!reference) return undefined;
  const memo = (execution.memo ?? {}) as { summary?: unknown; assignee?: unknown };
  const running = execution.status.name === 'RUNNING';
  const phase = casePhaseOf(attributes.get(searchAttributes.phase));
  const reportDeadline = attributes.get(searchAttributes.reportDeadline);
  return {
    workflowId: execution.workflowId,
    reference,
    queue: attributes.get(searchAttributes.queue),
    scheme: attributes.get(searchAttributes.scheme),
    status: attributes.get(searchAttributes.status) ?? (running ? 'received' : execution.status.name.toLowerCase()),
    applicant: attributes.get(searchAttributes.municipality),
    organisationNumber: attributes.get(searchAttributes.organisationNumber),
    amountRequested: attributes.get(searchAttributes.amountRequested),
    errors: attributes.get(searchAttributes.errorCount) ?? 0,
    warnings: attributes.get(searchAttributes.warningCount) ?? 0,
    receivedAt: attributes.get(searchAttributes.receivedAt),
    ...(execution.startTime && { startedAt: execution.startTime }),
    late: attributes.get(searchAttributes.late) ?? false,
    running,
    ...(execution.closeTime && { closedAt: execution.closeTime }),
    ...(typeof memo.summary === 'string' && { summary: memo.summary }),
    ...(typeof memo.assignee === 'string' && { assignee: memo.assignee }),
    ...(phase && { phase }),
    ...(reportDeadline && { reportDeadline }),
  };
}

const casePhaseOf = (value: string | undefined): CasePhase | undefined => casePhases.find((phase) => phase === value);

/**
 * The case as it stands (the `caseState` Query); undefined while it is still being read (the Query is not there yet).
 * */
export async function caseState(temporal: Client, workflowId: string): Promise<CaseState | undefined> {
  try {
    return await temporal.workflow.getHandle(workflowId).query(caseStateQuery);
  } catch {
    return undefined;
  }
}

/** The record key a closed case ended with, if it got as far as a record. */
export function closedCaseRecordKey(temporal: Client, workflowId: string): Promise<string | undefined> {
  return temporal.workflow
    .getHandle(workflowId)
    .result()
    .then(
      (result: { recordKey?: string }) => result.recordKey,
      () => undefined,
    );
}

/** Sends one Update; a refusal becomes a `RefusedError` with the workflow's reason. Returns the new state. */
export async function updateCase<Input>(
  temporal: Client,
  workflowId: string,
  update: UpdateDefinition<CaseState, [Input]>,
  input: Input,
): Promise<CaseState> {
  try {
    return await temporal.workflow.getHandle(workflowId).executeUpdate(update, { args: [input] });
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError)
      throw new RefusedError(error.cause?.message ?? 'Forespørselen ble avvist.');
    if (error instanceof WorkflowNotFoundError) throw new RefusedError('Saken er avsluttet og kan ikke endres.');
    if (/completed|closed/i.test(String((error as Error).message)))
      throw new RefusedError('Saken er avsluttet og kan ikke endres.');
    throw error;
  }
}

/**
 * Approves the proposal the input names. The workflow answers the same approval again with the same state; once it has
 * completed (letter sent), a repeat finds it closed, and the case's final state says whether this very approval made
 * the decision: so a bulk approval run again after a crash does nothing twice and still reports each case.
 */
export async function approveProposal(temporal: Client, workflowId: string, input: ApproveInput): Promise<CaseState> {
  try {
    return await updateCase(temporal, workflowId, approveProposalUpdate, input);
  } catch (error) {
    if (!(error instanceof RefusedError)) throw error;
    const state = await decidedState(temporal, workflowId);
    if (state?.decision?.proposal === input.proposal) return state;
    throw error;
  }
}

/**
 * The state of a case that may be between its runs: a decided case continues as new after its letter, and its new run
 * answers Queries only once its first workflow task is done (a moment, longer under load).
 */
function decidedState(temporal: Client, workflowId: string): Promise<CaseState | undefined> {
  return pRetry(
    async () => {
      const state = await caseState(temporal, workflowId);
      if (!state) throw new Error(`${workflowId} does not answer yet`);
      return state;
    },
    { retries: 5, minTimeout: 200, factor: 1.5 },
  ).catch(() => undefined);
}

// The decided case as it lives on (SPEC §6): one Update each, refused with the workflow's reason as `RefusedError`.

/** Records an acceptance that came another way (post, paper): the payment is prepared. */
export const recordAcceptance = (temporal: Client, workflowId: string, input: RecordAcceptanceInput) =>
  updateCase(temporal, workflowId, recordAcceptanceUpdate, input);

/** Attests a prepared payment. */
export const attestPayment = (temporal: Client, workflowId: string, input: AttestPaymentInput) =>
  updateCase(temporal, workflowId, attestPaymentUpdate, input);

/** Approves an attested payment: budget authority, and never by its attester. */
export const approvePayment = (temporal: Client, workflowId: string, input: ApprovePaymentInput) =>
  updateCase(temporal, workflowId, approvePaymentUpdate, input);

/** Assesses the report: approve, ask for more, or claim money back. */
export const assessReport = (temporal: Client, workflowId: string, input: AssessReportInput) =>
  updateCase(temporal, workflowId, assessReportUpdate, input);

/** Settles an appeal: uphold (sent on to the appeal body) or change the decision. */
export const decideAppeal = (temporal: Client, workflowId: string, input: DecideAppealInput) =>
  updateCase(temporal, workflowId, decideAppealUpdate, input);

/** Case references of the other applications from the same organisation number to the same scheme (at most 20). */
export async function otherCasesOf(temporal: Client, application: Application, workflowId: string): Promise<string[]> {
  const organisationNumber = application.applicant?.organisationNumber;
  if (!application.schemeId || !organisationNumber || !/^\d{9}$/.test(organisationNumber)) return [];
  const references: string[] = [];
  const query = otherApplicationsOf({ organisationNumber, schemeId: application.schemeId, except: workflowId });
  for await (const execution of temporal.workflow.list({ query })) {
    references.push(execution.typedSearchAttributes.get(searchAttributes.caseReference) ?? execution.workflowId);
    if (references.length >= 20) break;
  }
  return references;
}
