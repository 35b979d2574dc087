import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  Runtime,
  DefaultLogger,
  type NativeConnection,
  type WorkflowBundle,
} from '@temporalio/worker';
import type { Client as MinioClient } from 'minio';
import { dataConverterWith, failureConverterPath } from '../../config/data-converter.ts';
import { loadConfig, parsePayloadKeys, payloadKeysEnv, type Config } from '../../config/env.ts';
import { silentLogger } from '../../config/logger.ts';
import { PayloadEncryptionCodec } from '../../config/payload-codec.ts';
import { resolveServerBinary } from '../../stack/binaries.ts';
import { startLocalMinio, WEBHOOK_TARGET_ARN } from '../../stack/minio-server.ts';
import { freePort } from '../../stack/ports.ts';
import type { ServerProcess } from '../../stack/server-process.ts';
import { caseReferenceFor, caseWorkflowId, submissionOf } from '../../schemas/case-reference.ts';
import type { ObjectRef } from '../../schemas/document.ts';
import { ensureBuckets, ensureInboxNotification } from '../../stack/setup.ts';
import { createMinioClient } from '../../storage/minio-client.ts';
import { workflowsPath } from '../../worker/application-worker.ts';
import { startIntakeService, type IntakeService } from '../../worker/intake-service.ts';
import { allSearchAttributes } from '../../workflows/messages.ts';

Runtime.install({ logger: new DefaultLogger('WARN') });

/**
 * Real servers for integration tests: a Temporal dev server (through @temporalio/testing, with the binary the stack
 * uses, never a download) and a MinIO server, both on free ports with temporary data folders.
 */
export interface TestStack {
  config: Config;
  env: TestWorkflowEnvironment;
  minio: MinioClient;
  minioServer: ServerProcess;
  webhookToken: string;
  workflowBundle: WorkflowBundle;
  /** Stops MinIO and starts it again on the same data and ports (its event queue survives). */
  restartMinio(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestStackOptions {
  /** The dev server's Web UI on this port, decoding payloads through this codec server (as `npm start` does). */
  temporalUi?: { port: number; codecEndpoint: string };
}

export async function startTestStack({ temporalUi }: TestStackOptions = {}): Promise<TestStack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'grant-intake-test-'));
  const [temporalBinary, minioBinary] = [await resolveServerBinary('temporal'), await resolveServerBinary('minio')];
  // The payload codec's key, as a cluster's configuration gives it; the test environment's own client uses it too.
  const payloadKeys = `test:${randomBytes(32).toString('base64')}`;
  const codec = new PayloadEncryptionCodec(parsePayloadKeys(payloadKeys, undefined, 'PAYLOAD_KEYS'));
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalBinary },
      searchAttributes: allSearchAttributes,
      ...(temporalUi && {
        ui: true,
        uiPort: temporalUi.port,
        extraArgs: ['--ui-codec-endpoint', temporalUi.codecEndpoint],
      }),
    },
    client: { dataConverter: dataConverterWith(codec) },
  });
  let minioServer: ServerProcess | undefined;
  const stopServers = async () => {
    await minioServer?.stop();
    await env.teardown();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const config = loadConfig(
      {
        GRANT_INTAKE_DATA_DIR: dataDir,
        TEMPORAL_ADDRESS: env.address,
        PAYLOAD_KEYS: payloadKeys,
        TEMPORAL_TASK_QUEUE: `test-${randomBytes(4).toString('hex')}`,
        MINIO_PORT: String(await freePort()),
        MINIO_CONSOLE_PORT: String(await freePort()),
        INTAKE_WEBHOOK_PORT: String(await freePort()),
      },
      { dotenv: false },
    );
    const webhookToken = randomBytes(24).toString('hex');
    const startMinio = () =>
      startLocalMinio({
        binary: minioBinary,
        dataDir,
        port: config.minio.localPort,
        consolePort: config.minio.localConsolePort,
        accessKey: config.minio.accessKey,
        secretKey: config.minio.secretKey,
        webhook: { port: config.webhook.port, token: webhookToken },
      });
    minioServer = await startMinio();
    const stack: TestStack = {
      config,
      env,
      minio: createMinioClient(config),
      minioServer,
      webhookToken,
      workflowBundle: await bundleWorkflowCode({
        workflowsPath,
        failureConverterPath,
        logger: new DefaultLogger('WARN'),
      }),
      async restartMinio() {
        await stack.minioServer.stop();
        stack.minioServer = minioServer = await startMinio();
      },
      stop: stopServers,
    };
    await ensureBuckets(stack.minio, config);
    await ensureInboxNotification(stack.minio, config.buckets.intake, WEBHOOK_TARGET_ARN);
    return stack;
  } catch (error) {
    // What started is stopped: a failed start leaves no server behind.
    await stopServers();
    throw error;
  }
}

/** The environment a `grant-intake` command needs to reach the test stack's Temporal and MinIO. */
export const cliEnv = (stack: TestStack): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  TEMPORAL_ADDRESS: stack.env.address,
  TEMPORAL_TASK_QUEUE: stack.config.temporal.taskQueue,
  MINIO_ENDPOINT: `http://127.0.0.1:${stack.config.minio.localPort}`,
  MINIO_ACCESS_KEY: stack.config.minio.accessKey,
  MINIO_SECRET_KEY: stack.config.minio.secretKey,
  ...(stack.config.temporal.payloadKeys && payloadKeysEnv(stack.config.temporal.payloadKeys)),
});

/**
 * The workers of `npm start` against the test stack, with the intake webhook (as MinIO's events reach it) or without
 * (as on a store whose events are lost, or for tests that start their cases themselves).
 */
export function startWorkers(stack: TestStack, { webhook }: { webhook: boolean }): Promise<IntakeService> {
  return startIntakeService({
    config: stack.config,
    client: stack.env.client,
    workerConnection: stack.env.nativeConnection as NativeConnection,
    minio: stack.minio,
    ...(webhook && { webhookToken: stack.webhookToken }),
    webhookHost: '127.0.0.1',
    workflowBundle: stack.workflowBundle,
    logger: silentLogger,
  });
}

/** A dropped object version and the case workflow its submission opens (by message-id, else by the object). */
export type Dropped = ObjectRef & { workflowId: string };

/** What the mailroom does: put a document into the intake bucket with the e-mail's facts as metadata (SPEC §5). */
export async function dropIntoIntake(
  stack: TestStack,
  key: string,
  bytes: Buffer,
  metadata: Record<string, string> = {},
): Promise<Dropped> {
  const bucket = stack.config.buckets.intake;
  const meta = Object.fromEntries(Object.entries(metadata).map(([k, v]) => [`X-Amz-Meta-${k}`, v]));
  const info = await stack.minio.putObject(bucket, key, bytes, bytes.length, meta);
  const object: ObjectRef = { bucket, key, etag: info.etag, versionId: info.versionId ?? undefined };
  return { ...object, workflowId: caseWorkflowId(caseReferenceFor(submissionOf(object, metadata['message-id']))) };
}
