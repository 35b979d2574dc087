import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import type { Client as MinioClient } from 'minio';
import { auditKey, type AuditEntry } from '../schemas/assessment/audit.ts';
import type { CaseState, Decision } from '../schemas/assessment/state.ts';
import {
  caseFolder,
  caseRecordKey,
  CaseRecordSchema,
  originalKey,
  type CaseDocument,
  type CaseRecord,
} from '../schemas/case-record.ts';
import type { ApplicationReading } from '../extraction/read-application.ts';
import type { DocumentInfo, ObjectRef } from '../schemas/document.ts';
import type { Route } from '../schemas/route.ts';
import type { Finding } from '../schemas/finding.ts';
import { submissionFromMetadata } from '../schemas/mailroom-metadata.ts';
import { pinVersion } from '../storage/inbox.ts';
import { readJson, readObject, statObject, writeJson, writeJsonOnce } from '../storage/objects.ts';

export interface StorageDeps {
  minio: MinioClient;
  recordsBucket: string;
}

export interface StoreCaseInput {
  caseId: string;
  workflowId: string;
  /** The document the record is about (the one read as the application, or the last one that could not be), kept. */
  kept: CaseDocument;
  document: DocumentInfo;
  /** The stored text (`cases/<id>/text.json`), when the document could be read. */
  textKey?: string;
  reading?: Pick<ApplicationReading, 'application' | 'provenance'>;
  route?: Route;
  /** For an e-mail dropped whole: the inbox keys its attachments were dropped under. */
  attachments?: string[];
  findings: Finding[];
  /** Every document of the case so far, `kept` included. */
  documents: CaseDocument[];
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
      const stat = object && (await statObject(minio, object));
      if (!object || !stat)
        throw ApplicationFailure.nonRetryable(`${listed.bucket}/${listed.key} no longer exists`, 'document-missing');
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

    /** Writes the case record (its documents are kept already). The same key on every attempt: a retry overwrites. */
    async storeCase(input: StoreCaseInput): Promise<{ recordKey: string }> {
      const record: CaseRecord = CaseRecordSchema.parse({
        recordVersion: 1,
        caseId: input.caseId,
        workflowId: input.workflowId,
        source: input.kept.source,
        movedTo: input.kept.movedTo,
        document: input.document,
        original: input.kept.original,
        documents: input.documents,
        ...(input.textKey && { textKey: input.textKey }),
        ...(input.reading && { application: input.reading.application, provenance: input.reading.provenance }),
        ...(input.route && { route: input.route }),
        ...(input.attachments?.length && { attachments: input.attachments }),
        findings: input.findings,
        recordedAt: new Date().toISOString(),
      });
      const recordKey = caseRecordKey(input.caseId);
      await writeJson(minio, recordsBucket, recordKey, record);
      return { recordKey };
    },

    /** The record of a case whose document was gone before anything could be kept: where it was, and the findings. */
    async recordVanished(input: {
      caseId: string;
      workflowId: string;
      object: ObjectRef;
      findings: Finding[];
    }): Promise<{ recordKey: string }> {
      const record: CaseRecord = CaseRecordSchema.parse({
        recordVersion: 1,
        caseId: input.caseId,
        workflowId: input.workflowId,
        source: input.object,
        movedTo: input.object.key,
        findings: input.findings,
        recordedAt: new Date().toISOString(),
      });
      const recordKey = caseRecordKey(input.caseId);
      await writeJson(minio, recordsBucket, recordKey, record);
      return { recordKey };
    },

    /** Keeps a copy of a document that comes to a case; the case record follows (`storeCase`, `updateCaseRecord`). */
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

    /**
     * Rewrites the case record with the case as it now stands: the application, findings and route, and its assessment.
     * */
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
          ...(state.letters?.length && { letters: state.letters }),
        },
        ...(state.followUp && { followUp: state.followUp }),
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
