import { createHash } from 'node:crypto';
import { unquotedEtag, type ObjectRef } from './document.ts';

/**
 * A case's reference (`SAK-7F3A9C21`): what caseworkers and applicants quote, the case's folder in the records bucket
 * and the last part of its workflow id. It derives from the submission, so whoever sees a document first (the
 * webhook or the sweep) computes the same case: the e-mail's message-id when the mailroom gave one (all its
 * attachments are one submission, SPEC §5), else the object version itself.
 */
export function caseReferenceFor(submission: string): string {
  const digest = createHash('sha256').update(submission).digest();
  // 40 bits in Crockford's base32 (no I, L, O, U: nothing to misread when an applicant types it back).
  let bits = 0n;
  for (const byte of digest.subarray(0, 5)) bits = (bits << 8n) | BigInt(byte);
  let reference = '';
  for (let i = 0; i < 8; i++, bits >>= 5n) reference = crockford[Number(bits & 31n)] + reference;
  return `SAK-${reference}`;
}

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The submission a document belongs to: its e-mail (message-id), or, without one, just this object's content. */
export function submissionOf(object: ObjectRef, messageId: string | undefined): string {
  const id = messageId?.trim().replace(/^<|>$/g, '');
  return id ? `message:${id}` : `object:${object.bucket}/${object.key}@${unquotedEtag(object.etag)}`;
}

/** The workflow id of a case: readable in the Temporal UI, and the same for every document of the submission. */
export const caseWorkflowId = (reference: string) => `application-${reference}`;

// Not inside a longer word or code (`_` counts as a separator: file names use it between words).
const referencePattern = /(?<![A-Za-z0-9])SAK-([0-9A-HJKMNP-TV-Z]{8})(?![A-Za-z0-9])/i;

/**
 * A case reference quoted in a file name or an e-mail subject ("Ettersending til SAK-7F3A9C21"), in its normal form. */
export function findCaseReference(...texts: (string | undefined)[]): string | undefined {
  for (const text of texts) {
    const match = text && referencePattern.exec(text);
    if (match) return `SAK-${match[1]!.toUpperCase()}`;
  }
  return undefined;
}
