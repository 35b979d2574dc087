import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectTemporalClient } from '../client/connection.ts';
import { deploymentTaskQueues, setCurrentVersion, waitForVersion } from '../client/deployments.ts';
import { createMinioClient } from '../storage/minio-client.ts';
import { loadConfig, type Config, type ProcessRole } from '../config/env.ts';
import { resolveServerBinary } from './binaries.ts';
import { startMinioBalancer, startMinioCluster, type MinioCluster } from './minio-cluster.ts';
import { WEBHOOK_TARGET_ARN } from './minio-server.ts';
import { assertPortFree } from './ports.ts';
import { startPostgres } from './postgres.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { ensureSearchAttributes } from '../client/search-attributes.ts';
import { createLogger } from '../config/logger.ts';
import { ensureBuckets, ensureInboxNotification } from './setup.ts';
import {
  ensureNamespace,
  setupTemporalSchemas,
  startTemporalServices,
  startTemporalUi,
  TEMPORAL_SERVICES,
  type PostgresConnection,
  type TemporalClusterPorts,
  type TemporalService,
} from './temporal-cluster.ts';

/**
 * The rehearsal of production on one machine (`grant-intake cluster start`): Temporal's services on PostgreSQL with
 * four history shards and the UI server beside them, MinIO distributed over four nodes behind a balancer, and the
 * system's processes started as a deployment starts them, configured only by the variables a deployment sets.
 */
export interface ClusterOptions {
  /** Everything is kept here (`data/cluster`). */
  dir: string;
  /** Every port is this plus a fixed offset (see `clusterPorts`), so that a second rehearsal can run beside. */
  portBase: number;
  applicationWorkers: number;
  ocrWorkers: number;
  historyShards?: number;
  say?: (line: string) => void;
  /** Ctrl-C during start-up: stops what has started once the step under way is done. */
  signal?: AbortSignal;
}

export const NAMESPACE = 'grant-intake';
const TASK_QUEUE = 'grant-intake';
const DEPLOYMENT_NAME = 'grant-intake';
const MINIO_NODES = 4;
const DRIVES_PER_NODE = 2;

export function clusterPorts(base: number) {
  const byService = (offset: number) =>
    Object.fromEntries(TEMPORAL_SERVICES.map((s, i) => [s, base + offset + [4, 5, 3, 9][i]!])) as Record<
      TemporalService,
      number
    >;
  const temporal: TemporalClusterPorts = {
    grpc: byService(230), // frontend base+233, history +234, matching +235, worker +239
    membership: byService(930),
    frontendHttp: base + 243,
    metrics: byService(830),
    ui: base + 333,
  };
  return {
    temporal,
    postgres: base + 432,
    minio: base + 900,
    minioNodes: Array.from({ length: MINIO_NODES }, (_, n) => base + 901 + n),
    minioConsoles: Array.from({ length: MINIO_NODES }, (_, n) => base + 911 + n),
    webhook: base + 787,
    web: base + 80,
  };
}

interface Secrets {
  postgresPassword: string;
  minioSecretKey: string;
  webhookToken: string;
  /** The payload codec's key (`PAYLOAD_KEYS`): every worker, the review app and the CLI share it. */
  payloadKey: string;
  /** MinIO's single-key KMS for the rehearsal (objects stored encrypted, as in `npm start`). */
  kmsSecretKey: string;
}

/** Generated on the first start and kept, as a deployment keeps them in its secret store. */
async function clusterSecrets(dir: string): Promise<Secrets> {
  const file = join(dir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Secrets;
  const secrets: Secrets = {
    postgresPassword: randomBytes(18).toString('base64url'),
    minioSecretKey: randomBytes(18).toString('base64url'),
    webhookToken: randomBytes(24).toString('hex'),
    payloadKey: `cluster:${randomBytes(32).toString('base64')}`,
    kmsSecretKey: `grant-intake-cluster:${randomBytes(32).toString('base64')}`,
  };
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export interface Cluster {
  /** The variables every process of the system is given (a deployment's ConfigMap and Secret). */
  env: Record<string, string>;
  /** The system's configuration, as its processes load it. */
  config: Config;
  urls: { temporal: string; temporalUi: string; minio: string; web: string; webhook: string; postgres: string };
  minio: MinioCluster;
  /** The system's processes by name: `application-1`…, `ocr-1`…, `intake`, `web`. */
  processes: Map<string, ServerProcess>;
  /** Starts (again) one of the system's processes by name. */
  startProcess(name: string): Promise<ServerProcess>;
  restartTemporal(): Promise<void>;
  restartPostgres(): Promise<void>;
  stop(): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const log = options.say ?? (() => {});
  const say = (line: string) => {
    options.signal?.throwIfAborted();
    log(line);
  };
  const ports = clusterPorts(options.portBase);
  const runDir = join(options.dir, 'run');
  await mkdir(runDir, { recursive: true });

  // One build at a time: each peaks near 2 GB.
  const binaries = {
    temporal: await resolveServerBinary('temporal-server', { onProgress: say }),
    sqlTool: await resolveServerBinary('temporal-sql-tool', { onProgress: say }),
    ui: await resolveServerBinary('temporal-ui-server', { onProgress: say }),
    minio: await resolveServerBinary('minio', { onProgress: say }),
    cli: await resolveServerBinary('temporal', { onProgress: say }),
  };

  const portList: [number, string][] = [
    [ports.postgres, 'PostgreSQL'],
    ...TEMPORAL_SERVICES.flatMap((s): [number, string][] => [
      [ports.temporal.grpc[s], `Temporal ${s}`],
      [ports.temporal.membership[s], `Temporal ${s} membership`],
      [ports.temporal.metrics[s], `Temporal ${s} metrics`],
    ]),
    [ports.temporal.frontendHttp, 'Temporal frontend HTTP'],
    [ports.temporal.ui, 'Temporal UI'],
    [ports.minio, 'MinIO balancer'],
    ...ports.minioNodes.map((p, n): [number, string] => [p, `MinIO node ${n + 1}`]),
    ...ports.minioConsoles.map((p, n): [number, string] => [p, `MinIO node ${n + 1} console`]),
    [ports.webhook, 'intake webhook'],
    [ports.web, 'review app'],
  ];
  for (const [port, what] of portList) await assertPortFree(port, `--port-base (${what})`);

  const secrets = await clusterSecrets(options.dir);
  const postgres: PostgresConnection = { port: ports.postgres, user: 'temporal', password: secrets.postgresPassword };
  const temporalAddress = `127.0.0.1:${ports.temporal.grpc.frontend}`;
  const accessKey = 'grant-intake';

  const servers: { stop(): Promise<void> }[] = [];
  const stopAll = async () => {
    for (const server of servers.splice(0).reverse()) await server.stop().catch(() => undefined);
  };
  try {
    say('starting PostgreSQL…');
    const startPg = () =>
      startPostgres({
        dataDir: join(options.dir, 'postgres'),
        runDir,
        port: ports.postgres,
        user: postgres.user,
        password: postgres.password,
      });
    let postgresServer = await startPg();
    servers.push({ stop: () => postgresServer.stop() });
    say('setting up the Temporal schemas (temporal-sql-tool)…');
    await setupTemporalSchemas(binaries.sqlTool, postgres, join(options.dir, 'temporal-schemas.done'));

    say(
      `starting the Temporal server (${TEMPORAL_SERVICES.join(', ')}; ${options.historyShards ?? 4} history shards)…`,
    );
    const temporalDir = join(options.dir, 'temporal');
    const startTemporal = () =>
      startTemporalServices({
        binary: binaries.temporal,
        dir: temporalDir,
        ports: ports.temporal,
        postgres,
        historyShards: options.historyShards ?? 4,
      });
    let temporal = await startTemporal();
    const stopTemporal = async () => {
      for (const service of [...temporal].reverse()) await service.stop();
    };
    servers.push({ stop: stopTemporal });
    if (await ensureNamespace(binaries.cli, temporalAddress, NAMESPACE, 30)) {
      say(`registered namespace ${NAMESPACE}`);
      // Every service learns of a new namespace from the database, every 10 s.
      await sleep(11_000);
    }
    say('starting the Temporal UI server…');
    const ui = await startTemporalUi({
      binary: binaries.ui,
      dir: join(options.dir, 'temporal-ui'),
      port: ports.temporal.ui,
      frontend: temporalAddress,
      namespace: NAMESPACE,
    });
    servers.push(ui);

    say(`starting MinIO (${MINIO_NODES} nodes × ${DRIVES_PER_NODE} drives, one erasure set)…`);
    const minio = await startMinioCluster({
      binary: binaries.minio,
      dir: join(options.dir, 'minio'),
      ports: ports.minioNodes,
      consolePorts: ports.minioConsoles,
      drivesPerNode: DRIVES_PER_NODE,
      accessKey,
      secretKey: secrets.minioSecretKey,
      webhook: { port: ports.webhook, token: secrets.webhookToken },
      kmsSecretKey: secrets.kmsSecretKey,
    });
    servers.push(minio);
    const balancer = await startMinioBalancer({ port: ports.minio, nodePorts: ports.minioNodes });
    servers.push(balancer);

    const urls = {
      temporal: temporalAddress,
      temporalUi: `http://127.0.0.1:${ports.temporal.ui}`,
      minio: balancer.url,
      web: `http://127.0.0.1:${ports.web}`,
      webhook: `http://127.0.0.1:${ports.webhook}/minio/events`,
      postgres: `127.0.0.1:${ports.postgres}`,
    };
    const env: Record<string, string> = {
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: NAMESPACE,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      TEMPORAL_UI_URL: urls.temporalUi,
      MINIO_ENDPOINT: urls.minio,
      MINIO_ACCESS_KEY: accessKey,
      MINIO_SECRET_KEY: secrets.minioSecretKey,
      INTAKE_WEBHOOK_TOKEN: secrets.webhookToken,
      PAYLOAD_KEYS: secrets.payloadKey,
      INTAKE_WEBHOOK_PORT: String(ports.webhook),
      WEB_PORT: String(ports.web),
      WEB_USERS_FILE: join(options.dir, 'users.json'),
      // Versioned workers, as production runs them; the build id is this checkout's (README, "Deploying new code").
      TEMPORAL_DEPLOYMENT_NAME: DEPLOYMENT_NAME,
    };
    const config = loadConfig({ ...env, GRANT_INTAKE_DATA_DIR: options.dir }, { dotenv: false });

    // What an operator does once per cluster (the processes would do it too, but racing each other).
    const storage = createMinioClient(config);
    await ensureBuckets(storage, config, createLogger(config.logLevel));
    await ensureInboxNotification(storage, config.buckets.intake, WEBHOOK_TARGET_ARN);
    const client = await connectTemporalClient(config);
    try {
      await ensureSearchAttributes(client, NAMESPACE);
    } finally {
      await client.connection.close();
    }

    const roles = new Map<string, ProcessRole>([
      ...Array.from({ length: options.applicationWorkers }, (_, i): [string, ProcessRole] => [
        `application-${i + 1}`,
        'application',
      ]),
      ...Array.from({ length: options.ocrWorkers }, (_, i): [string, ProcessRole] => [`ocr-${i + 1}`, 'ocr']),
      ['intake', 'intake'],
      ['web', 'web'],
    ]);
    const processes = new Map<string, ServerProcess>();
    const startProcess = async (name: string) => {
      const role = roles.get(name);
      if (!role) throw new Error(`no process ${name} in the cluster`);
      const processDir = join(options.dir, 'processes', name);
      await mkdir(processDir, { recursive: true });
      const logFile = join(runDir, `${name}.log`);
      const startedAt = existsSync(logFile) ? (await readFile(logFile)).length : 0;
      const started = await startServerProcess({
        name,
        command: process.execPath,
        args: [fileURLToPath(new URL('../bin/grant-intake.js', import.meta.url)), 'start'],
        // A deployment's process sees only its own variables (no developer's .env: it runs in its own folder).
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          ...env,
          GRANT_INTAKE_DATA_DIR: processDir,
          GRANT_INTAKE_ROLES: role,
        },
        runDir,
        cwd: processDir,
        isReady: async () => (await readFile(logFile)).subarray(startedAt).includes('grant-intake is running'),
      });
      processes.set(name, started);
      return started;
    };
    for (const name of roles.keys()) {
      say(`starting ${name}…`);
      await startProcess(name);
    }
    // What an operator does once per deploy: the build the workers run becomes current, once all its queues are polled.
    const deployClient = await connectTemporalClient(config);
    try {
      await waitForVersion(deployClient, config.temporal.deployment!, { taskQueues: deploymentTaskQueues(config) });
      await setCurrentVersion(deployClient, config.temporal.deployment!, 'grant-intake cluster start');
    } finally {
      await deployClient.connection.close();
    }
    servers.push({
      stop: async () => {
        for (const name of [
          'web',
          'intake',
          ...[...roles.keys()].filter((n) => n.startsWith('application-')),
          ...[...roles.keys()].filter((n) => n.startsWith('ocr-')),
        ]) {
          await processes.get(name)?.stop();
        }
      },
    });

    return {
      env,
      config,
      urls,
      minio,
      processes,
      startProcess,
      async restartTemporal() {
        await stopTemporal();
        temporal = await startTemporal();
      },
      async restartPostgres() {
        await postgresServer.stop();
        postgresServer = await startPg();
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
