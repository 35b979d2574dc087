import { Command } from 'commander';
import { startPaymentRun } from '../client/payments.ts';
import { connectTemporalClient } from '../client/connection.ts';
import { loadConfig } from '../config/env.ts';
import { formatNok } from '../schemas/format-nok.ts';
import { createMinioClient } from '../storage/minio-client.ts';

export const paymentsUsage = `grant-intake payments: payment runs for the accounting system

  grant-intake payments run --actor <name> [--json]
        exports the approved payments not yet in a run: fixes the run's payments, records each as paid in its pot's
        ledger, writes the file (records bucket, payments/<run id>.csv; layout in the README) and tells each case.
        A run stopped midway is finished first, with the payments it was fixed for; run the command again for the rest.`;

/** `grant-intake payments run`: a finance officer's payment run, as a Temporal workflow. */
export function paymentsCommand(): Command {
  const command = new Command('payments').configureHelp({ formatHelp: () => `${paymentsUsage}\n` });
  command
    .command('run')
    .requiredOption('--actor <name>')
    .option('--json', '', false)
    .action(async ({ actor, json }: { actor: string; json: boolean }) => {
      const config = loadConfig();
      const client = await connectTemporalClient(config);
      try {
        const handle = await startPaymentRun(client, {
          actor,
          taskQueue: config.temporal.taskQueue,
          minio: createMinioClient(config),
          recordsBucket: config.buckets.records,
        });
        console.error(`payment run ${handle.workflowId}`);
        const result = await handle.result();
        if (json) console.log(JSON.stringify(result, null, 2));
        else if (!result.key) console.log(`${result.runId}: no approved payments to export`);
        else
          console.log(
            [
              `${result.runId}: ${result.payments} payments, ${formatNok(result.total)} → ${config.buckets.records}/${result.key}`,
              ...result.exported.map(
                (p) =>
                  `  ${p.paymentId.padEnd(32)} ${formatNok(p.amount).padStart(14)}  ${p.potId} line ${p.ledgerEntry}${p.signalled ? '' : ' (case not running)'}`,
              ),
            ].join('\n'),
          );
      } finally {
        await client.connection.close();
      }
    });
  return command;
}
