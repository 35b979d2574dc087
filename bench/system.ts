import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../stack/ports.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** `grant-intake start` as a user runs it (`npm start`), in a child process on free ports with a fresh data folder. */
export interface RunningSystem {
  pid: number;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** The last lines it printed, for errors. */
  output: () => string;
  stop(): Promise<void>;
}

export async function startSystem(extraEnv: NodeJS.ProcessEnv = {}): Promise<RunningSystem> {
  const dataDir = await mkdtemp(join(tmpdir(), 'grant-intake-bench-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GRANT_INTAKE_DATA_DIR: dataDir,
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    MINIO_PORT: String(await freePort()),
    MINIO_CONSOLE_PORT: String(await freePort()),
    INTAKE_WEBHOOK_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    // The local stack, whatever a .env in the working folder says (a set, blank variable counts as unset and is not
    // overridden by .env); and no language model: forms are read by the form reader, deterministically.
    TEMPORAL_ADDRESS: '',
    MINIO_ENDPOINT: '',
    INTAKE_WEBHOOK_TOKEN: '',
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
    ...extraEnv,
  };
  const child = spawn(process.execPath, [join(root, 'bin/grant-intake.js'), 'start'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  let exitCode: number | string | null | undefined;
  void exited.then((code) => (exitCode = code));

  const deadline = Date.now() + 15 * 60_000; // a first run may build the server binaries
  while (!lines.some((line) => line.includes('grant-intake is running'))) {
    if (exitCode !== undefined)
      throw new Error(`grant-intake start exited (${exitCode}) during start-up:\n${lines.join('\n')}`);
    if (Date.now() > deadline) {
      await stopTree(child, exited);
      throw new Error(`grant-intake start was not running within 15 minutes:\n${lines.join('\n')}`);
    }
    await sleep(200);
  }
  return {
    pid: child.pid!,
    dataDir,
    env,
    output: () => lines.join('\n'),
    async stop() {
      await stopTree(child, exited);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Ctrl-C as a user would (the worker stops, then the servers); whatever is left after a grace period is killed by pid.
 * */
async function stopTree(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  const descendants = processTree(child.pid!).filter((p) => p.pid !== child.pid);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGINT');
    const timedOut = await Promise.race([exited.then(() => false), sleep(60_000).then(() => true)]);
    if (timedOut) child.kill('SIGKILL');
  }
  for (const p of descendants) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone, as it should be
    }
  }
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The executable's short name (`node`, `temporal-v1.5.1`, `minio-v0.0.0-20…`). */
  name: string;
  cmdline: string;
  rssKb: number;
  hwmKb: number;
}

/** The process and all its descendants, from /proc. */
export function processTree(rootPid: number): ProcessInfo[] {
  const all: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readProcess(Number(entry));
    if (info) all.push(info);
  }
  const tree: ProcessInfo[] = [];
  const wanted = new Set([rootPid]);
  // Parents come before children in pid order almost always; iterate until no more are added.
  for (let added = true; added;) {
    added = false;
    for (const p of all) {
      if (!tree.includes(p) && (p.pid === rootPid || wanted.has(p.ppid))) {
        tree.push(p);
        wanted.add(p.pid);
        added = true;
      }
    }
  }
  return tree;
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    const name = /^Name:\s+(.*)$/m.exec(status)?.[1] ?? '?';
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    return { pid, ppid: field('PPid'), name, cmdline, rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
  } catch {
    return undefined; // ended meanwhile
  }
}

export type Role = 'worker' | 'sandboxes' | 'temporal' | 'minio' | 'other';

export function roleOf(p: ProcessInfo, workerPid: number): Role {
  if (p.pid === workerPid) return 'worker';
  if (p.cmdline.includes('sandbox-worker')) return 'sandboxes';
  if (p.name.startsWith('temporal') || p.cmdline.includes('start-dev')) return 'temporal';
  if (p.name.startsWith('minio')) return 'minio';
  return 'other';
}

/** Peak resident memory (MiB) by role; the worker's own high-water mark too. */
export interface MemoryFigures {
  samples: number;
  intervalMs: number;
  /** The worker process (workflows, activities, webhook): the highest VmRSS sampled. */
  workerPeakMb: number;
  /** The kernel's high-water mark of the worker process (VmHWM), read at the end: catches peaks between samples. */
  workerHwmMb: number;
  /** At the start of the measured run (after start-up, idle). */
  workerIdleMb: number;
  /** At the end, once every document was routed. */
  workerEndMb: number;
  /** The parser sandboxes (summed over the processes alive at one sample). */
  sandboxesPeakMb: number;
  /** The worker with its sandboxes (summed per sample): what the worker side of the system needs. */
  workerTreePeakMb: number;
  temporalPeakMb: number;
  minioPeakMb: number;
  /** Everything `grant-intake start` runs: worker, sandboxes, Temporal dev server, MinIO (summed per sample). */
  totalPeakMb: number;
  /** Worker RSS over time, [seconds since start, MiB], one point per second at most. */
  workerTimeline: Array<[number, number]>;
}

/** Samples the process tree of `grant-intake start` until stopped. */
export function sampleMemory(workerPid: number, intervalMs = 500) {
  const started = performance.now();
  const peaks: Record<Role | 'workerTree' | 'total', number> = {
    worker: 0,
    sandboxes: 0,
    temporal: 0,
    minio: 0,
    other: 0,
    workerTree: 0,
    total: 0,
  };
  const timeline: Array<[number, number]> = [];
  let samples = 0;
  let first: number | undefined;
  let last = 0;
  let lastTimelineAt = -1;
  const sample = () => {
    const sums: Record<Role, number> = { worker: 0, sandboxes: 0, temporal: 0, minio: 0, other: 0 };
    for (const p of processTree(workerPid)) sums[roleOf(p, workerPid)] += p.rssKb;
    for (const role of Object.keys(sums) as Role[]) peaks[role] = Math.max(peaks[role], sums[role]);
    peaks.workerTree = Math.max(peaks.workerTree, sums.worker + sums.sandboxes);
    const total = Object.values(sums).reduce((a, b) => a + b, 0);
    peaks.total = Math.max(peaks.total, total);
    first ??= sums.worker;
    last = sums.worker;
    samples++;
    const second = Math.floor((performance.now() - started) / 1000);
    if (second !== lastTimelineAt) {
      lastTimelineAt = second;
      timeline.push([second, mb(sums.worker)]);
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    stop(): MemoryFigures {
      clearInterval(timer);
      sample();
      const hwm = readProcess(workerPid)?.hwmKb ?? 0;
      return {
        samples,
        intervalMs,
        workerPeakMb: mb(peaks.worker),
        workerHwmMb: mb(hwm),
        workerIdleMb: mb(first ?? 0),
        workerEndMb: mb(last),
        sandboxesPeakMb: mb(peaks.sandboxes),
        workerTreePeakMb: mb(peaks.workerTree),
        temporalPeakMb: mb(peaks.temporal),
        minioPeakMb: mb(peaks.minio),
        totalPeakMb: mb(peaks.total),
        workerTimeline: timeline,
      };
    },
  };
}

const mb = (kb: number) => Math.round(kb / 1024);
