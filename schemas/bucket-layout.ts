/**
 * The intake bucket's layout: the mailroom drops into `inbox/`; a handled document moves to `processed/`, one that
 * could not be read to `quarantine/`, each with its metadata. The inbox therefore holds only what is still to do.
 */
export const INBOX_PREFIX = 'inbox/';
export const PROCESSED_PREFIX = 'processed/';
export const QUARANTINE_PREFIX = 'quarantine/';

/** Where a handled inbox object goes: the same name under `processed/` or `quarantine/`. */
export function movedKey(inboxKey: string, to: 'processed' | 'quarantine'): string {
  const rest = inboxKey.startsWith(INBOX_PREFIX) ? inboxKey.slice(INBOX_PREFIX.length) : inboxKey;
  return `${to === 'processed' ? PROCESSED_PREFIX : QUARANTINE_PREFIX}${rest}`;
}

/**
 * S3 metadata the pipeline itself sets on the attachments it takes out of an e-mail dropped whole: the case they
 * belong to (the e-mail's), whatever message-id they carry.
 */
export const CASE_METADATA_KEY = 'grant-intake-case';

/** Where a case lives in the records bucket: `cases/<reference>/`. */
export const caseFolder = (caseId: string) => `cases/${caseId}`;
