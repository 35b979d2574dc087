import type { CasePhase } from '../schemas/case-phase.ts';
import { followUpWorkflowType, searchAttributes } from '../workflows/messages.ts';

/**
 * Visibility queries (Temporal's list filter, the language of the Temporal UI's search), built here and only here:
 * from the search-attribute definitions of `workflows/messages.ts`, with every value escaped by `literal`.
 */

/** A search attribute by name: one of `searchAttributes`, or one of Temporal's own. */
type Attribute = { readonly name: string };
type Value = string | number | boolean | Date;

/** Temporal's own attributes the project filters by. */
const workflowType: Attribute = { name: 'WorkflowType' };
const workflowId: Attribute = { name: 'WorkflowId' };
const executionStatus: Attribute = { name: 'ExecutionStatus' };

/** The type of a case's workflow (`workflows/application.ts`). */
export const caseWorkflowType = 'application';

/** A value as a literal of the filter: a string quoted, with its backslashes and quotes escaped. */
export function literal(value: Value): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = value instanceof Date ? value.toISOString() : value;
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export const is = (attribute: Attribute, value: Value) => `${attribute.name} = ${literal(value)}`;
export const isNot = (attribute: Attribute, value: Value) => `${attribute.name} != ${literal(value)}`;
export const isOneOf = (attribute: Attribute, values: readonly Value[]) =>
  `${attribute.name} IN (${values.map(literal).join(', ')})`;
export const isBefore = (attribute: Attribute, value: Value) => `${attribute.name} < ${literal(value)}`;
export const allOf = (...conditions: string[]) => conditions.join(' AND ');

/**
 * A case is its latest run: the application's, or the follow-up's it continued as new into once its letter was sent
 * (the same workflow id); the run that continued as new is left out, so that each case is listed once.
 */
const isCase = allOf(
  isOneOf(workflowType, [caseWorkflowType, followUpWorkflowType]),
  isNot(executionStatus, 'ContinuedAsNew'),
);

/** The cases of the given caseworker queues, or every case. */
export const casesInQueues = (queues: readonly string[] | 'all') =>
  queues === 'all' ? isCase : allOf(isCase, isOneOf(searchAttributes.queue, queues));

/** The case an applicant or caseworker quotes by its reference. */
export const caseWithReference = (reference: string) => allOf(isCase, is(searchAttributes.caseReference, reference));

/** The same organisation's other applications to the same scheme (the possible-duplicate warning). */
export const otherApplicationsOf = ({
  organisationNumber,
  schemeId,
  except,
}: {
  organisationNumber: string;
  schemeId: string;
  except: string;
}) =>
  allOf(
    is(searchAttributes.organisationNumber, organisationNumber),
    is(searchAttributes.scheme, schemeId),
    isNot(workflowId, except),
  );

/** The workflow with this id, in all its runs. */
export const runsOf = (id: string) => is(workflowId, id);

const inPhase = (phase: CasePhase) => allOf(isCase, is(searchAttributes.phase, phase));

/** The cases of the given queues (or every case) in one of the given phases: the follow-up queues of the review app. */
export const casesInPhases = (queues: readonly string[] | 'all', phases: readonly CasePhase[]) =>
  allOf(casesInQueues(queues), isOneOf(searchAttributes.phase, phases));

/** Reports overdue: cases waiting for their report whose reporting deadline has passed by `now`. */
export const reportsOverdue = (now: Date) =>
  allOf(inPhase('report-due'), isBefore(searchAttributes.reportDeadline, now));

/** Accepted but not paid: the acceptance is in, the payment not yet approved and exported. */
export const acceptedNotPaid = () => inPhase('accepted');

/** Appeals waiting for the office that decided. */
export const appealsWaiting = () => inPhase('appeal');
