import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSchemes } from '../config/schemes.ts';
import { formatNok } from '../schemas/format-nok.ts';
import {
  applyEntry,
  balanceOf,
  findPot,
  openLedger,
  planAdjust,
  planCommit,
  planPay,
  planRelease,
  planReserve,
  potForCategory,
  potsOf,
  potSummary,
  sumOfEntries,
  type LedgerState,
  type Planned,
  type PotEntry,
} from '../schemas/ledger.ts';

const schemes = await loadSchemes();
const at = '2017-05-10T08:00:00.000Z';
const utdanning = findPot(schemes, 'pot-kompetanse-innovasjon-2017-utdanning')!;

/** A pot's ledger as the workflow keeps it, with every entry it made (as the records bucket would hold them). */
function ledger() {
  const opened = openLedger(utdanning, at);
  const entries: PotEntry[] = [opened.entry];
  const state: LedgerState = opened.state;
  /** Makes the request's entry, if any; returns the refusal, or undefined when accepted. */
  const make = (plan: (s: LedgerState, raw: unknown, at: string) => Planned, raw: unknown): string | undefined => {
    const planned = plan(state, raw, at);
    if (!planned.ok) return planned.refusal;
    if (planned.entry) {
      applyEntry(state, planned.entry);
      entries.push(planned.entry);
    }
    return undefined;
  };
  return { state, entries, make, balance: () => balanceOf(state) };
}

test("pots come from the schemes: one per earmark, or the scheme's money where it has none", () => {
  assert.deepEqual(
    schemes.flatMap(potsOf).map((p) => [p.id, p.allocation]),
    [
      ['pot-frisklivs-laering-mestring-2017', 17_700_000],
      ['pot-kompetanse-innovasjon-2017-utdanning', 8_875_000],
      ['pot-kompetanse-innovasjon-2017-bpa-innovasjon', 4_102_000],
      ['pot-parorende-2017', 8_000_000],
    ],
  );
  const scheme = schemes.find((s) => s.id === 'kompetanse-innovasjon-2017')!;
  assert.equal(potForCategory(scheme, 'videreutdanning')?.id, 'pot-kompetanse-innovasjon-2017-utdanning');
  assert.equal(potForCategory(scheme, 'innovasjon')?.id, 'pot-kompetanse-innovasjon-2017-bpa-innovasjon');
  assert.equal(
    potForCategory(
      schemes.find((s) => s.id === 'parorende-2017')!,
      undefined,
    )?.id,
    'pot-parorende-2017',
  );
  assert.equal(findPot(schemes, 'pot-ukjent'), undefined);
});

test("the issue's fourteen approvals: the one that would pass the pot is refused, naming what is left", () => {
  const { make, balance, entries } = ledger();
  const amounts = [...Array<number>(12).fill(620_000), 1_023_000, 923_000];
  assert.equal(
    amounts.reduce((a, b) => a + b),
    9_386_000,
  );
  const refusals = amounts.map((amount, i) =>
    make(planCommit, { caseId: `SAK-${i + 1}`, amount, actor: i % 2 ? 'kari' : 'ola' }),
  );
  assert.deepEqual(refusals.slice(0, 13), Array(13).fill(undefined));
  assert.equal(refusals[13], 'Rammen har bare kr 412 000 igjen; kr 923 000 kan ikke innvilges.');
  // The pot's balance, and the same money summed from its entries alone.
  const money = {
    allocation: 8_875_000,
    reserved: 0,
    committed: 8_463_000,
    paid: 0,
    claimedBack: 0,
    remaining: 412_000,
    entries: 14,
  };
  assert.deepEqual(balance(), {
    potId: 'pot-kompetanse-innovasjon-2017-utdanning',
    name: 'Grunn-, videre- og etterutdanning',
    ...money,
  });
  assert.deepEqual(sumOfEntries(entries), money);
  assert.equal(
    potSummary(balance()),
    'Grunn-, videre- og etterutdanning: ramme kr 8 875 000 · reservert kr 0 · innvilget kr 8 463 000 · utbetalt kr 0 · igjen kr 412 000',
  );
});

test('every entry is idempotent by case: a retried reservation or commit changes nothing', () => {
  const { make, balance, entries } = ledger();
  assert.equal(make(planReserve, { caseId: 'SAK-A', amount: 500_000, actor: 'kari' }), undefined);
  assert.equal(make(planReserve, { caseId: 'SAK-A', amount: 500_000, actor: 'kari' }), undefined);
  assert.equal(entries.length, 2, 'one reservation entry');
  assert.deepEqual([balance().reserved, balance().remaining], [500_000, 8_375_000]);

  // Proposing again with another amount replaces the reservation.
  assert.equal(make(planReserve, { caseId: 'SAK-A', amount: 300_000, actor: 'kari' }), undefined);
  assert.deepEqual([balance().reserved, entries.at(-1)!.effect.reserved], [300_000, -200_000]);

  // The commit takes the reservation over; sent twice, it is one entry.
  assert.equal(make(planCommit, { caseId: 'SAK-A', amount: 300_000, actor: 'per' }), undefined);
  assert.equal(make(planCommit, { caseId: 'SAK-A', amount: 300_000, actor: 'per' }), undefined);
  assert.deepEqual([entries.length, balance().reserved, balance().committed], [4, 0, 300_000]);
  assert.match(
    make(planCommit, { caseId: 'SAK-A', amount: 350_000, actor: 'per' })!,
    /allerede fått innvilget kr 300 000; et endret beløp må føres som en frigjøring/,
  );
  assert.match(make(planReserve, { caseId: 'SAK-A', amount: 350_000, actor: 'kari' })!, /kan ikke reserveres på nytt/);
  const { potId: _, name: __, ...sums } = balance();
  assert.deepEqual(sumOfEntries(entries), sums);
});

test("a case's own reservation counts towards what its commit may draw on", () => {
  const { make, balance } = ledger();
  make(planCommit, { caseId: 'SAK-1', amount: 8_000_000, actor: 'per' });
  make(planReserve, { caseId: 'SAK-2', amount: 875_000, actor: 'kari' });
  assert.equal(balance().remaining, 0);
  assert.equal(
    make(planReserve, { caseId: 'SAK-3', amount: 1, actor: 'kari' }),
    'Rammen har bare kr 0 igjen; kr 1 kan ikke reserveres.',
  );
  assert.equal(make(planCommit, { caseId: 'SAK-2', amount: 875_000, actor: 'per' }), undefined);
  assert.equal(
    make(planCommit, { caseId: 'SAK-3', amount: 1, actor: 'per' }),
    'Rammen har bare kr 0 igjen; kr 1 kan ikke innvilges.',
  );
  assert.deepEqual([balance().committed, balance().remaining], [8_875_000, 0]);
});

test('release: a rejection, a proposal sent back, a reduced and a withdrawn grant give the money back, once', () => {
  const { make, balance, entries } = ledger();
  make(planReserve, { caseId: 'SAK-R', amount: 400_000, actor: 'kari' });
  make(planCommit, { caseId: 'SAK-C', amount: 1_000_000, actor: 'per' });
  assert.equal(make(planRelease, { caseId: 'SAK-R', reason: 'Innstillingen sendt tilbake', actor: 'per' }), undefined);
  assert.equal(
    make(planRelease, { caseId: 'SAK-R', reason: 'Innstillingen sendt tilbake', actor: 'per' }),
    undefined,
    'a retry',
  );
  assert.equal(
    make(planRelease, { caseId: 'SAK-C', keep: 600_000, reason: 'Redusert tilskudd', actor: 'per' }),
    undefined,
  );
  assert.equal(
    make(planRelease, { caseId: 'SAK-C', keep: 600_000, reason: 'Redusert tilskudd', actor: 'per' }),
    undefined,
    'a retry',
  );
  assert.match(
    make(planRelease, { caseId: 'SAK-C', keep: 700_000, reason: 'Økt', actor: 'per' })!,
    /har bare kr 600 000 i rammen/,
  );
  assert.match(make(planRelease, { caseId: 'SAK-C', keep: 0, reason: ' ', actor: 'per' })!, /begrunnelse/);
  assert.deepEqual([balance().reserved, balance().committed, balance().remaining], [0, 600_000, 8_275_000]);
  assert.equal(make(planRelease, { caseId: 'SAK-C', reason: 'Tilskuddet trukket tilbake', actor: 'per' }), undefined);
  assert.deepEqual([balance().committed, balance().remaining], [0, 8_875_000]);
  assert.deepEqual(
    entries.slice(1).map((e) => [e.kind, e.reference, e.amount]),
    [
      ['reserve', 'SAK-R', 400_000],
      ['commit', 'SAK-C', 1_000_000],
      ['release', 'SAK-R', 400_000],
      ['release', 'SAK-C', 400_000],
      ['release', 'SAK-C', 600_000],
    ],
  );
});

test("paid: a payment comes out of the case's commitment, once per payment id, never more than is granted", () => {
  const { make, balance, entries } = ledger();
  make(planCommit, { caseId: 'SAK-C', amount: 1_000_000, actor: 'per' });
  const before = balance();
  assert.equal(make(planPay, { caseId: 'SAK-C', paymentId: 'SAK-C-1', amount: 800_000, actor: 'lise' }), undefined);
  assert.equal(
    make(planPay, { caseId: 'SAK-C', paymentId: 'SAK-C-1', amount: 800_000, actor: 'lise' }),
    undefined,
    'a retry',
  );
  assert.deepEqual(
    [balance().committed, balance().paid, balance().remaining],
    [1_000_000, 800_000, before.remaining],
    'paid money was committed: what remains does not change',
  );
  assert.match(
    make(planPay, { caseId: 'SAK-C', paymentId: 'SAK-C-1', amount: 100_000, actor: 'lise' })!,
    /Utbetalingen SAK-C-1 er allerede ført med kr 800 000/,
  );
  assert.match(
    make(planPay, { caseId: 'SAK-C', paymentId: 'SAK-C-2', amount: 300_000, actor: 'lise' })!,
    /bare kr 200 000 innvilget som ikke er utbetalt/,
  );
  assert.match(
    make(planPay, { caseId: 'SAK-X', paymentId: 'SAK-X-1', amount: 1, actor: 'lise' })!,
    /ikke noe innvilget tilskudd/,
  );
  assert.match(
    make(planRelease, { caseId: 'SAK-C', keep: 500_000, reason: 'Redusert', actor: 'per' })!,
    /har fått utbetalt kr 800 000; det som er utbetalt, må kreves tilbake/,
  );
  assert.equal(
    make(planPay, { caseId: 'SAK-C', paymentId: 'SAK-C-2', amount: 200_000, actor: 'lise' }),
    undefined,
    'the part held back until the report',
  );
  assert.equal(balance().paid, 1_000_000);
  assert.deepEqual(
    entries.filter((e) => e.kind === 'paid').map((e) => [e.paymentId, e.amount, e.effect.paid]),
    [
      ['SAK-C-1', 800_000, 800_000],
      ['SAK-C-2', 200_000, 200_000],
    ],
  );
  const { potId: _p, name: _n, ...rest } = balance();
  assert.deepEqual(sumOfEntries(entries), rest, 'the entries add up to the balance, paid included');
});

test('an admin adjusts the allocation with a reason, once per reference, never below what is held', () => {
  const { make, balance, entries } = ledger();
  make(planCommit, { caseId: 'SAK-1', amount: 8_500_000, actor: 'per' });
  const supplement = {
    reference: 'tillegg-2017-06',
    amount: 250_000,
    reason: 'Tilleggsbevilgning i revidert budsjett',
    actor: 'admin',
  };
  assert.equal(make(planAdjust, supplement), undefined);
  assert.equal(make(planAdjust, supplement), undefined, 'sent again: nothing changes');
  assert.equal(
    make(planAdjust, { ...supplement, amount: 300_000 }),
    'Justeringen «tillegg-2017-06» er allerede ført med kr 250 000.',
  );
  assert.equal(balance().allocation, 9_125_000);
  assert.equal(
    make(planAdjust, { reference: 'fylkets-andel', amount: -700_000, reason: 'Fylkets andel', actor: 'admin' }),
    'Rammen har bare kr 625 000 igjen; den kan ikke reduseres med kr 700 000.',
  );
  assert.match(make(planAdjust, { reference: 'x', amount: 10, reason: '', actor: 'admin' })!, /begrunnelse/);
  assert.match(make(planAdjust, { reference: 'x', amount: 0, reason: 'null', actor: 'admin' })!, /kr 0/);
  assert.equal(entries.at(-1)!.reason, 'Tilleggsbevilgning i revidert budsjett');
  assert.deepEqual(sumOfEntries(entries).remaining, balance().remaining);
});

test('malformed requests are refused in Bokmål', () => {
  const { make } = ledger();
  assert.equal(make(planCommit, { caseId: 'SAK-1', amount: 100.5, actor: 'per' }), 'Beløpet må være i hele kroner.');
  assert.equal(make(planCommit, { caseId: 'SAK-1', amount: -5, actor: 'per' }), 'Beløpet må være større enn null.');
  assert.equal(
    make(planCommit, { caseId: 'SAK-1', amount: '5', actor: 'per' }),
    'Beløpet må være et tall i hele kroner.',
  );
  assert.equal(make(planReserve, { caseId: 'SAK-1', amount: 5, actor: '' }), 'Hvem som fører posten, må oppgis.');
  assert.equal(make(planReserve, { amount: 5, actor: 'kari' }), 'Saksnummeret må oppgis.');
});

test('a grant raised on appeal after part of it was paid: the commitment grows by the difference, what was paid stays paid', () => {
  const { make, balance, entries } = ledger();
  make(planCommit, { caseId: 'SAK-A', amount: 500_000, actor: 'per' });
  make(planPay, { caseId: 'SAK-A', paymentId: 'SAK-A-on-acceptance', amount: 500_000, actor: 'okonomi' });
  const before = balance();

  // Raised without naming the commitment it raises: refused as before, an ordinary commit is not a raise.
  assert.match(make(planCommit, { caseId: 'SAK-A', amount: 650_000, actor: 'ola' })!, /føres som en frigjøring/);
  assert.match(
    make(planCommit, { caseId: 'SAK-A', amount: 650_000, raiseFrom: 400_000, actor: 'ola' })!,
    /allerede fått innvilget kr 500 000/,
    'a raise from another amount than the one committed',
  );
  assert.match(
    make(planCommit, { caseId: 'SAK-B', amount: 650_000, raiseFrom: 500_000, actor: 'ola' })!,
    /har ikke kr 500 000 innvilget i rammen/,
  );

  const raise = { caseId: 'SAK-A', amount: 650_000, raiseFrom: 500_000, actor: 'ola', reason: 'Klage nr. 1' };
  assert.equal(make(planCommit, raise), undefined);
  assert.equal(make(planCommit, raise), undefined, 'sent again: no second entry');
  const entry = entries.at(-1)!;
  assert.deepEqual(
    [entry.kind, entry.amount, entry.effect.committed, entry.reason],
    ['commit', 650_000, 150_000, 'Klage nr. 1'],
  );
  assert.deepEqual(
    [balance().committed - before.committed, balance().paid, balance().remaining],
    [150_000, 500_000, before.remaining - 150_000],
  );

  // The difference can be paid once; nothing more.
  assert.match(
    make(planPay, { caseId: 'SAK-A', paymentId: 'SAK-A-on-acceptance-2', amount: 150_001, actor: 'okonomi' })!,
    /bare kr 150 000 innvilget som ikke er utbetalt/,
  );
  assert.equal(
    make(planPay, { caseId: 'SAK-A', paymentId: 'SAK-A-on-acceptance-2', amount: 150_000, actor: 'okonomi' }),
    undefined,
  );
  assert.match(
    make(planPay, { caseId: 'SAK-A', paymentId: 'SAK-A-on-acceptance-3', amount: 1, actor: 'okonomi' })!,
    /bare kr 0 innvilget som ikke er utbetalt/,
  );
  assert.equal(balance().paid, 650_000);

  // A raise the pot cannot hold is refused with what is left.
  const left = balance().remaining;
  assert.equal(
    make(planCommit, { caseId: 'SAK-A', amount: 650_000 + left + 1, raiseFrom: 650_000, actor: 'ola' }),
    `Rammen har bare ${formatNok(left)} igjen; tilskuddet kan ikke økes med ${formatNok(left + 1)}.`,
  );
  const { potId: _, name: __, ...sums } = balance();
  assert.deepEqual(sumOfEntries(entries), sums, 'the entries add up to the balance');
});
