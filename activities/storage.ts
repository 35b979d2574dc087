import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import type { Client as MinioClient } from 'minio';
import type { AuditEntry, CaseState, Decision } from '../schemas/assessment.ts';
import { auditKey } from '../schemas/assessment.ts';
import { caseFolder, caseRecordKey, CaseRecordSchema, originalKey, type CaseDocument, type CaseRecord } from '../schemas/case-record.ts';
import type { ApplicationReading } from '../extraction/read-application.ts';
import type { DocumentInfo, ObjectRef } from '../schemas/document.ts';
import type { Route } from '../schemas/route.ts';
import type { Finding } from '../schemas/finding.ts';
import { pinVersion } from '../intake/inbox-objects.ts';
import { submissionFromMetadata } from '../intake/mailroom-metadata.ts';

export interface StorageDeps {
  minio: MinioClient;
  recordsBucket: string;
}

export interface StoreCaseInput {
  caseId: string;
  /** Where the intake object is moved once the case is stored. */
  movedTo: string;
  workflowId: string;
  object: ObjectRef;
  document: DocumentInfo;
  /** The stored text (`cases/<id>/text.json`), when the document could be read. */
  textKey?: string;
  reading?: ApplicationReading;
  route?: Route;
  /** For an e-mail dropped whole: the inbox keys its attachments were dropped under. */
  attachments?: string[];
  findings: Finding[];
  /** The case's documents before this one (attachments that came first and could not be read). */
  documents?: CaseDocument[];
  /** What this document is to the case; the application when not said. */
  role?: CaseDocument['role'];
  /** Why this document could not be read, when it could not. */
  unreadable?: Finding;
}

export interface KeepDocumentInput {
  caseId: string;
  object: ObjectRef;
  document: DocumentInfo;
  movedTo: string;
  role: CaseDocument['role'];
  /** Its place among the case's documents (1-based). */
  position: number;
  textKey?: string;
  unreadable?: Finding;
}

export function createStorageActivities({ minio, recordsBucket }: StorageDeps) {
  /** Keeps the original beside the case, hashing the very bytes kept; the same key on every attempt. */
  const keepOriginal = async (input: KeepDocumentInput): Promise<CaseDocument> => {
    const bytes = await readObject(minio, input.object);
    const key = originalKey(input.caseId, input.position, input.document.fileName);
    await minio.putObject(recordsBucket, key, bytes, bytes.length, {
      'Content-Type': input.document.contentType ?? 'application/octet-stream',
    });
    return {
      fileName: input.document.fileName,
      role: input.role,
      source: input.object,
      movedTo: input.movedTo,
      original: { bucket: recordsBucket, key, sha256: createHash('sha256').update(bytes).digest('hex') },
      ...(input.document.contentType && { contentType: input.document.contentType }),
      receivedAt: input.document.submission.receivedAt,
      ...(input.textKey && { textKey: input.textKey }),
      ...(input.unreadable && { unreadable: input.unreadable }),
    };
  };

  return {
    /**
     * Size, type and the mailroom's e-mail metadata of one object version (SPEC §5), and the object pinned to its
     * version id (the sweep lists names and etags only), so that every later step reads exactly these bytes.
     */
    async describeDocument(listed: ObjectRef): Promise<{ object: ObjectRef; document: DocumentInfo }> {
      const object = listed.versionId ? listed : await pinVersion(minio, listed);
      const stat = await minio
        .statObject(object.bucket, object.key, object.versionId ? { versionId: object.versionId } : {})
        .catch((error: { code?: string }) => {
          if (error.code === 'NotFound' || error.code === 'NoSuchKey' || error.code === 'NoSuchVersion') {
            throw ApplicationFailure.nonRetryable(`${object.bucket}/${object.key} no longer exists`, 'document-missing');
          }
          throw error;
        });
      const meta = stat.metaData as Record<string, string | undefined>;
      const uploadedAt = stat.lastModified.toISOString();
      const document: DocumentInfo = {
        fileName: posix.basename(object.key),
        size: stat.size,
        contentType: meta['content-type'],
        uploadedAt,
        submission: submissionFromMetadata(meta, uploadedAt),
      };
      return { object, document };
    },

    /**
     * Keeps a copy of the original (hashing the very bytes kept) and writes the case record beside it.
     * Same keys on every attempt, so a retry overwrites instead of adding a second record.
     */
    async storeCase(input: StoreCaseInput): Promise<{ recordKey: string; document: CaseDocument }> {
      const earlier = input.documents ?? [];
      const kept = await keepOriginal({
        ...input,
        role: input.role ?? 'application',
        position: earlier.length + 1,
      });
      const record: CaseRecord = CaseRecordSchema.parse({
        recordVersion: 1,
        caseId: input.caseId,
        workflowId: input.workflowId,
        source: input.object,
        movedTo: input.movedTo,
        document: input.document,
        original: kept.original,
        documents: [...earlier, kept],
        ...(input.textKey && { textKey: input.textKey }),
        ...(input.reading && { application: input.reading.application, provenance: input.reading.provenance }),
        ...(input.route && { route: input.route }),
        ...(input.attachments && { attachments: input.attachments }),
        findings: input.findings,
        recordedAt: new Date().toISOString(),
      });
      const recordKey = caseRecordKey(input.caseId);
      await writeJson(minio, recordsBucket, recordKey, record);
      return { recordKey, document: kept };
    },

    /** Keeps a copy of a document that joins a running case; the case record follows with `updateCaseRecord`. */
    async keepDocument(input: KeepDocumentInput): Promise<CaseDocument> {
      return keepOriginal(input);
    },

    /**
     * Appends one entry to the case's audit log (`cases/<id>/audit/<seq>-<event>.json`). The log is append-only: an
     * entry already there (a retry after a lost reply) is left as it is, never overwritten.
     */
    async appendAudit(entry: AuditEntry): Promise<string> {
      const key = auditKey(caseFolder(String(entry.caseId)), entry);
      await writeJsonOnce(minio, recordsBucket, key, entry);
      return key;
    },

    /** Rewrites the case record with the case as it now stands: the application, findings and route, and its assessment. */
    async updateCaseRecord(state: CaseState): Promise<void> {
      const record = CaseRecordSchema.parse(await readJson(minio, recordsBucket, state.recordKey));
      const updated: CaseRecord = CaseRecordSchema.parse({
        ...record,
        application: state.application,
        provenance: state.provenance,
        route: state.route,
        findings: state.findings,
        ...(state.documents && { documents: state.documents }),
        assessment: {
          status: state.status,
          ...(state.assignee && { assignee: state.assignee }),
          corrections: state.corrections,
          late: state.late,
          ...(state.decision && { decision: state.decision }),
        },
        recordedAt: new Date().toISOString(),
      });
      await writeJson(minio, recordsBucket, state.recordKey, updated);
    },

    /** The decision, beside the case record (`cases/<id>/decision.json`). Same key and content on a retry. */
    async recordDecision({ caseId, decision }: { caseId: string; decision: Decision }): Promise<string> {
      const key = `${caseFolder(caseId)}/decision.json`;
      await writeJson(minio, recordsBucket, key, { caseId, ...decision });
      return key;
    },
  };
}

export async function writeJson(minio: MinioClient, bucket: string, key: string, value: unknown): Promise<void> {
  const json = Buffer.from(JSON.stringify(value, null, 2));
  await minio.putObject(bucket, key, json, json.length, { 'Content-Type': 'application/json' });
}

/** Writes a log entry that is never overwritten: a retried activity finds it there and leaves the first one. */
export async function writeJsonOnce(minio: MinioClient, bucket: string, key: string, value: unknown): Promise<void> {
  const exists = await minio.statObject(bucket, key).then(
    () => true,
    (error: { code?: string }) => {
      if (error.code === 'NotFound' || error.code === 'NoSuchKey') return false;
      throw error;
    },
  );
  if (!exists) await writeJson(minio, bucket, key, value);
}

export async function readJson(minio: MinioClient, bucket: string, key: string): Promise<unknown> {
  return JSON.parse((await readObject(minio, { bucket, key })).toString('utf8'));
}

export async function readObject(minio: MinioClient, object: Pick<ObjectRef, 'bucket' | 'key' | 'versionId'>, maxBytes = Infinity): Promise<Buffer> {
  const stream = await minio.getObject(object.bucket, object.key, object.versionId ? { versionId: object.versionId } : {});
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      stream.destroy();
      throw new RangeError(`object larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
