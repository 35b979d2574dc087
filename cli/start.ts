import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { connectTemporalClient, connectWorkerConnection, createMinioClient, storageEndpoint, temporalAddress } from '../config/connections.ts';
import { PROCESS_ROLES, type Config } from '../config/env.ts';
import { resolveServerBinary } from '../stack/binaries.ts';
import { startLocalMinio, WEBHOOK_TARGET_ARN } from '../stack/minio-server.ts';
import { assertPortFree } from '../stack/ports.ts';
import { stopLeftoverServer, type ServerProcess } from '../stack/server-process.ts';
import { INBOX_PREFIX } from '../intake/bucket-layout.ts';
import { ensureBuckets, ensureInboxNotification, ensureSearchAttributes } from '../stack/setup.ts';
import { startLocalTemporal } from '../stack/temporal-server.ts';
import { startIntakeService } from '../worker/intake-service.ts';
import { ensureInboxSweepSchedule, sweepScheduleId } from '../worker/schedules.ts';
import { loadSchemes } from '../config/schemes.ts';
import { startWebServer } from '../web/server.ts';
import { sessionSecret } from '../web/session-secret.ts';
import { UserStore } from '../web/users.ts';

const say = (line: string) => console.log(line);

/**
 * `npm start`: the local stack (Temporal dev server and MinIO, unless a cluster is configured), the worker and the
 * intake webhook. Ctrl-C stops the worker first, then the servers; their data stays under the data folder.
 * Against clusters, `GRANT_INTAKE_ROLES` picks what this process runs (see `PROCESS_ROLES`).
 */
export async function start(config: Config): Promise<void> {
  const localTemporal = !config.temporal.address;
  const localMinio = !config.minio.endpoint;
  const { roles } = config;
  const servers: ServerProcess[] = [];
  const stopServers = async () => {
    for (const server of servers.reverse()) await server.stop();
  };

  let stopping = false;
  const cleanupOnSignal = async () => {
    if (stopping) return;
    stopping = true;
    say('\nstopping…');
    await stopServers();
    process.exit(130);
  };
  process.once('SIGINT', cleanupOnSignal);
  process.once('SIGTERM', cleanupOnSignal);

  try {
    // Binaries first (one build at a time: each peaks near 1.8 GB), then ports, so that a taken port is reported
    // before anything starts and a server an earlier hard-killed run left behind is not mistaken for a stranger.
    const temporalBinary = localTemporal ? await resolveServerBinary('temporal', { onProgress: say }) : undefined;
    const minioBinary = localMinio ? await resolveServerBinary('minio', { onProgress: say }) : undefined;
    const runDir = join(config.dataDir, 'run');
    if (temporalBinary) await stopLeftoverServer(runDir, 'temporal', temporalBinary);
    if (minioBinary) await stopLeftoverServer(runDir, 'minio', minioBinary);
    if (localTemporal) {
      await assertPortFree(config.temporal.localPort, 'TEMPORAL_PORT');
      await assertPortFree(config.temporal.localUiPort, 'TEMPORAL_UI_PORT');
    }
    if (localMinio) {
      await assertPortFree(config.minio.localPort, 'MINIO_PORT');
      await assertPortFree(config.minio.localConsolePort, 'MINIO_CONSOLE_PORT');
    }
    if (roles.has('web')) await assertPortFree(config.web.port, 'WEB_PORT', config.web.host);
    const webhookToken = config.webhook.token ?? (localMinio ? randomBytes(24).toString('hex') : undefined);
    if (webhookToken && roles.has('intake')) await assertPortFree(config.webhook.port, 'INTAKE_WEBHOOK_PORT', localMinio ? '127.0.0.1' : '0.0.0.0');

    if (temporalBinary) {
      say('starting the Temporal dev server…');
      servers.push(
        await startLocalTemporal({
          binary: temporalBinary,
          dataDir: config.dataDir,
          port: config.temporal.localPort,
          uiPort: config.temporal.localUiPort,
          namespace: config.temporal.namespace,
        }),
      );
    }
    if (minioBinary) {
      say('starting MinIO…');
      servers.push(
        await startLocalMinio({
          binary: minioBinary,
          dataDir: config.dataDir,
          port: config.minio.localPort,
          consolePort: config.minio.localConsolePort,
          accessKey: config.minio.accessKey,
          secretKey: config.minio.secretKey,
          webhook: { port: config.webhook.port, token: webhookToken! },
        }),
      );
    }

    const minio = createMinioClient(config);
    await ensureBuckets(minio, config, say);
    if (localMinio) await ensureInboxNotification(minio, config.buckets.intake, WEBHOOK_TARGET_ARN);
    const client = await connectTemporalClient(config);
    if (!localTemporal) await ensureSearchAttributes(client, config.temporal.namespace);
    if (roles.has('intake')) await ensureInboxSweepSchedule(client, config);

    say(`starting the ${[...roles].join(', ')} role${roles.size > 1 ? 's' : ''}…`);
    const intake = await startIntakeService({
      config,
      client,
      workerConnection: await connectWorkerConnection(config),
      minio,
      webhookToken,
      webhookHost: localMinio ? '127.0.0.1' : '0.0.0.0',
      log: say,
    });

    const uiUrl = localTemporal ? `http://127.0.0.1:${config.temporal.localUiPort}` : (config.web.temporalUiUrl ?? '(your cluster\'s Temporal UI)');
    const users = new UserStore(config.web.usersFile);
    const web = roles.has('web') ? await startWebServer({
      config,
      temporal: client,
      minio,
      schemes: await loadSchemes(),
      users,
      sessionSecret: await sessionSecret(config),
      temporalUiUrl: config.web.temporalUiUrl ?? (localTemporal ? uiUrl : undefined),
      logger: { level: config.logLevel === 'debug' ? 'info' : 'warn' },
    }) : undefined;
    say('');
    say('grant-intake is running');
    if (web) say(`  Review app      ${web.url}${config.web.trustedHeader ? ` (users signed in by the proxy's ${config.web.trustedHeader} header)` : ''}`);
    say(`  Temporal UI     ${uiUrl}`);
    say(`  Temporal        ${temporalAddress(config)} (namespace ${config.temporal.namespace}, task queue ${config.temporal.taskQueue})`);
    say(`  MinIO API       ${storageEndpoint(config).origin} (access key ${config.minio.accessKey})`);
    if (localMinio) say(`  MinIO console   http://127.0.0.1:${config.minio.localConsolePort}`);
    if (roles.has('intake')) {
      say(`  Intake webhook  ${intake.webhookUrl ?? 'off (set INTAKE_WEBHOOK_TOKEN and point your MinIO webhook target here)'}`);
      say(`  Inbox sweep     every ${config.sweep.intervalSeconds} s (Temporal Schedule ${sweepScheduleId(config)})`);
    }
    if (roles.size < PROCESS_ROLES.length) say(`  Roles           ${[...roles].join(', ')} (GRANT_INTAKE_ROLES)`);
    say(`  Data folder     ${localTemporal || localMinio ? config.dataDir : '(cluster)'}`);
    say(`Drop PDF or Word documents into ${config.buckets.intake}/${INBOX_PREFIX}; records appear in ${config.buckets.records}/cases/.`);
    if (web && (await users.list()).length === 0) say(`No users of the review app yet: npx grant-intake user add <name> --role admin (users file ${config.web.usersFile}).`);
    say('Ctrl-C stops everything.');

    process.removeListener('SIGINT', cleanupOnSignal);
    process.removeListener('SIGTERM', cleanupOnSignal);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    say('\nstopping the review app and the worker…');
    await web?.close();
    await intake.stop();
    say('stopping the servers…');
    await stopServers();
    await client.connection.close();
    say('stopped; everything is kept under the data folder for the next start.');
  } catch (error) {
    await stopServers();
    throw error;
  }
}
