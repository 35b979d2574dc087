import { createHash } from 'node:crypto';
import type { ObjectRef } from '../schemas/document.ts';

/**
 * The workflow id of a dropped document: one id per object content, whoever sees it first (the webhook or the
 * sweep), so the same object put twice is processed once. The etag names the content; readable for admins.
 */
export function applicationWorkflowId(object: ObjectRef): string {
  const etag = object.etag.replace(/"/g, '');
  const readable = `document:${object.bucket}/${object.key}@${etag}`;
  // Temporal limits ids (1000 bytes by default); S3 keys may be 1024. Long keys keep their start and a hash.
  if (Buffer.byteLength(readable) <= 400) return readable;
  return `document:${object.bucket}/${object.key.slice(0, 200)}…#${digest(`${object.bucket}/${object.key}`)}@${etag}`;
}

/** The case id: stable for the same document, short enough for folder names. */
export function caseIdFor(object: ObjectRef): string {
  return digest(`${object.bucket}/${object.key}@${object.etag.replace(/"/g, '')}`).slice(0, 16);
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex');
