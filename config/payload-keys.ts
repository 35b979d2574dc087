import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PayloadEncryptionCodec, type PayloadKeys } from './payload-codec.ts';
import { parsePayloadKeys, type Config } from './env.ts';
import { UserError } from './user-error.ts';

export const PAYLOAD_KEYS_FILE = 'payload-keys';

/**
 * The payload codec's keys: `PAYLOAD_KEYS`, or for the local stack of `npm start` one key generated on the first start
 * and kept in `<data dir>/payload-keys` (mode 600, the same `id:base64` list; append a line to rotate). Against a
 * cluster they must be configured: a key made per process would leave the other processes unable to read a case.
 */
export async function payloadKeys(config: Config): Promise<PayloadKeys> {
  if (config.temporal.payloadKeys) return config.temporal.payloadKeys;
  if (config.temporal.address) {
    throw new UserError(
      'configuration error: PAYLOAD_KEYS must be set against a Temporal cluster (every worker, the review app and the CLI share them)',
    );
  }
  const path = join(config.dataDir, PAYLOAD_KEYS_FILE);
  try {
    const lines = (await readFile(path, 'utf8'))
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    return parsePayloadKeys(lines.join(','), undefined, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(config.dataDir, { recursive: true });
  const id = `local-${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
  await writeFile(path, `${id}:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' }).catch((error) => {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
  return payloadKeys(config);
}

/**
 * The codec of the configured keys (the codec server's, and every client's and worker's through
 * `temporalDataConverter`). */
export async function payloadCodec(config: Config): Promise<PayloadEncryptionCodec> {
  return new PayloadEncryptionCodec(await payloadKeys(config));
}
