import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * What workflows share with the worker, the intake, the CLI and the web app: names stored in history
 * and in the visibility store. Never rename one: running and finished workflows keep the old name.
 */

/** The custom search attributes an admin filters by in the Temporal UI. Registered when the stack starts. */
export const searchAttributes = {
  scheme: defineSearchAttributeKey('GrantScheme', SearchAttributeType.KEYWORD),
  queue: defineSearchAttributeKey('GrantQueue', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD),
  caseReference: defineSearchAttributeKey('CaseReference', SearchAttributeType.KEYWORD),
  municipality: defineSearchAttributeKey('Municipality', SearchAttributeType.KEYWORD),
  organisationNumber: defineSearchAttributeKey('OrganisationNumber', SearchAttributeType.KEYWORD),
  amountRequested: defineSearchAttributeKey('AmountRequested', SearchAttributeType.INT),
  errorCount: defineSearchAttributeKey('ErrorCount', SearchAttributeType.INT),
  warningCount: defineSearchAttributeKey('WarningCount', SearchAttributeType.INT),
  receivedAt: defineSearchAttributeKey('ReceivedAt', SearchAttributeType.DATETIME),
} as const;

export const allSearchAttributes = Object.values(searchAttributes);

/** OCR runs on a task queue of its own beside the application's, so that it scales apart. */
export const ocrTaskQueue = (taskQueue: string) => `${taskQueue}-ocr`;

/**
 * Case statuses as the `CaseStatus` search attribute shows them: being read, then the stage it waits in for a
 * caseworker (SPEC routing), or quarantined when the document could not be read.
 */
export type CaseStatus = 'received' | 'reading' | 'triage' | 'needs-correction' | 'ready-for-assessment' | 'quarantined';
