import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { Command } from 'commander';
import { loadConfig } from '../config/env.ts';
import { UserError } from '../config/user-error.ts';
import { appendAccessEntry } from '../storage/access-log.ts';
import { exportJournal } from '../storage/journal.ts';
import { createMinioClient } from '../storage/minio-client.ts';

export const journalUsage = `grant-intake journal: the journal (postjournal) of every case

  grant-intake journal export [--public] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out file.csv] [--actor name]
        the journal as CSV for the archive (every entry: case, running number, date, direction, document type,
        sender or recipient, title), all cases or the entries dated within --from and --to (both included).
        --public: the public journal, the names of persons and e-mail addresses screened (offentleglova).
        Written to --out, or to stdout. The export goes to the access log (access/exports/ in the records bucket)
        with who took it (--actor, or the system user), the variant and the dates.`;

const day = (value: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new UserError(`journal export: «${value}» is not a date (YYYY-MM-DD)`);
  return value;
};

interface ExportOptions {
  public: boolean;
  from?: string;
  to?: string;
  out?: string;
  actor?: string;
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
    .option('--actor <name>')
    .action(async ({ public: screened, from, to, out, actor }: ExportOptions) => {
      const config = loadConfig();
      const minio = createMinioClient(config);
      const range = { ...(from && { from }), ...(to && { to }) };
      const { csv, entries } = await exportJournal(minio, config.buckets.records, { public: screened, ...range });
      // As the review app's download: an auditor sees who took the journal out, whether it named persons, which dates.
      await appendAccessEntry(minio, config.buckets.records, {
        at: new Date().toISOString(),
        user: actor ?? userInfo().username,
        role: 'cli',
        what: 'export',
        path: 'grant-intake journal export',
        export: { variant: screened ? 'public' : 'archive', ...range },
      });
      if (out) {
        await writeFile(out, csv);
        console.error(`${entries.length} entries → ${out}`);
      } else process.stdout.write(csv);
    });
  return command;
}
