import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';

export interface InboxSweepInput {
  /** Objects listed per activity call: bounds the memory and time of one call on a very large inbox. */
  pageSize: number;
  /** Where a continued sweep resumes. */
  startAfter?: string;
}

export interface InboxSweepResult {
  seen: number;
  /** Objects handed to their case; a case ignores one it already has, so a second sweep delivers again harmlessly. */
  delivered: number;
}

const { sweepInboxPage } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '30 seconds', maximumAttempts: 5 },
});

/** Pages per run before the sweep continues as new, so its history stays small however large the inbox is. */
const PAGES_PER_RUN = 100;

/** The periodic sweep of `inbox/`: hands every object still there to its case (the webhook's safety net). */
export async function inboxSweep({ pageSize, startAfter }: InboxSweepInput): Promise<InboxSweepResult> {
  const total: InboxSweepResult = { seen: 0, delivered: 0 };
  let cursor = startAfter;
  for (let page = 0; page < PAGES_PER_RUN; page++) {
    const result = await sweepInboxPage({ startAfter: cursor, pageSize });
    total.seen += result.seen;
    total.delivered += result.delivered;
    if (!result.next) return total;
    cursor = result.next;
  }
  return continueAsNew<typeof inboxSweep>({ pageSize, startAfter: cursor });
}
