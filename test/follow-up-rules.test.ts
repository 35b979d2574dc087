import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSchemes } from '../config/schemes.ts';
import type { CaseState } from '../schemas/assessment/state.ts';
import {
  CaseFollowUp,
  startFollowUp,
  type FollowUpDurations,
  type FollowUpRules,
} from '../schemas/follow-up/case-follow-up.ts';
import type { IncomingDocument } from '../schemas/follow-up/state.ts';

/** The follow-up's rules without Temporal: what each request may do and where the case goes. */

const schemes = await loadSchemes();
const scheme = schemes.find((s) => s.id === 'kompetanse-innovasjon-2017')!;
const sentAt = '2026-12-01T10:00:00.000Z';

function decided(amount: number, timers: FollowUpDurations = {}, on = scheme, rules: FollowUpRules = {}): CaseFollowUp {
  const state = {
    caseId: 'SAK-7F3A9C21',
    recordKey: 'cases/SAK-7F3A9C21/record.json',
    status: amount ? 'approved' : 'rejected',
    application: {
      applicant: { name: 'Vinje kommune', organisationNumber: '964964998' },
      project: { title: 'Kompetanseløft' },
    },
    provenance: {},
    findings: [],
    route: { queue: 'fm-telemark-helse/utdanning', stage: 'ready-for-assessment', priority: 'normal' },
    pot: { id: 'pot-kompetanse-innovasjon-2017-utdanning', amount: 8_875_000, description: 'Utdanning' },
    standard: 'nb',
    conflicts: [],
    corrections: [],
    informationRequests: [],
    reminded: false,
    late: false,
    proposals: [],
    decision: amount
      ? { outcome: 'approved', amount, decidedBy: 'ola', decidedAt: sentAt, proposedBy: 'kari' }
      : { outcome: 'rejected', decidedBy: 'ola', decidedAt: sentAt, proposedBy: 'kari' },
    letters: [],
  } as unknown as CaseState;
  state.followUp = startFollowUp(state, on, sentAt, { appealPeriod: 21 * 86_400_000 });
  return new CaseFollowUp(state, on, 10, timers, rules);
}

const document = (name: string, receivedAt: string): IncomingDocument => ({
  original: { bucket: 'records', key: `cases/SAK-7F3A9C21/original/${name}`, sha256: 'a'.repeat(64) },
  fileName: name,
  receivedAt,
  evidence: [],
});

test('payment: attested by one person, approved by another with budget authority, never the same', () => {
  const life = decided(300_000);
  assert.equal(life.followUp.phase, 'letter-sent');
  const accepted = life.checkRecordAcceptance({ actor: 'kari', bankAccount: '9710 05 00005' });
  assert.deepEqual(accepted, {
    ok: false,
    refusal: 'Ugyldig forespørsel: kontonummeret er ikke gyldig (kontrollsifferet stemmer ikke).',
  });
  const entry = life.recordAcceptance(
    { actor: 'kari', bankAccount: '97100500004', signedBy: 'Kari Nordmann' } as never,
    sentAt,
  );
  assert.equal(entry.event, 'accepted');
  assert.equal(life.followUp.phase, 'accepted');
  const [payment] = life.followUp.payments;
  assert.deepEqual([payment!.amount, payment!.part], [300_000, 'on-acceptance']);
  const id = payment!.paymentId;
  assert.equal(life.checkAttest({ actor: 'per', paymentId: id }).ok, true);
  life.attest({ actor: 'per', paymentId: id }, sentAt);
  assert.match(
    String(
      (life.checkApprove({ actor: 'per', paymentId: id, hasBudgetAuthority: true }) as { refusal: string }).refusal,
    ),
    /kan ikke også godkjenne/,
  );
  assert.match(
    String(
      (life.checkApprove({ actor: 'lise', paymentId: id, hasBudgetAuthority: false }) as { refusal: string }).refusal,
    ),
    /budsjettdisponeringsmyndighet/,
  );
  life.approve({ actor: 'lise', paymentId: id, hasBudgetAuthority: true }, sentAt);
  life.paymentExported({ paymentId: id, runId: 'run-1', ledgerEntry: 7 }, sentAt);
  assert.equal(life.followUp.phase, 'report-due');
  assert.equal(life.paid, 300_000);
  assert.deepEqual(life.paymentExported({ paymentId: id, runId: 'run-1', ledgerEntry: 7 }, sentAt), [], 'told twice');
});

test('a refusal: an «acceptance» is only a document; it closes when its appeal period is over', () => {
  const life = decided(0);
  assert.equal(life.followUp.timers['acceptance-reminder'], undefined, 'nothing to accept');
  const entry = life.acceptanceReceived(
    document('aksept.pdf', sentAt),
    { bankAccount: '97100500004', signer: 'Kari Nordmann', findings: [], sources: {} },
    sentAt,
  );
  assert.equal(entry.event, 'follow-up-document');
  assert.equal(life.followUp.acceptance, undefined);
  const due = life.nextTimer()!;
  assert.equal(due.name, 'appeal-period-end');
  life.timerDue(due.name, due.at);
  assert.equal(life.followUp.phase, 'closed');
  assert.equal(life.finished, true);
});

test('an appeal: on time or late by forvaltningsloven §§29–30; an upheld appeal on a refusal closes it after its period', () => {
  const life = decided(0);
  life.appealReceived(document('klage.pdf', '2026-12-10T10:00:00.000Z'), sentAt);
  life.appealReceived(document('klage-2.pdf', '2027-02-01T10:00:00.000Z'), sentAt);
  assert.deepEqual(
    life.followUp.appeals.map((a) => [a.number, a.onTime, a.returnTo]),
    [
      [1, true, 'letter-sent'],
      [2, false, 'letter-sent'],
    ],
  );
  assert.equal(life.followUp.phase, 'appeal');
  life.timerDue('appeal-period-end', '2027-01-01T00:00:00.000Z');
  assert.equal(life.followUp.phase, 'appeal', 'an open appeal holds the case');
  life.decideAppeal({ actor: 'ola', appeal: 1, outcome: 'uphold', comment: 'Vedtaket står.' }, sentAt);
  assert.equal(life.followUp.phase, 'appeal', 'the second is still open');
  const { entries, letter } = life.decideAppeal(
    { actor: 'ola', appeal: 2, outcome: 'uphold', comment: 'For sent, og vedtaket står.' },
    sentAt,
  );
  assert.equal(letter.kind, 'appeal-upheld');
  assert.equal(life.followUp.appeals[1]!.decision?.sentTo, scheme.decisions.appealBody);
  assert.deepEqual(
    entries.map((e) => e.event),
    ['appeal-decided', 'closed'],
  );
  assert.equal(life.finished, true);
});

test('the report: claim-back no more than was paid; the grant is what was paid less the claim', () => {
  const life = decided(200_000);
  life.recordAcceptance({ actor: 'kari', bankAccount: '97100500004' } as never, sentAt);
  const id = life.followUp.payments[0]!.paymentId;
  life.attest({ actor: 'per', paymentId: id }, sentAt);
  life.approve({ actor: 'lise', paymentId: id, hasBudgetAuthority: true }, sentAt);
  life.paymentExported({ paymentId: id, runId: 'run-1', ledgerEntry: 3 }, sentAt);
  assert.equal(life.checkAssessReport({ actor: 'kari', outcome: 'approve', comment: 'ok' }).ok, false, 'no report yet');
  life.reportReceived(document('rapport.pdf', sentAt), { amountSpent: 150_000, findings: [], sources: {} }, sentAt);
  assert.equal(life.followUp.phase, 'report-received');
  assert.match(
    String(
      (
        life.checkAssessReport({ actor: 'kari', outcome: 'claim-back', amount: 250_000, comment: 'x' }) as {
          refusal: string;
        }
      ).refusal,
    ),
    /kr 250 000 kan ikke kreves tilbake/,
  );
  const outcome = life.assessReport(
    { actor: 'kari', outcome: 'claim-back', amount: 50_000, comment: 'Ikke brukt.' },
    sentAt,
  );
  assert.equal(outcome.close, true);
  assert.deepEqual(
    [outcome.letter?.details.amountPaid, outcome.letter?.details.amountClaimed, life.followUp.amountGranted],
    [200_000, 50_000, 150_000],
  );
});

/** A granted case paid in full at `at`: it waits for its report. */
function paid(life: CaseFollowUp, at: string): CaseFollowUp {
  life.recordAcceptance({ actor: 'kari', bankAccount: '97100500004' } as never, at);
  const id = life.followUp.payments[0]!.paymentId;
  life.attest({ actor: 'per', paymentId: id }, at);
  life.approve({ actor: 'lise', paymentId: id, hasBudgetAuthority: true }, at);
  life.paymentExported({ paymentId: id, runId: 'run-1', ledgerEntry: 3 }, at);
  assert.equal(life.followUp.phase, 'report-due');
  return life;
}

test('the report deadline the case waits for (ReportDeadline): the scheme’s, a month on after asking for more', () => {
  const life = paid(decided(200_000), sentAt);
  assert.equal(life.followUp.reportDueAt, life.followUp.deadlines.report!.deadline);
  life.reportReceived(document('rapport.pdf', sentAt), { amountSpent: 200_000, findings: [], sources: {} }, sentAt);
  life.assessReport({ actor: 'kari', outcome: 'ask-more', comment: 'Regnskapet mangler.' }, sentAt);
  assert.equal(life.followUp.phase, 'report-due');
  assert.equal(life.followUp.reportDueAt, '2026-12-31T23:00:00.000Z', 'the end of 31.12.2026 in Oslo');
});

test('the report deadline under a test’s timers is the timers’ one, not the scheme’s date', () => {
  const life = paid(decided(200_000, { reportReminderBeforeAfter: 1_000, reportDeadlineAfter: 2_000 }), sentAt);
  assert.equal(life.followUp.reportDueAt, '2026-12-01T10:00:03.000Z', 'the reminder after 1 s, the deadline 2 s on');
  const reminded = life.followUp.timers['report-reminder-before']!;
  life.timerDue('report-reminder-before', '2026-12-01T10:00:01.500Z');
  assert.equal(reminded, '2026-12-01T10:00:01.000Z');
  assert.equal(life.followUp.reportDueAt, '2026-12-01T10:00:03.500Z', 'from when the reminder actually went');
});

test('asked for more, the case waits for the new deadline as for the first: its timer, then the reminder after it', () => {
  const life = paid(decided(200_000), sentAt);
  life.reportReceived(document('rapport.pdf', sentAt), { amountSpent: 200_000, findings: [], sources: {} }, sentAt);
  const { entry, letter } = life.assessReport(
    { actor: 'kari', outcome: 'ask-more', comment: 'Regnskapet mangler.' },
    sentAt,
  );
  assert.equal(letter?.details.newDeadline, '2026-12-31');
  assert.equal(life.followUp.reports[0]!.assessment!.deadline, '2026-12-31');
  assert.match(String(entry.text), /bedt om mer innen 31\.12\.2026: Regnskapet mangler\./);
  const { 'appeal-period-end': _, ...waiting } = life.followUp.timers;
  assert.deepEqual(
    waiting,
    { 'report-deadline': '2026-12-31T23:00:00.000Z' },
    'the new deadline, no reminder before it',
  );
  assert.equal(life.followUp.deadlines.report!.deadlineDay, '2026-12-31');

  // The new deadline passes without a report: the reminder after it comes the scheme's days after the new deadline.
  const passed = life.timerDue('report-deadline', '2026-12-31T23:00:00.000Z');
  assert.equal(passed.entry?.event, 'report-deadline-passed');
  const after = life.followUp.timers['report-reminder-after']!;
  assert.ok(after > '2026-12-31T23:00:00.000Z', `the reminder after the new deadline, not before: ${after}`);
  life.timerDue('report-reminder-after', after);
  assert.ok(life.state.findings.some((f) => f.code === 'report-overdue' && f.message.includes('2026-12-31')));
});

test('asked for more under a test’s timers: the new deadline is the duration on, the reminder after it the next', () => {
  const timers = { reportReminderBeforeAfter: 1_000, reportDeadlineAfter: 10_000, reportReminderAfter: 1_000 };
  const life = paid(decided(200_000, timers), sentAt);
  life.reportReceived(document('rapport.pdf', sentAt), { amountSpent: 200_000, findings: [], sources: {} }, sentAt);
  life.assessReport({ actor: 'kari', outcome: 'ask-more', comment: 'Regnskapet mangler.' }, '2026-12-01T10:01:00.000Z');
  assert.equal(life.followUp.reportDueAt, '2026-12-01T10:01:10.000Z');
  assert.equal(life.followUp.timers['report-deadline'], '2026-12-01T10:01:10.000Z');
  assert.equal(life.followUp.timers['report-reminder-after'], undefined);
  life.timerDue('report-deadline', '2026-12-01T10:01:10.000Z');
  assert.equal(life.followUp.timers['report-reminder-after'], '2026-12-01T10:01:11.000Z');
});

/** Attested by one person, approved by another, exported by a payment run: as a payment's life goes. */
function payOut(life: CaseFollowUp, paymentId: string, at: string): void {
  life.attest({ actor: 'per', paymentId }, at);
  life.approve({ actor: 'lise', paymentId, hasBudgetAuthority: true }, at);
  life.paymentExported({ paymentId, runId: `run-${paymentId}`, ledgerEntry: 9 }, at);
}

const refusalOf = (checked: { ok: boolean }) => (checked as { refusal?: string }).refusal;

test('an appeal raises a grant paid in full: the difference is prepared, paid by two people, the report still due', () => {
  const life = paid(decided(500_000), sentAt);
  const reportTimers = { ...life.followUp.timers };
  life.appealReceived(document('klage.pdf', '2026-12-10T10:00:00.000Z'), '2026-12-10T10:00:00.000Z');
  const raise = { actor: 'ola', appeal: 1, outcome: 'change', amountGranted: 650_000, comment: 'Nye opplysninger.' };
  assert.equal(life.checkDecideAppeal(raise).ok, true, 'the office that decided may change its decision (§33)');
  const { entries, letter, previousAmount } = life.decideAppeal(raise as never, '2026-12-11T10:00:00.000Z');

  // A new letter with the new amount and the old one.
  assert.equal(letter.kind, 'appeal-changed');
  assert.deepEqual([letter.details.amountGranted, letter.details.previousAmount], [650_000, 500_000]);
  assert.equal(previousAmount, 500_000);
  assert.match(String(entries[0]!.text), /fra kr 500 000 til kr 650 000; kr 150 000 er klargjort for utbetaling/);

  // The difference only, as the part's next payment, waiting for two people; the case waits for its report as before.
  assert.equal(life.followUp.phase, 'report-due');
  assert.deepEqual(
    life.followUp.payments.map((p) => [p.paymentId, p.amount, Boolean(p.paidAt)]),
    [
      ['SAK-7F3A9C21-on-acceptance', 500_000, true],
      ['SAK-7F3A9C21-on-acceptance-2', 150_000, false],
    ],
  );
  const difference = 'SAK-7F3A9C21-on-acceptance-2';
  life.attest({ actor: 'per', paymentId: difference }, sentAt);
  assert.match(
    String(refusalOf(life.checkApprove({ actor: 'per', paymentId: difference, hasBudgetAuthority: true }))),
    /har attestert utbetalingen og kan ikke også godkjenne/,
  );
  life.approve({ actor: 'lise', paymentId: difference, hasBudgetAuthority: true }, sentAt);
  life.paymentExported({ paymentId: difference, runId: 'run-2', ledgerEntry: 7 }, '2026-12-12T10:00:00.000Z');
  assert.equal(life.followUp.phase, 'report-due', 'paying the difference does not move the case');
  assert.deepEqual(life.followUp.timers, reportTimers, 'nor its report deadline');
  assert.equal(life.paid, 650_000, 'the new grant, nothing paid twice');

  // The report approved, all is paid: the case closes, with nothing more to pay.
  life.reportReceived(document('rapport.pdf', sentAt), { amountSpent: 650_000, findings: [], sources: {} }, sentAt);
  const approved = life.assessReport({ actor: 'kari', outcome: 'approve', comment: 'ok' }, sentAt);
  assert.equal(approved.close, true);
  assert.equal(life.followUp.payments.length, 2);
});

test('a raise while the difference is unpaid keeps the case open after the report; a raise on a settled case reopens it', () => {
  const halfBefore = { ...scheme, decisions: { ...scheme.decisions, paymentShareBeforeReport: 0.5 } };
  const life = paid(decided(400_000, {}, halfBefore), sentAt);
  assert.deepEqual(
    life.followUp.payments.map((p) => p.amount),
    [200_000],
    'half on acceptance',
  );

  // Raised to 600 000 before the report: the share on acceptance lacks 100 000.
  life.appealReceived(document('klage.pdf', '2026-12-10T10:00:00.000Z'), sentAt);
  life.decideAppeal(
    { actor: 'ola', appeal: 1, outcome: 'change', amountGranted: 600_000, comment: 'Feil i beregningen.' },
    sentAt,
  );
  assert.deepEqual(
    life.followUp.payments.map((p) => [p.part, p.amount]),
    [
      ['on-acceptance', 200_000],
      ['on-acceptance', 100_000],
    ],
  );
  // The report approved before the difference is paid: the rest after the report is prepared, the case stays open.
  life.reportReceived(document('rapport.pdf', sentAt), { amountSpent: 600_000, findings: [], sources: {} }, sentAt);
  const approved = life.assessReport({ actor: 'kari', outcome: 'approve', comment: 'ok' }, sentAt);
  assert.equal(approved.close, false);
  assert.deepEqual(
    life.followUp.payments.map((p) => [p.paymentId, p.amount]),
    [
      ['SAK-7F3A9C21-on-acceptance', 200_000],
      ['SAK-7F3A9C21-on-acceptance-2', 100_000],
      ['SAK-7F3A9C21-after-report', 300_000],
    ],
  );
  payOut(life, 'SAK-7F3A9C21-on-acceptance-2', sentAt);
  assert.notEqual(life.followUp.phase, 'closed', 'the rest after the report is not paid yet');
  payOut(life, 'SAK-7F3A9C21-after-report', sentAt);
  assert.equal(life.followUp.phase, 'closed');
  assert.equal(life.paid, 600_000);

  // Settled, then raised again on a second appeal: open until both parts' differences are paid, then closed.
  life.appealReceived(document('klage-2.pdf', '2026-12-14T10:00:00.000Z'), sentAt);
  const { entries } = life.decideAppeal(
    { actor: 'ola', appeal: 2, outcome: 'change', amountGranted: 700_000, comment: 'Ny vurdering.' },
    sentAt,
  );
  assert.ok(!entries.some((e) => e.event === 'closed'), 'not closed as if the grant were withdrawn');
  assert.equal(life.followUp.closedAt, undefined);
  assert.deepEqual(
    life.followUp.payments.slice(3).map((p) => [p.paymentId, p.amount]),
    [
      ['SAK-7F3A9C21-on-acceptance-3', 50_000],
      ['SAK-7F3A9C21-after-report-2', 50_000],
    ],
  );
  payOut(life, 'SAK-7F3A9C21-on-acceptance-3', sentAt);
  assert.notEqual(life.followUp.phase, 'closed');
  payOut(life, 'SAK-7F3A9C21-after-report-2', sentAt);
  assert.equal(life.followUp.phase, 'closed');
  assert.equal(life.paid, 700_000, 'the grant, paid once');
});

test('cases recorded before raises were paid by the difference refuse a raise after payment, as they did', () => {
  const life = paid(decided(500_000, {}, scheme, { raisedGrantPaidByDifference: false }), sentAt);
  life.appealReceived(document('klage.pdf', '2026-12-10T10:00:00.000Z'), sentAt);
  assert.equal(
    refusalOf(
      life.checkDecideAppeal({ actor: 'ola', appeal: 1, outcome: 'change', amountGranted: 650_000, comment: 'x' }),
    ),
    'Tilskuddet er delvis utbetalt; en økning må vedtas som en ny sak.',
  );
  // Lowering below what is paid is a claim-back, under either rules.
  const today = paid(decided(500_000), sentAt);
  today.appealReceived(document('klage.pdf', '2026-12-10T10:00:00.000Z'), sentAt);
  assert.match(
    String(
      refusalOf(
        today.checkDecideAppeal({ actor: 'ola', appeal: 1, outcome: 'change', amountGranted: 400_000, comment: 'x' }),
      ),
    ),
    /utbetalt kr 500 000; beløpet kan ikke settes lavere/,
  );
});
