import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config/env.ts';
import { UserError } from '../config/user-error.ts';
import { INBOX_PREFIX } from '../schemas/bucket-layout.ts';
import { clusterPorts, NAMESPACE, startCluster } from '../stack/cluster.ts';

const say = (line: string) => console.log(line);

export const clusterUsage = `grant-intake cluster start [--port-base N] [--application-workers N] [--ocr-workers N]

  A rehearsal of production on one machine, under <data folder>/cluster: the Temporal server (its services as
  processes of their own) on PostgreSQL with the Temporal UI server, MinIO distributed (4 nodes × 2 drives) behind a
  balancer, and the system's processes as a deployment starts them (application workers, OCR workers, intake, review
  app), configured only by environment variables. Ctrl-C stops everything; the data stays.

  --port-base N             every port is N plus a fixed offset (default 17000: Temporal 17233, UI 17333, ...)
  --application-workers N   processes running the workflows and their activities (default 2)
  --ocr-workers N           processes running OCR (default 1)`;

/** `grant-intake cluster start` (`npm run cluster`). */
export async function cluster(args: string[], config: Config): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'port-base': { type: 'string', default: '17000' },
      'application-workers': { type: 'string', default: '2' },
      'ocr-workers': { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals[0] === 'help') return say(clusterUsage);
  if (positionals[0] !== 'start')
    throw new UserError(`unknown cluster command "${positionals[0] ?? ''}": try "grant-intake cluster start"`);
  const count = (name: 'port-base' | 'application-workers' | 'ocr-workers', min: number, max: number) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new UserError(`--${name} must be a whole number from ${min} to ${max}`);
    return value;
  };
  const portBase = count('port-base', 1024, 64000);
  const abort = new AbortController();
  const onSignal = () => {
    say('\nstopping after the step under way…');
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const rehearsal = await startCluster({
    dir: join(config.dataDir, 'cluster'),
    portBase,
    applicationWorkers: count('application-workers', 1, 16),
    ocrWorkers: count('ocr-workers', 1, 16),
    say,
    signal: abort.signal,
  }).catch((error) => {
    if (abort.signal.aborted) process.exit(130);
    throw error;
  });
  process.removeListener('SIGINT', onSignal);
  process.removeListener('SIGTERM', onSignal);

  const ports = clusterPorts(portBase);
  const { urls, env } = rehearsal;
  say('');
  say('the rehearsal is running');
  say(`  Temporal UI     ${urls.temporalUi} (namespace ${NAMESPACE})`);
  say(`  Temporal        ${urls.temporal} (history, matching, frontend, worker services; PostgreSQL ${urls.postgres})`);
  say(
    `  MinIO           ${urls.minio} (balancer over nodes ${ports.minioNodes.join(', ')}; consoles ${ports.minioConsoles.join(', ')})`,
  );
  say(`  Review app      ${urls.web}`);
  say(`  Intake webhook  ${urls.webhook}`);
  say(
    `  Processes       ${[...rehearsal.processes.keys()].join(', ')} (logs in ${join(config.dataDir, 'cluster', 'run')})`,
  );
  say(`Drop documents into ${rehearsal.config.buckets.intake}/${INBOX_PREFIX}, e.g.:`);
  say(`  mc alias set rehearsal ${urls.minio} ${env.MINIO_ACCESS_KEY} ${env.MINIO_SECRET_KEY}`);
  say(`  mc cp soknad.pdf rehearsal/${rehearsal.config.buckets.intake}/${INBOX_PREFIX}`);
  say(`Users of the review app: WEB_USERS_FILE=${env.WEB_USERS_FILE} npx grant-intake user add <name> --role admin`);
  say('Ctrl-C stops everything.');

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  say('\nstopping the processes, then the servers…');
  await rehearsal.stop();
  say('stopped; everything is kept under the data folder for the next start.');
}
