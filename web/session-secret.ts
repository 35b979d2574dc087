import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/env.ts';

/**
 * The key that signs session cookies: `WEB_SESSION_SECRET`, or one generated on the first start and kept in
 * `<data dir>/web-session-secret` (mode 600) when the local stack's data folder exists. Against clusters nothing is
 * written locally: the key is then made per process (sessions live in memory, so a restart ends them either way).
 * Never logged.
 */
export async function sessionSecret(config: Config): Promise<string> {
  if (config.web.sessionSecret) return config.web.sessionSecret;
  const fresh = randomBytes(32).toString('base64url');
  if (!existsSync(config.dataDir)) return fresh;
  const path = join(config.dataDir, 'web-session-secret');
  try {
    const kept = (await readFile(path, 'utf8')).trim();
    if (kept.length >= 32) return kept;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await writeFile(path, `${fresh}\n`, { mode: 0o600 });
  return fresh;
}
