import { Runtime, DefaultLogger } from '@temporalio/worker';
import { loadConfig } from '../config/env.ts';
import { UserError } from '../config/user-error.ts';
import { resolveServerBinary, type ServerName } from '../stack/binaries.ts';
import { cluster } from './cluster.ts';
import { extract } from './extract.ts';
import { start } from './start.ts';
import { user } from './user.ts';

const usage = `grant-intake: receives, reads and routes grant applications

  grant-intake start               run the system (local Temporal and MinIO unless configured), as \`npm start\`
  grant-intake cluster start       a rehearsal of production on one machine (Temporal on PostgreSQL, MinIO distributed,
                                   workers as separate processes), as \`npm run cluster\` (see "grant-intake cluster --help")
  grant-intake servers install     build or find the Temporal CLI and MinIO server binaries, and print their paths
  grant-intake extract <file|folder>... [--jsonl] [--received-at ISO] [--concurrency N]
                                   read documents as intake does and print, per document, the application, findings,
                                   provenance and timings as JSON (see "grant-intake extract --help")
  grant-intake user add <username> --role caseworker|admin [--queues q1,q2]
                                   add a user of the review app (asks for the password; see "grant-intake user help")
  grant-intake help                this text

Configuration comes from environment variables and .env (see .env.example).`;

async function main(args: string[]): Promise<void> {
  const [command = 'help', ...rest] = args;
  switch (command) {
    case 'start': {
      const config = loadConfig();
      const levels = { debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' } as const;
      Runtime.install({
        // The SDK's own INFO lines are start-up chatter; show them only when asked for debug output.
        logger: new DefaultLogger(config.logLevel === 'debug' ? levels.debug : 'WARN'),
        // `start` stops things in order itself: the worker first, then the servers.
        shutdownSignals: [],
      });
      return start(config);
    }
    case 'servers': {
      if (rest[0] !== 'install') throw new UserError(`unknown servers command "${rest[0] ?? ''}": try "grant-intake servers install"`);
      for (const name of ['temporal', 'minio'] as ServerName[]) {
        console.log(`${name}: ${await resolveServerBinary(name, { onProgress: (line) => console.log(line) })}`);
      }
      return;
    }
    case 'cluster':
      return cluster(rest, loadConfig());
    case 'extract':
      process.exitCode = await extract(rest);
      return;
    case 'user':
      return user(rest);
    case 'help':
    case '--help':
    case '-h':
      console.log(usage);
      return;
    default:
      throw new UserError(`unknown command "${command}" (run "grant-intake help")`);
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UserError) {
    console.error(`grant-intake: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
