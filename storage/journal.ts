import type { Client as MinioClient } from 'minio';
import { CaseRecordSchema, caseRecordKey } from '../schemas/case-record.ts';
import { journalCsv, JournalEntrySchema, publicJournal, type JournalEntry } from '../schemas/journal.ts';
import { listKeys, readJson, readJsonIfExists } from './objects.ts';

/**
 * The journal (postjournal) in the records bucket: one object per entry, `journal/<case>/<running number>.json`, never
 * overwritten, so that the archive can read it without Temporal. The web app and the CLI export it from here.
 */

export const journalPrefix = 'journal/';
export const caseJournalPrefix = (caseId: string) => `${journalPrefix}${caseId}/`;
/** Zero-padded, so that S3's key order is the running number's. */
export const journalEntryKey = (caseId: string, number: number) =>
  `${caseJournalPrefix(caseId)}${String(number).padStart(6, '0')}.json`;

const readEntries = (minio: MinioClient, bucket: string, keys: string[]) =>
  Promise.all(keys.map(async (key) => JournalEntrySchema.parse(await readJson(minio, bucket, key))));

/** A case's journal, in running order. */
export async function readCaseJournal(minio: MinioClient, bucket: string, caseId: string): Promise<JournalEntry[]> {
  return readEntries(minio, bucket, await listKeys(minio, bucket, caseJournalPrefix(caseId)));
}

/** Which entries an export holds: every case's, or those dated within a range (both days included, YYYY-MM-DD). */
export interface JournalRange {
  from?: string;
  to?: string;
}

/** Every case's journal entries within the range, by case and running number. */
export async function readJournal(
  minio: MinioClient,
  bucket: string,
  { from, to }: JournalRange = {},
): Promise<JournalEntry[]> {
  const entries = await readEntries(minio, bucket, await listKeys(minio, bucket, journalPrefix));
  return entries.filter((e) => (!from || e.date >= from) && (!to || e.date <= to));
}

/**
 * The persons a case knows beyond its journal's parties (the contact person, who signed the application), whose names
 * the public journal screens wherever they stand in a title.
 */
async function personsOf(minio: MinioClient, bucket: string, caseIds: Iterable<string>): Promise<string[]> {
  const names = await Promise.all(
    [...caseIds].map(async (caseId) => {
      const raw = await readJsonIfExists(minio, bucket, caseRecordKey(caseId));
      const application = raw === undefined ? undefined : CaseRecordSchema.safeParse(raw).data?.application;
      return [application?.contact?.name, application?.signature?.name];
    }),
  );
  return names.flat().filter((name): name is string => Boolean(name));
}

export interface JournalExport {
  /** The CSV (`schemas/journal.ts` `journalCsv`): for the archive, or the public journal. */
  csv: string;
  entries: JournalEntry[];
}

/**
 * The journal as the archive gets it (every name), or the public journal (offentleglova: the names of persons screened,
 * also where they stand in a title, and every e-mail address), all cases or a date range.
 */
export async function exportJournal(
  minio: MinioClient,
  bucket: string,
  { public: screened = false, ...range }: JournalRange & { public?: boolean } = {},
): Promise<JournalExport> {
  const whole = await readJournal(minio, bucket, range);
  const entries = screened
    ? publicJournal(whole, await personsOf(minio, bucket, new Set(whole.map((e) => e.caseId))))
    : whole;
  return { csv: journalCsv(entries), entries };
}
