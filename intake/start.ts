import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { ObjectRef } from '../schemas/document.ts';
import type { application } from '../workflows/application.ts';
import { searchAttributes } from '../workflows/messages.ts';
import { applicationWorkflowId, caseIdFor } from './workflow-id.ts';

export type IntakeOutcome = { workflowId: string; started: boolean };

/**
 * Starts the application workflow for one dropped object version, exactly once: a second start with the same id
 * (same object again, or the webhook and the sweep both seeing it) is refused by Temporal, even after completion.
 */
export async function startApplication(client: Client, taskQueue: string, object: ObjectRef): Promise<IntakeOutcome> {
  const workflowId = applicationWorkflowId(object);
  try {
    await client.workflow.start<typeof application>('application', {
      taskQueue,
      workflowId,
      args: [{ object, caseId: caseIdFor(object) }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
      typedSearchAttributes: [{ key: searchAttributes.status, value: 'received' }],
    });
    return { workflowId, started: true };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw error;
  }
}
