import { setTimeout as sleep } from 'node:timers/promises';
import { isGrpcServiceError, type Client } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { Config } from '../config/env.ts';
import { ocrTaskQueue } from '../workflows/messages.ts';

const NOT_FOUND = 5; // gRPC status
const { WorkerDeploymentVersionStatus, VersionDrainageStatus } = proto.temporal.api.enums.v1;

export interface DeploymentVersionSummary {
  buildId: string;
  /** inactive (never current), current, ramping, draining (runs pinned to it still open), drained. */
  status: 'inactive' | 'current' | 'ramping' | 'draining' | 'drained' | 'unspecified';
  createdAt?: Date;
}

export interface DeploymentSummary {
  deploymentName: string;
  /** The build id new and auto-upgrading runs go to; absent: the unversioned workers. */
  current?: string;
  ramping?: { buildId: string; percentage: number };
  versions: DeploymentVersionSummary[];
}

const enumName = (names: Record<number, string>, value: number | null | undefined, prefix: string) =>
  (names[value ?? 0] ?? '').replace(prefix, '').toLowerCase();

/** The deployment's routing (current, ramping) and its versions; undefined when no worker of it has polled yet. */
export async function describeDeployment(
  client: Client,
  deploymentName: string,
): Promise<DeploymentSummary | undefined> {
  let info;
  try {
    ({ workerDeploymentInfo: info } = await client.workflowService.describeWorkerDeployment({
      namespace: client.options.namespace,
      deploymentName,
    }));
  } catch (error) {
    if (isGrpcServiceError(error) && error.code === NOT_FOUND) return undefined;
    throw error;
  }
  const routing = info?.routingConfig;
  const rampingBuildId = routing?.rampingDeploymentVersion?.buildId;
  return {
    deploymentName,
    current: routing?.currentDeploymentVersion?.buildId || undefined,
    ramping: rampingBuildId
      ? { buildId: rampingBuildId, percentage: routing?.rampingVersionPercentage ?? 0 }
      : undefined,
    versions: (info?.versionSummaries ?? []).map((summary) => {
      const status = enumName(WorkerDeploymentVersionStatus, summary.status, 'WORKER_DEPLOYMENT_VERSION_STATUS_');
      return {
        buildId: summary.deploymentVersion?.buildId ?? '',
        status: (status === 'draining' &&
        summary.drainageStatus === VersionDrainageStatus.VERSION_DRAINAGE_STATUS_DRAINED
          ? 'drained'
          : status || 'unspecified') as DeploymentVersionSummary['status'],
        createdAt: summary.createTime?.seconds ? new Date(Number(summary.createTime.seconds) * 1000) : undefined,
      };
    }),
  };
}

/** The task queues every version of the deployment polls: the workflows' and OCR's (`worker/application-worker.ts`). */
export const deploymentTaskQueues = (config: Config) => [
  config.temporal.taskQueue,
  ocrTaskQueue(config.temporal.taskQueue),
];

/**
 * Waits until workers of the version have polled each of these task queues: the server learns a version, and which
 * queues it serves, from its workers' polls, and refuses to make current a version that lacks a queue the current one
 * serves.
 */
export async function waitForVersion(
  client: Client,
  version: WorkerDeploymentVersion,
  { taskQueues, timeoutMs = 30_000 }: { taskQueues: string[]; timeoutMs?: number },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const polled = new Set<string>();
    try {
      const { workerDeploymentVersionInfo } = await client.workflowService.describeWorkerDeploymentVersion({
        namespace: client.options.namespace,
        deploymentVersion: version,
      });
      for (const queue of workerDeploymentVersionInfo?.taskQueueInfos ?? []) polled.add(queue.name ?? '');
    } catch (error) {
      if (!(isGrpcServiceError(error) && error.code === NOT_FOUND)) throw error;
    }
    const missing = taskQueues.filter((queue) => !polled.has(queue));
    if (missing.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `no worker of ${version.deploymentName} build ${version.buildId} has polled ${missing.join(', ')} within ${timeoutMs / 1000} s: start its workers first`,
      );
    await sleep(250);
  }
}

const identity = (by?: string) => `grant-intake deploy${by ? ` (${by})` : ''}`;

/**
 * Makes the version current: new cases, and every AUTO_UPGRADE run at its next workflow task, go to its workers;
 * runs pinned to an older version finish there. The server refuses a version none of whose workers poll, or one
 * missing a task queue the current version's workers poll (a worker of the new build not yet started).
 */
export async function setCurrentVersion(client: Client, version: WorkerDeploymentVersion, by?: string): Promise<void> {
  await client.workflowService.setWorkerDeploymentCurrentVersion({
    namespace: client.options.namespace,
    deploymentName: version.deploymentName,
    buildId: version.buildId,
    identity: identity(by),
  });
}

/**
 * Ramps the version: this share of new runs and of auto-upgrading ones (chosen by workflow id, so a case keeps its
 * side) goes to it, the rest to the current version. 0 ends the ramp; 100 before `setCurrentVersion` is a full
 * trial that can still be taken back.
 */
export async function setRampingVersion(
  client: Client,
  version: WorkerDeploymentVersion,
  percentage: number,
  by?: string,
): Promise<void> {
  await client.workflowService.setWorkerDeploymentRampingVersion({
    namespace: client.options.namespace,
    deploymentName: version.deploymentName,
    buildId: percentage === 0 ? '' : version.buildId,
    percentage,
    identity: identity(by),
  });
}
