import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Appeal, FollowUpState, ReceivedReport } from '../schemas/follow-up/state.ts';
import type { Payment } from '../schemas/payment.ts';
import type { CaseDetail } from '../web/cases.ts';
import { appealsWaiting, timelineOf, toApprove, toAttest } from '../web/follow-up.ts';

/** The case page's timeline and the follow-up queues' picks, from a case's state as the workflow reports it. */

const decided: CaseDetail = {
  summary: {
    workflowId: 'application-SAK-1',
    reference: 'SAK-1',
    status: 'approved',
    errors: 0,
    warnings: 0,
    late: false,
    running: true,
    receivedAt: new Date('2017-04-10T07:12:00Z'),
    applicant: 'Vinje kommune',
  },
  open: false,
  reading: false,
  status: 'approved',
  provenance: {},
  findings: [],
  conflicts: [],
  corrections: [],
  informationRequests: [],
  proposals: [],
  letters: [],
  late: false,
  documents: [],
  journal: [],
  history: [
    { seq: 4, event: 'proposed', at: '2017-05-02T10:00:00Z', actor: 'kari' },
    { seq: 5, event: 'approved', at: '2017-05-03T10:00:00Z', actor: 'per' },
    { seq: 6, event: 'letter-sent', at: '2017-05-03T10:05:00Z' },
  ],
  decision: {
    outcome: 'approved',
    amount: 240_000,
    decidedBy: 'per',
    decidedAt: '2017-05-03T10:00:00Z',
    proposedBy: 'kari',
  },
};

const payment = (part: Payment['part'], stamps: Partial<Payment>): Payment => ({
  paymentId: `SAK-1-${part}`,
  caseId: 'SAK-1',
  potId: 'pot-kompetanse-innovasjon-2017-utdanning',
  part,
  organisationNumber: '964964998',
  bankAccount: '97100500004',
  amount: 120_000,
  prepared: { by: 'system', at: '2017-05-20T08:00:00Z' },
  ...stamps,
});

const appeal = (number: number, onTime: boolean, decision?: Appeal['decision']): Appeal =>
  ({
    number,
    onTime,
    returnTo: 'paid',
    document: { fileName: `klage-${number}.pdf`, receivedAt: `2017-05-1${number}T09:00:00Z` },
    ...(decision && { decision }),
  }) as Appeal;

const followUp = (facts: Partial<FollowUpState>): FollowUpState =>
  ({
    phase: 'letter-sent',
    letterSentAt: '2017-05-03T10:05:00Z',
    amountGranted: 240_000,
    deadlines: {},
    events: [],
    rejectedAcceptances: [],
    payments: [],
    reports: [],
    appeals: [],
    claimBacks: [],
    supplements: [],
    journal: [],
    ...facts,
  }) as FollowUpState;

const current = (steps: ReturnType<typeof timelineOf>) => steps.filter((s) => s.current).map((s) => s.key);

test("a decided case whose state is gone: the line up to the letter from its audit log, the letter's step current", () => {
  const steps = timelineOf(decided, undefined, 'letter-sent');
  assert.deepEqual(
    steps.map((s) => s.key),
    ['received', 'proposal', 'decision', 'letter', 'accepted', 'paid', 'report', 'closed'],
  );
  const proposal = steps.find((s) => s.key === 'proposal')!;
  assert.deepEqual([proposal.at, proposal.by], ['2017-05-02T10:00:00Z', 'kari']);
  assert.match(steps.find((s) => s.key === 'decision')!.note!, /innvilget kr 240 000/);
  assert.equal(steps.find((s) => s.key === 'letter')!.at, '2017-05-03T10:05:00Z');
  assert.deepEqual(current(steps), ['letter']);
  assert.equal(steps.find((s) => s.key === 'accepted')!.at, undefined, 'still ahead');
});

test('paid and waiting for the report: the payment step says who attested and who approved; the queues pick it', () => {
  const paid = payment('on-acceptance', {
    attested: { by: 'kari', at: '2017-05-21T08:00:00Z' },
    approved: { by: 'bente', at: '2017-05-22T08:00:00Z' },
  });
  const waiting = payment('after-report', { attested: { by: 'kari', at: '2017-05-21T08:00:00Z' } });
  const state = followUp({
    phase: 'report-due',
    acceptance: { bankAccount: '97100500004', receivedAt: '2017-05-19T08:00:00Z', signedBy: 'Kari Nordmann' },
    payments: [paid, waiting, payment('on-acceptance', { paymentId: 'SAK-1-other' })],
  });
  const steps = timelineOf({ ...decided, followUp: state }, state, 'report-due');
  assert.deepEqual(current(steps), ['paid'], 'waiting for the report stands on the payment');
  const paidStep = steps.find((s) => s.key === 'paid')!;
  assert.equal(paidStep.by, 'attestert av kari, godkjent av bente');
  assert.equal(paidStep.at, '2017-05-22T08:00:00Z');
  assert.equal(steps.find((s) => s.key === 'accepted')!.by, 'Kari Nordmann');
  assert.deepEqual(
    toAttest(state).map((p) => p.paymentId),
    ['SAK-1-other'],
  );
  assert.deepEqual(
    toApprove(state).map((p) => p.paymentId),
    ['SAK-1-after-report'],
  );
});

test('appeals follow the line: the one waiting is current, a late one is marked, a settled one says how', () => {
  const state = followUp({
    phase: 'appeal',
    appeals: [
      appeal(1, true, { outcome: 'change', comment: 'Ny vurdering', by: 'per', at: '2017-05-15T09:00:00Z' }),
      appeal(2, false),
    ],
  });
  const steps = timelineOf({ ...decided, followUp: state }, state, 'appeal');
  const appeals = steps.filter((s) => s.key === 'appeal');
  assert.deepEqual(
    appeals.map((s) => [s.label, s.note, s.current]),
    [
      ['Klage', 'vedtaket endret', false],
      ['Klage (for sent)', undefined, true],
    ],
  );
  assert.deepEqual(
    appealsWaiting(state).map((a) => a.number),
    [2],
  );
});

test('a report asked to be completed: the report step says so, with the new deadline the case waits for', () => {
  const report = (assessment: ReceivedReport['assessment']) =>
    ({
      seq: 1,
      document: { fileName: 'rapport.pdf', receivedAt: '2018-03-20T09:00:00Z' },
      ...(assessment && { assessment }),
    }) as ReceivedReport;
  const asked = followUp({
    phase: 'report-due',
    reports: [
      report({
        outcome: 'ask-more',
        comment: 'Hvor mange fullførte?',
        by: 'kari',
        at: '2018-03-22T09:00:00Z',
        deadline: '2018-04-21',
      }),
    ],
  });
  const steps = timelineOf({ ...decided, followUp: asked }, asked, 'report-due');
  const reportStep = steps.find((s) => s.key === 'report')!;
  assert.deepEqual([reportStep.note, reportStep.by], ['bedt om mer, ny frist 21.04.2018', 'kari']);
  const approved = followUp({
    phase: 'closed',
    reports: [report({ outcome: 'approve', comment: 'Fint', by: 'kari', at: '2018-03-22T09:00:00Z' })],
  });
  assert.equal(
    timelineOf({ ...decided, followUp: approved }, approved, 'closed').find((s) => s.key === 'report')!.note,
    'godkjent',
  );
});

test('a grant raised on appeal after it was paid: the payment step shows all that is paid, the difference to attest', () => {
  const stamps = {
    attested: { by: 'kari', at: '2017-05-21T08:00:00Z' },
    approved: { by: 'bente', at: '2017-05-22T08:00:00Z' },
    paidAt: '2017-05-23T08:00:00Z',
  };
  const state = followUp({
    phase: 'report-due',
    amountGranted: 300_000,
    payments: [
      payment('on-acceptance', { ...stamps, amount: 240_000 }),
      payment('on-acceptance', { paymentId: 'SAK-1-on-acceptance-2', amount: 60_000 }),
    ],
  });
  assert.deepEqual(
    toAttest(state).map((p) => [p.paymentId, p.amount]),
    [['SAK-1-on-acceptance-2', 60_000]],
  );
  const approve = (p: Payment) => ({ ...p, ...stamps, approved: { by: 'lise', at: '2017-06-02T08:00:00Z' } });
  const paidAll = followUp({ ...state, payments: state.payments.map(approve) });
  const paidStep = timelineOf({ ...decided, followUp: paidAll }, paidAll, 'report-due').find((s) => s.key === 'paid')!;
  assert.equal(paidStep.note, 'kr 300 000');
});
