import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  WorkflowContinuedAsNewError,
  type WorkflowClient,
  type WorkflowHandle,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import { fillForm } from '../../fixtures/forms.ts';
import { draftApplication, type ApplicationDraft } from '../../fixtures/ground-truth.ts';
import { Random } from '../../fixtures/random.ts';
import { renderFormPdf } from '../../fixtures/render-pdf.ts';
import { caseReferenceFor, caseWorkflowId, submissionOf } from '../../schemas/case-reference.ts';
import type { FollowUpTimers } from '../../schemas/follow-up/state.ts';
import type { Scheme } from '../../schemas/scheme.ts';
import type { application, ApplicationResult } from '../../workflows/application.ts';
import { caseStateQuery, followUpWorkflowType, hasLeftIntake, searchAttributes } from '../../workflows/messages.ts';
import type { TestStack } from './stack.ts';

/** Cases for the decision tests: applications to the competence grant's `utdanning` earmark, routed and waiting. */

export type Case = WorkflowHandleWithFirstExecutionRunId<typeof application>;

/** An application to the `utdanning` earmark asking for `amount`, its budget balanced; in Nynorsk when asked. */
export function utdanningDraft(scheme: Scheme, seed: number, amount: number, nynorsk = false): ApplicationDraft {
  for (let s = seed; ; s += 1000) {
    const form = draftApplication(Random.for(2017, s), scheme, nynorsk);
    if ((form.language === 'nn') !== nynorsk) continue;
    form.truth.project!.category = 'videreutdanning';
    form.truth.budget = { totalCost: amount + 100_000, ownFunding: 100_000, otherFunding: 0, amountRequested: amount };
    return form;
  }
}

/**
 * The form as a PDF in the intake bucket (outside `inbox/`, so intake starts nothing of its own), e-mailed from
 * `sender`, read and routed by its case workflow; resolves once the case waits for assessment, without errors.
 */
export async function routedCase(
  stack: TestStack,
  name: string,
  form: ApplicationDraft,
  seed: number,
  sender = 'postmottak@kommune.example',
  /** As intake starts it (the workflow id its reference gives, so that documents quoting it reach it), with timers. */
  start: { asIntake?: boolean; followUp?: FollowUpTimers } = {},
): Promise<{ handle: Case; caseId: string }> {
  const pdf = await renderFormPdf(fillForm(form, Random.for(2017, seed)));
  const bucket = stack.config.buckets.intake;
  const key = `decisions/${name}.pdf`;
  const info = await stack.minio.putObject(bucket, key, pdf, pdf.length, {
    'X-Amz-Meta-received-at': '2017-04-10T09:12:00+02:00',
    'X-Amz-Meta-sender': sender,
  });
  const object = { bucket, key, etag: info.etag, versionId: info.versionId ?? undefined };
  const caseId = caseReferenceFor(submissionOf(object, undefined));
  const handle = await stack.env.client.workflow.start<typeof application>('application', {
    taskQueue: stack.config.temporal.taskQueue,
    workflowId: start.asIntake ? caseWorkflowId(caseId) : `decisions-test:${name}`,
    args: [
      {
        object,
        caseId,
        assessment: { reminderAfter: '1 hour', escalateAfter: '1 hour' },
        ...(start.followUp && { followUp: start.followUp }),
      },
    ],
  });
  const deadline = Date.now() + 90_000;
  while (!hasLeftIntake((await handle.describe()).typedSearchAttributes.get(searchAttributes.status))) {
    assert.ok(Date.now() < deadline, `${key} was not routed within 90 s`);
    await sleep(250);
  }
  const errors = (await handle.query(caseStateQuery)).findings.filter((f) => f.severity === 'error');
  assert.deepEqual(errors, [], 'the application has no errors');
  return { handle, caseId };
}

/**
 * What the case's application run returned. A decided case whose letter is out continues as new into its follow-up
 * (`grantFollowUp`, same id), so its first run ends without a result of its own: the outcome is then the same fields
 * read from the case as it lives on.
 */
export async function applicationResult(
  client: WorkflowClient,
  workflowId: string,
  runId?: string,
): Promise<ApplicationResult> {
  // Without a run named: the latest, unless that is already the follow-up.
  const latest = runId ? undefined : await client.getHandle(workflowId).describe();
  if (latest?.type !== followUpWorkflowType) {
    const run = client.getHandle<typeof application>(workflowId, runId ?? latest?.runId, {
      followRuns: false,
    });
    try {
      return await run.result();
    } catch (error) {
      if (!(error instanceof WorkflowContinuedAsNewError)) throw error;
    }
  }
  const live = client.getHandle(workflowId);
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const state = await live.query(caseStateQuery);
      return {
        caseId: state.caseId,
        recordKey: state.recordKey,
        status: state.decision!.outcome,
        queue: state.route.queue,
        ...(state.decision && { decision: state.decision }),
      };
    } catch (error) {
      // The follow-up's first task may not have run yet.
      if (Date.now() > deadline) throw error;
      await sleep(200);
    }
  }
}

/** `applicationResult` for a handle the test started. */
export const resultOf = (handle: Case | WorkflowHandle) =>
  applicationResult(
    handle.client,
    handle.workflowId,
    (handle as Partial<WorkflowHandleWithFirstExecutionRunId>).firstExecutionRunId,
  );
