import { msToNumber } from '@temporalio/common/lib/time.js';
import { allHandlersFinished, condition, continueAsNew, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type { AuditEntry } from '../schemas/assessment/audit.ts';
import { decisionLetterFacts } from '../schemas/assessment/case-assessment.ts';
import { DocumentDeliverySchema } from '../schemas/assessment/inputs.ts';
import type { CaseState } from '../schemas/assessment/state.ts';
import {
  CaseFollowUp,
  letterTitles,
  startFollowUp,
  type FollowUpDurations,
  type LetterToWrite,
} from '../schemas/follow-up/case-follow-up.ts';
import { PaymentExportedSchema, type PaymentExported } from '../schemas/follow-up/inputs.ts';
import type { FollowUpTimers, IncomingDocument } from '../schemas/follow-up/state.ts';
import type { JournalDocumentKind, JournalRegistration } from '../schemas/journal.ts';
import type { ObjectRef } from '../schemas/document.ts';
import type { Scheme } from '../schemas/scheme.ts';
import { followUp as reader, journal, ledger, letters, payments, storage } from './activities.ts';
import { showCase, showPhase } from './case-view.ts';
import { takeInText } from './document-intake.ts';
import {
  approvePaymentUpdate,
  assessReportUpdate,
  attestPaymentUpdate,
  caseStateQuery,
  decideAppealUpdate,
  documentSignal,
  paymentExportedSignal,
  recordAcceptanceUpdate,
  supplementSignal,
} from './messages.ts';
import { serialize } from './serialize.ts';
import { checkedUpdates, inPot } from './assessment.ts';

export interface FollowUpInput {
  /** The case as its assessment left it, or as the previous run of the follow-up left it (`state.followUp`). */
  state: CaseState;
  /** When the decision letter was sent: the appeal period and the deadline to accept run from it. */
  letterSentAt: string;
  /** The audit log's next number. */
  auditSeq: number;
  /** The scheme's data as the case was decided under (fetched on the first run, carried on). */
  scheme?: Scheme;
  timers?: FollowUpTimers;
  /** Documents and payment notices that came while the previous run was continuing as new. */
  pending?: { incoming: ObjectRef[]; exported: PaymentExported[] };
}

export const defaultContinueAsNewAfterEvents = 2_000;

/** The journal's word for what came in, and the title it gets. */
const incomingTitles: Record<JournalDocumentKind, string> = {
  application: 'Søknad',
  appendix: 'Vedlegg til søknad',
  supplement: 'Ettersendt dokument',
  acceptance: 'Aksept av tilskudd',
  report: 'Rapport',
  appeal: 'Klage på vedtak',
  letter: 'Brev',
};

/**
 * A decided case as it lives on after its letter (SPEC §6), in the same workflow id: a grant waits for its acceptance
 * (reminded, then escalated to the caseworker), is paid once attested and approved by two people and exported by a
 * payment run, then waits for its report (reminded before and after the deadline, then overdue in the queue), which a
 * caseworker approves, asks more of, or claims money back on. An appeal may come at any time: the case waits for the
 * office's decision on it and returns to where it was. A refusal waits out its appeal period. Every document in and
 * letter out is journalled. It continues as new with its state before its history grows large.
 */
export async function grantFollowUp(input: FollowUpInput): Promise<CaseState> {
  const now = () => new Date().toISOString();
  const serialized = serialize();
  const durations = toDurations(input.timers);
  // The case answers while its first run fetches the scheme: a bulk approval sent again in that moment asks it whether
  // its approval was the one that decided the case.
  let shown: CaseState = input.state;
  setHandler(caseStateQuery, () => shown);
  const scheme = input.scheme ?? (await storage.schemeById({ schemeId: input.state.terms!.schemeId }));
  const fresh = !input.state.followUp;
  const state: CaseState = input.state.followUp
    ? input.state
    : { ...input.state, followUp: startFollowUp(input.state, scheme, input.letterSentAt, durations) };
  shown = state;
  // Runs recorded before grants raised on appeal were paid by the difference keep refusing such a raise.
  const rules = { raisedGrantPaidByDifference: patched('appeal-raise-paid-by-difference') };
  const life = new CaseFollowUp(state, scheme, input.auditSeq, durations, rules);
  const caseId = state.caseId;
  let version = 0;

  const incoming: ObjectRef[] = [...(input.pending?.incoming ?? [])];
  const exported: PaymentExported[] = [...(input.pending?.exported ?? [])];
  for (const signal of [supplementSignal, documentSignal])
    setHandler(signal, (raw) => {
      const parsed = DocumentDeliverySchema.safeParse(raw);
      if (parsed.success) incoming.push(parsed.data.object);
    });
  setHandler(paymentExportedSignal, (raw) => {
    const parsed = PaymentExportedSchema.safeParse(raw);
    if (parsed.success) exported.push(parsed.data);
  });

  /** Writes what happened: the audit entries, the case record, and what admins see of the case. */
  async function record(...entries: AuditEntry[]): Promise<void> {
    version++;
    show();
    for (const entry of entries) await storage.appendAudit(entry);
    await storage.updateCaseRecord(state);
  }

  function show(): void {
    showCase({
      application: state.application,
      status: state.status,
      queue: state.route.queue,
      findings: state.findings,
      ...(state.assignee && { assignee: state.assignee }),
    });
    const schemeDeadline = life.followUp.deadlines.report?.deadline;
    // Cases recorded before the case kept the deadline it waits for showed the scheme's, and replay the same.
    showPhase(
      life.followUp.phase,
      patched('report-deadline-waited-for') ? (life.followUp.reportDueAt ?? schemeDeadline) : schemeDeadline,
    );
  }

  async function journalise(registration: JournalRegistration): Promise<number> {
    const entry = life.registerInJournal(registration);
    await journal.registerInJournal({ caseId, number: entry.number, registration });
    return entry.number;
  }

  /** A follow-up letter in the applicant's written standard: written, sent, journalled, kept with the case. */
  async function send(letter: LetterToWrite): Promise<AuditEntry> {
    const at = now();
    const decision = state.decision!;
    const { standard, ...facts } = decisionLetterFacts(state, {
      caseworker: decision.proposedBy ?? decision.decidedBy,
      approver: decision.decidedBy,
      date: at.slice(0, 10),
    });
    const kept = await letters.writeFollowUpLetter({
      caseId,
      schemeId: scheme.id,
      kind: letter.kind,
      details: letter.details,
      standard: standard ?? 'nb',
      facts,
      ...(letter.name && { name: letter.name }),
    });
    const delivery = await letters.sendLetter({ letter: kept, to: [state.application.contact?.email, state.sender] });
    await journalise(life.letterRegistration(kept, letterTitles[letter.kind], at));
    return life.letterSent(kept, delivery, now());
  }

  const handle = checkedUpdates(serialized, state);

  handle(
    recordAcceptanceUpdate,
    (raw) => life.checkRecordAcceptance(raw),
    (checked) => record(life.recordAcceptance(checked, now())),
  );

  handle(
    attestPaymentUpdate,
    (raw) => life.checkAttest(raw),
    (checked) => record(life.attest(checked, now())),
  );

  handle(
    approvePaymentUpdate,
    (raw) => life.checkApprove(raw),
    async (checked) => {
      const { entry, payment } = life.approve(checked, now());
      const { paidAt: _, ...approved } = payment;
      await payments.recordApprovedPayment(approved);
      await record(entry);
    },
  );

  handle(
    assessReportUpdate,
    (raw) => life.checkAssessReport(raw),
    async (checked) => {
      const potId = state.pot?.id;
      if (checked.outcome === 'claim-back' && potId) {
        const claimId = `${caseId}-tilbakekreving-${life.followUp.claimBacks.length + 1}`;
        // What was not paid is not owed either: the grant is first reduced to what was paid, then the claim returns.
        await inPot(
          ledger.releaseInPot({
            potId,
            caseId,
            keep: life.paid,
            reason: `Rapporten: ${checked.comment}`,
            actor: checked.actor,
          }),
        );
        await inPot(
          ledger.claimBackInPot({
            potId,
            caseId,
            claimId,
            amount: checked.amount!,
            reason: checked.comment,
            actor: checked.actor,
          }),
        );
      }
      const outcome = life.assessReport(checked, now(), {
        waitForNewDeadline: checked.outcome !== 'ask-more' || patched('ask-more-waits-for-new-deadline'),
      });
      const entries = [outcome.entry];
      if (outcome.letter) entries.push(await send(outcome.letter));
      if (outcome.close) entries.push(life.close(now(), checked.actor, closingReason(checked.outcome)));
      await record(...entries);
    },
  );

  handle(
    decideAppealUpdate,
    (raw) => life.checkDecideAppeal(raw),
    async (checked) => {
      const potId = state.pot?.id;
      const before = life.followUp.amountGranted;
      if (checked.outcome === 'change' && potId) {
        const amount = checked.amountGranted!;
        const reason = `Vedtak endret etter klage nr. ${checked.appeal}: ${checked.comment}`;
        if (amount < before)
          await inPot(ledger.releaseInPot({ potId, caseId, keep: amount, reason, actor: checked.actor }));
        else if (before > 0 && rules.raisedGrantPaidByDifference)
          await inPot(ledger.commitInPot({ potId, caseId, amount, raiseFrom: before, reason, actor: checked.actor }));
        else {
          if (before > 0) await inPot(ledger.releaseInPot({ potId, caseId, keep: 0, reason, actor: checked.actor }));
          await inPot(ledger.commitInPot({ potId, caseId, amount, actor: checked.actor }));
        }
      }
      const { entries, letter } = life.decideAppeal(checked, now());
      await record(...entries, await send(letter));
    },
  );

  /** A document that came to the case: kept, recognised by its content, journalled, and acted on. */
  async function takeIn(object: ObjectRef): Promise<void> {
    const taken = await takeInText(object, {
      caseId,
      role: 'supplement',
      position: (state.documents?.length ?? 0) + 1,
    });
    if (taken.kind === 'vanished') return;
    state.documents = [...(state.documents ?? []), taken.document];
    if (taken.kind === 'email') {
      // Its attachments come back to the case one by one; the e-mail itself is only kept.
      incoming.push(...taken.attachments);
      return record();
    }
    const document: IncomingDocument = {
      original: taken.document.original,
      fileName: taken.document.fileName,
      receivedAt: taken.info.submission.receivedAt,
      ...(taken.kind === 'text' && { textKey: taken.textKey }),
      evidence: [],
    };
    const read = taken.kind === 'text' ? await reader.readFollowUpDocument({ textKey: taken.textKey }) : undefined;
    document.evidence = read?.evidence ?? [];
    const kind = read?.kind ?? 'supplement';
    document.journalNumber = await journalise(life.incomingRegistration(kind, document, incomingTitles[kind]));
    const at = now();
    if (kind === 'acceptance' && read?.acceptance) await record(life.acceptanceReceived(document, read.acceptance, at));
    else if (kind === 'report' && read?.report) await record(life.reportReceived(document, read.report, at));
    else if (kind === 'appeal') await record(life.appealReceived(document, at));
    else await record(life.supplementReceived(document, at));
  }

  /** A timer that has come due: the reminder or escalation it stands for. */
  async function timerDue(name: Parameters<CaseFollowUp['timerDue']>[0]): Promise<void> {
    const { entry, letter } = life.timerDue(name, now());
    const entries = entry ? [entry] : [];
    if (letter) entries.push(await send(letter));
    await record(...entries);
  }

  if (fresh) {
    // The case's journal from its start: the documents it came with, and the decision letter.
    await serialized(async () => {
      for (const document of state.documents ?? []) {
        const kind = journalKinds[document.role];
        if (!kind) continue;
        await journalise(
          life.incomingRegistration(
            kind,
            { original: document.original, fileName: document.fileName, receivedAt: document.receivedAt, evidence: [] },
            incomingTitles[kind],
          ),
        );
      }
      for (const { letter } of state.letters)
        await journalise(life.letterRegistration(letter, 'Vedtak', input.letterSentAt));
      await record();
    });
  } else show();

  const threshold = input.timers?.continueAsNewAfterEvents ?? defaultContinueAsNewAfterEvents;
  const historyFull = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= threshold;
  for (;;) {
    while (incoming.length) await serialized(() => takeIn(incoming.shift()!));
    while (exported.length) {
      const notice = exported.shift()!;
      await serialized(() => record(...life.paymentExported(notice, now())));
    }
    const due = life.nextTimer();
    if (due && Date.parse(due.at) <= Date.now()) {
      await serialized(() => timerDue(due.name));
      continue;
    }
    if (life.finished || historyFull()) break;
    const seen = version;
    await condition(
      () => incoming.length > 0 || exported.length > 0 || version !== seen || historyFull(),
      due ? Math.max(1, Date.parse(due.at) - Date.now()) : undefined,
    );
  }
  await condition(allHandlersFinished);
  if (life.finished) return state;
  return continueAsNew<typeof grantFollowUp>({
    ...input,
    state,
    auditSeq: life.auditSeq,
    scheme,
    pending: { incoming, exported },
  });
}

/** What the documents a case came with are in the journal (an e-mail is journalled as its attachments). */
const journalKinds: Partial<Record<string, JournalDocumentKind>> = {
  application: 'application',
  appendix: 'appendix',
  supplement: 'supplement',
};

const closingReason = (outcome: string) =>
  outcome === 'claim-back' ? 'penger er krevd tilbake' : 'rapporten er godkjent';

function toDurations(timers: FollowUpTimers = {}): FollowUpDurations {
  const { continueAsNewAfterEvents: _, ...durations } = timers;
  return Object.fromEntries(
    Object.entries(durations)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, msToNumber(value as Parameters<typeof msToNumber>[0])]),
  ) as FollowUpDurations;
}
