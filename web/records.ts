import type { Client as MinioClient } from 'minio';
import { CaseRecordSchema, type CaseRecord } from '../schemas/case-record.ts';
import { readJson } from '../storage/objects.ts';

/**
 * Every case record in the records bucket (`cases/<id>/record.json`), for the round overview, its exports and the
 * correction rates: the records are the truth, decided cases included. Read again only when a record's etag changed.
 */
export class RecordsIndex {
  private readonly cache = new Map<string, { etag: string; record: CaseRecord }>();

  constructor(private readonly deps: { minio: MinioClient; recordsBucket: string; concurrency?: number }) {}

  async all(): Promise<CaseRecord[]> {
    const listed: Array<{ key: string; etag: string }> = [];
    const stream = this.deps.minio.listObjectsV2(this.deps.recordsBucket, 'cases/', true);
    for await (const item of stream as AsyncIterable<{ name?: string; etag?: string }>) {
      if (item.name?.endsWith('/record.json')) listed.push({ key: item.name, etag: item.etag ?? '' });
    }
    const stale = listed.filter(({ key, etag }) => this.cache.get(key)?.etag !== etag);
    const queue = [...stale];
    const workers = Array.from({ length: Math.min(this.deps.concurrency ?? 8, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { key, etag } = next;
        try {
          const raw = await readJson(this.deps.minio, this.deps.recordsBucket, key);
          const parsed = CaseRecordSchema.safeParse(raw);
          this.cache.set(key, { etag, record: parsed.success ? parsed.data : (raw as CaseRecord) });
        } catch {
          // Written while we listed it, or unreadable: left out until the next look.
        }
      }
    });
    await Promise.all(workers);
    const keys = new Set(listed.map((l) => l.key));
    for (const key of this.cache.keys()) if (!keys.has(key)) this.cache.delete(key);
    return listed.flatMap(({ key }) => {
      const entry = this.cache.get(key);
      return entry ? [entry.record] : [];
    });
  }
}

/** The status a record stands in (the assessment's, else where intake left it). */
export function recordStatus(record: CaseRecord): string {
  if (record.assessment?.status) return record.assessment.status;
  if (!record.document) return 'vanished';
  if (record.movedTo.startsWith('quarantine/')) return 'quarantined';
  if (record.attachments && !record.application) return 'expanded';
  return record.route?.stage ?? 'received';
}

/** The reference people use for the case (the record's own when it has one). */
export const recordReference = (record: CaseRecord) => {
  const reference = (record as { reference?: unknown }).reference;
  return typeof reference === 'string' ? reference : record.caseId;
};
