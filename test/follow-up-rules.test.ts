import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSchemes } from '../config/schemes.ts';
import type { CaseState } from '../schemas/assessment/state.ts';
import { CaseFollowUp, startFollowUp, type FollowUpDurations } from '../schemas/follow-up/case-follow-up.ts';
import type { IncomingDocument } from '../schemas/follow-up/state.ts';

/** The follow-up's rules without Temporal: what each request may do and where the case goes. */

const schemes = await loadSchemes();
const scheme = schemes.find((s) => s.id === 'kompetanse-innovasjon-2017')!;
const sentAt = '2026-12-01T10:00:00.000Z';

function decided(amount: number, timers: FollowUpDurations = {}): CaseFollowUp {
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
  state.followUp = startFollowUp(state, scheme, sentAt, { appealPeriod: 21 * 86_400_000 });
  return new CaseFollowUp(state, scheme, 10, timers);
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
