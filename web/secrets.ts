import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/env.ts';

/**
 * The secret session cookies are sealed with: `WEB_SESSION_SECRET`, or one generated on the first start and kept in
 * `<data dir>/web-session-secret` (mode 600) when the local stack's data folder exists, so a restarted app reads the
 * sessions it sealed before. Against clusters nothing is written locally: without `WEB_SESSION_SECRET` the secret is
 * made per process, and a restart or another replica signs everyone out (set it, the same on every replica).
 * Never logged.
 */
export async function sessionSecret(config: Config): Promise<string> {
  return (
    config.web.sessionSecret ??
    (await keptSecret(config, 'web-session-secret')) ??
    randomBytes(32).toString('base64url')
  );
}

export const CODEC_TOKEN_FILE = 'temporal-codec-token';

/**
 * The bearer token admins' tools (the Temporal CLI's `--codec-auth`) give the codec server: `TEMPORAL_CODEC_TOKEN`,
 * or for the local stack one generated on the first start into `<data dir>/temporal-codec-token` (mode 600). Against
 * clusters without it the codec server takes admins' sessions only: a token made per process could be known to no one.
 * Never logged.
 */
export async function codecToken(config: Config): Promise<string | undefined> {
  return config.web.codecToken ?? (await keptSecret(config, CODEC_TOKEN_FILE));
}

/**
 * A secret kept in the local stack's data folder, made on first use; undefined when there is no data folder (clusters).
 * */
async function keptSecret(config: Config, fileName: string): Promise<string | undefined> {
  if (!existsSync(config.dataDir)) return undefined;
  const path = join(config.dataDir, fileName);
  try {
    const kept = (await readFile(path, 'utf8')).trim();
    if (kept.length >= 32) return kept;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const fresh = randomBytes(32).toString('base64url');
  await writeFile(path, `${fresh}\n`, { mode: 0o600 });
  return fresh;
}
