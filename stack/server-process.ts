import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../config/user-error.ts';

export interface ServerProcessOptions {
  /** Short name for logs and pid files: `temporal`, `minio`. */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Its working folder (default: ours). */
  cwd?: string;
  /** Run as this user (PostgreSQL refuses to run as root). */
  user?: { uid: number; gid: number };
  /** How to ask it to stop (default SIGTERM; PostgreSQL's fast shutdown is SIGINT). */
  stopSignal?: NodeJS.Signals;
  /** Folder for `<name>.log` and `<name>.pid`. */
  runDir: string;
  /** Resolves true once the server answers. */
  isReady: () => Promise<boolean>;
  readyTimeoutMs?: number;
}

export interface ServerProcess {
  name: string;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
  /** SIGKILL to its process group (it and what it started), as a crash or an OOM kill would. */
  kill(): Promise<void>;
}

/**
 * Starts a server as a child process in its own process group, so that Ctrl-C reaches only us and we stop the
 * servers in order (worker first, then the servers). Output goes to `<runDir>/<name>.log`.
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const { name, command, args, runDir, isReady, readyTimeoutMs = 90_000 } = options;
  await mkdir(runDir, { recursive: true });
  const pidFile = join(runDir, `${name}.pid`);
  await stopLeftoverServer(runDir, name, command);

  const logFile = join(runDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  await new Promise((resolve) => log.once('open', resolve));
  log.write(`\n--- ${new Date().toISOString()} ${basename(command)} ${args.join(' ')}\n`);
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    stdio: ['ignore', log, log],
    detached: true,
    cwd: options.cwd,
    ...options.user,
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) =>
      reject(new UserError(`${name} could not be started (${command}): ${error.message}`)),
    );
  });
  await writeFile(pidFile, String(child.pid));
  let exited: number | string | null | undefined;
  child.once('exit', (code, signal) => (exited = code ?? signal));

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited !== undefined) {
      throw new UserError(
        `${name} stopped during start-up (exit ${exited}): ${await lastLines(logFile)} (log: ${logFile})`,
      );
    }
    if (await isReady().catch(() => false)) break;
    if (Date.now() > deadline) {
      await terminate(child);
      throw new UserError(`${name} did not become ready within ${readyTimeoutMs / 1000} s (log: ${logFile})`);
    }
    await sleep(250);
  }
  return {
    name,
    pid: child.pid!,
    logFile,
    async stop() {
      await terminate(child, options.stopSignal);
      log.end();
      await rm(pidFile, { force: true });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(-child.pid!, 'SIGKILL');
        await exited;
      }
      log.end();
      await rm(pidFile, { force: true });
    },
  };
}

async function terminate(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * A server left running by an earlier run that was killed hard holds our ports and data: stop it first.
 * Only a process that is still the same program (by its command line) is stopped; a reused pid is left alone.
 */
export async function stopLeftoverServer(runDir: string, name: string, command: string): Promise<void> {
  const pidFile = join(runDir, `${name}.pid`);
  if (!existsSync(pidFile)) return;
  const pid = Number(await readFile(pidFile, 'utf8'));
  await rm(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (!cmdline.includes(basename(command))) return; // the pid was reused by something else
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 60 && isAlive(pid); i++) await sleep(250);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function lastLines(file: string, count = 3): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trim().split('\n').slice(-count).join(' | ');
}
