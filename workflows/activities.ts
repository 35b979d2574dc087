import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import { ocrTaskQueue } from './messages.ts';

/** The activities as workflows call them: a timeout and a retry policy per kind of work, set once. */

/** Keeping and moving objects, writing records: quick; a document that has gone is not retried. */
export const storage = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['document-missing'] },
});

/**
 * Reading a document's text and fields. They heartbeat, so a worker killed mid-read is noticed in seconds, not after
 * the 5 minutes the language model may need (a minute per request, rate limits retried).
 */
export const reading = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

/**
 * Checking an application against its scheme, taking an e-mail apart: bounded work in seconds, so a short timeout is
 * what brings a task lost with a killed worker back soon.
 */
export const processing = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

/** OCR, on its own task queue beside the workflow's (see `worker/application-worker.ts`). */
export function ocr(taskQueue: string) {
  return proxyActivities<Activities>({
    taskQueue: ocrTaskQueue(taskQueue),
    // A page reads in about a second; a long scan on a busy worker may wait its turn.
    startToCloseTimeout: '20 minutes',
    heartbeatTimeout: '30 seconds',
    retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
  });
}

/**
 * A case's requests to its pot's ledger (`activities/ledger.ts`): Update-With-Start on the pot workflow. A refusal
 * (`refused`, the Bokmål reason in its message) is not retried; the server or a worker being away is, for as long as
 * it takes: the ledger is idempotent by case.
 */
export const ledger = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: ['refused', 'unknown-pot'],
  },
});

/**
 * Writing a decision letter and sending it. Sending is retried for as long as the mail server is away (a letter is
 * never lost); an address it refuses for good comes back as a finding, not a failure.
 */
export const letters = proxyActivities<Activities>({
  startToCloseTimeout: '3 minutes',
  retry: {
    initialInterval: '5 seconds',
    maximumInterval: '10 minutes',
    nonRetryableErrorTypes: ['UnknownScheme', 'InvalidDecision', 'LetterMissing', 'LetterChanged'],
  },
});

/** The journal (postjournal): one write-once object per entry; a number held by another document is not retried. */
export const journal = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['JournalNumberTaken'] },
});

/** Recognising and reading what comes to a decided case: text already stored, so seconds. */
export const followUp = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

/**
 * Payments and payment runs (`activities/payments.ts`): records in the records bucket, each written once, so a retry
 * after any failure is safe; a payment that is not approved is refused, not retried.
 */
export const payments = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['PaymentNotApproved'] },
});
