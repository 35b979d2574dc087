import type { Client as MinioClient } from 'minio';
import {
  readAcceptance,
  readReport,
  type AcceptanceReading,
  type ReportReading,
} from '../extraction/follow-up-reader.ts';
import { ExtractedTextSchema } from '../schemas/document.ts';
import { recogniseIncoming, type IncomingKind, type PhraseEvidence } from '../schemas/follow-up-kind.ts';
import { readJson } from '../storage/objects.ts';

export interface FollowUpDeps {
  minio: MinioClient;
  recordsBucket: string;
}

/** What a document sent to a decided case is, and what it says when it is an acceptance or a report. */
export interface FollowUpDocument {
  kind: IncomingKind;
  /** The phrases the kind rests on, with their page and line, for the caseworker to check. */
  evidence: PhraseEvidence[];
  acceptance?: AcceptanceReading;
  report?: ReportReading;
}

/** Reading what comes to a case after its decision: an acceptance, a report, an appeal or a plain supplement. */
export function createFollowUpActivities({ minio, recordsBucket }: FollowUpDeps) {
  return {
    /**
     * Recognises a document's kind by its content (`recogniseIncoming`) from its stored text (`cases/<id>/…text.json`,
     * written by `extractText`), and reads the acceptance's bank account and signature or the report's fields.
     */
    async readFollowUpDocument({ textKey }: { textKey: string }): Promise<FollowUpDocument> {
      const text = ExtractedTextSchema.parse(await readJson(minio, recordsBucket, textKey));
      const { kind, evidence } = recogniseIncoming(text);
      return {
        kind,
        evidence,
        ...(kind === 'acceptance' && { acceptance: readAcceptance(text) }),
        ...(kind === 'report' && { report: readReport(text) }),
      };
    },
  };
}
