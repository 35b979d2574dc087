import { ActivityFailure, ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import type { TextRead } from '../activities/text.ts';
import { INBOX_PREFIX, movedKey } from '../schemas/bucket-layout.ts';
import type { DocumentReading } from '../schemas/assessment/state.ts';
import type { CaseDocument } from '../schemas/case-record.ts';
import type { DocumentInfo, ObjectRef } from '../schemas/document.ts';
import type { Finding } from '../schemas/finding.ts';
import { ocr, processing, reading, storage } from './activities.ts';

/**
 * The path of one document into its case, whichever case it is (one being opened, or one under assessment): describe
 * it, read its text (OCR for a scan), take an e-mail apart or read the application's fields, keep the original beside
 * the case and take it out of the inbox (to `processed/`, or to `quarantine/` when it could not be read; never
 * deleted). What the case then does with it is the caller's.
 */
export type TakenIn =
  /** Read: its text and the application its fields give. */
  | (Taken & { kind: 'read'; textKey: string; reading: DocumentReading })
  /** Kept with the finding that says why it could not be read. */
  | (Taken & { kind: 'unreadable'; finding: Finding })
  /**
   * An e-mail dropped whole: its attachments went into the inbox (`dropped`), marked as the case's, to be delivered. */
  | (Taken & { kind: 'email'; attachments: ObjectRef[]; dropped: string[]; findings: Finding[] })
  /** Gone from the inbox before it could be read (deleted, or taken out by another delivery): nothing was kept. */
  | { kind: 'vanished'; object: ObjectRef; finding: Finding };

interface Taken {
  /** The document as the case keeps it. */
  document: CaseDocument;
  info: DocumentInfo;
  /**
   * The version under `processed/` or `quarantine/` (absent when it was not in the inbox, or was deleted from it
   * first). */
  moved?: ObjectRef;
}

export interface TakeInOptions {
  caseId: string;
  /** What the document is to the case (`application`, `appendix`, `supplement`); an e-mail is an `e-mail`. */
  role: CaseDocument['role'];
  /** Its role when it reads as a form, when that differs. */
  roleIfRead?: CaseDocument['role'];
  /** Its place among the case's documents (1-based): where its original is kept. */
  position: number;
  /** Called once the document is described, before it is read (the case shows when it was received). */
  described?: (info: DocumentInfo) => void;
}

export function takeInDocument(listed: ObjectRef, options: TakeInOptions): Promise<TakenIn> {
  return takeIn(listed, options, async (textKey, keep) => {
    const read = await reading.readFields({ textKey });
    return {
      kind: 'read',
      ...(await keep({ role: options.roleIfRead ?? options.role, textKey })),
      textKey,
      reading: read,
    };
  });
}

/** A document taken in for its text alone: what comes to a decided case is recognised from its text, not fields. */
export type TakenInText = Exclude<TakenIn, { kind: 'read' }> | (Taken & { kind: 'text'; textKey: string });

export function takeInText(listed: ObjectRef, options: TakeInOptions): Promise<TakenInText> {
  return takeIn<TakenInText>(listed, options, async (textKey, keep) => ({
    kind: 'text',
    ...(await keep({ role: options.role, textKey })),
    textKey,
  }));
}

type Keep = (kept: Omit<CaseDocument, 'fileName' | 'source' | 'movedTo' | 'original' | 'receivedAt'>) => Promise<Taken>;

async function takeIn<Result extends TakenIn | TakenInText>(
  listed: ObjectRef,
  { caseId, role, position, described }: TakeInOptions,
  read: (textKey: string, keep: Keep) => Promise<Result>,
): Promise<Result | Exclude<TakenIn, { kind: 'read' }>> {
  const found = await unlessGone(storage.describeDocument(listed));
  if (!found) return vanished(listed);
  const { object, document: info } = found;
  described?.(info);
  const text = await unlessGone(readText(object, caseId));
  if (!text) return vanished(object);

  const keep: Keep = async (kept) => {
    const to = kept.unreadable ? 'quarantine' : 'processed';
    // A document opened as a case of its own has left the inbox already: it stays where it is.
    const inInbox = object.key.startsWith(INBOX_PREFIX);
    const document = await storage.keepDocument({
      caseId,
      object,
      document: info,
      movedTo: inInbox ? movedKey(object.key, to) : object.key,
      position,
      ...kept,
    });
    const moved = inInbox ? await unlessGone(storage.moveOutOfInbox({ object, to })) : undefined;
    return { document, info, ...(moved && { moved }) };
  };

  if (text === 'email') {
    const { dropped, objects, findings } = await processing.expandEmail({ object, document: info, caseId });
    const unreadable = dropped.length ? undefined : findings[0];
    const taken = await keep({ role: 'e-mail', ...(unreadable && { unreadable }) });
    return { kind: 'email', ...taken, attachments: objects ?? [], dropped, findings };
  }
  if ('code' in text) return { kind: 'unreadable', ...(await keep({ role, unreadable: text })), finding: text };
  return read(text.textKey, keep);
}

/**
 * The document's text, by OCR on its own task queue when it is a scan; a finding when it cannot be read; or an e-mail.
 * */
async function readText(object: ObjectRef, caseId: string): Promise<TextRead | Finding | 'email'> {
  try {
    const outcome = await reading.readText({ object, caseId });
    if (outcome.status === 'read') return outcome.text;
    if (outcome.status === 'email') return 'email';
    return await ocr(workflowInfo().taskQueue).ocrText({ object, caseId, scan: outcome.scan });
  } catch (error) {
    const reason = refusal(error);
    if (!reason) throw error;
    return reason;
  }
}

/**
 * A refusal for good (a non-retryable failure with a finding as details) as its finding; anything else is undefined. */
function refusal(error: unknown): Finding | undefined {
  if (!(error instanceof ActivityFailure) || !(error.cause instanceof ApplicationFailure)) return undefined;
  const finding = error.cause.details?.[0] as Finding | undefined;
  return error.cause.nonRetryable && finding?.code ? finding : undefined;
}

/** The activity's result, or undefined when its object is no longer there. */
export async function unlessGone<T>(step: Promise<T>): Promise<T | undefined> {
  try {
    return await step;
  } catch (error) {
    if (
      error instanceof ActivityFailure &&
      error.cause instanceof ApplicationFailure &&
      error.cause.type === 'document-missing'
    )
      return undefined;
    throw error;
  }
}

function vanished(object: ObjectRef): Extract<TakenIn, { kind: 'vanished' }> {
  const name = object.key.slice(object.key.lastIndexOf('/') + 1);
  return {
    kind: 'vanished',
    object,
    finding: {
      code: 'document-vanished',
      severity: 'error',
      message: `Dokumentet «${name}» finnes ikke lenger i innboksen: det ble slettet eller flyttet før det ble lest. Det er derfor ikke behandlet.`,
    },
  };
}
