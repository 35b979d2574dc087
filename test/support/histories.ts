import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { resolveServerBinary } from '../../stack/binaries.ts';

/**
 * With UPDATE_HISTORIES=1 (`npm run test:histories`), saves a workflow's history for the replay test, in the
 * Temporal CLI's JSON (the same as the Temporal UI's download). A run id picks one run of a workflow that continued as new.
 */
export async function saveHistory(address: string, name: string, workflowId: string, runId?: string): Promise<void> {
  if (!process.env.UPDATE_HISTORIES) return;
  const { stdout } = await promisify(execFile)(await resolveServerBinary('temporal'), [
    'workflow', 'show', '--workflow-id', workflowId, ...(runId ? ['--run-id', runId] : []), '--address', address, '--output', 'json',
  ]);
  await writeFile(new URL(`../histories/${name}.json`, import.meta.url), stdout);
}
