import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../config/user-error.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

const run = promisify(execFile);

/** Debian's PostgreSQL 15 (`apt-get install postgresql-15`); `POSTGRES_BIN_DIR` names another installation. */
const binDir = () => process.env.POSTGRES_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

export interface PostgresOptions {
  /** Its data folder (created by initdb on the first start). */
  dataDir: string;
  runDir: string;
  port: number;
  user: string;
  password: string;
}

/**
 * PostgreSQL refuses to run as root: as root it runs as the system user `postgres` that Debian's package creates;
 * as anyone else, as themselves.
 */
async function serverUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
  } catch {
    throw new UserError(
      'PostgreSQL does not run as root and there is no system user "postgres" to run it as: install Debian\'s postgresql package (it creates one), or start as another user',
    );
  }
}

/**
 * A PostgreSQL server for Temporal's persistence and visibility: initdb on the first start (password authentication,
 * the given superuser), then `postgres` in the foreground, listening on 127.0.0.1 only.
 */
export async function startPostgres(options: PostgresOptions): Promise<ServerProcess> {
  const initdb = join(binDir(), 'initdb');
  if (!existsSync(initdb))
    throw new UserError(
      `PostgreSQL not found in ${binDir()}: sudo apt-get install postgresql-15, or set POSTGRES_BIN_DIR`,
    );
  const user = await serverUser();
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) {
    await rm(options.dataDir, { recursive: true, force: true });
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    const passwordFile = `${options.dataDir}.password`;
    await writeFile(passwordFile, options.password, { mode: 0o600 });
    if (user) for (const path of [options.dataDir, passwordFile]) await chown(path, user.uid, user.gid);
    try {
      await run(
        initdb,
        [
          '-D',
          options.dataDir,
          '-U',
          options.user,
          `--pwfile=${passwordFile}`,
          '--auth=scram-sha-256',
          '-E',
          'UTF8',
          '--locale=C.UTF-8',
        ],
        { ...user },
      );
    } catch (error) {
      throw new UserError(
        `initdb failed: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`,
      );
    } finally {
      await rm(passwordFile, { force: true });
    }
  }
  return startServerProcess({
    name: 'postgres',
    command: join(binDir(), 'postgres'),
    args: [
      '-D',
      options.dataDir,
      '-p',
      String(options.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${options.dataDir}`,
      // Temporal's services each keep a pool; the default 100 is enough for one frontend, history and matching.
      '-c',
      'max_connections=200',
    ],
    user,
    stopSignal: 'SIGINT',
    runDir: options.runDir,
    isReady: async () => {
      await run(join(binDir(), 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(options.port)]);
      return true;
    },
  });
}
