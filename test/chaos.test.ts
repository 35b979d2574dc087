import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runChaos } from './chaos.ts';

/**
 * Nothing is lost on a bad day: documents uploaded while the worker is killed three times, MinIO is restarted and the
 * Temporal server is restarted all end as exactly one case each, in their queues (`test/chaos.ts`; run it with
 * `--documents 1000` by hand).
 */
test(
  'uploads through worker kills and server restarts: every submission one case, in its queue, nothing twice',
  { timeout: 600_000 },
  async () => {
    const report = await runChaos({ documents: 24, seed: 11 });
    assert.deepEqual(report.problems, []);
    assert.equal(report.workerKills, 3);
    assert.equal(report.minioRestarts, 1);
    assert.equal(report.temporalRestarts, 1);
  },
);
