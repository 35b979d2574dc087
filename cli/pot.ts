import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ApplicationFailure } from '@temporalio/client';
import { connectTemporalClient } from '../client/connection.ts';
import { createMinioClient } from '../storage/minio-client.ts';
import { loadConfig, type Config } from '../config/env.ts';
import { UserError } from '../config/user-error.ts';
import { createLedgerClient, readPotEntries } from '../activities/ledger.ts';
import { formatNok } from '../schemas/format-nok.ts';
import { sumOfEntries, type PotBalance } from '../schemas/ledger.ts';

export const potUsage = `grant-intake pot: the budget ledger of a pot (an earmark, or a scheme's money)

  grant-intake pot balance <pot id> [--json] [--audit]
        allocation, reserved, committed, paid and remaining, from the pot's workflow (a pot no one has drawn on
        shows its allocation from the scheme's data). --audit also sums the pot's entries in the records bucket.
  grant-intake pot adjust <pot id> <amount> --reason <text> --actor <name> [--reference <ref>]
        adds to (or, negative, takes from) the allocation: a county's share, a supplementary allocation. Recorded
        like any entry; refused if the pot would go below zero. The same --reference again changes nothing.

Pot ids: pot-<scheme>-<earmark>, or pot-<scheme> for a scheme without earmarks, e.g.
pot-kompetanse-innovasjon-2017-utdanning, pot-parorende-2017.`;

/** `grant-intake pot …`: an admin reads a pot's balance or adjusts its allocation. */
export async function pot(args: string[], { config = loadConfig() }: { config?: Config } = {}): Promise<void> {
  const [command, ...rest] = args;
  if (command !== 'balance' && command !== 'adjust') {
    console.log(potUsage);
    if (command && command !== 'help' && command !== '--help') throw new UserError(`unknown pot command "${command}"`);
    return;
  }
  // A negative amount would read as an option.
  const { values, positionals } = parseArgs({
    args: rest.map((arg) => (/^-\d/.test(arg) ? `minus:${arg.slice(1)}` : arg)),
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      audit: { type: 'boolean', default: false },
      reason: { type: 'string' },
      actor: { type: 'string' },
      reference: { type: 'string' },
    },
  });
  const [potId, amountText] = positionals;
  if (!potId) throw new UserError(`usage: see "grant-intake pot help"`);
  const client = await connectTemporalClient(config);
  try {
    const ledger = createLedgerClient({ client, taskQueue: config.temporal.taskQueue });
    if (command === 'balance') {
      const balance = await ledger.potBalance({ potId }).catch(userFacing);
      const audit = values.audit
        ? sumOfEntries(await readPotEntries(createMinioClient(config), config.buckets.records, potId))
        : undefined;
      if (values.json) console.log(JSON.stringify(audit ? { ...balance, records: audit } : balance, null, 2));
      else console.log(describe(balance, audit));
      return;
    }
    const amount = Number((amountText ?? '').replace(/^minus:/, '-').replace(/[\s_]/g, ''));
    if (!Number.isInteger(amount) || amount === 0)
      throw new UserError(
        'usage: grant-intake pot adjust <pot id> <amount in whole kroner, e.g. 250000 or -250000> --reason … --actor …',
      );
    if (!values.reason || !values.actor) throw new UserError('an adjustment needs --reason and --actor');
    const reference =
      values.reference ?? `justering-${new Date().toISOString().slice(0, 10)}-${randomBytes(3).toString('hex')}`;
    // Printed first: should the answer be lost, the same command with this reference cannot adjust twice.
    console.error(`adjustment ${reference} (to retry: --reference ${reference})`);
    const { entry, balance } = await ledger
      .adjustPot({ potId, reference, amount, reason: values.reason, actor: values.actor })
      .catch(userFacing);
    if (values.json) console.log(JSON.stringify({ entry, balance }, null, 2));
    else
      console.log(
        `${entry ? `adjusted by ${formatNok(amount)}` : 'already made: nothing changed'}\n${describe(balance)}`,
      );
  } finally {
    await client.connection.close();
  }
}

function describe(balance: PotBalance, records?: ReturnType<typeof sumOfEntries>): string {
  const rows: [string, number][] = [
    ['allocation', balance.allocation],
    ['reserved', balance.reserved],
    ['committed', balance.committed],
    ['paid', balance.paid],
    ['remaining', balance.remaining],
  ];
  const lines = [
    `${balance.potId} (${balance.name}), ${balance.entries} entries`,
    ...rows.map(([label, n]) => `  ${label.padEnd(10)} ${formatNok(n).padStart(16)}`),
  ];
  if (records) {
    const agree =
      rows.every(([label, n]) => records[label as keyof typeof records] === n) && records.entries === balance.entries;
    lines.push(
      `records: ${records.entries} entries, ${agree ? 'they add up to the balance' : `they add up to ${JSON.stringify(records)}: NOT the balance`}`,
    );
  }
  return lines.join('\n');
}

/** The ledger's refusals (Bokmål reasons) and an unknown pot are the admin's to fix: one line, no stack trace. */
function userFacing(error: unknown): never {
  if (error instanceof ApplicationFailure && (error.type === 'refused' || error.type === 'unknown-pot'))
    throw new UserError(error.message);
  throw error;
}
