import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { acceptedNotPaid, appealsWaiting, reportsOverdue } from '../client/visibility.ts';
import { casePhases, type CasePhase } from '../schemas/case-phase.ts';
import { resolveServerBinary } from '../stack/binaries.ts';
import { searchAttributes, allSearchAttributes } from '../workflows/messages.ts';

let env: TestWorkflowEnvironment;

before(async () => {
  env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: await resolveServerBinary('temporal') },
      searchAttributes: allSearchAttributes,
    },
  });
});
after(() => env?.teardown());

/**
 * Cases as the Temporal UI lists them, each in a phase with its reporting deadline: started on a task queue no
 * worker polls, so they stay as started, with the search attributes the case workflow will set.
 */
async function startCase(id: string, phase: CasePhase, reportDeadline: string): Promise<void> {
  await env.client.workflow.start('grantFollowUp', {
    workflowId: id,
    taskQueue: 'nobody-polls-this',
    typedSearchAttributes: [
      { key: searchAttributes.phase, value: phase },
      { key: searchAttributes.reportDeadline, value: new Date(reportDeadline) },
    ],
  });
}

async function list(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of env.client.workflow.list({ query })) ids.push(execution.workflowId);
  return ids.sort();
}

test(
  'the admin queries find the cases a caseworker would: reports overdue, accepted but not paid, appeals waiting',
  { timeout: 120_000 },
  async () => {
    assert.ok(casePhases.includes('report-due'));
    await startCase('application-SAK-OVERDUE1', 'report-due', '2018-04-01T22:00:00Z');
    await startCase('application-SAK-NOTDUE01', 'report-due', '2019-04-01T22:00:00Z');
    await startCase('application-SAK-ACCEPTED', 'accepted', '2018-04-01T22:00:00Z');
    await startCase('application-SAK-APPEAL01', 'appeal', '2018-04-01T22:00:00Z');
    await startCase('application-SAK-CLOSED01', 'closed', '2018-04-01T22:00:00Z');
    const expected = {
      overdue: ['application-SAK-OVERDUE1'],
      accepted: ['application-SAK-ACCEPTED'],
      appeals: ['application-SAK-APPEAL01'],
    };
    // Visibility is eventually consistent: wait until the store has them.
    for (let attempt = 0; ; attempt++) {
      const found = {
        overdue: await list(reportsOverdue(new Date('2018-06-01T00:00:00Z'))),
        accepted: await list(acceptedNotPaid()),
        appeals: await list(appealsWaiting()),
      };
      if (JSON.stringify(found) === JSON.stringify(expected) || attempt === 50) {
        assert.deepEqual(found, expected);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  },
);
