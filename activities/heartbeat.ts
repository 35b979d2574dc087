import { Context } from '@temporalio/activity';

/**
 * Runs an activity's work while telling Temporal it is alive, so that a worker that dies mid-work (killed, out of
 * memory, its machine gone) is noticed within the heartbeat timeout and the work runs again elsewhere, instead of
 * waiting out the whole start-to-close timeout.
 */
export async function heartbeating<T>(work: () => Promise<T>, everyMs = 5_000): Promise<T> {
  const context = Context.current();
  const beat = setInterval(() => context.heartbeat(), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(beat);
  }
}
