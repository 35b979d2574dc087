import { ApplicationFailure } from '@temporalio/activity';
import type { Client as MinioClient } from 'minio';
import { extractText, UnreadableDocumentError, unreadableFinding } from '../extraction/text.ts';
import type { ExtractedText, ObjectRef } from '../schemas/document.ts';
import { readObject } from './storage.ts';

export interface TextDeps {
  minio: MinioClient;
  /** Larger documents are refused unread, so one upload cannot exhaust the worker's memory. */
  maxDocumentBytes: number;
}

export function createTextActivities({ minio, maxDocumentBytes }: TextDeps) {
  return {
    /** The text of one object version. A document that cannot be read fails for good, with its finding as details. */
    async extractText(object: ObjectRef): Promise<ExtractedText> {
      let bytes: Buffer;
      try {
        bytes = await readObject(minio, object, maxDocumentBytes);
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        throw ApplicationFailure.nonRetryable(error.message, 'too-large', {
          code: 'too-large',
          severity: 'error',
          message: `Dokumentet er større enn ${Math.round(maxDocumentBytes / 1024 / 1024)} MB og ble ikke lest.`,
        });
      }
      try {
        return await extractText(bytes);
      } catch (error) {
        if (error instanceof UnreadableDocumentError) {
          throw ApplicationFailure.nonRetryable(error.message, error.code, unreadableFinding(error));
        }
        throw error;
      }
    },
  };
}
