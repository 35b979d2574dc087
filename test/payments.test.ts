import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createPaymentActivities } from '../activities/payments.ts';
import { loadSchemes } from '../config/schemes.ts';
import {
  approvePayment,
  attestPayment,
  paymentParts,
  preparePayment,
  type Payment,
  type PaymentOutcome,
} from '../schemas/payment.ts';
import { paymentRunCsv, planPaymentRun } from '../schemas/payment-run.ts';
import { SchemeSchema } from '../schemas/scheme.ts';
import { readObject } from '../storage/objects.ts';
import { startMinioOnly, type MinioOnly } from './support/minio-only.ts';

const schemes = await loadSchemes();
const competence = schemes.find((s) => s.id === 'kompetanse-innovasjon-2017')!;
/** The same scheme holding back a fifth until the report is approved. */
const holdsBack = SchemeSchema.parse({
  ...competence,
  decisions: { ...competence.decisions, paymentShareBeforeReport: 0.8 },
});
const at = '2017-07-10T09:00:00.000Z';
const vinje = {
  caseId: 'SAK-7F3A9C21',
  potId: 'pot-kompetanse-innovasjon-2017-utdanning',
  organisationNumber: '964964998',
  bankAccount: '97100500004',
  amountGranted: 1_250_000,
};

function ok(outcome: PaymentOutcome): Payment {
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.refusal);
  return outcome.payment;
}
function refusal(outcome: PaymentOutcome): string {
  assert.ok(!outcome.ok, 'expected a refusal');
  return outcome.refusal;
}

describe('payments: prepared, attested by one, approved by another with budget authority', () => {
  test('the whole grant is paid on acceptance by default; a scheme may hold back a share until the report', () => {
    assert.deepEqual(paymentParts(competence, 1_250_000), [{ part: 'on-acceptance', amount: 1_250_000 }]);
    assert.deepEqual(paymentParts(holdsBack, 1_250_000), [
      { part: 'on-acceptance', amount: 1_000_000 },
      { part: 'after-report', amount: 250_000 },
    ]);
    assert.match(
      refusal(preparePayment(competence, vinje, 'after-report', { by: 'lise', at })),
      /ingen del av tilskuddet som skal utbetales etter rapporten/,
    );
  });

  test('an account that fails MOD11 stops the payment before anyone attests it', () => {
    assert.equal(
      refusal(
        preparePayment(competence, { ...vinje, bankAccount: '97100500005' }, 'on-acceptance', { by: 'lise', at }),
      ),
      'Kontonummeret 9710.05.00005 er ikke gyldig; utbetalingen kan ikke klargjøres.',
    );
  });

  test('never the same person for both, never without budget authority, never approved before it is attested', () => {
    const prepared = ok(preparePayment(competence, vinje, 'on-acceptance', { by: 'lise', at }));
    assert.equal(prepared.paymentId, 'SAK-7F3A9C21-on-acceptance');
    assert.equal(
      refusal(approvePayment(prepared, { by: 'anne', hasBudgetAuthority: true }, at)),
      'Utbetalingen må attesteres før den kan godkjennes.',
    );
    const attested = ok(attestPayment(prepared, 'lise', at));
    assert.match(refusal(attestPayment(attested, 'ola', at)), /allerede attestert av lise/);
    assert.equal(
      refusal(approvePayment(attested, { by: 'lise', hasBudgetAuthority: true }, at)),
      'lise har attestert utbetalingen og kan ikke også godkjenne den; en annen med budsjettdisponeringsmyndighet må godkjenne.',
    );
    assert.equal(
      refusal(approvePayment(attested, { by: 'ola', hasBudgetAuthority: false }, at)),
      'ola har ikke budsjettdisponeringsmyndighet og kan ikke godkjenne utbetalingen av kr 1 250 000.',
    );
    const approved = ok(approvePayment(attested, { by: 'anne', hasBudgetAuthority: true }, at));
    assert.deepEqual([approved.attested?.by, approved.approved?.by], ['lise', 'anne']);
  });
});

describe('the payment run file', () => {
  const approved = (basis: typeof vinje) =>
    ok(
      approvePayment(
        ok(attestPayment(ok(preparePayment(competence, basis, 'on-acceptance', { by: 'lise', at })), 'lise', at)),
        { by: 'anne', hasBudgetAuthority: true },
        at,
      ),
    );
  const tinn = {
    ...approved({ ...vinje, caseId: 'SAK-2B3C4D5E', organisationNumber: '964963193', amountGranted: 400_000 }),
    ledgerEntry: 17,
  };
  const notApproved = ok(
    preparePayment(competence, { ...vinje, caseId: 'SAK-9Z8Y7X6W' }, 'on-acceptance', { by: 'lise', at }),
  );

  test('holds only the approved payments not in a run yet, in the documented layout', () => {
    const run = planPaymentRun([approved(vinje), tinn, notApproved], '2017-07-10-1', at);
    assert.deepEqual(
      run.payments.map((p) => p.caseId),
      ['SAK-7F3A9C21', 'SAK-2B3C4D5E'],
    );
    assert.equal(
      paymentRunCsv(run),
      '\uFEFFOrganisasjonsnummer;Kontonummer;Beløp;Saksnummer;Ramme;Linje;Utbetaling\r\n' +
        '964964998;97100500004;1250000;SAK-7F3A9C21;pot-kompetanse-innovasjon-2017-utdanning;;SAK-7F3A9C21-on-acceptance\r\n' +
        '964963193;97100500004;400000;SAK-2B3C4D5E;pot-kompetanse-innovasjon-2017-utdanning;17;SAK-2B3C4D5E-on-acceptance\r\n',
    );
    assert.deepEqual(planPaymentRun(run.payments, '2017-07-11-1', at).payments, [], 'a payment goes into one run only');
  });

  test('a text that looks like a formula is written as text', () => {
    const run = planPaymentRun([{ ...approved(vinje), caseId: '=HYPERLINK("x")' }], 'r', at);
    assert.match(paymentRunCsv(run), /;"'=HYPERLINK\(""x""\)";/);
  });
});

describe('writePaymentRun keeps the file in the records bucket', () => {
  let minioOnly: MinioOnly;
  before(async () => {
    minioOnly = await startMinioOnly('payments');
  });
  after(() => minioOnly?.stop());

  test('at payments/<run id>.csv, once: the same run again leaves the first file', async () => {
    const { minio, config } = minioOnly;
    const { writePaymentRun } = createPaymentActivities({ minio, recordsBucket: config.buckets.records });
    const activity = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
    const payment = ok(
      approvePayment(
        ok(attestPayment(ok(preparePayment(competence, vinje, 'on-acceptance', { by: 'lise', at })), 'lise', at)),
        { by: 'anne', hasBudgetAuthority: true },
        at,
      ),
    );
    const run = planPaymentRun([payment], '2017-07-10-1', at);
    assert.deepEqual(await activity.run(writePaymentRun, run), {
      key: 'payments/2017-07-10-1.csv',
      payments: 1,
      total: 1_250_000,
    });
    await activity.run(writePaymentRun, { ...run, payments: [] });
    const kept = (
      await readObject(minio, { bucket: config.buckets.records, key: 'payments/2017-07-10-1.csv' })
    ).toString('utf8');
    assert.equal(kept, paymentRunCsv(run));
  });
});
