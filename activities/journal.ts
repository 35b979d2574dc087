import { ApplicationFailure } from '@temporalio/activity';
import type { Client as MinioClient } from 'minio';
import { JournalEntrySchema, type JournalEntry, type JournalRegistration } from '../schemas/journal.ts';
import { journalEntryKey, readCaseJournal } from '../storage/journal.ts';
import { readJsonIfExists, writeJsonOnce } from '../storage/objects.ts';

export interface JournalDeps {
  minio: MinioClient;
  recordsBucket: string;
}

export interface RegisterInJournalInput {
  caseId: string;
  /** The entry's running number within the case, as the case's journal (`register` in `schemas/journal.ts`) gave it. */
  number: number;
  registration: JournalRegistration;
}

/** The journal's activities: a case registers each document and letter, once, in the records bucket. */
export function createJournalActivities({ minio, recordsBucket }: JournalDeps) {
  return {
    /**
     * Keeps the entry at `journal/<case>/<number>.json`, once: a retry finds it there and changes nothing. A number
     * already holding another document is refused (not retried): two documents never share a journal number.
     */
    async registerInJournal({ caseId, number, registration }: RegisterInJournalInput): Promise<JournalEntry> {
      const entry = JournalEntrySchema.parse({ ...registration, caseId, number });
      const key = journalEntryKey(caseId, number);
      const kept = await readJsonIfExists(minio, recordsBucket, key);
      if (kept !== undefined) {
        const first = JournalEntrySchema.parse(kept);
        if (first.source !== entry.source)
          throw ApplicationFailure.nonRetryable(
            `journal number ${caseId}/${number} is ${first.source}'s, not ${entry.source}'s`,
            'JournalNumberTaken',
          );
        return first;
      }
      await writeJsonOnce(minio, recordsBucket, key, entry);
      return entry;
    },

    /** The case's journal as the records bucket holds it, in running order. */
    async readCaseJournal(caseId: string): Promise<JournalEntry[]> {
      return readCaseJournal(minio, recordsBucket, caseId);
    },
  };
}
