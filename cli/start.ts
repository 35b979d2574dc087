import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { connectTemporalClient, connectWorkerConnection, temporalAddress } from '../client/connection.ts';
import { setCurrentVersion, waitForVersion } from '../client/deployments.ts';
import { ensureInboxSweepSchedule, sweepScheduleId } from '../client/schedules.ts';
import { ensureSearchAttributes } from '../client/search-attributes.ts';
import { PROCESS_ROLES, type Config } from '../config/env.ts';
import { createLogger } from '../config/logger.ts';
import { resolveServerBinary } from '../stack/binaries.ts';
import { startLocalMinio, WEBHOOK_TARGET_ARN } from '../stack/minio-server.ts';
import { assertPortFree } from '../stack/ports.ts';
import { stopLeftoverServer, type ServerProcess } from '../stack/server-process.ts';
import { INBOX_PREFIX } from '../schemas/bucket-layout.ts';
import { ensureBuckets, ensureInboxNotification } from '../stack/setup.ts';
import { ensureRetention } from '../client/search-attributes.ts';
import { payloadCodec } from '../config/payload-keys.ts';
import { CODEC_PREFIX } from '../web/plugins/codec-server.ts';
import { startLocalTemporal } from '../stack/temporal-server.ts';
import { createMinioClient, storageEndpoint } from '../storage/minio-client.ts';
import { startIntakeService } from '../worker/intake-service.ts';
import { loadSchemes } from '../config/schemes.ts';
import { startWebServer } from '../web/server.ts';
import { CODEC_TOKEN_FILE, codecToken, sessionSecret } from '../web/secrets.ts';
import { UserStore } from '../web/users.ts';
import { ocrTaskQueue } from '../workflows/messages.ts';

/**
 * `npm start`: the local stack (Temporal dev server and MinIO, unless a cluster is configured), the worker and the
 * intake webhook. Ctrl-C stops the worker first, then the servers; their data stays under the data folder.
 * Against clusters, `GRANT_INTAKE_ROLES` picks what this process runs (see `PROCESS_ROLES`).
 */
export async function start(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
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
    logger.info('stopping…');
    await stopServers();
    process.exit(130);
  };
  process.once('SIGINT', cleanupOnSignal);
  process.once('SIGTERM', cleanupOnSignal);

  try {
    // Binaries first (one build at a time: each peaks near 1.8 GB), then ports, so that a taken port is reported
    // before anything starts and a server an earlier hard-killed run left behind is not mistaken for a stranger.
    const temporalBinary = localTemporal
      ? await resolveServerBinary('temporal', { onProgress: (line) => logger.info(line) })
      : undefined;
    const minioBinary = localMinio
      ? await resolveServerBinary('minio', { onProgress: (line) => logger.info(line) })
      : undefined;
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
    if (webhookToken && roles.has('intake'))
      await assertPortFree(config.webhook.port, 'INTAKE_WEBHOOK_PORT', localMinio ? '127.0.0.1' : '0.0.0.0');

    if (temporalBinary) {
      logger.info('starting the Temporal dev server…');
      servers.push(
        await startLocalTemporal({
          binary: temporalBinary,
          dataDir: config.dataDir,
          port: config.temporal.localPort,
          uiPort: config.temporal.localUiPort,
          namespace: config.temporal.namespace,
          uiCodecEndpoint: `${config.web.tls ? 'https' : 'http'}://${['0.0.0.0', '::'].includes(config.web.host) ? '127.0.0.1' : config.web.host}:${config.web.port}${CODEC_PREFIX}`,
        }),
      );
    }
    if (minioBinary) {
      logger.info('starting MinIO…');
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
    await ensureBuckets(minio, config, logger);
    if (localMinio) await ensureInboxNotification(minio, config.buckets.intake, WEBHOOK_TARGET_ARN);
    const client = await connectTemporalClient(config);
    if (!localTemporal) await ensureSearchAttributes(client, config.temporal.namespace);
    else await ensureRetention(client, config.temporal.namespace, config.temporal.retentionDays);
    if (roles.has('intake')) await ensureInboxSweepSchedule(client, config);

    logger.info(`starting the ${[...roles].join(', ')} role${roles.size > 1 ? 's' : ''}…`);
    const intake = await startIntakeService({
      config,
      client,
      workerConnection: await connectWorkerConnection(config),
      minio,
      webhookToken,
      webhookHost: localMinio ? '127.0.0.1' : '0.0.0.0',
      logger,
    });

    const deployment = config.temporal.deployment;
    if (deployment && localTemporal && (roles.has('application') || roles.has('ocr'))) {
      // On the local dev server this process is the whole deployment: no admin to make its build current, and no
      // older worker left running for runs pinned to another build (against a cluster: README, "Deploying new code").
      const polled = [
        roles.has('application') && config.temporal.taskQueue,
        roles.has('ocr') && ocrTaskQueue(config.temporal.taskQueue),
      ];
      await waitForVersion(client, deployment, { taskQueues: polled.filter((queue) => queue !== false) });
      await setCurrentVersion(client, deployment, 'grant-intake start');
    }

    const uiUrl = localTemporal
      ? `http://127.0.0.1:${config.temporal.localUiPort}`
      : (config.web.temporalUiUrl ?? "(your cluster's Temporal UI)");
    const users = new UserStore(config.web.usersFile);
    const token = await codecToken(config);
    const web = roles.has('web')
      ? await startWebServer({
          config,
          temporal: client,
          minio,
          schemes: await loadSchemes(),
          users,
          sessionSecret: await sessionSecret(config),
          payloadCodec: await payloadCodec(config),
          codecToken: token,
          temporalUiUrl: config.web.temporalUiUrl ?? (localTemporal ? uiUrl : undefined),
          // A line per request is noise at the console; it is there with LOG_LEVEL=debug.
          logger: logger.child({}, { level: config.logLevel === 'debug' ? 'info' : 'warn' }),
        })
      : undefined;
    logger.info('grant-intake is running');
    if (web)
      logger.info(
        `  Review app      ${web.url}${config.web.trustedHeader ? ` (users signed in by the proxy's ${config.web.trustedHeader} header)` : ''}`,
      );
    logger.info(`  Temporal UI     ${uiUrl}`);
    const tokenSource = config.web.codecToken ? 'TEMPORAL_CODEC_TOKEN' : join(config.dataDir, CODEC_TOKEN_FILE);
    if (web)
      logger.info(
        `  Codec server    ${web.url}${CODEC_PREFIX} (admins signed in${token ? `, or --codec-auth "Bearer <${tokenSource}>"` : ''})`,
      );
    logger.info(
      `  Temporal        ${temporalAddress(config)} (namespace ${config.temporal.namespace}, task queue ${config.temporal.taskQueue})`,
    );
    if (deployment)
      logger.info(
        `  Workers         build ${deployment.buildId} of Worker Deployment ${deployment.deploymentName}${localTemporal ? ' (made current)' : ' ("grant-intake deploy status")'}`,
      );
    logger.info(`  MinIO API       ${storageEndpoint(config).origin} (access key ${config.minio.accessKey})`);
    if (localMinio) logger.info(`  MinIO console   http://127.0.0.1:${config.minio.localConsolePort}`);
    if (roles.has('intake')) {
      logger.info(
        `  Intake webhook  ${intake.webhookUrl ?? 'off (set INTAKE_WEBHOOK_TOKEN and point your MinIO webhook target here)'}`,
      );
      logger.info(
        `  Inbox sweep     every ${config.sweep.intervalSeconds} s (Temporal Schedule ${sweepScheduleId(config)})`,
      );
    }
    if (roles.size < PROCESS_ROLES.length)
      logger.info(`  Roles           ${[...roles].join(', ')} (GRANT_INTAKE_ROLES)`);
    logger.info(`  Data folder     ${localTemporal || localMinio ? config.dataDir : '(cluster)'}`);
    logger.info(
      `Drop PDF or Word documents into ${config.buckets.intake}/${INBOX_PREFIX}; records appear in ${config.buckets.records}/cases/.`,
    );
    if (web && (await users.list()).length === 0)
      logger.info(
        `No users of the review app yet: npx grant-intake user add <name> --role admin (users file ${config.web.usersFile}).`,
      );
    logger.info('Ctrl-C stops everything.');

    process.removeListener('SIGINT', cleanupOnSignal);
    process.removeListener('SIGTERM', cleanupOnSignal);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    logger.info('stopping the review app and the worker…');
    await web?.close();
    await intake.stop();
    logger.info('stopping the servers…');
    await stopServers();
    await client.connection.close();
    logger.info('stopped; everything is kept under the data folder for the next start.');
  } catch (error) {
    await stopServers();
    throw error;
  }
}
