import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { WEBHOOK_PATH } from '../worker/webhook.ts';
import { WEBHOOK_TARGET_ID } from './minio-server.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

export interface MinioClusterOptions {
  binary: string;
  /** Node n keeps its drives under `<dir>/node<n>/drive<d>` and its event queue in `<dir>/node<n>/events`. */
  dir: string;
  /** One API port per node (and as many console ports). */
  ports: number[];
  consolePorts: number[];
  drivesPerNode: number;
  accessKey: string;
  secretKey: string;
  webhook: { port: number; token: string };
}

export interface MinioCluster {
  nodes: ServerProcess[];
  /** Starts node `index` again (after `nodes[index].stop()`), on its drives and event queue. */
  restartNode(index: number): Promise<ServerProcess>;
  stop(): Promise<void>;
}

/**
 * MinIO distributed: one server process per node, every node given the same list of all drives (one erasure set of
 * nodes × drives), and every node the same webhook target with a queue directory of its own, since the node that
 * takes an upload is the one that sends its event. Node n keeps its drives and its event queue under `<dir>/node<n>`.
 */
export async function startMinioCluster(options: MinioClusterOptions): Promise<MinioCluster> {
  const drives = options.ports.flatMap((port, n) =>
    Array.from(
      { length: options.drivesPerNode },
      (_, d) => `http://127.0.0.1:${port}${join(options.dir, `node${n + 1}`, `drive${d + 1}`)}`,
    ),
  );
  const id = WEBHOOK_TARGET_ID;
  const startNode = async (n: number) => {
    const nodeDir = join(options.dir, `node${n + 1}`);
    await mkdir(nodeDir, { recursive: true });
    return startServerProcess({
      name: `minio-node${n + 1}`,
      command: options.binary,
      args: [
        'server',
        ...drives,
        '--address',
        `127.0.0.1:${options.ports[n]}`,
        '--console-address',
        `127.0.0.1:${options.consolePorts[n]}`,
        '--quiet',
      ],
      env: {
        ...process.env,
        MINIO_ROOT_USER: options.accessKey,
        MINIO_ROOT_PASSWORD: options.secretKey,
        MINIO_UPDATE: 'off',
        // In production each drive is a disk of its own; here all eight share the root filesystem, and distributed
        // MinIO refuses drives on the root disk unless told which size counts as one.
        MINIO_ROOTDRIVE_THRESHOLD_SIZE: '1B',
        // In a container (a /.dockerenv), MinIO waits for every node's host name to resolve to an address other than
        // the loopback, as it would in Kubernetes; here all nodes are 127.0.0.1, so each is told which one it is.
        _MINIO_SERVER_LOCAL: `127.0.0.1:${options.ports[n]}`,
        [`MINIO_NOTIFY_WEBHOOK_ENABLE_${id}`]: 'on',
        [`MINIO_NOTIFY_WEBHOOK_ENDPOINT_${id}`]: `http://127.0.0.1:${options.webhook.port}${WEBHOOK_PATH}`,
        [`MINIO_NOTIFY_WEBHOOK_AUTH_TOKEN_${id}`]: options.webhook.token,
        // MinIO insists on the same MINIO_* values on every node, and in a deployment each node has this path on a
        // volume of its own; here the nodes share a filesystem, and /proc/self/cwd is each node's own folder.
        [`MINIO_NOTIFY_WEBHOOK_QUEUE_DIR_${id}`]: '/proc/self/cwd/events',
        [`MINIO_NOTIFY_WEBHOOK_QUEUE_LIMIT_${id}`]: '100000',
      },
      cwd: nodeDir,
      runDir: join(options.dir, 'run'),
      readyTimeoutMs: 180_000,
      // A node is "live" once it runs; the cluster is ready for writes only when a quorum of nodes is up (checked
      // below).
      isReady: async () =>
        (await fetch(`http://127.0.0.1:${options.ports[n]}/minio/health/live`, { signal: AbortSignal.timeout(1000) }))
          .ok,
    });
  };
  // All at once: each node waits for the others to form the erasure set.
  const nodes = await Promise.all(options.ports.map((_, n) => startNode(n)));
  const cluster: MinioCluster = {
    nodes,
    async restartNode(index) {
      nodes[index] = await startNode(index);
      return nodes[index]!;
    },
    async stop() {
      await Promise.all(nodes.map((node) => node.stop()));
    },
  };
  try {
    await waitFor(
      async () =>
        (
          await fetch(`http://127.0.0.1:${options.ports[0]}/minio/health/cluster`, {
            signal: AbortSignal.timeout(2000),
          })
        ).ok,
      180_000,
      'MinIO cluster write quorum',
    );
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * What stands in front of the nodes in a deployment (the operator's Kubernetes Service, a load balancer): one address
 * whose connections go round-robin to the nodes that answer MinIO's liveness probe, checked every second.
 */
export async function startMinioBalancer(options: {
  port: number;
  nodePorts: number[];
}): Promise<{ url: string; stop(): Promise<void> }> {
  const live = new Set(options.nodePorts);
  const probe = async () => {
    await Promise.all(
      options.nodePorts.map(async (port) => {
        const ok = await fetch(`http://127.0.0.1:${port}/minio/health/live`, {
          signal: AbortSignal.timeout(1000),
        }).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) live.add(port);
        else live.delete(port);
      }),
    );
  };
  const timer = setInterval(() => void probe(), 1000);
  let next = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const ports = [...live];
    if (ports.length === 0) return client.destroy();
    const upstream = createConnection({ host: '127.0.0.1', port: ports[next++ % ports.length]! });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${options.port}`,
    async stop() {
      clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
