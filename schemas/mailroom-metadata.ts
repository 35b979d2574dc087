import type { SubmissionMetadata } from './document.ts';

/**
 * The mailroom's e-mail facts from S3 user metadata (SPEC §5). S3 metadata travels in HTTP headers, which are ASCII:
 * non-ASCII values (a subject with «ø») come as RFC 2047 encoded-words, exactly as in the e-mail's own headers.
 */
export function submissionFromMetadata(meta: Record<string, string | undefined>, uploadedAt: string): SubmissionMetadata {
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

/** Decodes `=?charset?B|Q?text?=` words; adjacent encoded-words join without the whitespace between them. */
export function decodeMimeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (word, charset: string, encoding: string, text: string) => {
      const bytes =
        encoding.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
              'latin1',
            );
      try {
        return new TextDecoder(charset.toLowerCase()).decode(bytes);
      } catch {
        return word; // an unknown charset: keep the word as it came rather than guess
      }
    });
}

/** Metadata is untrusted: decoded, with control characters (a newline could forge a log line) folded to spaces. */
function cleanHeader(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const cleaned = decodeMimeWords(value).replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return cleaned || undefined;
}

function parseInstant(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
