import { Command } from 'commander';
import type { Client } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { connectTemporalClient } from '../client/connection.ts';
import {
  deploymentTaskQueues,
  describeDeployment,
  setCurrentVersion,
  setRampingVersion,
  waitForVersion,
  type DeploymentSummary,
} from '../client/deployments.ts';
import { loadConfig, type Config } from '../config/env.ts';
import { UserError } from '../config/user-error.ts';

export const deployUsage = `grant-intake deploy: Worker Versioning of the workers (TEMPORAL_DEPLOYMENT_NAME; README, "Deploying new code")

  grant-intake deploy status [--json]
        the deployment's versions (build ids): which is current, which ramping, which draining (runs pinned to it
        still open: keep its workers) or drained (stop them)
  grant-intake deploy set-current [--build-id <id>]
        new cases, and every running case at its next step, go to this version's workers; pinned runs finish where
        they started. Default: this checkout's build id (TEMPORAL_WORKER_BUILD_ID, else package version and commit).
  grant-intake deploy ramp <percent> [--build-id <id>]
        this share of new and auto-upgrading runs goes to the version, the rest stays on the current one; 0 ends
        the ramp. A set-current afterwards completes it.`;

/** `grant-intake deploy …`: an admin moves the deployment's traffic to a new build of the workers. */
export function deployCommand({ config: given }: { config?: Config } = {}): Command {
  const config = () => given ?? loadConfig();
  const command = new Command('deploy').configureHelp({ formatHelp: () => `${deployUsage}\n` });
  command
    .command('status')
    .option('--json')
    .action(async ({ json }: { json?: boolean }) =>
      withClient(config(), async (client, { deploymentName }) => {
        const deployment = await describeDeployment(client, deploymentName);
        if (!deployment)
          throw new UserError(`no worker of deployment ${deploymentName} has polled Temporal yet: start its workers`);
        console.log(json ? JSON.stringify(deployment) : formatStatus(deployment));
      }),
    );
  command
    .command('set-current')
    .option('--build-id <id>')
    .action(async ({ buildId }: { buildId?: string }) =>
      withClient(config(), async (client, { deploymentName, buildId: own }, taskQueues) => {
        const version = { deploymentName, buildId: buildId ?? own };
        await waitForVersion(client, version, { taskQueues, timeoutMs: 10_000 }).catch(userFacing);
        await setCurrentVersion(client, version, process.env.USER).catch(userFacing);
        console.log(`${deploymentName}: build ${version.buildId} is current`);
      }),
    );
  command
    .command('ramp')
    .argument('<percent>')
    .option('--build-id <id>')
    .action(async (percentText: string, { buildId }: { buildId?: string }) => {
      const percentage = Number(percentText);
      if (!Number.isFinite(percentage) || percentage < 0 || percentage > 100)
        throw new UserError(`deploy ramp: the share must be a percentage from 0 to 100, got ${percentText}`);
      await withClient(config(), async (client, { deploymentName, buildId: own }, taskQueues) => {
        const version: WorkerDeploymentVersion = { deploymentName, buildId: buildId ?? own };
        if (percentage > 0) await waitForVersion(client, version, { taskQueues, timeoutMs: 10_000 }).catch(userFacing);
        await setRampingVersion(client, version, percentage, process.env.USER).catch(userFacing);
        console.log(
          percentage > 0
            ? `${deploymentName}: build ${version.buildId} ramping at ${percentage} %`
            : `${deploymentName}: no version ramping`,
        );
      });
    });
  return command;
}

async function withClient(
  config: Config,
  action: (client: Client, own: WorkerDeploymentVersion, taskQueues: string[]) => Promise<void>,
): Promise<void> {
  const deployment = config.temporal.deployment;
  if (!deployment)
    throw new UserError('deploy: TEMPORAL_DEPLOYMENT_NAME is not set (the workers run unversioned without it)');
  const client = await connectTemporalClient(config);
  try {
    await action(client, deployment, deploymentTaskQueues(config));
  } finally {
    await client.connection.close();
  }
}

/** The server's refusals (no pollers, a task queue missing, an unknown version) are the admin's to act on. */
function userFacing(error: Error): never {
  throw new UserError(`deploy: ${error.message}`);
}

function formatStatus({ deploymentName, current, ramping, versions }: DeploymentSummary): string {
  const lines = [
    `deployment ${deploymentName}: current ${current ?? '(unversioned workers)'}${ramping ? `, ramping ${ramping.buildId} at ${ramping.percentage} %` : ''}`,
  ];
  for (const version of versions)
    lines.push(
      `  ${version.buildId}\t${version.status}${version.createdAt ? `\tfirst seen ${version.createdAt.toISOString()}` : ''}`,
    );
  return lines.join('\n');
}
