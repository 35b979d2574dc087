import type { Finding } from '../schemas/finding.ts';

export const unreadableCodes = ['unsupported-type', 'unreadable', 'encrypted', 'too-large', 'too-complex'] as const;
export type UnreadableCode = (typeof unreadableCodes)[number];

/**
 * A document that cannot be read as it is; `code` becomes the finding's code. Retrying does not help. `message` is for
 * logs and developers (English); `detail` completes the caseworker's sentence (Bokmål).
 */
export class UnreadableDocumentError extends Error {
  override name = 'UnreadableDocumentError';
  constructor(
    readonly code: UnreadableCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

const caseworkerMessages: Record<UnreadableCode, string> = {
  'unsupported-type': 'Filtypen støttes ikke',
  unreadable: 'Dokumentet kunne ikke leses: filen er skadet, ufullstendig eller tom',
  encrypted: 'Dokumentet er passordbeskyttet og kan ikke leses. Be søkeren sende det uten passord',
  'too-large': 'Dokumentet er for stort til å leses automatisk',
  'too-complex': 'Dokumentet tok for lang tid eller for mye minne å lese, og ble stoppet',
};

/** The finding a caseworker sees for a document that could not be read; the original is kept and can be opened. */
export function unreadableFinding(error: UnreadableDocumentError): Finding {
  const sentence = error.detail
    ? `${caseworkerMessages[error.code]}: ${error.detail}.`
    : `${caseworkerMessages[error.code]}.`;
  return { code: error.code, severity: 'error', message: `${sentence} Originalen er tatt vare på og kan åpnes.` };
}

/** An error from across the sandbox's boundary, or from a child process, as the error it stands for. */
export function asUnreadable(value: {
  code?: string;
  message?: string;
  detail?: string;
}): UnreadableDocumentError | undefined {
  if (!value.code || !(unreadableCodes as readonly string[]).includes(value.code)) return undefined;
  return new UnreadableDocumentError(value.code as UnreadableCode, value.message ?? value.code, value.detail);
}
