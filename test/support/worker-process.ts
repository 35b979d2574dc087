import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { payloadKeysEnv, type Config } from '../../config/env.ts';

export interface WorkerProcess {
  child: ChildProcess;
  /** Everything it has printed so far. */
  output(): string;
  exited: Promise<number | null>;
  /** Kills it and everything it started (its extraction sandboxes), as a crash or an OOM kill would. */
  kill(): Promise<void>;
  /** Ctrl-C: stops it in order. */
  stop(): Promise<number | null>;
}

/**
 * `grant-intake start` (what `npm start` runs) as a process of its own against servers that run elsewhere, as on a
 * cluster: nothing local but the worker, the intake webhook and the review app. In a process group of its own, so that
 * a kill takes its children too.
 */
export async function startWorkerProcess(
  config: Config,
  { cwd, webhookToken, env = {} }: { cwd: string; webhookToken: string; env?: Record<string, string> },
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [new URL('../../bin/grant-intake.js', import.meta.url).pathname, 'start'], {
    cwd,
    detached: true,
    env: {
      PATH: process.env.PATH,
      HOME: cwd,
      GRANT_INTAKE_DATA_DIR: `${cwd}/data`,
      TEMPORAL_ADDRESS: config.temporal.address ?? `127.0.0.1:${config.temporal.localPort}`,
      TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
      MINIO_ENDPOINT: String(config.minio.endpoint ?? `http://127.0.0.1:${config.minio.localPort}`),
      MINIO_ACCESS_KEY: config.minio.accessKey,
      MINIO_SECRET_KEY: config.minio.secretKey,
      INTAKE_WEBHOOK_TOKEN: webhookToken,
      INTAKE_WEBHOOK_PORT: String(config.webhook.port),
      ...(config.temporal.payloadKeys && payloadKeysEnv(config.temporal.payloadKeys)),
      ...env,
    },
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!output.includes('grant-intake is running')) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`grant-intake start did not come up:\n${output}`);
    await sleep(100);
  }
  return {
    child,
    output: () => output,
    exited,
    async kill() {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error; // gone already
      }
      await exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}
