import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  type NativeConnection,
  type Worker,
  type WorkflowBundle,
} from '@temporalio/worker';
import { deploymentTaskQueues, describeDeployment, setCurrentVersion, waitForVersion } from '../client/deployments.ts';
import { dataConverterWith, failureConverterPath } from '../config/data-converter.ts';
import { loadConfig, parsePayloadKeys, type Config } from '../config/env.ts';
import { PayloadEncryptionCodec } from '../config/payload-codec.ts';
import { resolveServerBinary } from '../stack/binaries.ts';
import { createMinioClient } from '../storage/minio-client.ts';
import { createApplicationWorkers } from '../worker/application-worker.ts';
import * as workflows from '../workflows/index.ts';
import { versioningBehaviours } from '../workflows/versioning.ts';
import { caseLike, proceedSignal, sweepLike } from './support/versioning-workflows.ts';

Runtime.install({ logger: new DefaultLogger('WARN') });

const DEPLOYMENT = 'grant-intake';
const payloadKeys = `test:${randomBytes(32).toString('base64')}`;
const taskQueue = `versioning-${randomBytes(4).toString('hex')}`;
let env: TestWorkflowEnvironment;

before(async () => {
  // The dev server as `npm start` runs it, with no flag for Worker Deployments (on by default since server 1.28).
  env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: await resolveServerBinary('temporal') } },
    client: {
      dataConverter: dataConverterWith(new PayloadEncryptionCodec(parsePayloadKeys(payloadKeys, undefined, 'k'))),
    },
  });
});
after(() => env?.teardown());

const configOf = (vars: Record<string, string>): Config =>
  loadConfig(
    { TEMPORAL_ADDRESS: env.address, PAYLOAD_KEYS: payloadKeys, TEMPORAL_TASK_QUEUE: taskQueue, ...vars },
    { dotenv: false },
  );

/** `grant-intake deploy …` as an admin runs it. */
async function grantIntake(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [new URL('../bin/grant-intake.js', import.meta.url).pathname, ...args],
    {
      env: {
        PATH: process.env.PATH,
        TEMPORAL_ADDRESS: env.address,
        PAYLOAD_KEYS: payloadKeys,
        TEMPORAL_TASK_QUEUE: taskQueue,
        TEMPORAL_DEPLOYMENT_NAME: DEPLOYMENT,
      },
    },
  );
  return stdout;
}

test('every workflow type the worker runs has its versioning behaviour', () => {
  const exported = Object.entries(workflows).filter(([, value]) => typeof value === 'function');
  assert.deepEqual(exported.map(([type]) => type).sort(), Object.keys(versioningBehaviours).sort());
  for (const [type, fn] of exported)
    assert.equal(typeof (fn as { workflowDefinitionOptions?: unknown }).workflowDefinitionOptions, 'function', type);
  assert.equal(versioningBehaviours.application, 'AUTO_UPGRADE', 'a case lives a year: bug fixes must reach it');
  assert.equal(versioningBehaviours.pot, 'AUTO_UPGRADE');
  assert.equal(versioningBehaviours.inboxSweep, 'PINNED');
  assert.equal(versioningBehaviours.paymentRun, 'PINNED');
});

test('TEMPORAL_DEPLOYMENT_NAME alone: the build id is the package version and the git commit', () => {
  const { deployment } = configOf({ TEMPORAL_DEPLOYMENT_NAME: DEPLOYMENT }).temporal;
  assert.equal(deployment?.deploymentName, DEPLOYMENT);
  assert.match(deployment?.buildId ?? '', /^0\.1\.0-[0-9a-f]{12}(-dirty)?$/);
  assert.equal(configOf({}).temporal.deployment, undefined, 'unversioned when not configured');
  assert.throws(() => configOf({ TEMPORAL_DEPLOYMENT_NAME: 'grant.intake' }), /TEMPORAL_DEPLOYMENT_NAME must be/);
});

/** Waits until the workflow list (as the Temporal UI queries it) finds exactly these runs. */
async function untilListed(query: string, workflowIds: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found: string[] = [];
    for await (const run of env.client.workflow.list({ query })) found.push(run.workflowId);
    if (found.length >= workflowIds.length || Date.now() > deadline) {
      assert.deepEqual(found.sort(), [...workflowIds].sort(), query);
      return;
    }
    await sleep(250);
  }
}

/** The application and OCR workers of `npm start` (`createApplicationWorkers`), running the stand-in workflows. */
async function startWorkers(config: Config): Promise<{ workers: Worker[]; done: Promise<unknown> }> {
  workflowBundle ??= await bundleWorkflowCode({
    workflowsPath: new URL('./support/versioning-workflows.ts', import.meta.url).pathname,
    failureConverterPath,
    logger: new DefaultLogger('WARN'),
  });
  const workers = await createApplicationWorkers({
    connection: env.nativeConnection as NativeConnection,
    client: env.client,
    config,
    minio: createMinioClient(config),
    workflowBundle,
  });
  return { workers, done: Promise.all(workers.map((worker) => worker.run())) };
}
let workflowBundle: WorkflowBundle | undefined;

const start = (workflow: typeof caseLike, id: string, queue = taskQueue) =>
  env.client.workflow.start(workflow, { taskQueue: queue, workflowId: `${id}-${randomBytes(3).toString('hex')}` });

test('unversioned workers (TEMPORAL_DEPLOYMENT_NAME unset) run the same workflows', async () => {
  const config = configOf({ TEMPORAL_TASK_QUEUE: `${taskQueue}-unversioned` });
  const { workers, done } = await startWorkers(config);
  try {
    const queue = config.temporal.taskQueue;
    const runs = [await start(caseLike, 'case', queue), await start(sweepLike, 'sweep', queue)];
    for (const run of runs) await run.signal(proceedSignal);
    for (const run of runs) assert.deepEqual(await run.result(), ['unversioned', 'unversioned']);
    // The README's query for runs no versioned worker has taken yet (the first versioned deploy).
    const query = `TemporalWorkerDeploymentVersion IS NULL AND TaskQueue = "${queue}"`;
    await untilListed(
      query,
      runs.map((run) => run.workflowId),
    );
  } finally {
    for (const worker of workers) worker.shutdown();
    await done;
  }
});

test('a new build made current: the pinned run finishes on its build, the auto-upgrading one moves', async () => {
  const running: { workers: Worker[]; done: Promise<unknown> }[] = [];
  const startBuild = async (buildId: string) => {
    const config = configOf({ TEMPORAL_DEPLOYMENT_NAME: DEPLOYMENT, TEMPORAL_WORKER_BUILD_ID: buildId });
    running.push(await startWorkers(config));
    const version = { deploymentName: DEPLOYMENT, buildId };
    await waitForVersion(env.client, version, { taskQueues: deploymentTaskQueues(config) });
  };
  /** The version and behaviour the server has recorded for the run (what the Temporal UI shows). */
  const versioningOf = async (handle: WorkflowHandle) => {
    const { raw } = await handle.describe();
    const info = raw.workflowExecutionInfo?.versioningInfo;
    return { buildId: info?.deploymentVersion?.buildId, behaviour: info?.behavior };
  };
  /** The build id stamped on each completed workflow task in the run's history. */
  const taskBuilds = async (handle: WorkflowHandle) =>
    (await handle.fetchHistory()).events!.flatMap((event) =>
      event.workflowTaskCompletedEventAttributes
        ? [event.workflowTaskCompletedEventAttributes.deploymentVersion?.buildId]
        : [],
    );
  const untilFirstTask = async (handle: WorkflowHandle) => {
    const deadline = Date.now() + 30_000;
    while ((await taskBuilds(handle)).length === 0) {
      assert.ok(Date.now() < deadline, `${handle.workflowId} ran no workflow task`);
      await sleep(200);
    }
  };

  try {
    await startBuild('build-a');
    await setCurrentVersion(env.client, { deploymentName: DEPLOYMENT, buildId: 'build-a' });
    const caseRun = await start(caseLike, 'case');
    const sweepRun = await start(sweepLike, 'sweep');
    await untilFirstTask(caseRun);
    await untilFirstTask(sweepRun);
    assert.deepEqual(await versioningOf(caseRun), { buildId: 'build-a', behaviour: 2 /* AUTO_UPGRADE */ });
    assert.deepEqual(await versioningOf(sweepRun), { buildId: 'build-a', behaviour: 1 /* PINNED */ });

    // The deploy: build B's workers start beside A's, and the admin makes B current with the CLI.
    await startBuild('build-b');
    assert.match(await grantIntake('deploy', 'set-current', '--build-id', 'build-b'), /build build-b is current/);
    await Promise.all([caseRun.signal(proceedSignal), sweepRun.signal(proceedSignal)]);

    assert.deepEqual(await caseRun.result(), ['build-a', 'build-b'], 'the case moved to build B at its next task');
    assert.deepEqual(await sweepRun.result(), ['build-a', 'build-a'], 'the sweep finished on build A');
    assert.deepEqual(await versioningOf(caseRun), { buildId: 'build-b', behaviour: 2 });
    assert.deepEqual(await versioningOf(sweepRun), { buildId: 'build-a', behaviour: 1 });
    const caseTasks = await taskBuilds(caseRun);
    assert.equal(caseTasks[0], 'build-a');
    assert.equal(caseTasks.at(-1), 'build-b');
    assert.deepEqual(new Set(await taskBuilds(sweepRun)), new Set(['build-a']));

    // What starts now starts on B, pinned or not.
    const laterSweep = await start(sweepLike, 'later-sweep');
    await untilFirstTask(laterSweep);
    await laterSweep.signal(proceedSignal);
    assert.deepEqual(await laterSweep.result(), ['build-b', 'build-b']);

    // The admin's query for what still runs on a build (the Temporal UI's deployment page links to the same).
    const onBuild = (buildId: string) =>
      `TemporalWorkerDeploymentVersion = "${DEPLOYMENT}:${buildId}" AND TaskQueue = "${taskQueue}"`;
    await untilListed(onBuild('build-b'), [caseRun.workflowId, laterSweep.workflowId]);
    await untilListed(onBuild('build-a'), [sweepRun.workflowId]);

    const deployment = await describeDeployment(env.client, DEPLOYMENT);
    assert.equal(deployment?.current, 'build-b');
    assert.deepEqual(deployment?.versions.map((v) => v.buildId).sort(), ['build-a', 'build-b']);
    assert.notEqual(deployment?.versions.find((v) => v.buildId === 'build-a')?.status, 'current');
    const status = await grantIntake('deploy', 'status');
    assert.match(status, /deployment grant-intake: current build-b/);
    assert.match(status, /build-a\t(draining|drained)/);

    // Again: a no-op. A ramp (here back to A, as a rollback would start) shows in the status, and 0 ends it.
    assert.match(await grantIntake('deploy', 'set-current', '--build-id', 'build-b'), /build build-b is current/);
    assert.match(await grantIntake('deploy', 'ramp', '25', '--build-id', 'build-a'), /build-a ramping at 25 %/);
    assert.match(await grantIntake('deploy', 'status'), /current build-b, ramping build-a at 25 %/);
    assert.match(await grantIntake('deploy', 'ramp', '0'), /no version ramping/);
    assert.equal((await describeDeployment(env.client, DEPLOYMENT))?.ramping, undefined);
  } finally {
    for (const { workers } of running) for (const worker of workers) worker.shutdown();
    await Promise.all(running.map(({ done }) => done));
  }
});
