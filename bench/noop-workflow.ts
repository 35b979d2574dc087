import {
  condition,
  defineSignal,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { noopActivities } from './noop-activities.ts';
import { searchAttributes } from '../workflows/messages.ts';

/** The timeouts and retry policies of `workflows/activities.ts` (storage, reading, processing). */
const storage = proxyActivities<typeof noopActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});
const reading = proxyActivities<typeof noopActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});
const processing = proxyActivities<typeof noopActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

/** Intake delivers a document with signal-with-start, as it does to a case workflow. */
export const benchDocumentSignal = defineSignal<[unknown]>('document');

/**
 * The pipeline's baseline: the shape of `application` up to the routed case (started with a signal, the same six
 * remote activities in the same order, the same search-attribute and memo upserts), each activity doing nothing;
 * then it waits for a caseworker behind a timer, as a routed case does. What remains of the pipeline's cost once the
 * work is taken out.
 */
export async function benchNoopApplication({ caseId }: { caseId: string }): Promise<void> {
  setHandler(benchDocumentSignal, () => {});
  upsertSearchAttributes([{ key: searchAttributes.status, value: 'reading' }]);
  const { receivedAt } = await storage.describeDocument(caseId);
  upsertSearchAttributes([
    { key: searchAttributes.receivedAt, value: new Date(receivedAt) },
    { key: searchAttributes.caseReference, value: caseId },
  ]);
  const { textKey } = await reading.readText(caseId);
  const read = await reading.readFields(textKey);
  const check = await processing.checkApplication(read);
  await storage.storeCase(caseId);
  await storage.moveOutOfInbox(caseId);
  upsertSearchAttributes([
    { key: searchAttributes.status, value: check.stage },
    { key: searchAttributes.queue, value: check.queue },
    { key: searchAttributes.errorCount, value: 0 },
    { key: searchAttributes.warningCount, value: 0 },
  ]);
  upsertMemo({ summary: `bench no-op ${caseId}` });
  await condition(() => false, '30 days');
}
