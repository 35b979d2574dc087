import type { AcceptanceReading, ReportReading } from '../../extraction/follow-up-reader.ts';
import type { AuditEntry, AuditEvent } from '../assessment/audit.ts';
import type { Checked } from '../assessment/case-assessment.ts';
import type { CaseState } from '../assessment/state.ts';
import { formatBankAccount } from '../bank-account.ts';
import { casePhaseLabels, type CasePhase } from '../case-phase.ts';
import { addDays } from '../deadline.ts';
import { formatDate } from '../rules/format.ts';
import { acceptanceTimes, appealPeriod, endOf, isAppealOnTime, reportTimes } from '../follow-up-deadlines.ts';
import type { FollowUpDetails } from '../follow-up-letter.ts';
import type { Finding } from '../finding.ts';
import { formatNok } from '../format-nok.ts';
import { register, type JournalDocumentKind, type JournalEntry, type JournalRegistration } from '../journal.ts';
import type { FollowUpLetterKind } from '../letter-template.ts';
import type { KeptLetter, LetterDelivery } from '../letter-delivery.ts';
import { approvePayment, attestPayment, paymentParts, preparePayment, type PaymentPart } from '../payment.ts';
import type { PaymentExported } from '../payment-run.ts';
import type { Scheme } from '../scheme.ts';
import {
  ApprovePaymentInputSchema,
  AssessReportInputSchema,
  AttestPaymentInputSchema,
  DecideAppealInputSchema,
  RecordAcceptanceInputSchema,
} from './inputs.ts';
import type { z } from 'zod';
import type {
  Appeal,
  CasePayment,
  FollowUpState,
  FollowUpTimerName,
  FollowUpTimers,
  IncomingDocument,
} from './state.ts';

/** The follow-up's timers in milliseconds (the workflow reads the durations with Temporal's own parser). */
export type FollowUpDurations = Partial<Record<Exclude<keyof FollowUpTimers, 'continueAsNewAfterEvents'>, number>>;

/**
 * A decided case as it lives on (SPEC §6), as pure rules over its state: what each request may do (`check*`, a refusal
 * in Bokmål) and what it changes (returning the audit entries to keep). The workflow (`workflows/follow-up.ts`) does
 * the I/O — letters, the journal, the ledger, payments — and the waiting.
 */

export type RecordAcceptance = z.output<typeof RecordAcceptanceInputSchema>;
export type AttestPayment = z.output<typeof AttestPaymentInputSchema>;
export type ApprovePayment = z.output<typeof ApprovePaymentInputSchema>;
export type AssessReport = z.output<typeof AssessReportInputSchema>;
export type DecideAppeal = z.output<typeof DecideAppealInputSchema>;

/** A follow-up letter to write: its kind, what it says beyond the case's facts, and its name within the case. */
export interface LetterToWrite {
  kind: FollowUpLetterKind;
  details: FollowUpDetails;
  name?: string;
}

/** The journal's title of each follow-up letter. */
export const letterTitles: Record<FollowUpLetterKind, string> = {
  'acceptance-reminder': 'Purring på aksept av tilskudd',
  'report-reminder': 'Påminnelse om rapport',
  'report-overdue': 'Purring på rapport',
  'report-more': 'Rapport: behov for mer informasjon',
  'claim-back': 'Krav om tilbakebetaling',
  'appeal-changed': 'Nytt vedtak etter klage',
  'appeal-upheld': 'Klage oversendt klageinstansen',
};

/**
 * Rules that changed while cases were running: a run keeps the rules it started with (the workflow asks `patched()`
 * once per run), so that recorded histories replay as they were made. Absent: today's rules.
 */
export interface FollowUpRules {
  /**
   * A decision changed on appeal to a higher grant after part of it was approved for payment: the commitment is raised
   * by the difference and what each part lacks is prepared as a further payment. Before: refused («en ny sak»).
   */
  raisedGrantPaidByDifference?: boolean;
}

/** What the case itself does, as the timeline and the audit log show it. */
const system = undefined;

export class CaseFollowUp {
  readonly state: CaseState & { followUp: FollowUpState };
  private nextSeq: number;

  constructor(
    state: CaseState,
    private readonly scheme: Scheme,
    /** The audit log's next number (the assessment's entries come first). */
    nextSeq: number,
    private readonly timers: FollowUpDurations = {},
    private readonly rules: FollowUpRules = {},
  ) {
    if (!state.followUp) throw new Error('the case has no follow-up yet: start it with startFollowUp');
    this.state = state as CaseState & { followUp: FollowUpState };
    this.nextSeq = nextSeq;
  }

  get followUp(): FollowUpState {
    return this.state.followUp;
  }

  /** The audit log's next number: what a run continued as new goes on from. */
  get auditSeq(): number {
    return this.nextSeq;
  }

  get isGrant(): boolean {
    return this.followUp.amountGranted > 0;
  }

  /** Settled, no appeal open, and the appeal period over: the case's workflow may end. */
  get finished(): boolean {
    return (
      this.followUp.phase === 'closed' && !this.openAppeal && this.followUp.timers['appeal-period-end'] === undefined
    );
  }

  get openAppeal(): Appeal | undefined {
    return this.followUp.appeals.find((appeal) => !appeal.decision);
  }

  /** The earliest timer due, if the case waits for one. */
  nextTimer(): { name: FollowUpTimerName; at: string } | undefined {
    const pending = Object.entries(this.followUp.timers) as Array<[FollowUpTimerName, string]>;
    const [first] = pending.sort((a, b) => Date.parse(a[1]) - Date.parse(b[1]));
    return first && { name: first[0], at: first[1] };
  }

  // Documents that come to the case.

  /** A signed acceptance: taken when it has a valid account and a signature, else the caseworker's to check. */
  acceptanceReceived(document: IncomingDocument, reading: AcceptanceReading, at: string): AuditEntry {
    // A refusal has nothing to accept: what came is kept as a document of the case.
    if (!this.isGrant) return this.supplementReceived(document, at);
    const errors = reading.findings.filter((f) => f.severity === 'error');
    if (this.followUp.acceptance)
      return this.event(
        'acceptance-received',
        at,
        system,
        `Ny aksept mottatt (${document.fileName}); saken har allerede en aksept.`,
        {
          document: document.original.key,
        },
      );
    if (!reading.bankAccount || !reading.signer || errors.length) {
      this.followUp.rejectedAcceptances.push({ document, reading, findings: errors });
      this.addFindings(errors);
      return this.event(
        'acceptance-received',
        at,
        system,
        `Aksept mottatt (${document.fileName}), men den kan ikke godtas: ${errors.map((f) => f.message).join(' ')}`,
        { document: document.original.key },
      );
    }
    this.followUp.acceptance = {
      bankAccount: reading.bankAccount,
      signedBy: reading.signer,
      ...(reading.signedOn && { signedOn: reading.signedOn }),
      receivedAt: document.receivedAt,
      document,
      reading,
    };
    return this.accepted(at, system, `Aksept mottatt (${document.fileName}), underskrevet av ${reading.signer}`, {
      document: document.original.key,
    });
  }

  reportReceived(document: IncomingDocument, reading: ReportReading, at: string): AuditEntry {
    const seq = this.followUp.reports.length + 1;
    this.followUp.reports.push({ seq, document, reading });
    this.addFindings(reading.findings.filter((f) => f.severity === 'error'));
    delete this.followUp.timers['report-reminder-before'];
    delete this.followUp.timers['report-deadline'];
    delete this.followUp.timers['report-reminder-after'];
    delete this.followUp.reportOverdue;
    this.setPhase('report-received');
    const spent = reading.amountSpent !== undefined ? `, brukt ${formatNok(reading.amountSpent)}` : '';
    return this.event('report-received', at, system, `Rapport mottatt (${document.fileName})${spent}: til vurdering`, {
      document: document.original.key,
      report: seq,
    });
  }

  /** An appeal: on time or late (still assessed, forvaltningsloven §31); the case waits for the office that decided. */
  appealReceived(document: IncomingDocument, at: string): AuditEntry {
    const number = this.followUp.appeals.length + 1;
    const onTime = isAppealOnTime(this.scheme, this.followUp.letterSentAt, document.receivedAt);
    const returnTo = this.openAppeal?.returnTo ?? this.followUp.phase;
    this.followUp.appeals.push({ number, document, onTime, returnTo });
    this.setPhase('appeal');
    const late = onTime ? 'innen klagefristen' : 'etter klagefristen (merket for sen, vurderes likevel)';
    return this.event('appeal-received', at, system, `Klage nr. ${number} mottatt (${document.fileName}) ${late}`, {
      document: document.original.key,
      appeal: number,
      onTime,
    });
  }

  supplementReceived(document: IncomingDocument, at: string): AuditEntry {
    this.followUp.supplements.push(document);
    return this.event('follow-up-document', at, system, `Dokument mottatt (${document.fileName})`, {
      document: document.original.key,
    });
  }

  // Caseworkers' requests.

  checkRecordAcceptance(raw: unknown): Checked<RecordAcceptance> {
    const input = parsed(RecordAcceptanceInputSchema, raw);
    if (!input.ok) return input;
    if (!this.isGrant) return refuse('Saken har ikke noe tilskudd som kan aksepteres.');
    if (this.followUp.acceptance) return refuse('Saken har allerede en aksept.');
    return input;
  }

  recordAcceptance(input: RecordAcceptance, at: string): AuditEntry {
    this.followUp.acceptance = {
      bankAccount: input.bankAccount,
      ...(input.signedBy && { signedBy: input.signedBy }),
      receivedAt: input.receivedAt ?? at,
      recordedBy: input.actor,
      ...(input.note && { note: input.note }),
    };
    return this.accepted(at, input.actor, `Aksept registrert av ${input.actor}`, {});
  }

  checkAttest(raw: unknown): Checked<AttestPayment> {
    const input = parsed(AttestPaymentInputSchema, raw);
    if (!input.ok) return input;
    const payment = this.payment(input.input.paymentId);
    if (!payment) return refuse(`Saken har ingen utbetaling ${input.input.paymentId}.`);
    const outcome = attestPayment(payment, input.input.actor, '');
    return outcome.ok ? input : refuse(outcome.refusal);
  }

  attest(input: AttestPayment, at: string): AuditEntry {
    const payment = this.payment(input.paymentId)!;
    const outcome = attestPayment(payment, input.actor, at);
    if (outcome.ok) Object.assign(payment, outcome.payment);
    return this.event('payment-attested', at, input.actor, `Utbetaling av ${formatNok(payment.amount)} attestert`, {
      paymentId: payment.paymentId,
    });
  }

  checkApprove(raw: unknown): Checked<ApprovePayment> {
    const input = parsed(ApprovePaymentInputSchema, raw);
    if (!input.ok) return input;
    const payment = this.payment(input.input.paymentId);
    if (!payment) return refuse(`Saken har ingen utbetaling ${input.input.paymentId}.`);
    const outcome = approvePayment(
      payment,
      { by: input.input.actor, hasBudgetAuthority: input.input.hasBudgetAuthority },
      '',
    );
    return outcome.ok ? input : refuse(outcome.refusal);
  }

  /** The approved payment, to be recorded where the payment run finds it. */
  approve(input: ApprovePayment, at: string): { entry: AuditEntry; payment: CasePayment } {
    const payment = this.payment(input.paymentId)!;
    const outcome = approvePayment(payment, { by: input.actor, hasBudgetAuthority: input.hasBudgetAuthority }, at);
    if (outcome.ok) Object.assign(payment, outcome.payment);
    const entry = this.event(
      'payment-approved',
      at,
      input.actor,
      `Utbetaling av ${formatNok(payment.amount)} godkjent (attestert av ${payment.attested!.by}); venter på utbetalingskjøring`,
      { paymentId: payment.paymentId },
    );
    return { entry, payment };
  }

  /**
   * The payment run has exported a payment: recorded as paid. Once the payment on acceptance is paid the case waits for
   * its report; once the rest after the report is paid, it is settled. Undefined when it was known already.
   */
  paymentExported(notice: PaymentExported, at: string): AuditEntry[] {
    const payment = this.payment(notice.paymentId);
    if (!payment || payment.paidAt) return [];
    Object.assign(payment, { runId: notice.runId, ledgerEntry: notice.ledgerEntry, paidAt: at });
    const entries = [
      this.event('payment-exported', at, system, `${formatNok(payment.amount)} utbetalt (kjøring ${notice.runId})`, {
        paymentId: payment.paymentId,
        runId: notice.runId,
        ledgerEntry: notice.ledgerEntry,
      }),
    ];
    if (!this.paysDifferences) {
      if (payment.part === 'on-acceptance') {
        this.setPhase('paid');
        entries.push(this.awaitReport(at));
      } else if (this.followUp.payments.every((p) => p.paidAt)) {
        entries.push(this.close(at, system, 'Tilskuddet er utbetalt i sin helhet'));
      }
      return entries;
    }
    // A difference paid after a raise on appeal moves the case nowhere: it waits for its report as it did.
    const waitingForPayment = (this.openAppeal?.returnTo ?? this.followUp.phase) === 'accepted';
    if (payment.part === 'on-acceptance' && waitingForPayment) {
      this.setPhase('paid');
      entries.push(this.awaitReport(at));
    } else if (this.reportApproved && this.followUp.payments.every((p) => p.paidAt)) {
      entries.push(this.close(at, system, 'Tilskuddet er utbetalt i sin helhet'));
    }
    return entries;
  }

  checkAssessReport(raw: unknown): Checked<AssessReport> {
    const input = parsed(AssessReportInputSchema, raw);
    if (!input.ok) return input;
    const report = this.followUp.reports.at(-1);
    if (!report || report.assessment) return refuse('Saken har ingen rapport som venter på vurdering.');
    if (input.input.outcome === 'claim-back' && input.input.amount! > this.paid)
      return refuse(
        `Saken har fått utbetalt ${formatNok(this.paid)}; ${formatNok(input.input.amount!)} kan ikke kreves tilbake.`,
      );
    return input;
  }

  /**
   * The report assessed. Approve: the held-back part is prepared for payment (the case closes when it is paid), or the
   * case closes. Ask for more: a letter, and the case waits for another report. Claim back: a letter, and the money
   * returns to the pot.
   */
  assessReport(
    input: AssessReport,
    at: string,
    /**
     * Asked for more, the case waits for the new deadline as for the first one (its deadline timer, then the reminder
     * after it); cases asked before this was so went straight to the reminder after, and replay the same.
     */
    { waitForNewDeadline = true }: { waitForNewDeadline?: boolean } = {},
  ): { entry: AuditEntry; letter?: LetterToWrite; close: boolean } {
    const report = this.followUp.reports.at(-1)!;
    report.assessment = {
      outcome: input.outcome,
      ...(input.amount !== undefined && { amount: input.amount }),
      comment: input.comment,
      by: input.actor,
      at,
    };
    const details = this.letterDetails(at);
    if (input.outcome === 'ask-more') {
      const newDeadline = dayOf(this.dueAt(this.timers.reportDeadlineAfter, addDays(dayOf(at), 30), at));
      report.assessment.deadline = newDeadline;
      if (waitForNewDeadline) {
        this.followUp.deadlines.report = reportTimes(this.scheme, newDeadline);
        this.followUp.reportDueAt = this.dueAt(
          this.timers.reportDeadlineAfter,
          this.followUp.deadlines.report.deadline,
          at,
        );
        this.followUp.timers['report-deadline'] = this.followUp.reportDueAt;
      } else {
        this.followUp.reportDueAt = this.dueAt(this.timers.reportDeadlineAfter, endOf(this.scheme, newDeadline), at);
        this.followUp.timers['report-reminder-after'] = this.dueAt(
          this.timers.reportReminderAfter,
          `${addDays(newDeadline, this.scheme.decisions.reminders.reportAfterDays)}T00:00:00.000Z`,
          at,
        );
      }
      this.setPhase('report-due');
      return {
        entry: this.event(
          'report-assessed',
          at,
          input.actor,
          `Rapporten er mangelfull; søkeren er bedt om mer innen ${formatDate(newDeadline)}: ${input.comment}`,
          { outcome: input.outcome, deadline: newDeadline },
        ),
        letter: {
          kind: 'report-more',
          details: { ...details, newDeadline, explanation: input.comment },
          name: `rapport-mangler-${report.seq}`,
        },
        close: false,
      };
    }
    if (input.outcome === 'claim-back') {
      const claim = { amount: input.amount!, comment: input.comment, by: input.actor, at };
      this.followUp.claimBacks.push(claim);
      const paid = this.paid;
      // What was held back is not paid either.
      for (const payment of this.followUp.payments.filter((p) => !p.approved)) this.dropPayment(payment.paymentId);
      this.followUp.amountGranted = paid - claim.amount;
      const entry = this.event(
        'report-assessed',
        at,
        input.actor,
        `${formatNok(claim.amount)} kreves tilbake: ${input.comment}`,
        { outcome: input.outcome, amount: claim.amount },
      );
      return {
        entry,
        letter: {
          kind: 'claim-back',
          details: {
            ...details,
            amountPaid: paid,
            amountClaimed: claim.amount,
            paymentDeadline: addDays(dayOf(at), 30),
            explanation: input.comment,
          },
        },
        close: true,
      };
    }
    const rest = this.prepare('after-report', input.actor, at);
    const text = rest
      ? `Rapporten er godkjent; resten av tilskuddet (${formatNok(rest.amount)}) er klargjort for utbetaling`
      : 'Rapporten er godkjent';
    const entry = this.event('report-assessed', at, input.actor, `${text}: ${input.comment}`, {
      outcome: input.outcome,
    });
    // A difference from a raise on appeal not yet paid keeps the case open until it is.
    const unpaid = this.paysDifferences && this.followUp.payments.some((p) => !p.paidAt);
    return { entry, close: !rest && !unpaid };
  }

  checkDecideAppeal(raw: unknown): Checked<DecideAppeal> {
    const input = parsed(DecideAppealInputSchema, raw);
    if (!input.ok) return input;
    const appeal = this.followUp.appeals.find((a) => a.number === input.input.appeal);
    if (!appeal) return refuse(`Saken har ingen klage nr. ${input.input.appeal}.`);
    if (appeal.decision) return refuse(`Klage nr. ${appeal.number} er allerede avgjort av ${appeal.decision.by}.`);
    if (input.input.outcome === 'change') {
      const amount = input.input.amountGranted!;
      if (amount === this.followUp.amountGranted)
        return refuse(`Vedtaket gir allerede ${formatNok(amount)}; et endret vedtak må endre beløpet.`);
      if (amount < this.paid)
        return refuse(
          `Saken har fått utbetalt ${formatNok(this.paid)}; beløpet kan ikke settes lavere før det er krevd tilbake.`,
        );
      if (this.paid > 0 && amount > this.followUp.amountGranted && !this.paysDifferences)
        return refuse('Tilskuddet er delvis utbetalt; en økning må vedtas som en ny sak.');
    }
    return input;
  }

  /** The appeal settled; the case returns to its phase (a refusal changed to a grant waits for its acceptance). */
  decideAppeal(
    input: DecideAppeal,
    at: string,
  ): { entries: AuditEntry[]; letter: LetterToWrite; previousAmount: number } {
    const appeal = this.followUp.appeals.find((a) => a.number === input.appeal)!;
    const previousAmount = this.followUp.amountGranted;
    const details = {
      ...this.letterDetails(at),
      appealReceived: dayOf(appeal.document.receivedAt),
      explanation: input.comment,
    };
    let letter: LetterToWrite;
    let text: string;
    if (input.outcome === 'change') {
      const amount = input.amountGranted!;
      appeal.decision = {
        outcome: 'change',
        comment: input.comment,
        by: input.actor,
        at,
        amountGranted: amount,
        previousAmount,
      };
      this.followUp.amountGranted = amount;
      for (const payment of this.followUp.payments.filter((p) => !p.approved)) this.dropPayment(payment.paymentId);
      letter = {
        kind: 'appeal-changed',
        details: { ...details, amountGranted: amount, previousAmount },
        name: `klagevedtak-${appeal.number}`,
      };
      text = `Klage nr. ${appeal.number} tatt til følge: tilskuddet endret fra ${formatNok(previousAmount)} til ${formatNok(amount)}`;
      if (previousAmount === 0 && amount > 0) {
        // A refusal changed to a grant: it is accepted like any grant, from the new letter on.
        appeal.returnTo = 'letter-sent';
        this.followUp.deadlines.acceptance = acceptanceTimes(this.scheme, dayOf(at));
        this.followUp.timers['acceptance-reminder'] = this.dueAt(
          this.timers.acceptanceReminderAfter,
          this.followUp.deadlines.acceptance.reminder,
          at,
        );
        this.followUp.deadlines.report = reportTimes(this.scheme);
      } else if (amount === 0) {
        appeal.returnTo = 'closed';
      } else if (this.paysDifferences) {
        // Accepted: what each part due now lacks at the new amount is prepared, for two people to attest and approve.
        const due = this.followUp.acceptance
          ? (['on-acceptance', ...(this.reportApproved ? ['after-report' as const] : [])] as const)
          : [];
        const prepared = due.flatMap((part) => this.prepare(part, input.actor, at) ?? []);
        const sum = prepared.reduce((total, p) => total + p.amount, 0);
        if (sum) text += `; ${formatNok(sum)} er klargjort for utbetaling`;
        if (sum && appeal.returnTo === 'closed') {
          // A settled case raised: open again until the difference is paid.
          delete this.followUp.closedAt;
          appeal.returnTo = 'report-received';
        }
      } else if (this.followUp.acceptance && !this.followUp.payments.some((p) => p.part === 'on-acceptance')) {
        this.prepare('on-acceptance', input.actor, at);
      }
    } else {
      const sentTo = this.scheme.decisions.appealBody;
      appeal.decision = { outcome: 'uphold', comment: input.comment, by: input.actor, at, sentTo };
      letter = { kind: 'appeal-upheld', details, name: `klage-oversendt-${appeal.number}` };
      text = `Klage nr. ${appeal.number} ikke tatt til følge: oversendt ${sentTo}`;
    }
    if (!this.openAppeal) this.setPhase(appeal.returnTo === 'closed' ? 'appeal' : appeal.returnTo);
    const entry = this.event('appeal-decided', at, input.actor, `${text}: ${input.comment}`, {
      appeal: appeal.number,
      outcome: input.outcome,
      ...(appeal.decision.amountGranted !== undefined && { amountGranted: appeal.decision.amountGranted }),
    });
    const entries = [entry];
    // Nothing left to follow: a grant withdrawn, a case closed before, or a refusal whose appeal period is over.
    const periodOver = this.followUp.timers['appeal-period-end'] === undefined;
    if (!this.openAppeal && (appeal.returnTo === 'closed' || (!this.isGrant && periodOver)))
      entries.push(
        this.close(
          at,
          input.actor,
          input.outcome === 'uphold' ? 'klagen er oversendt klageinstansen' : 'tilskuddet er trukket tilbake',
        ),
      );
    return { entries, letter, previousAmount };
  }

  // The clock.

  /** A timer has come due: what the case does, as an entry and the letter to send, if any. */
  timerDue(name: FollowUpTimerName, at: string): { entry?: AuditEntry; letter?: LetterToWrite } {
    delete this.followUp.timers[name];
    const { deadlines } = this.followUp;
    switch (name) {
      case 'acceptance-reminder': {
        if (this.followUp.acceptance || !this.isGrant) return {};
        this.followUp.acceptanceReminded = at;
        const escalation = this.dueAt(this.timers.acceptanceEscalateAfter, deadlines.acceptance!.escalation, at);
        this.followUp.timers['acceptance-escalation'] = escalation;
        return {
          entry: this.event('acceptance-reminded', at, system, 'Ingen aksept innen fristen: søkeren er purret'),
          letter: {
            kind: 'acceptance-reminder',
            details: {
              ...this.letterDetails(at),
              acceptDeadline: deadlines.acceptance!.deadlineDay,
              newDeadline: dayOf(escalation),
            },
          },
        };
      }
      case 'acceptance-escalation': {
        if (this.followUp.acceptance || !this.isGrant) return {};
        this.followUp.acceptanceEscalated = at;
        this.addFindings([
          {
            code: 'acceptance-missing',
            severity: 'warning',
            message: `Søkeren har ikke akseptert tilskuddet, heller ikke etter purring (frist ${deadlines.acceptance!.deadlineDay}). Ta kontakt med søkeren.`,
          },
        ]);
        return {
          entry: this.event('acceptance-escalated', at, system, 'Ingen aksept etter purring: til saksbehandler'),
        };
      }
      case 'report-reminder-before':
        this.followUp.reportRemindedBefore = at;
        this.followUp.timers['report-deadline'] = this.dueAt(
          this.timers.reportDeadlineAfter,
          deadlines.report!.deadline,
          at,
        );
        this.followUp.reportDueAt = this.followUp.timers['report-deadline'];
        return {
          entry: this.event(
            'report-reminded',
            at,
            system,
            `Påminnelse om rapport før fristen ${deadlines.report!.deadlineDay}`,
          ),
          letter: { kind: 'report-reminder', details: this.letterDetails(at) },
        };
      case 'report-deadline':
        this.followUp.timers['report-reminder-after'] = this.dueAt(
          this.timers.reportReminderAfter,
          deadlines.report!.reminderAfter,
          at,
        );
        return { entry: this.event('report-deadline-passed', at, system, 'Rapportfristen er ute uten rapport') };
      case 'report-reminder-after':
        this.followUp.reportRemindedAfter = at;
        this.followUp.reportOverdue = at;
        this.addFindings([
          {
            code: 'report-overdue',
            severity: 'warning',
            message: `Rapporten er ikke kommet, heller ikke etter purring (frist ${deadlines.report!.deadlineDay}). Følg opp søkeren.`,
          },
        ]);
        return {
          entry: this.event(
            'report-overdue',
            at,
            system,
            'Rapporten er forsinket: søkeren er purret, saken er til saksbehandler',
          ),
          letter: {
            kind: 'report-overdue',
            details: this.letterDetails(at),
            name: `purring-rapport-frist-ute-${this.followUp.reports.length + 1}`,
          },
        };
      case 'appeal-period-end':
        if (this.followUp.phase === 'letter-sent' && !this.isGrant && !this.openAppeal)
          return { entry: this.close(at, system, 'Klagefristen er ute uten klage') };
        if (this.followUp.phase === 'closed' && !this.openAppeal)
          return { entry: this.event('appeal-period-ended', at, system, 'Klagefristen er ute') };
        return {};
    }
  }

  // The journal.

  /** The journal with a document or letter registered: its number, and the entry to keep in the records. */
  registerInJournal(registration: JournalRegistration): JournalEntry {
    const { journal, entry } = register(this.followUp.journal, this.state.caseId, registration);
    this.followUp.journal = journal;
    return entry;
  }

  incomingRegistration(kind: JournalDocumentKind, document: IncomingDocument, title: string): JournalRegistration {
    return {
      date: dayOf(document.receivedAt),
      direction: 'inn',
      kind,
      party: this.applicant,
      title: `${title} – ${this.projectTitle}`,
      source: document.original.key,
    };
  }

  letterRegistration(letter: KeptLetter, title: string, at: string): JournalRegistration {
    return {
      date: dayOf(at),
      direction: 'ut',
      kind: 'letter',
      party: this.applicant,
      title: `${title} – ${this.projectTitle}`,
      source: letter.letterId,
    };
  }

  /** A follow-up letter written and sent: kept with the case's letters. */
  letterSent(letter: KeptLetter, delivery: LetterDelivery, at: string): AuditEntry {
    this.state.letters.push({ letter, delivery });
    return this.event('follow-up-letter-sent', at, system, `Brev sendt: ${letter.pdf.fileName}`, {
      letterId: letter.letterId,
      key: letter.pdf.key,
      via: delivery.via,
    });
  }

  /** The details every follow-up letter needs: the decision's date and the amount granted. */
  letterDetails(at: string): FollowUpDetails {
    return {
      decisionDate: dayOf(this.state.decision?.decidedAt ?? at),
      amountGranted: this.followUp.amountGranted,
    };
  }

  close(at: string, actor: string | undefined, why: string): AuditEntry {
    this.followUp.closedAt = at;
    for (const name of [
      'acceptance-reminder',
      'acceptance-escalation',
      'report-reminder-before',
      'report-deadline',
      'report-reminder-after',
    ] as const)
      delete this.followUp.timers[name];
    this.setPhase(this.openAppeal ? 'appeal' : 'closed');
    if (this.openAppeal) this.openAppeal.returnTo = 'closed';
    return this.event('closed', at, actor, `Saken er avsluttet: ${why}`);
  }

  private get paysDifferences(): boolean {
    return this.rules.raisedGrantPaidByDifference ?? true;
  }

  /** The last report is approved: what is left to pay is the part after it. */
  private get reportApproved(): boolean {
    return this.followUp.reports.at(-1)?.assessment?.outcome === 'approve';
  }

  get paid(): number {
    return this.followUp.payments.reduce((sum, p) => sum + (p.paidAt ? p.amount : 0), 0);
  }

  payment(paymentId: string): CasePayment | undefined {
    return this.followUp.payments.find((p) => p.paymentId === paymentId);
  }

  // Inner steps.

  private accepted(at: string, actor: string | undefined, text: string, details: Record<string, unknown>): AuditEntry {
    delete this.followUp.timers['acceptance-reminder'];
    delete this.followUp.timers['acceptance-escalation'];
    this.setPhase(this.openAppeal ? 'appeal' : 'accepted');
    if (this.openAppeal) this.openAppeal.returnTo = 'accepted';
    const account = formatBankAccount(this.followUp.acceptance!.bankAccount);
    const payment = this.prepare('on-acceptance', actor ?? 'system', at);
    const then = payment
      ? `; utbetaling av ${formatNok(payment.amount)} til konto ${account} er klargjort for attestasjon`
      : `; konto ${account}`;
    const entry = this.event('accepted', at, actor, `${text}${then}`, details);
    if (!payment) this.awaitReport(at);
    return entry;
  }

  /** Prepares a part of the grant for payment; undefined when the scheme pays nothing in that part. */
  private prepare(part: PaymentPart, by: string, at: string): CasePayment | undefined {
    const share = paymentParts(this.scheme, this.followUp.amountGranted).find((p) => p.part === part);
    const { acceptance } = this.followUp;
    if (!share || !acceptance || !this.state.pot?.id) return undefined;
    const ofPart = this.followUp.payments.filter((p) => p.part === part);
    let difference: { amount: number; sequence: number } | undefined;
    if (!this.paysDifferences) {
      const known = this.payment(`${this.state.caseId}-${part}`);
      if (known) return known;
    } else if (ofPart.length) {
      const pending = ofPart.find((p) => !p.approved);
      if (pending) return pending;
      // Approved already, at a lower grant: the part's next payment is what it lacks (nothing is paid twice).
      const lacking = share.amount - ofPart.reduce((sum, p) => sum + p.amount, 0);
      if (lacking <= 0) return undefined;
      difference = { amount: lacking, sequence: ofPart.length + 1 };
    }
    const outcome = preparePayment(
      this.scheme,
      {
        caseId: this.state.caseId,
        potId: this.state.pot.id,
        organisationNumber: this.state.application.applicant?.organisationNumber ?? '',
        bankAccount: acceptance.bankAccount,
        amountGranted: this.followUp.amountGranted,
      },
      part,
      { by, at },
      difference,
    );
    if (!outcome.ok) {
      this.addFindings([{ code: 'payment-not-prepared', severity: 'error', message: outcome.refusal }]);
      return undefined;
    }
    this.followUp.payments.push(outcome.payment);
    return outcome.payment;
  }

  private dropPayment(paymentId: string): void {
    this.followUp.payments = this.followUp.payments.filter((p) => p.paymentId !== paymentId);
  }

  /** Paid what is paid before the report: the case waits for its report, with its reminders. */
  private awaitReport(at: string): AuditEntry {
    const report = (this.followUp.deadlines.report ??= reportTimes(this.scheme));
    const reminderBefore = this.dueAt(this.timers.reportReminderBeforeAfter, report.reminderBefore, at);
    this.followUp.timers['report-reminder-before'] = reminderBefore;
    this.followUp.reportDueAt = this.dueAt(this.timers.reportDeadlineAfter, report.deadline, reminderBefore);
    this.setPhase(this.openAppeal ? 'appeal' : 'report-due');
    if (this.openAppeal) this.openAppeal.returnTo = 'report-due';
    return this.event('report-due', at, system, `Venter på rapport innen ${report.deadlineDay}`);
  }

  /** The instant a timer is due: its duration from `at` when one is given (tests), else the scheme's instant. */
  private dueAt(duration: number | undefined, instant: string, at: string): string {
    if (duration === undefined) return instant;
    return new Date(Date.parse(at) + duration).toISOString();
  }

  private addFindings(findings: Finding[]): void {
    const known = new Set(this.state.findings.map((f) => `${f.code}:${f.message}`));
    this.state.findings.push(...findings.filter((f) => !known.has(`${f.code}:${f.message}`)));
  }

  private setPhase(phase: CasePhase): void {
    this.followUp.phase = phase;
  }

  private get applicant() {
    return { name: this.state.application.applicant?.name ?? 'Ukjent søker', kind: 'organisation' as const };
  }

  private get projectTitle(): string {
    return this.state.application.project?.title ?? this.scheme.name;
  }

  private event(
    event: AuditEvent,
    at: string,
    actor: string | undefined,
    text: string,
    details: Record<string, unknown> = {},
  ): AuditEntry {
    const seq = this.nextSeq++;
    this.followUp.events.push({ seq, at, ...(actor && { actor }), phase: this.followUp.phase, text });
    return {
      seq,
      event,
      at,
      ...(actor && { actor }),
      caseId: this.state.caseId,
      phase: this.followUp.phase,
      text,
      ...details,
    };
  }
}

/**
 * The follow-up of a case whose decision letter has just been sent: the deadlines from the scheme's data, and the
 * timers from them (or from the durations a test gives).
 */
export function startFollowUp(
  state: CaseState,
  scheme: Scheme,
  letterSentAt: string,
  timers: FollowUpDurations = {},
): FollowUpState {
  const amountGranted = state.decision?.outcome === 'approved' ? (state.decision.amount ?? 0) : 0;
  const appeal = appealPeriod(scheme, letterSentAt);
  const acceptance = amountGranted > 0 ? acceptanceTimes(scheme, dayOf(letterSentAt)) : undefined;
  const after = (duration: number | undefined, instant: string) =>
    duration === undefined ? instant : new Date(Date.parse(letterSentAt) + duration).toISOString();
  return {
    phase: 'letter-sent',
    letterSentAt,
    amountGranted,
    deadlines: { appeal, ...(acceptance && { acceptance, report: reportTimes(scheme) }) },
    timers: {
      'appeal-period-end': after(timers.appealPeriod, appeal.deadline),
      ...(acceptance && { 'acceptance-reminder': after(timers.acceptanceReminderAfter, acceptance.reminder) }),
    },
    events: [
      {
        seq: 0,
        at: letterSentAt,
        phase: 'letter-sent',
        text: `${casePhaseLabels['letter-sent']}: ${amountGranted > 0 ? `innvilget ${formatNok(amountGranted)}` : 'avslag'}`,
      },
    ],
    rejectedAcceptances: [],
    payments: [],
    reports: [],
    appeals: [],
    claimBacks: [],
    supplements: [],
    journal: [],
  };
}

const dayOf = (iso: string) => iso.slice(0, 10);

function parsed<T>(schema: z.ZodType<T>, raw: unknown): Checked<T> {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, input: result.data };
  const issue = result.error.issues[0];
  return refuse(`Ugyldig forespørsel: ${issue?.message ?? 'ukjent feil'}.`);
}

const refuse = <T>(refusal: string): Checked<T> => ({ ok: false, refusal });
