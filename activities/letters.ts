import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { Client as MinioClient } from 'minio';
import { createTransport } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { MailConfig } from '../config/env.ts';
import { loadSchemes } from '../config/schemes.ts';
import { renderLetterPdf } from '../letters/pdf.ts';
import { DecisionGroundsSchema, type DecisionGroundsInput } from '../schemas/decision-grounds.ts';
import { composeDecisionLetter, type DecisionLetterFactsInput } from '../schemas/decision-letter.ts';
import { composeFollowUpLetter, type FollowUpDetails } from '../schemas/follow-up-letter.ts';
import type { FollowUpLetterKind, Letter } from '../schemas/letter-template.ts';
import {
  letterKey,
  LetterDeliverySchema,
  outboxKey,
  type KeptLetter,
  type LetterDelivery,
} from '../schemas/letter-delivery.ts';
import type { Scheme } from '../schemas/scheme.ts';
import type { WrittenStandard } from '../schemas/written-standard.ts';
import { isNotFound, readObject, writeJson } from '../storage/objects.ts';

export interface LetterDeps {
  minio: MinioClient;
  recordsBucket: string;
  schemes?: Scheme[];
  /** Absent or without `smtp`: letters go to the outbox. */
  mail?: MailConfig;
}

export interface WriteDecisionLetterInput {
  caseId: string;
  schemeId: string;
  /** The decision as `checkDecisionGrounds` accepted it. */
  grounds: DecisionGroundsInput;
  /** The case's facts; the reference is the case's. */
  facts: Omit<DecisionLetterFactsInput, 'reference'>;
}

export interface WriteFollowUpLetterInput {
  caseId: string;
  schemeId: string;
  kind: FollowUpLetterKind;
  /** What the letter is about beyond the case's facts (`schemas/follow-up-letter.ts` says what each kind needs). */
  details: FollowUpDetails;
  /** The applicant's written standard, as the decision letter was written in. */
  standard: WrittenStandard;
  /** The case's facts, as for the decision letter (`letterFacts()`), with this letter's date. */
  facts: Omit<DecisionLetterFactsInput, 'reference' | 'standard' | 'name'>;
  /**
   * The letter's name within the case, when a kind is written more than once (a second request for more in the
   * report: `rapport-mangler-2`); by default the kind's own (`followUpLetterNames`).
   */
  name?: string;
}

export interface SendLetterInput {
  letter: KeptLetter;
  /** The applicant's contact address and the address the application came from (`Name <address>` is fine). */
  to: Array<string | undefined>;
}

/** An SMTP reply to one recipient (nodemailer's rejectedErrors). */
interface RecipientError {
  recipient?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/** The message's id, from the letter and its bytes: the same letter is the same message, wherever it is sent from. */
const messageIdOf = (letter: KeptLetter) =>
  `<${letter.letterId}.${letter.pdf.sha256.slice(0, 16)}@${letter.office.email.split('@')[1] ?? 'localhost'}>`;

export function createLetterActivities({ minio, recordsBucket, schemes: given, mail = {} }: LetterDeps) {
  let schemes: Promise<Scheme[]> | undefined = given && Promise.resolve(given);
  const allSchemes = () => (schemes ??= loadSchemes());
  const transport =
    mail.smtp &&
    createTransport({
      url: mail.smtp.url,
      ...(mail.smtp.user && { auth: { user: mail.smtp.user, pass: mail.smtp.password ?? '' } }),
      // Fail an attempt in time for Temporal to retry it, rather than hang on a silent server.
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
    });

  const readIfThere = (key: string) =>
    readObject(minio, { bucket: recordsBucket, key }).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });

  async function schemeOf(schemeId: string): Promise<Scheme> {
    const scheme = (await allSchemes()).find((candidate) => candidate.id === schemeId);
    if (!scheme) throw ApplicationFailure.nonRetryable(`no scheme ${schemeId} to write a letter from`, 'UnknownScheme');
    return scheme;
  }

  /** Lays a composed letter out as PDF and keeps it with the case; the same letter gives the same bytes. */
  async function keep(scheme: Scheme, caseId: string, letter: Letter): Promise<KeptLetter> {
    const pdf = await renderLetterPdf(letter);
    const name = letter.letterId.slice(caseId.length + 1);
    const key = letterKey(caseId, name, 'pdf');
    await minio.putObject(recordsBucket, key, pdf, pdf.length, { 'Content-Type': 'application/pdf' });
    return {
      letterId: letter.letterId,
      caseId,
      name,
      kind: letter.kind,
      standard: letter.standard,
      title: letter.title,
      date: letter.date,
      pdf: {
        bucket: recordsBucket,
        key,
        sha256: createHash('sha256').update(pdf).digest('hex'),
        fileName: `${letter.letterId}.pdf`,
      },
      email: letter.email,
      office: { name: scheme.decisions.office.name, email: scheme.decisions.office.email },
    };
  }

  /** The letter as an e-mail, built once: a retry and a later send from the outbox send the very same message. */
  async function message(letter: KeptLetter, recipients: string[]): Promise<{ key: string; eml: Buffer }> {
    const waiting = outboxKey(letter.letterId);
    const kept = await readIfThere(waiting);
    if (kept) return { key: waiting, eml: kept };
    const pdf = await readIfThere(letter.pdf.key);
    if (!pdf)
      throw ApplicationFailure.nonRetryable(
        `letter ${letter.letterId}: its PDF ${letter.pdf.key} is not in ${recordsBucket}`,
        'LetterMissing',
      );
    // The letter sent must be the letter recorded: a PDF written again since (another decision) is not sent in its
    // name.
    if (createHash('sha256').update(pdf).digest('hex') !== letter.pdf.sha256) {
      throw ApplicationFailure.nonRetryable(
        `letter ${letter.letterId}: ${letter.pdf.key} is no longer the PDF recorded (SHA-256 differs)`,
        'LetterChanged',
      );
    }
    const eml = await new MailComposer({
      from: mail.from ?? { name: letter.office.name, address: letter.office.email },
      replyTo: { name: letter.office.name, address: letter.office.email },
      to: recipients,
      subject: letter.email.subject,
      text: letter.email.text,
      messageId: messageIdOf(letter),
      attachments: [{ filename: letter.pdf.fileName, content: pdf, contentType: 'application/pdf' }],
    })
      .compile()
      .build();
    await minio.putObject(recordsBucket, waiting, eml, eml.length, { 'Content-Type': 'message/rfc822' });
    return { key: waiting, eml };
  }

  return {
    /**
     * Writes a decision letter (SPEC §7) and keeps it with the case as `letters/<name>.pdf`: the same decision and
     * facts give the same bytes on every attempt. Returns what the case record lists and what sending needs.
     */
    async writeDecisionLetter({ caseId, schemeId, grounds, facts }: WriteDecisionLetterInput): Promise<KeptLetter> {
      const scheme = await schemeOf(schemeId);
      const parsed = DecisionGroundsSchema.safeParse(grounds);
      if (!parsed.success)
        throw ApplicationFailure.nonRetryable(
          `decision for ${caseId} is invalid: ${parsed.error.message}`,
          'InvalidDecision',
        );
      return keep(scheme, caseId, composeDecisionLetter(scheme, parsed.data, { ...facts, reference: caseId }));
    },

    /**
     * Writes a letter that follows the decision (a reminder, a request for more in the report, a claim-back, an
     * appeal's outcome) in the applicant's written standard, and keeps it with the case like the decision letter
     * (`letters/<name>.pdf`, with its SHA-256); `sendLetter` sends it.
     */
    async writeFollowUpLetter({
      caseId,
      schemeId,
      kind,
      details,
      standard,
      facts,
      name,
    }: WriteFollowUpLetterInput): Promise<KeptLetter> {
      const scheme = await schemeOf(schemeId);
      let letter: Letter;
      try {
        letter = composeFollowUpLetter(
          scheme,
          kind,
          { ...facts, standard, reference: caseId, ...(name && { name }) },
          details,
        );
      } catch (error) {
        // The same input fails the same way on every attempt: a gap in the details is the caller's to fix.
        throw ApplicationFailure.nonRetryable(
          `${kind} letter for ${caseId} cannot be written: ${(error as Error).message}`,
          'InvalidDecision',
        );
      }
      return keep(scheme, caseId, letter);
    },

    /**
     * Sends a kept letter by e-mail, its PDF attached, or puts it in the outbox when no SMTP server is configured. The
     * message waits in `outbox/` until it has reached someone, then moves to the case; an address the server refuses
     * for good comes back in `refused` (a finding for the case), a temporary failure is thrown for Temporal to retry.
     * Idempotent per recipient: the delivery record says whom the letter has reached, and they do not get it twice.
     */
    async sendLetter({ letter, to }: SendLetterInput): Promise<LetterDelivery> {
      const recipients = [
        ...new Set(
          to.flatMap((field) =>
            addressparser(field ?? '', { flatten: true }).map((a) => a.address.trim().toLowerCase()),
          ),
        ),
      ].filter((address) => /^[^\s@]+@[^\s@]+$/.test(address));
      const deliveryKey = letterKey(letter.caseId, letter.name, 'delivery.json');
      const sentKey = letterKey(letter.caseId, letter.name, 'eml');
      const before = await readIfThere(deliveryKey);
      const record = before && LetterDeliverySchema.parse(JSON.parse(before.toString('utf8')));
      const settled = new Set([...(record?.delivered ?? []), ...(record?.refused ?? [])].map((r) => r.address));
      const pending = recipients.filter((address) => !settled.has(address));
      if (record && (pending.length === 0 || !transport)) {
        // A message that has reached someone is the case's; an attempt that stopped before clearing the outbox is
        // finished here.
        if (record.eml.key === sentKey) await minio.removeObject(recordsBucket, outboxKey(letter.letterId));
        return record;
      }

      const sent = await readIfThere(sentKey);
      const { key, eml } = sent ? { key: sentKey, eml: sent } : await message(letter, recipients);
      const delivery: LetterDelivery = record ?? {
        letterId: letter.letterId,
        via: 'outbox',
        eml: { bucket: recordsBucket, key },
        messageId: messageIdOf(letter),
        recipients,
        delivered: [],
        refused: [],
      };
      if (!transport || pending.length === 0) {
        await writeJson(minio, recordsBucket, deliveryKey, delivery);
        return delivery;
      }

      const from =
        addressparser(mail.from ?? letter.office.email, { flatten: true })[0]?.address ?? letter.office.email;
      let accepted: string[] = [];
      let rejected: RecipientError[];
      try {
        const info = await transport.sendMail({ envelope: { from, to: pending }, raw: eml });
        accepted = info.accepted.map(String).map((a) => a.toLowerCase());
        rejected = (info as { rejectedErrors?: RecipientError[] }).rejectedErrors ?? [];
      } catch (error) {
        const { code, rejectedErrors } = error as { code?: string; rejectedErrors?: RecipientError[] };
        // Every recipient refused: a reply about the addresses, not a failure of the server.
        if (code !== 'EENVELOPE' || !rejectedErrors?.length) throw error;
        rejected = rejectedErrors;
      }
      const at = new Date().toISOString();
      const refusedForGood = rejected.filter((r) => (r.responseCode ?? 550) >= 500 && r.recipient);
      const next: LetterDelivery = {
        ...delivery,
        via: 'smtp',
        delivered: [...delivery.delivered, ...accepted.map((address) => ({ address, at }))],
        refused: [
          ...delivery.refused,
          ...refusedForGood.map((r) => ({
            address: r.recipient!.toLowerCase(),
            reason: (r.response ?? r.message ?? 'avvist').trim(),
          })),
        ],
      };
      if (next.delivered.length > 0) {
        // Reached someone: the sent message is the case's, and the outbox holds only what is still to be sent. The
        // copy comes before the record, so that a record never names a message that is not there.
        if (key !== sentKey)
          await minio.putObject(recordsBucket, sentKey, eml, eml.length, { 'Content-Type': 'message/rfc822' });
        next.eml = { bucket: recordsBucket, key: sentKey };
      } else {
        next.via = 'outbox';
      }
      await writeJson(minio, recordsBucket, deliveryKey, next);
      if (next.eml.key === sentKey) await minio.removeObject(recordsBucket, outboxKey(letter.letterId));
      const deferred = rejected.filter((r) => (r.responseCode ?? 550) < 500);
      if (deferred.length) {
        throw new Error(
          `letter ${letter.letterId}: the server deferred ${deferred.map((r) => r.recipient).join(', ')} (${deferred[0]!.response ?? ''}); retrying`,
        );
      }
      return next;
    },
  };
}
