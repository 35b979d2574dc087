import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pLimit from 'p-limit';
import type { Page } from 'playwright-core';
import { readPotEntries } from '../activities/ledger.ts';
import { payloadCodec } from '../config/payload-keys.ts';
import { loadSchemes } from '../config/schemes.ts';
import { CaseRecordSchema } from '../schemas/case-record.ts';
import { sumOfEntries, type PotBalance } from '../schemas/ledger.ts';
import { readJson } from '../storage/objects.ts';
import { signIn } from './support/browser.ts';
import { pick } from './support/pick.ts';
import { adminWorkflowCli } from './support/temporal-cli.ts';
import { resultOf, routedCase, utdanningDraft, type Case } from './support/decision-cases.ts';
import { saveHistory } from './support/histories.ts';
import { useTestStack } from './support/use-test-stack.ts';

/**
 * Issue 14's scenario, done again as the grant office would: fourteen applications to the `utdanning` earmark of the
 * competence and innovation grant (pot kr 8 875 000) ask for kr 9 386 000 together. Two caseworkers propose full
 * grants in Chromium; proposals reserve, so the fourteenth is refused beside its form, naming what is left. An
 * approver approves the thirteen in one action. Then the ledger (read with the Temporal CLI through the codec server),
 * the overview in Chromium, its CSV exports and the records (the pot's entries, the cases' records) agree to the krone.
 */

const scheme = (await loadSchemes()).find((s) => s.id === 'kompetanse-innovasjon-2017')!;
const potId = 'pot-kompetanse-innovasjon-2017-utdanning';
const queue = `${scheme.queue}/utdanning`;
const amounts = [...Array<number>(12).fill(620_000), 1_023_000, 923_000];

const codecToken = randomBytes(32).toString('base64url');
const { stack, web, users, browser } = useTestStack({
  workers: { webhook: false },
  web: { serve: 'port', deps: async ({ config }) => ({ payloadCodec: await payloadCodec(config), codecToken }) },
  browser: true,
});

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The money of a balance: what the overview shows of it. */
const moneyOf = (balance: PotBalance) =>
  pick(balance, ['allocation', 'reserved', 'committed', 'paid', 'claimedBack', 'remaining']);

/** A signed-in user whose pages load without the documents' page images: this test reads money, not forms. */
async function signedIn(name: string, password: string): Promise<Page> {
  const page = await signIn(browser, web.url, name, password);
  await page.context().route('**/dokumenter/*/sider/*', (route) => route.abort());
  return page;
}

/** Claims the case and proposes a grant of what it asks for; the proposal's outcome as the page shows it. */
async function claimAndProposeInFull(page: Page, caseId: string): Promise<string> {
  await page.goto(`${web.url}/saker/${encodeURIComponent(caseId)}`);
  await page.getByLabel(/ikke er inhabil/).check();
  await page.getByRole('button', { name: 'Ta saken' }).click();
  await page.locator('.flash-ok', { hasText: 'Du har tatt saken.' }).waitFor();
  const form = page.locator('form.propose');
  assert.equal(await form.getByLabel('Innvilgelse', { exact: true }).isChecked(), true, 'a grant in full');
  await form.getByRole('button', { name: 'Send til godkjenning' }).click();
  await page.getByRole('button', { name: 'Bekreft: send innstillingen (innvilgelse)' }).click();
  await page.locator('.flash-ok, .flash-error').first().waitFor();
  return page.locator('.flash-ok, .flash-error').first().innerText();
}

/** The pot's money as the overview's row shows it, in whole kroner. */
async function overviewMoney(page: Page): Promise<Record<string, number>> {
  await page.goto(`${web.url}/oversikt`);
  const row = page.locator(`tr[data-pot="${potId}"]`);
  const money: Record<string, number> = {};
  for (const cell of await row.locator('td[data-money]').all())
    money[(await cell.getAttribute('data-money'))!] = kroner(await cell.innerText());
  return money;
}

const kroner = (text: string) => Number(text.replace(/^kr\s*/, '').replace(/\s/g, ''));

/** The cells of one line of the review app's CSV (`;`-separated, quoted where needed). */
const csvCells = (line: string) =>
  [...line.matchAll(/(?:^|;)("(?:[^"]|"")*"|[^;]*)/g)].map((m) => m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"'));

async function csvOf(page: Page, name: string): Promise<string[][]> {
  const response = await page.request.get(`${web.url}/oversikt/${name}`);
  assert.equal(response.status(), 200);
  return (await response.text())
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter(Boolean)
    .map(csvCells);
}

/** The pot's balance as an admin reads it (README): the Temporal CLI's Query, decoded through the codec server. */
async function balanceFromTemporalCli(): Promise<PotBalance> {
  const query = adminWorkflowCli(stack, web.url, codecToken);
  const answer = JSON.parse(await query('query', '--workflow-id', potId, '--type', 'potBalance')) as {
    queryResult: PotBalance[];
  };
  return answer.queryResult[0]!;
}

test("the issue's fourteen applications: the proposal that would pass the pot is refused naming what is left; ledger, overview, CSV and records agree", async () => {
  assert.equal(sum(amounts), 9_386_000);
  assert.equal(scheme.money.earmarks.find((e) => e.id === 'utdanning')?.amount, 8_875_000);
  const routing = pLimit(3);
  const cases: Array<{ handle: Case; caseId: string; amount: number }> = await Promise.all(
    amounts.map((amount, i) =>
      routing(async () => ({
        ...(await routedCase(stack, `utdanning-${i + 1}`, utdanningDraft(scheme, 500 + i, amount), 500 + i)),
        amount,
      })),
    ),
  );
  await users.put({ username: 'kari', role: 'caseworker', queues: [queue], password: 'kari-passord-1234' });
  await users.put({ username: 'ola', role: 'caseworker', queues: [queue], password: 'ola-passord-12345' });
  await users.put({ username: 'per', role: 'approver', queues: [queue], password: 'per-passord-12345' });
  const kari = await signedIn('kari', 'kari-passord-1234');
  const ola = await signedIn('ola', 'ola-passord-12345');

  // Before anyone has drawn on it, the pot shows its allocation and nothing used.
  assert.deepEqual(await overviewMoney(kari), {
    allocation: 8_875_000,
    reserved: 0,
    committed: 0,
    paid: 0,
    claimedBack: 0,
    remaining: 8_875_000,
  });

  // Two caseworkers propose each case in full, in turn.
  const outcomes: string[] = [];
  for (const [i, c] of cases.entries()) outcomes.push(await claimAndProposeInFull(i % 2 ? ola : kari, c.caseId));
  assert.deepEqual(outcomes.slice(0, 13), Array(13).fill('Innstillingen er sendt til godkjenning.'));
  const refusal = 'Rammen har bare kr 412 000 igjen; kr 923 000 kan ikke reserveres.';
  assert.equal(outcomes[13], refusal);
  const refused = ola.locator('form.propose');
  assert.equal(await refused.locator('.field-error').innerText(), refusal, 'the refusal stands beside the amount');
  assert.match(await refused.locator('.pot-balance').innerText(), /Igjen i rammen «.+»: kr 412 000/);
  await saveHistory(stack, 'application-proposal-refused', cases[13]!.handle.workflowId);

  // Proposed is reserved: the overview shows it, live from the ledger.
  assert.deepEqual(await overviewMoney(kari), {
    allocation: 8_875_000,
    reserved: 8_463_000,
    committed: 0,
    paid: 0,
    claimedBack: 0,
    remaining: 412_000,
  });

  // The approver approves the thirteen in one action (the round's meeting).
  const per = await signedIn('per', 'per-passord-12345');
  await per.goto(`${web.url}/godkjenning`);
  const rows = per.locator('form.bulk-approve tbody tr');
  assert.equal(await rows.count(), 13, 'the refused proposal never reached the approver');
  for (const checkbox of await rows.getByRole('checkbox').all()) await checkbox.check();
  await per.getByLabel(/ikke er\s+inhabil i noen/).check();
  await per.getByRole('button', { name: 'Godkjenn valgte' }).click();
  const approvals = per.locator('.approval-outcomes li');
  await approvals.first().waitFor();
  assert.equal(await per.locator('.approval-outcomes li.ok').count(), 13, (await approvals.allInnerTexts()).join('\n'));
  await Promise.all(cases.slice(0, 13).map((c) => resultOf(c.handle)));

  // The ledger, as an admin reads it with the Temporal CLI.
  const ledger = await balanceFromTemporalCli();
  const expected = {
    allocation: 8_875_000,
    reserved: 0,
    committed: 8_463_000,
    paid: 0,
    claimedBack: 0,
    remaining: 412_000,
  };
  assert.deepEqual(moneyOf(ledger), expected);
  assert.equal(ledger.entries, 1 + 13 * 2, 'its opening, and a reservation and a commitment per approved case');

  // The overview in Chromium.
  assert.deepEqual(await overviewMoney(kari), expected);
  const row = kari.locator(`tr[data-pot="${potId}"]`);
  assert.match(await row.innerText(), /Grunn-, videre- og etterutdanning/);
  assert.match(await row.innerText(), /kr 9 386 000/, 'what the fourteen asked for');

  // The overview's CSV exports: the money per pot, and the cases' decisions.
  const pots = await csvOf(kari, 'rammer.csv');
  const header = pots[0]!;
  const potLine = pots.find((cells) => cells[1] === 'Grunn-, videre- og etterutdanning')!;
  const column = (name: string) => Number(potLine[header.indexOf(name)]);
  assert.deepEqual(
    ['ramme', 'foreslått', 'innvilget', 'utbetalt', 'krevd tilbake', 'igjen', 'saker', 'søkt beløp'].map(column),
    [8_875_000, 0, 8_463_000, 0, 0, 412_000, 14, 9_386_000],
  );
  const caseCsv = await csvOf(kari, 'saker.csv');
  const granted = caseCsv[0]!.indexOf('innvilget beløp');
  const caseLines = cases.map((c) => caseCsv.find((cells) => cells[0] === c.caseId)!);
  assert.equal(sum(caseLines.map((cells) => Number(cells[granted] || 0))), 8_463_000);
  assert.equal(caseLines[13]![granted], '', 'the refused case has no decision');

  // The records: the pot's entries add up to the ledger, and each approved case's record holds what was committed.
  const entries = await readPotEntries(stack.minio, stack.config.buckets.records, potId);
  const { potId: _, name: __, ...balance } = ledger;
  assert.deepEqual(sumOfEntries(entries), balance);
  const records = await Promise.all(
    cases.map(async (c) =>
      CaseRecordSchema.parse(
        await readJson(stack.minio, stack.config.buckets.records, `cases/${c.caseId}/record.json`),
      ),
    ),
  );
  for (const [i, c] of cases.slice(0, 13).entries()) {
    const decision = records[i]!.assessment?.decision;
    assert.deepEqual([decision?.outcome, decision?.amount], ['approved', c.amount], c.caseId);
    const committed = entries.find((e) => e.kind === 'commit' && e.reference === c.caseId);
    assert.equal(committed?.amount, c.amount, `${c.caseId}: the commitment in the records`);
  }
  assert.equal(sum(records.map((r) => r.assessment?.decision?.amount ?? 0)), 8_463_000);
  assert.equal(records[13]!.assessment?.decision, undefined);
  assert.equal(
    entries.some((e) => e.reference === cases[13]!.caseId),
    false,
    'the refused proposal left no entry',
  );
  await cases[13]!.handle.terminate('test done');
});
