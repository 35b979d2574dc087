import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { workflowsPath } from '../worker/application-worker.ts';

Runtime.install({ logger: new DefaultLogger('WARN') });

const historiesDir = new URL('./histories/', import.meta.url);

/**
 * Running cases must keep working after a deploy: every recorded history (one per workflow path, refreshed with
 * `npm run test:histories`) replays against today's workflow code without a nondeterminism error.
 */
test('recorded workflow histories replay against the current workflow code', async () => {
  const files = (await readdir(historiesDir)).filter((f) => f.endsWith('.json')).sort();
  assert.ok(files.length >= 3, 'histories of every workflow path are recorded');
  const workflowTypes = new Set<string>();
  for (const file of files) {
    const { events } = JSON.parse(await readFile(new URL(file, historiesDir), 'utf8')) as {
      events: { workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } } }[];
    };
    workflowTypes.add(String(events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name));
  }
  assert.deepEqual(
    [...workflowTypes].sort(),
    ['application', 'grantFollowUp', 'inboxSweep', 'paymentRun', 'pot'],
    'every workflow type has a recorded history',
  );
  async function* histories() {
    for (const file of files) {
      yield { workflowId: file, history: JSON.parse(await readFile(new URL(file, historiesDir), 'utf8')) };
    }
  }
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowsPath, replayName: 'replay-test' }, histories())) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  assert.deepEqual(failures, []);
});
