import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSchemes } from '../config/schemes.ts';
import { toCsv } from '../schemas/csv.ts';
import type { PotBalance } from '../schemas/ledger.ts';
import { moneyColumns, moneyRows, overviewOf } from '../web/overview.ts';

/** The overview's money per pot from a ledger that has had money claimed back (issue 16's report, claim-back). */

const schemes = await loadSchemes();

test('money claimed back stands beside granted and paid, in the pot’s row and in rammer.csv', () => {
  const balance: PotBalance = {
    potId: 'pot-kompetanse-innovasjon-2017-utdanning',
    name: 'Grunn-, videre- og etterutdanning',
    allocation: 8_875_000,
    reserved: 0,
    committed: 150_000,
    paid: 150_000,
    claimedBack: 50_000,
    remaining: 8_725_000,
    entries: 5,
  };
  const { money } = overviewOf([], schemes, [balance]);
  const row = money.find((r) => r.balance?.potId === balance.potId)!;
  const [header, line] = toCsv(moneyColumns, moneyRows([row]))
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .map((l) => l.split(';'));
  const column = (name: string) => line![header!.indexOf(name)];
  assert.deepEqual(['innvilget', 'utbetalt', 'krevd tilbake', 'igjen'].map(column), [
    '150000',
    '150000',
    '50000',
    '8725000',
  ]);
});
