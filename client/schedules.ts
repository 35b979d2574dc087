import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Config } from '../config/env.ts';
import type { inboxSweep } from '../workflows/inbox-sweep.ts';

/** Fixed ids: one sweep schedule per namespace and task queue, however many workers start. */
export const sweepScheduleId = (config: Config) => `inbox-sweep:${config.temporal.taskQueue}`;

/**
 * The Temporal Schedule that sweeps `inbox/` periodically. Overlap SKIP: a slow sweep (a very large inbox) is never
 * run twice at once. Created once, brought up to date on every start (the interval may have changed).
 */
export async function ensureInboxSweepSchedule(client: Client, config: Config): Promise<void> {
  const options: ScheduleOptions = {
    scheduleId: sweepScheduleId(config),
    spec: { intervals: [{ every: `${config.sweep.intervalSeconds} seconds` }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'inboxSweep',
      workflowId: `inbox-sweep:${config.temporal.taskQueue}`,
      taskQueue: config.temporal.taskQueue,
      args: [{ pageSize: config.sweep.pageSize }] satisfies Parameters<typeof inboxSweep>,
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
    memo: {
      summary: `Sweeps ${config.buckets.intake}/inbox/ every ${config.sweep.intervalSeconds} s for documents without a workflow`,
    },
  };
  try {
    await client.schedule.create(options);
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule
      .getHandle(options.scheduleId)
      .update((previous) => ({ ...previous, spec: options.spec, action: options.action }));
  }
}
