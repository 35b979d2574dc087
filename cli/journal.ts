import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { loadConfig } from '../config/env.ts';
import { UserError } from '../config/user-error.ts';
import { exportJournal } from '../storage/journal.ts';
import { createMinioClient } from '../storage/minio-client.ts';

export const journalUsage = `grant-intake journal: the journal (postjournal) of every case

  grant-intake journal export [--public] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out file.csv]
        the journal as CSV for the archive (every entry: case, running number, date, direction, document type,
        sender or recipient, title), all cases or the entries dated within --from and --to (both included).
        --public: the public journal, the names of persons and e-mail addresses screened (offentleglova).
        Written to --out, or to stdout.`;

const day = (value: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new UserError(`journal export: «${value}» is not a date (YYYY-MM-DD)`);
  return value;
};

interface ExportOptions {
  public: boolean;
  from?: string;
  to?: string;
  out?: string;
}

/** `grant-intake journal export`: the journal from the records bucket, for the archive or the public. */
export function journalCommand(): Command {
  const command = new Command('journal').configureHelp({ formatHelp: () => `${journalUsage}\n` });
  command
    .command('export')
    .option('--public', '', false)
    .option('--from <date>', '', day)
    .option('--to <date>', '', day)
    .option('--out <file>')
    .action(async ({ public: screened, from, to, out }: ExportOptions) => {
      const config = loadConfig();
      const { csv, entries } = await exportJournal(createMinioClient(config), config.buckets.records, {
        public: screened,
        ...(from && { from }),
        ...(to && { to }),
      });
      if (out) {
        await writeFile(out, csv);
        console.error(`${entries.length} entries → ${out}`);
      } else process.stdout.write(csv);
    });
  return command;
}
