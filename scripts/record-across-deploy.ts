/**
 * Records the history of a case that lives across a deploy, for the replay test: a worker on an earlier commit's
 * workflow code routes the case and its caseworker claims it; that worker stops, today's takes over (replaying what
 * the old one did), and the case is proposed, approved and completed. `npm run test:histories` cannot make such a
 * history, as it needs the old code: this does, from git.
 *
 *   node --import tsx scripts/record-across-deploy.ts [commit]   # default 4e38e31, main just before proposals
 *
 * It writes test/histories/application-before-decisions.completed.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger, type NativeConnection } from '@temporalio/worker';
import { loadSchemes } from '../config/schemes.ts';
import { silentLogger } from '../config/logger.ts';
import { resultOf, routedCase, utdanningDraft } from '../test/support/decision-cases.ts';
import { saveHistory } from '../test/support/histories.ts';
import { startTestStack, startWorkers } from '../test/support/stack.ts';
import type * as IntakeService from '../worker/intake-service.ts';
import type * as ApplicationWorker from '../worker/application-worker.ts';
import { approveProposalUpdate, claimUpdate, proposeUpdate } from '../workflows/messages.ts';

const commit = process.argv[2] ?? '4e38e31';
const repo = fileURLToPath(new URL('..', import.meta.url));
const old = mkdtempSync(join(tmpdir(), `grant-intake-${commit}-`));
execFileSync('sh', ['-c', `git -C "${repo}" archive "${commit}" | tar -x -C "${old}"`]);
// The old code runs on this checkout's packages (one @temporalio/worker runtime in the process).
symlinkSync(join(repo, 'node_modules'), join(old, 'node_modules'));
process.env.UPDATE_HISTORIES = '1';

// The old code's own entry points: its signatures then were those of today's (checked when this was written).
const { startIntakeService } = (await import(join(old, 'worker/intake-service.ts'))) as typeof IntakeService;
const { workflowsPath } = (await import(join(old, 'worker/application-worker.ts'))) as typeof ApplicationWorker;

const stack = await startTestStack();
try {
  const before = await startIntakeService({
    config: stack.config,
    client: stack.env.client,
    workerConnection: stack.env.nativeConnection as NativeConnection,
    minio: stack.minio,
    webhookHost: '127.0.0.1',
    workflowBundle: await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') }),
    logger: silentLogger,
  });
  const scheme = (await loadSchemes()).find((s) => s.id === 'kompetanse-innovasjon-2017')!;
  const { handle } = await routedCase(stack, 'before-decisions', utdanningDraft(scheme, 950, 400_000), 950);
  await handle.executeUpdate(claimUpdate, { args: [{ actor: 'kari', notDisqualified: true }] });
  await before.stop();

  const after = await startWorkers(stack, { webhook: false });
  try {
    const grounds = { kind: 'approved-in-full' as const, amountGranted: 400_000, conditionIds: ['rapportering'] };
    const proposed = await handle.executeUpdate(proposeUpdate, { args: [{ actor: 'kari', grounds }] });
    const proposal = proposed.proposals.find((p) => p.status === 'open')!.seq;
    await handle.executeUpdate(approveProposalUpdate, { args: [{ actor: 'per', proposal, notDisqualified: true }] });
    const { decision } = await resultOf(handle);
    console.log(`${commit} → today: ${decision?.outcome} kr ${decision?.amount}`);
    await saveHistory(stack, 'application-before-decisions.completed', handle.workflowId, handle.firstExecutionRunId);
  } finally {
    await after.stop();
  }
} finally {
  await stack.stop();
  rmSync(old, { recursive: true, force: true });
}
