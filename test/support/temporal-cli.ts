import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolveServerBinary } from '../../stack/binaries.ts';
import { CODEC_PREFIX } from '../../web/plugins/codec-server.ts';
import type { TestStack } from './stack.ts';

/**
 * `temporal workflow …` as an admin runs it (README, «Reading a pot»): against the test's server, JSON out, payloads
 * decoded by the review app's codec server at `webUrl` with the admins' token. Resolves to what the CLI prints.
 */
export const adminWorkflowCli =
  (stack: TestStack, webUrl: string, codecToken: string) =>
  async (...args: string[]): Promise<string> =>
    (
      await promisify(execFile)(await resolveServerBinary('temporal'), [
        'workflow',
        ...args,
        '--address',
        stack.env.address,
        '--output',
        'json',
        '--codec-endpoint',
        `${webUrl}${CODEC_PREFIX}`,
        '--codec-auth',
        `Bearer ${codecToken}`,
      ])
    ).stdout;
