import { z } from 'zod';
import type { Finding } from './finding.ts';
import { caseFolder } from './bucket-layout.ts';

/**
 * Where a case's letters are kept: `cases/<reference>/letters/<name>.pdf`, beside the sent message and its delivery. */
export const letterKey = (caseId: string, name: string, extension: 'pdf' | 'eml' | 'delivery.json') =>
  `${caseFolder(caseId)}/letters/${name}.${extension}`;

/** Letters not (yet) sent wait here as ready-to-send messages, one per letter. */
export const outboxKey = (letterId: string) => `outbox/${letterId}.eml`;

/** A letter kept with its case: what the case record lists and what sending it needs. */
export const KeptLetterSchema = z.object({
  letterId: z.string(),
  caseId: z.string(),
  /** The letter's name within its case (`vedtak`). */
  name: z.string(),
  kind: z.string(),
  standard: z.enum(['nb', 'nn']),
  title: z.string(),
  date: z.string(),
  /** The PDF in the records bucket, with the SHA-256 of the bytes kept. */
  pdf: z.object({
    bucket: z.string(),
    key: z.string(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    fileName: z.string(),
  }),
  /** The covering e-mail, in the letter's written standard. */
  email: z.object({ subject: z.string(), text: z.string() }),
  /** The deciding office: the From when none is configured, and always the Reply-To. */
  office: z.object({ name: z.string(), email: z.string() }),
});
export type KeptLetter = z.infer<typeof KeptLetterSchema>;

/**
 * How far a letter has gone: through SMTP to some recipients (and refused by the server for others), or only into the
 * outbox (no SMTP configured, or every recipient refused). Kept as `letters/<name>.delivery.json`, which makes a second
 * send of the same letter deliver only to whom it has not reached.
 */
export const LetterDeliverySchema = z.object({
  letterId: z.string(),
  via: z.enum(['smtp', 'outbox']),
  /** The message as sent or to be sent: in `outbox/` until it has reached someone, then with the case. */
  eml: z.object({ bucket: z.string(), key: z.string() }),
  messageId: z.string(),
  recipients: z.array(z.string()),
  delivered: z.array(z.object({ address: z.string(), at: z.string() })),
  /** Addresses the SMTP server refused for good, with its reply. */
  refused: z.array(z.object({ address: z.string(), reason: z.string() })),
});
export type LetterDelivery = z.infer<typeof LetterDeliverySchema>;

/**
 * What a caseworker must know of a letter's delivery: a refused address, no address at all, a letter waiting in the
 * outbox. */
export function deliveryFindings(delivery: LetterDelivery): Finding[] {
  const findings: Finding[] = delivery.refused.map(({ address, reason }) => ({
    code: 'letter-refused',
    severity: 'error',
    message: `Brevet ${delivery.letterId} kom ikke fram til ${address}: e-posttjeneren avviste adressen (${reason}). Brevet ligger i saken; send det på annen måte eller til riktig adresse.`,
  }));
  if (delivery.recipients.length === 0) {
    findings.push({
      code: 'letter-no-address',
      severity: 'warning',
      message: `Brevet ${delivery.letterId} kan ikke sendes med e-post: søknaden har verken kontaktpersonens e-postadresse eller en avsenderadresse.`,
    });
  }
  if (delivery.via === 'outbox') {
    findings.push({
      code: 'letter-in-outbox',
      severity: delivery.refused.length ? 'error' : 'info',
      message: `Brevet ${delivery.letterId} er ikke sendt, men ligger klart i utboksen (${delivery.eml.key}).`,
    });
  }
  return findings;
}
