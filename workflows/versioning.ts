import type { VersioningBehavior } from '@temporalio/common';
import { setWorkflowOptions, workflowInfo } from '@temporalio/workflow';

/**
 * How each workflow type moves between worker deployment versions when new code is deployed (README, "Deploying
 * new code"), in one place: `workflows/index.ts` applies it to every type it exports (a type missing on either side
 * does not type-check, and `test/worker-versioning.test.ts` finds an exported type left out).
 *
 * - AUTO_UPGRADE: a run moves to the current version at its next workflow task. For what lives for months: a case
 *   lives a year and more (its assessment in `application`, then acceptance, payment, the report and appeals in
 *   `grantFollowUp`) and a pot as long as its round's money
 *   is in use; pinned, they would keep the worker of the build they started on alive that long and never get a bug
 *   fix. The price: every change to their code must replay their recorded histories (`test/replay.test.ts`), and a
 *   change of what they do goes behind `patched()`.
 * - PINNED: a run finishes on the build it started on, whatever is deployed meanwhile. For what ends in minutes: an
 *   inbox sweep (a run of pages; its continue-as-new stays on its version), a payment run (its steps and its file
 *   from one build). Their code
 *   may change freely between builds, with no `patched()`; the old version drains within minutes.
 */
export const versioningBehaviours = {
  application: 'AUTO_UPGRADE',
  grantFollowUp: 'AUTO_UPGRADE',
  pot: 'AUTO_UPGRADE',
  inboxSweep: 'PINNED',
  paymentRun: 'PINNED',
} as const satisfies Record<string, VersioningBehavior>;

export type WorkflowType = keyof typeof versioningBehaviours;

/**
 * Gives the workflow its behaviour when it runs on a versioned worker. Only then: the server refuses a behaviour from
 * an unversioned worker (the local stack's, the tests'). A run's first workflow task tells which it is: the
 * deployment of the worker that ran it (none: unversioned), also on replay.
 */
export function setVersioningBehaviour(
  behaviour: VersioningBehavior,
  workflow: (...args: never[]) => Promise<unknown>,
): void {
  setWorkflowOptions(
    () => (workflowInfo().currentDeploymentVersion?.deploymentName ? { versioningBehavior: behaviour } : {}),
    workflow,
  );
}

/** Gives each workflow type its behaviour. */
export function setVersioningBehaviours(workflows: Record<WorkflowType, (...args: never[]) => Promise<unknown>>): void {
  for (const type of Object.keys(versioningBehaviours) as WorkflowType[])
    setVersioningBehaviour(versioningBehaviours[type], workflows[type]);
}
