import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { ApplicationFailure } from '@temporalio/client';
import { createLedgerActivities, createLedgerClient, readPotEntries } from '../activities/ledger.ts';
import { payloadCodec } from '../config/payload-keys.ts';
import { createMinioClient } from '../storage/minio-client.ts';
import { loadSchemes } from '../config/schemes.ts';
import { sumOfEntries, type PotBalance } from '../schemas/ledger.ts';
import { allSearchAttributes, potBalanceQuery } from '../workflows/messages.ts';
import { startWeb, webDeps } from './support/browser.ts';
import { adminWorkflowCli } from './support/temporal-cli.ts';
import { saveHistory } from './support/histories.ts';
import { cliEnv } from './support/stack.ts';
import { useTestStack } from './support/use-test-stack.ts';
import { startRestartableServers } from './support/restartable-servers.ts';
import type { WorkerProcess } from './support/worker-process.ts';

const { stack } = useTestStack({ workers: { webhook: false } });

/** What a case workflow's activities do, called as the worker calls them. */
const ledgerActivities = () =>
  createLedgerActivities({
    minio: stack.minio,
    client: stack.env.client,
    taskQueue: stack.config.temporal.taskQueue,
    recordsBucket: stack.config.buckets.records,
  });

/** The Bokmål reason of a refused request, or undefined when it was accepted. */
async function refusalOf(request: Promise<unknown>): Promise<string | undefined> {
  try {
    await request;
    return undefined;
  } catch (error) {
    assert.ok(error instanceof ApplicationFailure && error.type === 'refused', `refused, not ${String(error)}`);
    assert.equal(error.nonRetryable, true);
    return error.message;
  }
}

/** The balance an auditor computes from the records bucket alone must be the ledger's, to the krone. */
async function assertRecordsAgree(
  minio: ReturnType<typeof createMinioClient>,
  bucket: string,
  balance: PotBalance,
): Promise<void> {
  const entries = await readPotEntries(minio, bucket, balance.potId);
  const { potId: _, name: __, ...expected } = balance;
  assert.deepEqual(sumOfEntries(entries), expected, 'the records add up to the balance');
  assert.deepEqual(
    entries.map((e) => e.seq),
    entries.map((_, i) => i + 1),
    'one record per entry, none missing',
  );
}

test("the issue's fourteen approvals: the commit that would pass the pot is refused naming the remainder; retries, release and adjust", async () => {
  const ledger = ledgerActivities();
  const potId = 'pot-kompetanse-innovasjon-2017-utdanning';
  const amounts = [...Array<number>(12).fill(620_000), 1_023_000, 923_000];
  assert.equal(
    amounts.reduce((a, b) => a + b),
    9_386_000,
  );
  const refusals: (string | undefined)[] = [];
  for (const [i, amount] of amounts.entries()) {
    const caseId = `SAK-UTD${String(i + 1).padStart(2, '0')}`;
    // A proposal first, then its approval, as two caseworkers would.
    refusals.push(
      await refusalOf(
        ledger
          .reserveInPot({ potId, caseId, amount, actor: 'kari' })
          .then(() => ledger.commitInPot({ potId, caseId, amount, actor: i % 2 ? 'per' : 'ola' })),
      ),
    );
  }
  assert.deepEqual(refusals.slice(0, 13), Array(13).fill(undefined));
  assert.equal(refusals[13], 'Rammen har bare kr 412 000 igjen; kr 923 000 kan ikke reserveres.');
  assert.equal(
    await refusalOf(ledger.commitInPot({ potId, caseId: 'SAK-UTD14', amount: 923_000, actor: 'per' })),
    'Rammen har bare kr 412 000 igjen; kr 923 000 kan ikke innvilges.',
  );

  // The same commit twice (a retried activity): one entry.
  const before = await ledger.potBalance({ potId });
  const again = await ledger.commitInPot({ potId, caseId: 'SAK-UTD01', amount: 620_000, actor: 'per' });
  assert.equal(again.entry, null);
  assert.deepEqual(again.balance, before);
  assert.deepEqual(
    [before.committed, before.reserved, before.remaining, before.entries],
    [8_463_000, 0, 412_000, 1 + 13 * 2],
  );

  // A reduced grant gives money back; an admin's supplementary allocation adds to the pot, once.
  const reduced = await ledger.releaseInPot({
    potId,
    caseId: 'SAK-UTD13',
    keep: 823_000,
    reason: 'Redusert etter klage på budsjettet',
    actor: 'per',
  });
  assert.equal(reduced.balance.remaining, 612_000);
  const supplement = {
    potId,
    reference: 'tillegg-juni',
    amount: 311_000,
    reason: 'Tilleggsbevilgning',
    actor: 'admin',
  };
  assert.equal((await ledger.adjustPot(supplement)).balance.allocation, 9_186_000);
  assert.equal((await ledger.adjustPot(supplement)).entry, null);
  const committed = await ledger.commitInPot({ potId, caseId: 'SAK-UTD14', amount: 923_000, actor: 'per' });
  assert.deepEqual([committed.balance.committed, committed.balance.remaining], [9_186_000, 0]);

  // An admin reads it as the README says: the Query and the memo through the Temporal CLI, which decodes them with the
  // review app's codec server, given the admins' token.
  const summary =
    'Grunn-, videre- og etterutdanning: ramme kr 9 186 000 · reservert kr 0 · innvilget kr 9 186 000 · utbetalt kr 0 · igjen kr 0';
  const codecToken = randomBytes(32).toString('base64url');
  const web = await startWeb(await webDeps(stack, { payloadCodec: await payloadCodec(stack.config), codecToken }));
  try {
    const temporalCli = (...args: string[]) =>
      adminWorkflowCli(stack, web.url, codecToken)(...args, '--workflow-id', potId);
    const queried = await temporalCli('query', '--type', 'potBalance');
    assert.match(queried, /"remaining":\s*0/);
    assert.match(queried, /"committed":\s*9186000/);
    assert.ok((await temporalCli('describe')).includes(summary), "the memo line, decoded, in the CLI's description");
  } finally {
    await web.close();
  }
  // The memo and the search attributes hold money only: no caseworker, no case.
  const description = await stack.env.client.workflow.getHandle(potId).describe();
  assert.deepEqual(description.memo, { summary });
  assert.deepEqual(
    allSearchAttributes.filter((key) => description.typedSearchAttributes.get(key) !== undefined),
    [],
  );
  await assertRecordsAgree(stack.minio, stack.config.buckets.records, committed.balance);
  const entries = await readPotEntries(stack.minio, stack.config.buckets.records, potId);
  assert.deepEqual(
    entries.filter((e) => e.reference === 'SAK-UTD13').map((e) => [e.kind, e.amount, e.actor, e.reason ?? null]),
    [
      ['reserve', 1_023_000, 'kari', null],
      ['commit', 1_023_000, 'ola', null],
      ['release', 200_000, 'per', 'Redusert etter klage på budsjettet'],
    ],
  );
});

test('an unknown pot is refused without retries, and an untouched pot shows its allocation', async () => {
  await assert.rejects(
    ledgerActivities().commitInPot({ potId: 'pot-finnes-ikke', caseId: 'SAK-X', amount: 1, actor: 'per' }),
    (error: unknown) => {
      assert.ok(error instanceof ApplicationFailure && error.type === 'unknown-pot' && error.nonRetryable);
      return true;
    },
  );
  // Next year's scheme, a new file under schemas/schemes/: its pot exists as soon as the scheme does.
  const parorende = (await loadSchemes()).find((s) => s.id === 'parorende-2017')!;
  const ledger = createLedgerClient({
    client: stack.env.client,
    taskQueue: stack.config.temporal.taskQueue,
    schemes: [{ ...parorende, id: 'parorende-2018' }],
  });
  assert.deepEqual(await ledger.potBalance({ potId: 'pot-parorende-2018' }), {
    potId: 'pot-parorende-2018',
    name: parorende.name,
    allocation: 8_000_000,
    reserved: 0,
    committed: 0,
    paid: 0,
    claimedBack: 0,
    remaining: 8_000_000,
    entries: 0,
  });
});

test('an approved payment is paid out of its commitment once; the records add up with paid beside granted', async () => {
  // A pot of its own: the 2017 scheme for relatives as next year's, so no other test draws on it.
  const parorende = (await loadSchemes()).find((s) => s.id === 'parorende-2017')!;
  const ledger = createLedgerClient({
    client: stack.env.client,
    taskQueue: stack.config.temporal.taskQueue,
    schemes: [{ ...parorende, id: 'parorende-2019' }],
  });
  const potId = 'pot-parorende-2019';
  await ledger.commitInPot({ potId, caseId: 'SAK-PAY00001', amount: 500_000, actor: 'per' });
  const paid = await ledger.payInPot({
    potId,
    caseId: 'SAK-PAY00001',
    paymentId: 'SAK-PAY00001-on-acceptance',
    amount: 400_000,
    actor: 'anne',
  });
  assert.deepEqual(
    [paid.entry?.kind, paid.balance.committed, paid.balance.paid, paid.balance.remaining],
    ['paid', 500_000, 400_000, 7_500_000],
  );
  assert.equal(
    (
      await ledger.payInPot({
        potId,
        caseId: 'SAK-PAY00001',
        paymentId: 'SAK-PAY00001-on-acceptance',
        amount: 400_000,
        actor: 'anne',
      })
    ).entry,
    null,
    'a retried payment',
  );
  assert.equal(
    await refusalOf(
      ledger.payInPot({
        potId,
        caseId: 'SAK-PAY00001',
        paymentId: 'SAK-PAY00001-after-report',
        amount: 200_000,
        actor: 'anne',
      }),
    ),
    'Saken SAK-PAY00001 har bare kr 100 000 innvilget som ikke er utbetalt; kr 200 000 kan ikke utbetales.',
  );
  const description = await stack.env.client.workflow.getHandle(potId).describe();
  assert.match(description.memo?.summary as string, /innvilget kr 500 000 · utbetalt kr 400 000 · igjen kr 7 500 000$/);
  await assertRecordsAgree(stack.minio, stack.config.buckets.records, paid.balance);
});

test('the pot continues as new before its history grows large, and keeps its balance', async () => {
  const potId = 'pot-parorende-2017';
  const ledger = createLedgerClient({
    client: stack.env.client,
    taskQueue: stack.config.temporal.taskQueue,
    continueAsNewAfterEvents: 60,
  });
  const first = (await ledger.reserveInPot({ potId, caseId: 'SAK-P00', amount: 100_000, actor: 'kari' })).balance;
  assert.equal(first.remaining, 7_900_000);
  const firstRun = (await stack.env.client.workflow.getHandle(potId).describe()).runId;
  for (let i = 1; i < 20; i++)
    await ledger.reserveInPot({ potId, caseId: `SAK-P${String(i).padStart(2, '0')}`, amount: 100_000, actor: 'kari' });
  await ledger.commitInPot({ potId, caseId: 'SAK-P00', amount: 100_000, actor: 'per' });
  await ledger.reserveInPot({ potId, caseId: 'SAK-P01', amount: 100_000, actor: 'kari' }); // a retry across runs: nothing
  const runs: string[] = [];
  for await (const execution of stack.env.client.workflow.list({ query: `WorkflowId = '${potId}'` }))
    runs.push(execution.runId);
  assert.ok(runs.length >= 2, `continued as new (${runs.length} runs)`);
  const balance = await stack.env.client.workflow.getHandle(potId).query(potBalanceQuery);
  assert.deepEqual(
    [balance.allocation, balance.reserved, balance.committed, balance.remaining, balance.entries],
    [8_000_000, 1_900_000, 100_000, 6_000_000, 22],
  );
  await assertRecordsAgree(stack.minio, stack.config.buckets.records, balance);
  await saveHistory(stack, 'pot-continued-as-new', potId, firstRun);
  await saveHistory(stack, 'pot-carried-over', potId); // the latest run, started with the ledger it was given
});

test('an admin reads and adjusts a pot with grant-intake pot; a refusal is one line in Bokmål', async () => {
  const cli = (...args: string[]) =>
    promisify(execFile)(
      process.execPath,
      [new URL('../bin/grant-intake.js', import.meta.url).pathname, 'pot', ...args],
      {
        env: cliEnv(stack),
      },
    );
  const potId = 'pot-frisklivs-laering-mestring-2017'; // kr 17 700 000
  await ledgerActivities().commitInPot({ potId, caseId: 'SAK-CLI', amount: 1_000_000, actor: 'per' });
  // The same adjustment twice (a retried command): its reference makes it once.
  const adjust = () =>
    cli(
      'adjust',
      potId,
      '-2000000',
      '--reason',
      'Fylkets andel etter fordeling',
      '--actor',
      'anne',
      '--reference',
      'fordeling-1',
    );
  const adjusted = await adjust();
  assert.match(adjusted.stdout, /adjusted by kr -2 000 000/);
  assert.match(adjusted.stdout, /remaining\s+kr 14 700 000/);
  const again = await adjust();
  assert.match(again.stdout, /already made: nothing changed/);
  await assert.rejects(
    cli('adjust', potId, '-15000000', '--reason', 'Mer', '--actor', 'anne'),
    (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 2);
      assert.match(
        error.stderr,
        /grant-intake: Rammen har bare kr 14 700 000 igjen; den kan ikke reduseres med kr 15 000 000\./,
      );
      return true;
    },
  );
  const balance = await cli('balance', potId, '--audit');
  assert.match(balance.stdout, /allocation\s+kr 15 700 000/);
  assert.match(balance.stdout, /records: 3 entries, they add up to the balance/);
});

test('24 approvals at once worth more than the pot: commits stop at the pot, the rest are refused', async () => {
  const ledger = ledgerActivities();
  const potId = 'pot-kompetanse-innovasjon-2017-bpa-innovasjon'; // kr 4 102 000
  const outcomes = await Promise.all(
    Array.from({ length: 24 }, (_, i) =>
      refusalOf(
        ledger.commitInPot({ potId, caseId: `SAK-BPA${String(i).padStart(2, '0')}`, amount: 250_000, actor: 'per' }),
      ),
    ),
  );
  const refused = outcomes.filter((o) => o !== undefined);
  assert.equal(outcomes.length - refused.length, 16);
  for (const reason of refused)
    assert.equal(reason, 'Rammen har bare kr 102 000 igjen; kr 250 000 kan ikke innvilges.');
  const balance = await ledger.potBalance({ potId });
  assert.deepEqual([balance.committed, balance.remaining], [4_000_000, 102_000]);
  await assertRecordsAgree(stack.minio, stack.config.buckets.records, balance);
});

test('24 approvals at once with the worker killed and the Temporal server restarted midway: the balance still adds up', async (t) => {
  const servers = await startRestartableServers({ name: 'ledger-chaos', minioSecret: 'grant-intake-ledger' });
  const { config, minio, client } = servers;
  const startWorker = () => servers.startWorker({ INTAKE_SWEEP_INTERVAL_SECONDS: '3600' });
  let workerProcess: WorkerProcess | undefined = await startWorker();
  try {
    const ledger = createLedgerClient({ client, taskQueue: config.temporal.taskQueue });
    const potId = 'pot-kompetanse-innovasjon-2017-utdanning'; // kr 8 875 000
    const cases = Array.from({ length: 24 }, (_, i) => `SAK-KAOS${String(i).padStart(2, '0')}`);
    let retries = 0;
    /** As a case's activity does: a refusal is final, anything else is tried again. */
    const commit = async (caseId: string): Promise<'committed' | 'refused'> => {
      for (;;) {
        try {
          await ledger.commitInPot({ potId, caseId, amount: 500_000, actor: 'per' });
          return 'committed';
        } catch (error) {
          if (error instanceof ApplicationFailure && error.type === 'refused') return 'refused';
          retries++;
          await sleep(500);
        }
      }
    };
    const outcomes = Promise.all(cases.map(commit));
    // Midway: some entries are in the records, the rest in flight.
    const recorded = async () => (await readPotEntries(minio, config.buckets.records, potId)).length;
    while ((await recorded()) < 5) await sleep(50);
    await workerProcess.kill();
    const recordedAtKill = await recorded();
    assert.ok(recordedAtKill < 18, `killed midway (${recordedAtKill} of 18 entries recorded)`);
    await servers.restartTemporal();
    workerProcess = await startWorker();
    const results = await outcomes;

    const committed = cases.filter((_, i) => results[i] === 'committed');
    t.diagnostic(
      `${recordedAtKill} entries recorded when the worker was killed; ${retries} requests retried through the kill and restart`,
    );
    assert.equal(committed.length, 17, `17 × kr 500 000 fit in kr 8 875 000 (${retries} requests retried)`);
    const balance = await client.workflow.getHandle(potId).query(potBalanceQuery);
    assert.ok(balance.committed <= balance.allocation);
    assert.deepEqual(
      [balance.allocation, balance.committed, balance.reserved, balance.remaining],
      [8_875_000, 8_500_000, 0, 375_000],
    );
    await assertRecordsAgree(minio, config.buckets.records, balance);
    const commits = (await readPotEntries(minio, config.buckets.records, potId))
      .filter((e) => e.kind === 'commit')
      .map((e) => e.reference);
    assert.equal(new Set(commits).size, commits.length, 'each case committed at most once');
    assert.deepEqual([...commits].sort(), committed, 'the records name exactly the cases told they were granted');
  } finally {
    await workerProcess?.stop().catch(() => undefined);
    await servers.stop();
  }
});
