import { posix } from 'node:path';
import libmime from 'libmime';
import type { Client as MinioClient } from 'minio';
import { documentsIn } from '../extraction/documents.ts';
import { CASE_METADATA_KEY, INBOX_PREFIX } from '../schemas/bucket-layout.ts';
import type { DocumentInfo, ObjectRef } from '../schemas/document.ts';
import type { Finding } from '../schemas/finding.ts';
import { unreadableFinding } from '../extraction/unreadable.ts';
import { fetchDocument, refusingUnreadable } from './text.ts';

export interface EmailDeps {
  minio: MinioClient;
  maxDocumentBytes: number;
}

export interface Expansion {
  /** The attachments, each dropped into the inbox as the mailroom would have dropped it. */
  dropped: string[];
  /** The same attachments as object versions, for the case to take in at once (their events may come later). */
  objects?: ObjectRef[];
  /** What could not be taken out of the e-mail (no attachments, nested too deep, too many). */
  findings: Finding[];
}

/**
 * An e-mail dropped whole (.eml) becomes what the mailroom would otherwise have dropped: each attachment in the inbox
 * with the e-mail's facts as metadata (SPEC §5), where the triggers pick it up like any other document. The keys
 * derive from the e-mail's own key, so a retry writes the same objects again rather than new ones.
 */
export function createEmailActivities({ minio, maxDocumentBytes }: EmailDeps) {
  return {
    async expandEmail({
      object,
      document,
      caseId,
    }: {
      object: ObjectRef;
      document: DocumentInfo;
      caseId?: string;
    }): Promise<Expansion> {
      const bytes = await refusingUnreadable(() => fetchDocument(minio, object, maxDocumentBytes));
      const files = await documentsIn(bytes, document.fileName);
      const folder = `${INBOX_PREFIX}${safeName(posix.basename(object.key).replace(/\.eml$/i, ''))}.vedlegg/`;
      const dropped: string[] = [];
      const objects: ObjectRef[] = [];
      const findings: Finding[] = [];
      for (const [index, file] of files.entries()) {
        if (file.error) {
          findings.push(unreadableFinding(file.error));
          continue;
        }
        const key = `${folder}${String(index + 1).padStart(2, '0')}-${safeName(file.fileName)}`;
        const email = file.email ?? {};
        const metadata: Record<string, string> = {
          // The mailroom's received time for the .eml, if it gave one; else the e-mail's own date.
          'received-at':
            document.submission.receivedAtSource === 'mailroom'
              ? document.submission.receivedAt
              : (email.date ?? document.submission.receivedAt),
          ...(email.from && { sender: headerValue(email.from) }),
          ...(email.subject && { subject: headerValue(email.subject) }),
          ...(email.messageId && { 'message-id': headerValue(email.messageId) }),
          // The attachments belong to the e-mail's case, whichever trigger sees them.
          ...(caseId && { [CASE_METADATA_KEY]: caseId }),
        };
        const put = await minio.putObject(object.bucket, key, Buffer.from(file.bytes), file.bytes.length, metadata);
        dropped.push(key);
        objects.push({
          bucket: object.bucket,
          key,
          etag: put.etag,
          ...(put.versionId && { versionId: put.versionId }),
        });
      }
      return { dropped, objects, findings };
    },
  };
}

/** An object name from an attachment's name: no folders, no control characters, not too long. */
function safeName(name: string): string {
  const cleaned = name
    .replace(/[\u0000-\u001f\u007f/\\]+/g, '_')
    .replace(/^\.+/, '_')
    .trim();
  return (cleaned || 'vedlegg').slice(-120);
}

/** S3 metadata travels in HTTP headers: a non-ASCII value goes as an RFC 2047 encoded-word, as in the e-mail itself. */
function headerValue(value: string): string {
  const oneLine = value.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(oneLine) ? oneLine : libmime.encodeWord(oneLine, 'B');
}
