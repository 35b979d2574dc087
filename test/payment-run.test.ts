import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { ApplicationFailure } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createLedgerActivities, readPotEntries } from '../activities/ledger.ts';
import { createPaymentActivities } from '../activities/payments.ts';
import { startPaymentRun } from '../client/payments.ts';
import { loadSchemes } from '../config/schemes.ts';
import { sumOfEntries, type PotEntry } from '../schemas/ledger.ts';
import { approvePayment, attestPayment, preparePayment, type Payment } from '../schemas/payment.ts';
import { paymentRunColumns, type PaymentRun } from '../schemas/payment-run.ts';
import { readObject } from '../storage/objects.ts';
import { readExportedPayments, unfinishedPaymentRuns } from '../storage/payments.ts';
import type { PaymentRunResult } from '../workflows/payment-run.ts';
import { potBalanceQuery } from '../workflows/messages.ts';
import { saveHistory } from './support/histories.ts';
import { cliEnv } from './support/stack.ts';
import { useTestStack } from './support/use-test-stack.ts';

const { stack } = useTestStack({ workers: { webhook: false } });

const competence = (await loadSchemes()).find((s) => s.id === 'kompetanse-innovasjon-2017')!;
const potId = 'pot-kompetanse-innovasjon-2017-utdanning';
const at = '2017-07-10T09:00:00.000Z';
const activityEnv = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });

const deps = () => ({
  minio: stack.minio,
  client: stack.env.client,
  taskQueue: stack.config.temporal.taskQueue,
  recordsBucket: stack.config.buckets.records,
});

/** A granted case's payment on acceptance, attested by Lise and approved by Anne (who has budget authority). */
function approved(caseId: string, amountGranted: number, bankAccount = '97100500004'): Payment {
  const basis = { caseId, potId, organisationNumber: '964964998', bankAccount, amountGranted };
  const prepared = preparePayment(competence, basis, 'on-acceptance', { by: 'lise', at });
  assert.ok(prepared.ok);
  const attested = attestPayment(prepared.payment, 'lise', at);
  assert.ok(attested.ok);
  const done = approvePayment(attested.payment, { by: 'anne', hasBudgetAuthority: true }, at);
  assert.ok(done.ok);
  return done.payment;
}

/** The CSV's rows by column, as the accounting system reads them (BOM, `;`, CRLF). */
function rowsOf(csv: string): Array<Record<string, string>> {
  assert.ok(csv.startsWith('\uFEFF'), 'UTF-8 with a BOM');
  const [header, ...lines] = csv.slice(1).trimEnd().split('\r\n');
  assert.deepEqual(header!.split(';'), [...paymentRunColumns]);
  return lines.map((line) => Object.fromEntries(line.split(';').map((cell, i) => [paymentRunColumns[i]!, cell])));
}

async function csvAt(key: string): Promise<string> {
  return (await readObject(stack.minio, { bucket: stack.config.buckets.records, key })).toString('utf8');
}

async function paidEntries() {
  return (await readPotEntries(stack.minio, stack.config.buckets.records, potId)).filter((e) => e.kind === 'paid');
}

const run = async (at: Date) =>
  (
    await startPaymentRun(stack.env.client, {
      actor: 'økonomi',
      taskQueue: stack.config.temporal.taskQueue,
      minio: stack.minio,
      recordsBucket: stack.config.buckets.records,
      at,
    })
  ).result();

test('a payment run exports the approved payments once: the file, the ledger paid to the krone, and a second run pays nothing', async () => {
  const ledger = createLedgerActivities(deps());
  const payments = createPaymentActivities(deps());
  const cases = [
    { caseId: 'SAK-PAYRUN01', amount: 1_250_000 },
    { caseId: 'SAK-PAYRUN02', amount: 420_000 },
  ];
  for (const { caseId, amount } of cases) await ledger.commitInPot({ potId, caseId, amount, actor: 'anne' });

  const prepared = preparePayment(
    competence,
    { caseId: 'SAK-PAYRUN03', potId, organisationNumber: '964964998', bankAccount: '97100500004', amountGranted: 1 },
    'on-acceptance',
    { by: 'lise', at },
  );
  assert.ok(prepared.ok);
  await assert.rejects(
    activityEnv().run(payments.recordApprovedPayment, prepared.payment),
    (error: unknown) => error instanceof ApplicationFailure && error.type === 'PaymentNotApproved',
    'a payment no one has approved is not recorded for a run',
  );

  for (const { caseId, amount } of cases) {
    const payment = approved(caseId, amount);
    await activityEnv().run(payments.recordApprovedPayment, payment);
    await activityEnv().run(payments.recordApprovedPayment, payment); // a retry: the same record
  }

  const first = await run(new Date('2017-07-10T12:00:00Z'));
  assert.equal(first.runId, 'payment-run-20170710T120000Z');
  assert.equal(first.key, 'payments/payment-run-20170710T120000Z.csv');
  assert.equal(first.payments, 2);
  assert.equal(first.total, 1_670_000);
  const rows = rowsOf(await csvAt(first.key!));
  const paid = await paidEntries();
  assert.deepEqual(
    rows.map((r) => [r.Organisasjonsnummer, r.Kontonummer, r.Beløp, r.Saksnummer, r.Ramme, r.Utbetaling]),
    [
      ['964964998', '97100500004', '1250000', 'SAK-PAYRUN01', potId, 'SAK-PAYRUN01-on-acceptance'],
      ['964964998', '97100500004', '420000', 'SAK-PAYRUN02', potId, 'SAK-PAYRUN02-on-acceptance'],
    ],
  );
  assert.deepEqual(
    rows.map((r) => Number(r.Linje)),
    paid.map((e) => e.seq),
    'each row names the ledger line that records it as paid',
  );
  const fileTotal = rows.reduce((sum, r) => sum + Number(r.Beløp), 0);
  const balance = await stack.env.client.workflow.getHandle(potId).query(potBalanceQuery);
  assert.equal(balance.paid, fileTotal, "the ledger's paid is the file's total");
  assert.equal(sumOfEntries(await readPotEntries(stack.minio, stack.config.buckets.records, potId)).paid, fileTotal);
  assert.deepEqual(
    first.exported.map((e) => [e.paymentId, e.signalled]),
    [
      ['SAK-PAYRUN01-on-acceptance', false],
      ['SAK-PAYRUN02-on-acceptance', false],
    ],
    'no case workflow runs for these references: the records say it was exported',
  );

  await saveHistory(stack, 'payment-run', first.runId);

  const second = await run(new Date('2017-07-11T12:00:00Z'));
  assert.equal(second.payments, 0);
  assert.equal(second.key, undefined, 'nothing to export, no file');
  assert.equal((await paidEntries()).length, 2, 'nothing paid twice');
  assert.equal((await stack.env.client.workflow.getHandle(potId).query(potBalanceQuery)).paid, fileTotal);
});

test('a run stopped midway is finished by the next: the same file, its payments in no other run, nothing paid twice', async () => {
  const ledger = createLedgerActivities(deps());
  const payments = createPaymentActivities(deps());
  const cases = [
    { caseId: 'SAK-PAYRUN11', amount: 300_000 },
    { caseId: 'SAK-PAYRUN12', amount: 200_000 },
  ];
  for (const { caseId, amount } of cases) {
    await ledger.commitInPot({ potId, caseId, amount, actor: 'anne' });
    await activityEnv().run(payments.recordApprovedPayment, approved(caseId, amount));
  }
  const paidBefore = (await stack.env.client.workflow.getHandle(potId).query(potBalanceQuery)).paid;

  // What a run leaves when it stops after its manifest and the first payment's ledger line (terminated, say).
  const stoppedId = 'payment-run-20170801T090000Z';
  const fixed: PaymentRun = await activityEnv().run(payments.fixPaymentRun, { runId: stoppedId, createdAt: at });
  assert.deepEqual(
    fixed.payments.map((p) => p.paymentId),
    ['SAK-PAYRUN11-on-acceptance', 'SAK-PAYRUN12-on-acceptance'],
  );
  const [firstPayment] = fixed.payments;
  const line: PotEntry = await activityEnv().run(ledger.recordPaymentInPot, {
    potId,
    caseId: firstPayment!.caseId,
    paymentId: firstPayment!.paymentId,
    amount: firstPayment!.amount,
    actor: 'økonomi',
  });
  // Approved after the run was fixed: it waits for the next run.
  await ledger.commitInPot({ potId, caseId: 'SAK-PAYRUN13', amount: 50_000, actor: 'anne' });
  await activityEnv().run(payments.recordApprovedPayment, approved('SAK-PAYRUN13', 50_000));

  const finished = await run(new Date('2017-08-02T09:00:00Z'));
  assert.equal(finished.runId, stoppedId, 'the stopped run is finished under its own id');
  assert.equal(finished.total, 500_000);
  const rows = rowsOf(await csvAt(finished.key!));
  assert.deepEqual(
    rows.map((r) => r.Saksnummer),
    ['SAK-PAYRUN11', 'SAK-PAYRUN12'],
  );
  assert.equal(rows[0]!.Linje, String(line.seq), 'the line made before the stop, not a second one');

  await saveHistory(stack, 'payment-run-resumed', stoppedId);

  // The same run once more (a retry of the whole workflow): the same file, byte for byte, and nothing paid again.
  const bytes = await csvAt(finished.key!);
  const again = await stack.env.client.workflow.execute('paymentRun', {
    workflowId: stoppedId,
    taskQueue: stack.config.temporal.taskQueue,
    args: [{ actor: 'økonomi' }],
  });
  assert.deepEqual(again, finished);
  assert.equal(await csvAt(finished.key!), bytes);

  const next = await run(new Date('2017-08-03T09:00:00Z'));
  assert.deepEqual(
    next.exported.map((e) => e.paymentId),
    ['SAK-PAYRUN13-on-acceptance'],
  );

  const paid = await paidEntries();
  assert.equal(new Set(paid.map((e) => e.paymentId)).size, paid.length, 'one paid line per payment');
  const balance = await stack.env.client.workflow.getHandle(potId).query(potBalanceQuery);
  assert.equal(balance.paid - paidBefore, 550_000, 'paid is what the two files hold');
  assert.equal(sumOfEntries(await readPotEntries(stack.minio, stack.config.buckets.records, potId)).paid, balance.paid);
  const exported = await readExportedPayments(stack.minio, stack.config.buckets.records);
  assert.deepEqual(
    exported.filter((e) => e.runId === stoppedId).map((e) => e.paymentId),
    ['SAK-PAYRUN11-on-acceptance', 'SAK-PAYRUN12-on-acceptance'],
  );
});

test('grant-intake payments run: a payment whose grant was withdrawn is refused and left out, the others go out', async () => {
  const ledger = createLedgerActivities(deps());
  const payments = createPaymentActivities(deps());
  for (const [caseId, amount] of [
    ['SAK-PAYRUN21', 80_000],
    ['SAK-PAYRUN22', 90_000],
  ] as const) {
    await ledger.commitInPot({ potId, caseId, amount, actor: 'anne' });
    await activityEnv().run(payments.recordApprovedPayment, approved(caseId, amount));
  }
  // Withdrawn after its payment was approved: the ledger will not pay it.
  await ledger.releaseInPot({ potId, caseId: 'SAK-PAYRUN21', keep: 0, reason: 'Tilsagnet er trukket', actor: 'anne' });

  const { stdout } = await promisify(execFile)(
    process.execPath,
    [new URL('../bin/grant-intake.js', import.meta.url).pathname, 'payments', 'run', '--actor', 'økonomi', '--json'],
    {
      env: cliEnv(stack),
    },
  );
  const result = JSON.parse(stdout) as PaymentRunResult;
  assert.deepEqual(
    result.exported.map((e) => e.paymentId),
    ['SAK-PAYRUN22-on-acceptance'],
  );
  assert.deepEqual(
    result.refused.map((r) => [r.paymentId, r.reason]),
    [
      [
        'SAK-PAYRUN21-on-acceptance',
        'Saken SAK-PAYRUN21 har ikke noe innvilget tilskudd i rammen; det kan ikke utbetales.',
      ],
    ],
  );
  assert.deepEqual(
    rowsOf(await csvAt(result.key!)).map((r) => r.Saksnummer),
    ['SAK-PAYRUN22'],
  );
  assert.deepEqual(
    await unfinishedPaymentRuns(stack.minio, stack.config.buckets.records),
    [],
    'a refusal settles the payment: the run is not left unfinished',
  );
  const again = await run(new Date('2017-09-02T09:00:00Z'));
  assert.equal(again.payments, 0, 'the refused payment is in no later run');
});

test('a run stopped after any of its steps, run again: the file it would have written, each payment paid once', async () => {
  const ledger = createLedgerActivities(deps());
  const payments = createPaymentActivities(deps());
  const steps = ['manifest', 'first paid', 'second paid', 'file', 'first exported'] as const;
  for (const [cut, step] of steps.entries()) {
    const cases = [`SAK-CUT${cut}A`, `SAK-CUT${cut}B`];
    for (const caseId of cases) {
      await ledger.commitInPot({ potId, caseId, amount: 10_000 + cut, actor: 'anne' });
      await activityEnv().run(payments.recordApprovedPayment, approved(caseId, 10_000 + cut));
    }
    // The steps of `workflows/payment-run.ts` up to the cut, as a run that stopped there left them.
    const runId = `payment-run-2017100${cut}T090000Z`;
    const fixed: PaymentRun = await activityEnv().run(payments.fixPaymentRun, { runId, createdAt: at });
    const lines: PotEntry[] = [];
    for (const payment of fixed.payments.slice(0, Math.min(cut, 2)))
      lines.push(
        await activityEnv().run(ledger.recordPaymentInPot, {
          potId,
          caseId: payment.caseId,
          paymentId: payment.paymentId,
          amount: payment.amount,
          actor: 'økonomi',
        }),
      );
    const withLines = fixed.payments.map((p, i) => ({ ...p, ledgerEntry: lines[i]?.seq }));
    if (cut >= 3) await activityEnv().run(payments.writePaymentRun, { ...fixed, payments: withLines });
    const fileBefore = cut >= 3 ? await csvAt(`payments/${runId}.csv`) : undefined;
    if (cut >= 4)
      await activityEnv().run(payments.markPaymentExported, {
        payment: withLines[0]!,
        exported: { paymentId: withLines[0]!.paymentId, runId, ledgerEntry: lines[0]!.seq },
      });

    const finished = await run(new Date(`2017-11-0${cut + 1}T09:00:00Z`));
    assert.equal(finished.runId, runId, `stopped after the ${step}: the same run is finished`);
    const rows = rowsOf(await csvAt(finished.key!));
    assert.deepEqual(
      rows.map((r) => r.Saksnummer),
      cases,
      `stopped after the ${step}: both payments in its file`,
    );
    if (fileBefore) assert.equal(await csvAt(finished.key!), fileBefore, `stopped after the ${step}: the same bytes`);
    const paid = (await paidEntries()).filter((e) => cases.includes(e.reference));
    assert.deepEqual(
      paid.map((e) => e.seq),
      rows.map((r) => Number(r.Linje)),
      `stopped after the ${step}: paid once each, on the file's lines`,
    );
    assert.deepEqual(await unfinishedPaymentRuns(stack.minio, stack.config.buckets.records), []);
  }
  const balance = await stack.env.client.workflow.getHandle(potId).query(potBalanceQuery);
  assert.equal(sumOfEntries(await readPotEntries(stack.minio, stack.config.buckets.records, potId)).paid, balance.paid);
});
