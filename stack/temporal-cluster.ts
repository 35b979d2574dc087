import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { UserError } from '../config/user-error.ts';
import { SERVER_BINARIES } from './binaries.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

const run = promisify(execFile);

/** Temporal's services, each a process of its own as in a deployment (the frontend last: it needs the others). */
export const TEMPORAL_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

export interface TemporalClusterPorts {
  /** gRPC of each service; the frontend's is the one clients use. */
  grpc: Record<TemporalService, number>;
  membership: Record<TemporalService, number>;
  frontendHttp: number;
  /** Prometheus metrics, one port per service. */
  metrics: Record<TemporalService, number>;
  ui: number;
}

export interface PostgresConnection {
  port: number;
  user: string;
  password: string;
}

/** The databases Temporal keeps its state and its visibility (the workflow list and search attributes) in. */
const DATABASES = { temporal: 'temporal', visibility: 'temporal_visibility' } as const;

/**
 * The SQL schemas ship in the server's Go module (`schema/postgresql/v12/…`); `go mod download` finds them in the
 * module cache (where building the server put them) or fetches them.
 */
async function schemaDir(): Promise<string> {
  const module = `go.temporal.io/server@${SERVER_BINARIES['temporal-server'].version}`;
  try {
    const { stdout } = await run('go', ['mod', 'download', '-json', module]);
    const dir = join(JSON.parse(stdout).Dir as string, 'schema', 'postgresql', 'v12');
    if (existsSync(dir)) return dir;
  } catch {
    // reported below
  }
  throw new UserError(
    `the Temporal SQL schemas (${module}, schema/postgresql/v12) could not be found: install Go so that they can be downloaded`,
  );
}

/**
 * Sets up Temporal's two databases with its own SQL tool: created with the base schema once (a marker file says it
 * was done), then brought up to the server's version on every start (a no-op when they are).
 */
export async function setupTemporalSchemas(
  sqlTool: string,
  postgres: PostgresConnection,
  markerFile: string,
): Promise<void> {
  const schemas = await schemaDir();
  const tool = async (database: string, ...args: string[]) => {
    try {
      await run(
        sqlTool,
        [
          '--plugin',
          'postgres12',
          '--ep',
          '127.0.0.1',
          '-p',
          String(postgres.port),
          '-u',
          postgres.user,
          '--db',
          database,
          ...args,
        ],
        {
          env: { ...process.env, SQL_PASSWORD: postgres.password },
        },
      );
    } catch (error) {
      const output =
        `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`.trim();
      if (args[0] === 'create-database' && /already exists/.test(output)) return;
      throw new UserError(
        `temporal-sql-tool ${args[0]} on ${database} failed: ${output.split('\n').slice(-3).join(' | ') || (error as Error).message}`,
      );
    }
  };
  const fresh = !existsSync(markerFile);
  for (const [kind, database] of Object.entries(DATABASES)) {
    if (fresh) {
      await tool(database, 'create-database');
      await tool(database, 'setup-schema', '-v', '0.0', '--overwrite');
    }
    await tool(database, 'update-schema', '-d', join(schemas, kind, 'versioned'));
  }
  await writeFile(markerFile, `${new Date().toISOString()} ${SERVER_BINARIES['temporal-server'].version}\n`);
}

/**
 * One service's configuration: PostgreSQL for persistence and visibility, the history shards, every service's ports
 * (they find each other through the database and membership), and this service's metrics port (one per host in a
 * deployment; here they share a host).
 */
export function temporalServerConfig(options: {
  service: TemporalService;
  ports: TemporalClusterPorts;
  postgres: PostgresConnection;
  historyShards: number;
  dynamicConfigFile: string;
}): string {
  const { ports, postgres } = options;
  const datastore = (database: string, maxConns: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${database}
        connectAddr: 127.0.0.1:${postgres.port}
        connectProtocol: tcp
        user: ${postgres.user}
        password: ${JSON.stringify(postgres.password)}
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: 1h`;
  const service = (name: TemporalService) => `
  ${name}:
    rpc:
      grpcPort: ${ports.grpc[name]}
      membershipPort: ${ports.membership[name]}
      bindOnLocalHost: true${name === 'frontend' ? `\n      httpPort: ${ports.frontendHttp}` : ''}`;
  return `# Written by grant-intake cluster start on every start; edit stack/temporal-cluster.ts instead.
log:
  stdout: true
  level: warn

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: ${options.historyShards}
  datastores:
    postgres-default:${datastore(DATABASES.temporal, 20)}
    postgres-visibility:${datastore(DATABASES.visibility, 10)}

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
  metrics:
    prometheus:
      framework: tally
      timerType: histogram
      listenAddress: 127.0.0.1:${ports.metrics[options.service]}

services:${TEMPORAL_SERVICES.map(service).join('')}

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: 127.0.0.1:${ports.grpc.frontend}

dcRedirectionPolicy:
  policy: noop

dynamicConfigClient:
  filepath: ${JSON.stringify(options.dynamicConfigFile)}
  pollInterval: 10s
`;
}

/** What the server's SQL development configuration changes from the defaults, and what intake relies on. */
const DYNAMIC_CONFIG = `# Written by grant-intake cluster start.
limit.maxIDLength:
  - value: 255
frontend.enableExecuteMultiOperation:
  - value: true
system.enableNexus:
  - value: false
`;

export interface TemporalClusterOptions {
  binary: string;
  /** Folder for the configuration (`config/<service>.yaml`) and the logs (`run/`). */
  dir: string;
  ports: TemporalClusterPorts;
  postgres: PostgresConnection;
  historyShards: number;
}

/** Starts Temporal's services as processes of their own, on one configuration. */
export async function startTemporalServices(options: TemporalClusterOptions): Promise<ServerProcess[]> {
  const configDir = join(options.dir, 'config');
  await mkdir(configDir, { recursive: true });
  const dynamicConfigFile = join(configDir, 'dynamic.yaml');
  await writeFile(dynamicConfigFile, DYNAMIC_CONFIG);
  for (const service of TEMPORAL_SERVICES)
    await writeFile(
      join(configDir, `${service}.yaml`),
      temporalServerConfig({ ...options, service, dynamicConfigFile }),
    );
  const started: ServerProcess[] = [];
  try {
    for (const service of TEMPORAL_SERVICES) {
      started.push(
        await startServerProcess({
          name: `temporal-${service}`,
          command: options.binary,
          args: [
            '--root',
            options.dir,
            '--config',
            'config',
            '--env',
            service,
            '--allow-no-auth',
            'start',
            '--service',
            service,
          ],
          runDir: join(options.dir, 'run'),
          readyTimeoutMs: 120_000,
          isReady: async () => {
            if (service !== 'frontend')
              return (
                await fetch(`http://127.0.0.1:${options.ports.metrics[service]}/metrics`, {
                  signal: AbortSignal.timeout(1000),
                })
              ).ok;
            const connection = await Connection.connect({
              address: `127.0.0.1:${options.ports.grpc.frontend}`,
              connectTimeout: 1000,
            });
            try {
              await connection.workflowService.getSystemInfo({});
              return true;
            } finally {
              await connection.close();
            }
          },
        }),
      );
    }
    return started;
  } catch (error) {
    for (const server of started.reverse()) await server.stop();
    throw error;
  }
}

/**
 * Registers the namespace with the retention of closed cases' histories, if it is not there yet, with the Temporal CLI
 * as an operator does (the Helm chart's admin tools do the same).
 */
export async function ensureNamespace(
  cli: string,
  address: string,
  namespace: string,
  retentionDays: number,
): Promise<boolean> {
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return false;
  } catch (error) {
    if ((error as { code?: number }).code !== 5) throw error; // gRPC NOT_FOUND: register it below
  } finally {
    await connection.close();
  }
  const description = 'grant-intake: grant applications, one workflow per case';
  await run(cli, [
    'operator',
    'namespace',
    'create',
    '--address',
    address,
    '--namespace',
    namespace,
    '--retention',
    `${retentionDays}d`,
    '--description',
    description,
  ]);
  return true;
}

/** The Temporal UI server beside the cluster, configured by a YAML file of its own. */
export async function startTemporalUi(options: {
  binary: string;
  dir: string;
  port: number;
  frontend: string;
  namespace: string;
}): Promise<ServerProcess> {
  const configDir = join(options.dir, 'config');
  await mkdir(configDir, { recursive: true });
  await writeFile(
    join(configDir, 'cluster.yaml'),
    `# Written by grant-intake cluster start.
temporalGrpcAddress: ${options.frontend}
host: 127.0.0.1
port: ${options.port}
enableUi: true
defaultNamespace: ${options.namespace}
notifyOnNewVersion: false
cors:
  cookieInsecure: true
  allowOrigins: []
auth:
  enabled: false
`,
  );
  return startServerProcess({
    name: 'temporal-ui',
    command: options.binary,
    args: ['--root', options.dir, '--config', 'config', '--env', 'cluster', 'start'],
    runDir: join(options.dir, 'run'),
    isReady: async () => (await fetch(`http://127.0.0.1:${options.port}/`, { signal: AbortSignal.timeout(1000) })).ok,
  });
}
