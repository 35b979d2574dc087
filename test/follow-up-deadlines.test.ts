import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSchemes } from '../config/schemes.ts';
import {
  acceptanceTimes,
  appealPeriod,
  isAppealOnTime,
  isWorkingDay,
  reportTimes,
} from '../schemas/follow-up-deadlines.ts';
import { SchemeSchema } from '../schemas/scheme.ts';

const schemes = await loadSchemes();
const competence = schemes.find((s) => s.id === 'kompetanse-innovasjon-2017')!;
/** The same scheme sending its letters by post: two days to arrive. */
const byPost = SchemeSchema.parse({
  ...competence,
  decisions: { ...competence.decisions, letterReceivedAfterDays: 2 },
});

test('the scheme data gives defaults: all paid on acceptance, e-mail letters, three weeks to appeal, reminders', () => {
  assert.equal(competence.decisions.paymentShareBeforeReport, 1);
  assert.equal(competence.decisions.letterReceivedAfterDays, 0);
  assert.equal(competence.decisions.appealWithinDays, 21);
  assert.deepEqual(competence.decisions.reminders, {
    acceptanceAfterDays: 1,
    acceptanceEscalateAfterDays: 14,
    reportBeforeDays: 30,
    reportAfterDays: 14,
  });
});

test('a letter of 12.06.2017 is to be accepted by 03.07.2017 (end of the day in Oslo); reminded on the 4th, to the caseworker on the 18th', () => {
  assert.deepEqual(acceptanceTimes(competence, '2017-06-12'), {
    deadlineDay: '2017-07-03',
    deadline: '2017-07-03T22:00:00.000Z',
    reminder: '2017-07-03T22:00:00.000Z',
    escalation: '2017-07-17T22:00:00.000Z',
  });
});

test('the report is due 01.04.2018: reminded on 02.03 before it and 15.04 after it (across the change to summer time)', () => {
  assert.deepEqual(reportTimes(competence), {
    deadlineDay: '2018-04-01',
    deadline: '2018-04-01T22:00:00.000Z',
    reminderBefore: '2018-03-01T23:00:00.000Z',
    reminderAfter: '2018-04-14T22:00:00.000Z',
  });
});

test("three weeks from receipt: an e-mail letter is received the day it is sent, a posted one the scheme's days later", () => {
  // Sent Monday 12.06.2017 at 15:00 in Oslo.
  assert.deepEqual(appealPeriod(competence, '2017-06-12T13:00:00Z'), {
    receivedDay: '2017-06-12',
    lastDay: '2017-07-03',
    deadline: '2017-07-03T22:00:00.000Z',
  });
  assert.deepEqual(appealPeriod(byPost, '2017-06-12T13:00:00Z').lastDay, '2017-07-05');
  assert.ok(isAppealOnTime(competence, '2017-06-12T13:00:00Z', '2017-07-03T21:59:59Z'), 'the last evening is in time');
  assert.ok(!isAppealOnTime(competence, '2017-06-12T13:00:00Z', '2017-07-03T22:00:00Z'), 'midnight is late');
  assert.ok(isAppealOnTime(byPost, '2017-06-12T13:00:00Z', '2017-07-05T12:00:00Z'));
});

test('a last day on a weekend or a public holiday moves to the next working day (forvaltningsloven §30)', () => {
  // Sent Friday 26.04.2019 by e-mail: 17.05.2019 is a Friday and Constitution Day, so the period ends Monday 20.05.
  assert.equal(appealPeriod(competence, '2019-04-26T08:00:00Z').lastDay, '2019-05-20');
  // Sent Saturday 02.12.2017 (an e-mail read on a Saturday): 23.12 is a Saturday, 25 and 26 are holidays.
  assert.equal(appealPeriod(competence, '2017-12-02T10:00:00Z').lastDay, '2017-12-27');
  // Easter 2018: Maundy Thursday 29.03 to Easter Monday 02.04.
  assert.deepEqual(
    ['2018-03-28', '2018-03-29', '2018-03-30', '2018-04-02', '2018-04-03', '2018-05-10', '2018-05-21'].map(
      isWorkingDay,
    ),
    [true, false, false, false, true, false, false],
  );
});
