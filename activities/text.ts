import { ApplicationFailure } from '@temporalio/activity';
import type { Client as MinioClient } from 'minio';
import { sniffDocument } from '../extraction/document-type.ts';
import {
  ocrDocument,
  readTextLayer,
  UnreadableDocumentError,
  unreadableFinding,
  type NeedsOcr,
} from '../extraction/text.ts';
import type { ExtractedText, ObjectRef } from '../schemas/document.ts';
import { documentTextKey } from '../schemas/case-record.ts';
import { readObject, writeJson } from '../storage/objects.ts';
import { heartbeating } from './heartbeat.ts';

export interface TextDeps {
  minio: MinioClient;
  recordsBucket: string;
  /** Larger documents are refused unread, so one upload cannot exhaust the worker's memory. */
  maxDocumentBytes: number;
}

/**
 * What the workflow keeps of a document's text: where it is stored, and its shape. The text itself stays out of
 * history. */
export interface TextRead {
  textKey: string;
  type: ExtractedText['type'];
  method: ExtractedText['method'];
  pages: number;
  characters: number;
}

/** Read; a scan, for OCR; or an e-mail, whose attachments are the documents (`expandEmail`). */
export type TextOutcome =
  { status: 'read'; text: TextRead } | { status: 'needs-ocr'; scan: NeedsOcr } | { status: 'email' };

export interface TextInput {
  object: ObjectRef;
  caseId: string;
}

export function createTextActivities({ minio, recordsBucket, maxDocumentBytes }: TextDeps) {
  const store = async (caseId: string, object: ObjectRef, text: ExtractedText): Promise<TextRead> => {
    const textKey = documentTextKey(caseId, object);
    await writeJson(minio, recordsBucket, textKey, text);
    const characters = text.pages.reduce((sum, page) => sum + page.text.length, 0);
    return { textKey, type: text.type, method: text.method, pages: text.pages.length, characters };
  };
  return {
    /**
     * The text of one object version, stored beside the case; a scan is left for OCR. A document that cannot be read
     * fails for good, with its finding as details.
     */
    async readText({ object, caseId }: TextInput): Promise<TextOutcome> {
      return heartbeating(async () => {
        const bytes = await refusingUnreadable(() => fetchDocument(minio, object, maxDocumentBytes));
        if (sniffDocument(bytes).kind === 'email') return { status: 'email' };
        const read = await refusingUnreadable(() => readTextLayer(bytes));
        if ('needsOcr' in read) return { status: 'needs-ocr', scan: read };
        return { status: 'read', text: await store(caseId, object, read) };
      });
    },

    /**
     * OCR of a scan: the CPU-heavy step, on a task queue of its own so that it scales apart. Heartbeats while it
     * works, so a worker that dies mid-scan is noticed in seconds and the scan is read again elsewhere.
     */
    async ocrText({ object, caseId, scan }: TextInput & { scan: NeedsOcr }): Promise<TextRead> {
      return heartbeating(async () => {
        const text = await refusingUnreadable(async () =>
          ocrDocument(await fetchDocument(minio, object, maxDocumentBytes), scan),
        );
        return store(caseId, object, text);
      });
    },
  };
}

/** The bytes of a document to read; one over the size limit is refused unread. */
export async function fetchDocument(minio: MinioClient, object: ObjectRef, maxBytes: number): Promise<Buffer> {
  try {
    return await readObject(minio, object, maxBytes);
  } catch (error) {
    const code = (error as { code?: string }).code;
    // Deleted from the inbox between its event and its reading: a retry cannot bring it back.
    if (code === 'NoSuchKey' || code === 'NoSuchVersion' || code === 'NotFound') {
      throw ApplicationFailure.nonRetryable(`${object.bucket}/${object.key} no longer exists`, 'document-missing');
    }
    if (!(error instanceof RangeError)) throw error;
    throw new UnreadableDocumentError(
      'too-large',
      error.message,
      `filen er større enn ${Math.round(maxBytes / 1024 / 1024)} MB`,
    );
  }
}

/**
 * A document that cannot be read fails for good (a retry reads the same bytes), with the caseworker's finding as
 * details. */
export async function refusingUnreadable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UnreadableDocumentError)
      throw ApplicationFailure.nonRetryable(error.message, error.code, unreadableFinding(error));
    throw error;
  }
}
