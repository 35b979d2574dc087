import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../config/user-error.ts';

/**
 * The servers the stacks run: the local stack (`npm start`) the Temporal CLI's dev server and one MinIO; the rehearsal
 * of production (`grant-intake cluster`) the Temporal server itself, its SQL tool and UI server, and MinIO distributed.
 * None is published on npm; all are built from their Go modules.
 */
export const SERVER_BINARIES = {
  temporal: {
    label: 'the Temporal CLI',
    module: 'github.com/temporalio/cli/cmd/temporal',
    version: 'v1.5.1',
    installHint: 'install the Temporal CLI (https://docs.temporal.io/cli, `temporal` on PATH)',
  },
  minio: {
    label: 'the MinIO server',
    module: 'github.com/minio/minio',
    // The newest pin the Go module proxy serves; older releases are refused by it.
    version: 'v0.0.0-20260212201848-7aac2a2c5b7c',
    installHint: 'install the MinIO server (`minio` on PATH)',
  },
  // The server, SQL tool and UI server at the versions the CLI pin above embeds (its go.mod requires
  // go.temporal.io/server v1.29.1 and github.com/temporalio/ui-server/v2 v2.42.1): the rehearsal runs what the dev
  // server runs, split apart. On PATH they go by the names Temporal's container images give them.
  'temporal-server': {
    label: 'the Temporal server',
    module: 'go.temporal.io/server/cmd/server',
    version: 'v1.29.1',
    installHint: 'install the Temporal server (`temporal-server` on PATH)',
  },
  'temporal-sql-tool': {
    label: "the Temporal server's SQL tool",
    module: 'go.temporal.io/server/cmd/tools/sql',
    version: 'v1.29.1',
    installHint: 'install the Temporal SQL tool (`temporal-sql-tool` on PATH)',
  },
  'temporal-ui-server': {
    label: 'the Temporal UI server',
    module: 'github.com/temporalio/ui-server/v2/cmd/server',
    version: 'v2.42.1',
    installHint: 'install the Temporal UI server (`temporal-ui-server` on PATH)',
  },
} as const;

/** The name `go install` gives a binary: the last element of its package path. */
const goBinaryName = (name: ServerName) => SERVER_BINARIES[name].module.split('/').pop()!;

export type ServerName = keyof typeof SERVER_BINARIES;

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.GRANT_INTAKE_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'grant-intake');
}

export function findOnPath(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function cachedBinaryPath(name: ServerName): string {
  return join(cacheDir(), 'bin', `${name}-${SERVER_BINARIES[name].version}`);
}

export interface ResolveOptions {
  /** Progress lines for the person waiting ("building the Temporal CLI, first run only…"). */
  onProgress?: (line: string) => void;
}

/**
 * The path of a server binary: `temporal`, `minio`, … from PATH when present, else the build cached under
 * ~/.cache/grant-intake, else a one-time `go install` of the pinned module into that cache.
 */
export async function resolveServerBinary(
  name: ServerName,
  { onProgress = () => {} }: ResolveOptions = {},
): Promise<string> {
  const onPath = findOnPath(name);
  if (onPath) return onPath;
  const cached = cachedBinaryPath(name);
  if (existsSync(cached)) return cached;
  const go = findOnPath('go');
  const spec = SERVER_BINARIES[name];
  if (!go) {
    throw new UserError(
      `${name} not found: ${spec.installHint}, or install Go 1.24 or newer (https://go.dev/dl/) so that grant-intake can build ${spec.label} once`,
    );
  }
  return withBuildLock(name, async () => {
    if (existsSync(cached)) return cached; // another process built it while we waited
    await goInstall(go, name, cached, onProgress);
    return cached;
  });
}

async function goInstall(
  go: string,
  name: ServerName,
  target: string,
  onProgress: (line: string) => void,
): Promise<void> {
  const spec = SERVER_BINARIES[name];
  const workDir = join(cacheDir(), 'build', `${name}-${process.pid}`);
  await mkdir(workDir, { recursive: true });
  onProgress(`building ${spec.label} (${spec.module}@${spec.version}) with go install, first run only, a few minutes…`);
  const started = Date.now();
  const output: string[] = [];
  const code = await new Promise<number | null>((resolvePromise, reject) => {
    const child = spawn(go, ['install', `${spec.module}@${spec.version}`], {
      cwd: workDir,
      env: { ...process.env, GOBIN: workDir, GOFLAGS: `${process.env.GOFLAGS ?? ''} -trimpath`.trim() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.length > 200) output.shift();
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', resolvePromise);
  });
  if (code !== 0) {
    await rm(workDir, { recursive: true, force: true });
    const tail = output.join('').trim().split('\n').slice(-5).join(' | ');
    throw new UserError(`building ${spec.label} failed (go install exited with ${code}): ${tail}`);
  }
  await mkdir(join(cacheDir(), 'bin'), { recursive: true });
  await rename(join(workDir, goBinaryName(name)), target);
  await rm(workDir, { recursive: true, force: true });
  onProgress(`built ${spec.label} in ${Math.round((Date.now() - started) / 1000)} s: ${target}`);
}

/**
 * Two processes (say `npm start` and `npm test`) must not build the same server at once: each build peaks near 1.8 GB.
 * */
async function withBuildLock<T>(name: ServerName, work: () => Promise<T>): Promise<T> {
  const lock = join(cacheDir(), 'build', `${name}.lock`);
  await mkdir(join(cacheDir(), 'build'), { recursive: true });
  const staleAfterMs = 20 * 60_000;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (await stat(lock).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > staleAfterMs) await rm(lock, { recursive: true, force: true });
      else await sleep(2000);
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
