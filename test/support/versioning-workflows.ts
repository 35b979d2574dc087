// Stand-ins for the real workflow types in test/worker-versioning.test.ts, with the behaviours the real types have
// (`workflows/versioning.ts`): each waits for a signal and returns the build id of every workflow task it ran in.
import { condition, defineSignal, setHandler, workflowInfo } from '@temporalio/workflow';
import { setVersioningBehaviour, versioningBehaviours } from '../../workflows/versioning.ts';

export const proceedSignal = defineSignal('proceed');

const build = () => {
  const version = workflowInfo().currentDeploymentVersion;
  return version?.deploymentName ? version.buildId : 'unversioned';
};

async function buildsSeen(): Promise<string[]> {
  const seen = [build()];
  let proceed = false;
  setHandler(proceedSignal, () => void (proceed = true));
  await condition(() => proceed);
  seen.push(build());
  return seen;
}

/** Long-lived, like a case. */
export async function caseLike(): Promise<string[]> {
  return buildsSeen();
}
setVersioningBehaviour(versioningBehaviours.application, caseLike);

/** Short, like an inbox sweep. */
export async function sweepLike(): Promise<string[]> {
  return buildsSeen();
}
setVersioningBehaviour(versioningBehaviours.inboxSweep, sweepLike);
