import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { paymentRunKey } from '../schemas/payment-run.ts';
import { readCaseJournal } from '../storage/journal.ts';
import { readObject } from '../storage/objects.ts';
import {
  approvePaymentUpdate,
  attestPaymentUpdate,
  decideAppealUpdate,
  recordAcceptanceUpdate,
} from '../workflows/messages.ts';
import type { PaymentRunResult } from '../workflows/payment-run.ts';
import {
  appealedByMail,
  decidedCase,
  potBalance,
  potEntriesOf,
  saveRuns,
  until,
  utdanning,
  type LiveCase,
} from './support/follow-up-case.ts';
import { useTestStack } from './support/use-test-stack.ts';

/**
 * An appeal that raises a grant after it was paid (forvaltningsloven §33; SPEC §6: the office that decided may change
 * its decision), against real servers: the pot's commitment grows by the difference only, the difference is paid once,
 * after one person attests it and another approves it, and the applicant gets the new decision by letter.
 */

const { stack, smtp } = useTestStack({ smtp: true, workers: { webhook: true } });

/** A payment attested by one person and approved by another, then a payment run: its file's line for the case. */
async function payOut(live: LiveCase, caseId: string, paymentId: string, run: string) {
  await live.executeUpdate(attestPaymentUpdate, { args: [{ actor: 'per', paymentId }] });
  await assert.rejects(
    live.executeUpdate(approvePaymentUpdate, { args: [{ actor: 'per', paymentId, hasBudgetAuthority: true }] }),
    (error: unknown) =>
      error instanceof WorkflowUpdateFailedError && /kan ikke også godkjenne/.test(String(error.cause?.message)),
  );
  await live.executeUpdate(approvePaymentUpdate, { args: [{ actor: 'lise', paymentId, hasBudgetAuthority: true }] });
  const result = await stack.env.client.workflow.execute<(input: { actor: string }) => Promise<PaymentRunResult>>(
    'paymentRun',
    { taskQueue: stack.config.temporal.taskQueue, workflowId: run, args: [{ actor: 'okonomi' }] },
  );
  const csv = (
    await readObject(stack.minio, { bucket: stack.config.buckets.records, key: paymentRunKey(result.runId) })
  ).toString('utf8');
  return csv.split(/\r\n/).filter((line) => line.includes(caseId));
}

test('an appeal raises a grant paid in full: the ledger by the difference, the difference paid once by two people, a new letter', async () => {
  const amount = 500_000;
  const { caseId, live, facts } = await decidedCase(stack, 'klage-okning', 321, amount);
  const accepted = await live.executeUpdate(recordAcceptanceUpdate, {
    args: [{ actor: 'kari', bankAccount: '9710.05.00004', signedBy: 'Kari Nordmann', note: 'Mottatt per post' }],
  });
  const first = accepted.followUp!.payments[0]!.paymentId;
  const firstRun = await payOut(live, caseId, first, `utbetaling-1-${caseId}`);
  assert.equal(firstRun.length, 1);
  assert.match(firstRun[0]!, new RegExp(`;${amount};${caseId};${utdanning};\\d+;${first}$`));
  const due = await until(live, (s) => s.followUp?.phase === 'report-due', 'paid: the report is due');
  const reportDueAt = due.followUp!.reportDueAt;

  // The applicant appeals within three weeks; the office changes its decision to a higher grant.
  await appealedByMail(stack, caseId, live, facts);
  const decided = await live.executeUpdate(decideAppealUpdate, {
    args: [
      {
        actor: 'leder-ola',
        appeal: 1,
        outcome: 'change',
        amountGranted: 650_000,
        comment: 'Kursavgiften var utelatt.',
      },
    ],
  });
  assert.equal(decided.followUp!.phase, 'report-due', 'back to waiting for the report');
  assert.equal(decided.followUp!.reportDueAt, reportDueAt, 'with the same deadline');
  assert.equal(decided.followUp!.amountGranted, 650_000);

  // A new letter: the changed decision, by e-mail.
  assert.ok(decided.letters.some((l) => l.letter.name === 'klagevedtak-1' && l.delivery?.via === 'smtp'));
  assert.ok(
    smtp.received.some((m) => m.mail.subject === `Vedtak i klagesak – ${caseId}`),
    'the applicant has it',
  );

  // The pot: the commitment raised by the difference only; what was paid stays paid.
  const afterRaise = await potEntriesOf(stack, caseId);
  assert.deepEqual(
    afterRaise.map((e) => [e.kind, e.amount, e.effect.committed, e.effect.paid]),
    [
      ['reserve', amount, 0, 0],
      ['commit', amount, amount, 0],
      ['paid', amount, 0, amount],
      ['commit', 650_000, 150_000, 0],
    ],
  );

  // The difference waits for two people, then is paid in the next run; the first payment is not paid again.
  const difference = decided.followUp!.payments.find((p) => !p.paidAt)!;
  assert.deepEqual([difference.amount, difference.attested], [150_000, undefined]);
  const secondRun = await payOut(live, caseId, difference.paymentId, `utbetaling-2-${caseId}`);
  assert.equal(secondRun.length, 1, 'only the difference');
  assert.match(secondRun[0]!, new RegExp(`;150000;${caseId};${utdanning};\\d+;${difference.paymentId}$`));
  const paid = await until(
    live,
    (s) => s.followUp!.payments.every((p) => p.paidAt),
    'the difference is recorded as paid',
  );
  assert.equal(paid.followUp!.phase, 'report-due');
  assert.equal(
    paid.followUp!.payments.reduce((sum, p) => sum + p.amount, 0),
    650_000,
  );
  const entries = await potEntriesOf(stack, caseId);
  const last = entries.at(-1)!;
  assert.deepEqual([last.kind, last.amount, last.paymentId], ['paid', 150_000, difference.paymentId]);
  await potBalance(stack);

  // The journal: the appeal in, the new decision out.
  const journal = await readCaseJournal(stack.minio, stack.config.buckets.records, caseId);
  assert.deepEqual(
    journal.map((e) => [e.direction, e.kind, e.title.split(' – ')[0]]),
    [
      ['inn', 'application', 'Søknad'],
      ['ut', 'letter', 'Vedtak'],
      ['inn', 'appeal', 'Klage på vedtak'],
      ['ut', 'letter', 'Nytt vedtak etter klage'],
    ],
  );
  await saveRuns(stack, 'follow-up-appeal-raise', caseId);
  await live.terminate('test over');
});
