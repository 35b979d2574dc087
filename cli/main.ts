import { Command, CommanderError } from 'commander';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { loadConfig } from '../config/env.ts';
import { UserError } from '../config/user-error.ts';
import { resolveServerBinary, type ServerName } from '../stack/binaries.ts';
import { createLogger } from '../config/logger.ts';
import { cluster } from './cluster.ts';
import { deployCommand } from './deploy.ts';
import { extractCommand } from './extract.ts';
import { journalCommand } from './journal.ts';
import { paymentsCommand } from './payments.ts';
import { pot } from './pot.ts';
import { start } from './start.ts';
import { userCommand } from './user.ts';

const usage = `grant-intake: receives, reads and routes grant applications

  grant-intake start               run the system (local Temporal and MinIO unless configured), as \`npm start\`
  grant-intake cluster start       a rehearsal of production on one machine (Temporal on PostgreSQL, MinIO distributed,
                                   workers as separate processes), as \`npm run cluster\` (see "grant-intake cluster --help")
  grant-intake servers install     build or find the Temporal CLI and MinIO server binaries, and print their paths
  grant-intake extract <file|folder>... [--jsonl] [--received-at ISO] [--concurrency N]
                                   read documents as intake does and print, per document, the application, findings,
                                   provenance and timings as JSON (see "grant-intake extract --help")
  grant-intake user add <username> --role caseworker|approver|admin [--queues q1,q2] [--budget-authority]
                                   add a user of the review app (asks for the password; see "grant-intake user help")
  grant-intake pot balance|adjust <pot id> …
                                   read a pot's budget ledger, or adjust its allocation (see "grant-intake pot help")
  grant-intake payments run --actor <name>
                                   export the approved payments as a payment run (see "grant-intake payments --help")
  grant-intake journal export [--public] [--from YYYY-MM-DD --to YYYY-MM-DD]
                                   the journal as CSV for the archive, or the public journal (see "grant-intake journal --help")
  grant-intake deploy status|set-current|ramp …
                                   Worker Versioning: which build of the workers runs the cases; make a new one
                                   current or ramp it (see "grant-intake deploy help")
  grant-intake help                this text

Configuration comes from environment variables and .env (see .env.example).`;

const program = new Command('grant-intake').configureHelp({ formatHelp: () => `${usage}\n` });

program.command('start').action(async () => {
  const config = loadConfig();
  const levels = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' } as const;
  Runtime.install({
    // The SDK's own INFO lines are start-up chatter; show them only when asked for debug output.
    logger: new DefaultLogger(config.logLevel === 'debug' ? levels.debug : 'WARN'),
    // `start` stops things in order itself: the worker first, then the servers.
    shutdownSignals: [],
  });
  await start(config);
});

program
  .command('servers')
  .command('install')
  .action(async () => {
    const logger = createLogger('info', process.stderr);
    for (const name of ['temporal', 'minio'] as ServerName[]) {
      console.log(
        `${name}: ${await resolveServerBinary(name, { onProgress: (line) => logger.info({ server: name }, line) })}`,
      );
    }
  });

program.addCommand(extractCommand());
program.addCommand(userCommand());
program.addCommand(paymentsCommand());
program.addCommand(journalCommand());
program.addCommand(deployCommand());
// `cluster` reads its own arguments (`cli/cluster.ts`, with its own usage).
program
  .command('cluster')
  .helpOption(false)
  .allowUnknownOption()
  .argument('[args...]')
  .action((args: string[]) => cluster(args, loadConfig()));
// `pot` reads its own arguments (`cli/pot.ts`: signed amounts such as -250000 are values, not options).
program
  .command('pot')
  .helpOption(false)
  .allowUnknownOption()
  .argument('[args...]')
  .action((args: string[]) => pot(args));

/** Every usage error, at any level, becomes one line on stderr and exit code 2, as the project's own errors do. */
function asUserErrors(command: Command): void {
  const where = command.parent ? `${commandPath(command).replace(/^grant-intake /, '')}: ` : '';
  command.configureOutput({ outputError: () => {} }).exitOverride((error) => {
    if (error.exitCode === 0 || error.code === 'commander.help') throw error;
    throw new UserError(`${where}${usageProblem(error)} (run "${commandPath(command)} --help")`);
  });
  for (const sub of command.commands) asUserErrors(sub);
}

const commandPath = (command: Command): string =>
  command.parent ? `${commandPath(command.parent)} ${command.name()}` : command.name();

/** Commander's message in the project's words: the option named as typed, without quotes or placeholder. */
function usageProblem(error: CommanderError): string {
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? '';
  const option = quoted.match(/--?[\w-]+/g)?.at(-1) ?? quoted;
  switch (error.code) {
    case 'commander.unknownOption':
      return `unknown option ${option}`;
    case 'commander.optionMissingArgument':
      return `${option} needs a value`;
    case 'commander.unknownCommand':
      return `unknown command "${quoted}"`;
    default:
      return error.message.replace(/^error: /, '');
  }
}

asUserErrors(program);

try {
  // Without a command, the usage on stdout (exit 0), as before; commander would print it on stderr and fail.
  await program.parseAsync(process.argv.length > 2 ? process.argv : [...process.argv, 'help']);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else if (error instanceof UserError) {
    console.error(`grant-intake: ${error.message}`);
    process.exit(2);
  } else {
    throw error;
  }
}
