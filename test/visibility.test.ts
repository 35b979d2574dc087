import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  acceptedNotPaid,
  appealsWaiting,
  caseWithReference,
  casesInPhases,
  casesInQueues,
  literal,
  otherApplicationsOf,
  reportsOverdue,
} from '../client/visibility.ts';

test('visibility queries name the search attributes of workflows/messages.ts and quote every value', () => {
  assert.equal(
    casesInQueues('all'),
    `WorkflowType IN ('application', 'grantFollowUp') AND ExecutionStatus != 'ContinuedAsNew'`,
  );
  assert.equal(
    casesInQueues(['fm-telemark-helse/utdanning', 'triage']),
    `WorkflowType IN ('application', 'grantFollowUp') AND ExecutionStatus != 'ContinuedAsNew' AND GrantQueue IN ('fm-telemark-helse/utdanning', 'triage')`,
  );
  assert.equal(
    caseWithReference('SAK-7F3A9C21'),
    `WorkflowType IN ('application', 'grantFollowUp') AND ExecutionStatus != 'ContinuedAsNew' AND CaseReference = 'SAK-7F3A9C21'`,
  );
  assert.equal(
    otherApplicationsOf({
      organisationNumber: '964964998',
      schemeId: 'parorende-2017',
      except: 'application-SAK-7F3A9C21',
    }),
    `OrganisationNumber = '964964998' AND GrantScheme = 'parorende-2017' AND WorkflowId != 'application-SAK-7F3A9C21'`,
  );
});

test('a value with quotes or backslashes stays one literal: it cannot widen the query', () => {
  assert.equal(literal(`x' OR WorkflowType != '`), `'x\\' OR WorkflowType != \\''`);
  assert.equal(literal('a\\'), `'a\\\\'`, 'a trailing backslash cannot escape the closing quote');
  assert.equal(literal(2_000_000), '2000000');
  assert.equal(literal(true), 'true');
  assert.equal(literal(new Date('2017-04-15T22:00:00Z')), `'2017-04-15T22:00:00.000Z'`);
});

test("the admin queries of the grant's life: reports overdue, accepted but not paid, appeals waiting", () => {
  assert.equal(
    reportsOverdue(new Date('2018-04-02T08:00:00Z')),
    `WorkflowType IN ('application', 'grantFollowUp') AND ExecutionStatus != 'ContinuedAsNew' AND CasePhase = 'report-due' AND ReportDeadline < '2018-04-02T08:00:00.000Z'`,
  );
  assert.equal(
    acceptedNotPaid(),
    `WorkflowType IN ('application', 'grantFollowUp') AND ExecutionStatus != 'ContinuedAsNew' AND CasePhase = 'accepted'`,
  );
  assert.equal(
    appealsWaiting(),
    `WorkflowType IN ('application', 'grantFollowUp') AND ExecutionStatus != 'ContinuedAsNew' AND CasePhase = 'appeal'`,
  );
  assert.equal(
    casesInPhases(['fm-telemark-helse/utdanning'], ['accepted', 'report-received']),
    `WorkflowType IN ('application', 'grantFollowUp') AND ExecutionStatus != 'ContinuedAsNew' AND GrantQueue IN ('fm-telemark-helse/utdanning') AND CasePhase IN ('accepted', 'report-received')`,
    "the review app's follow-up queues",
  );
});
