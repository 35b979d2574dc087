import libmime from 'libmime';
import type { SubmissionMetadata } from './document.ts';

/**
 * The mailroom's e-mail facts from S3 user metadata (SPEC §5). S3 metadata travels in HTTP headers, which are ASCII:
 * non-ASCII values (a subject with «ø») come as RFC 2047 encoded-words, exactly as in the e-mail's own headers.
 */
export function submissionFromMetadata(
  meta: Record<string, string | undefined>,
  uploadedAt: string,
): SubmissionMetadata {
  const receivedAt = parseInstant(meta['received-at']);
  return {
    // A scan from the post room has no e-mail: the upload time stands for the received time.
    receivedAt: receivedAt ?? uploadedAt,
    receivedAtSource: receivedAt ? 'mailroom' : 'upload-time',
    sender: cleanHeader(meta.sender),
    subject: cleanHeader(meta.subject),
    messageId: cleanHeader(meta['message-id']),
  };
}

/** Metadata is untrusted: decoded, with control characters (a newline could forge a log line) folded to spaces. */
function cleanHeader(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const cleaned = libmime
    .decodeWords(value)
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim();
  return cleaned || undefined;
}

function parseInstant(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
