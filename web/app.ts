import { readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import fastifySensible, { HttpError } from '@fastify/sensible';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import type { PayloadCodec } from '@temporalio/common';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Client as MinioClient } from 'minio';
import type { Config } from '../config/env.ts';
import type { Logger } from '../config/logger.ts';
import type { Scheme } from '../schemas/scheme.ts';
import { exportJournal, type JournalExport } from '../storage/journal.ts';
import { CaseRepository } from './cases.ts';
import { DocumentRenderer } from './documents.ts';
import accessLogPlugin from './plugins/access-log.ts';
import authPlugin, { isApi } from './plugins/auth.ts';
import codecServer, { CODEC_PREFIX } from './plugins/codec-server.ts';
import securityPlugin from './plugins/security.ts';
import { PaymentRuns } from './payment-run.ts';
import { RecordsIndex } from './records.ts';
import apiRoutes from './routes/api.ts';
import authRoutes from './routes/auth.ts';
import caseRoutes from './routes/cases.ts';
import approvalRoutes from './routes/approvals.ts';
import followUpRoutes from './routes/follow-up.ts';
import journalRoutes from './routes/journal.ts';
import overviewRoutes from './routes/overview.ts';
import queueRoutes from './routes/queues.ts';
import staticRoutes from './routes/static.ts';
import type { UserStore } from './users.ts';
import { errorPage } from './views/layout.ts';

/** What the review app is built from: given explicitly, so tests build it against their own servers. */
export interface WebDeps {
  config: Config;
  temporal: Client;
  minio: MinioClient;
  schemes: Scheme[];
  users: UserStore;
  sessionSecret: string;
  /** The Temporal UI the case page links to (admins); absent: no link. */
  temporalUiUrl?: string;
  /** The payload codec: with it the app is the Temporal UI's codec server (for admins, from the UI's origins). */
  payloadCodec?: PayloadCodec;
  /** Origins besides the Temporal UI's (`temporalUiUrl`) allowed to call the codec server: `WEB_CODEC_ORIGINS`. */
  codecOrigins?: string[];
  /** The codec server's bearer token for admins' tools (`web/secrets.ts`); absent: admins' sessions only. */
  codecToken?: string;
  /** Sign-in attempts per client address per window (default 10 per 5 minutes). */
  signInLimit?: { max: number; timeWindowMs: number };
  /** The process's logger (`config/logger.ts`); request logs go to a child of it. */
  logger: Logger;
}

export interface WebServices {
  config: Config;
  cases: CaseRepository;
  documents: DocumentRenderer;
  records: RecordsIndex;
  users: UserStore;
  schemes: Scheme[];
  /** The payment run a finance officer starts from the follow-up page (`web/payment-run.ts`). */
  paymentRuns: PaymentRuns;
  /** The journal's exports, from the records bucket (`storage/journal.ts`). */
  journal: { export(options: Parameters<typeof exportJournal>[2]): Promise<JournalExport> };
  temporalUiUrl?: string;
  signInLimit: { max: number; timeWindowMs: number };
}

declare module 'fastify' {
  interface FastifyInstance {
    web: WebServices;
  }
}

const services = fp(
  async function services(app: FastifyInstance, web: WebServices) {
    app.decorate('web', web);
    app.addHook('onClose', () => web.documents.close());
  },
  { name: 'services', fastify: '5.x' },
);

/**
 * The caseworkers' review app as a fastify instance: external plugins (headers, sessions, CSRF, rate limit), the app's
 * services and sign-in, then the routes. `web/server.ts` listens; tests call `app.inject` or listen themselves.
 */
export async function buildApp(deps: WebDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    // The routes see fastify's logger interface; pino's own type only narrows it.
    loggerInstance: deps.logger.child({ component: 'web' }) as FastifyBaseLogger,
    // With WEB_TLS_CERT/WEB_TLS_KEY the app serves https itself, and its session cookies are Secure.
    ...(config.web.tls && {
      https: { cert: readFileSync(config.web.tls.certPath), key: readFileSync(config.web.tls.keyPath) },
    }),
    trustProxy: config.web.trustProxy,
    // Request logs carry method, URL and address only: never bodies (passwords), cookies or headers.
    bodyLimit: 256 * 1024,
  });

  // Routes declare their params, queries and bodies as zod schemas (`web/routes/*.ts`).
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(fastifySensible);
  await app.register(securityPlugin, { sessionSecret: deps.sessionSecret, secureCookies: config.web.secureCookies });
  await app.register(services, {
    config,
    cases: new CaseRepository({ temporal: deps.temporal, minio: deps.minio, recordsBucket: config.buckets.records }),
    documents: new DocumentRenderer({ minio: deps.minio, recordsBucket: config.buckets.records }),
    records: new RecordsIndex({ minio: deps.minio, recordsBucket: config.buckets.records }),
    users: deps.users,
    schemes: deps.schemes,
    paymentRuns: new PaymentRuns({
      temporal: deps.temporal,
      minio: deps.minio,
      recordsBucket: config.buckets.records,
      taskQueue: config.temporal.taskQueue,
    }),
    journal: { export: (options) => exportJournal(deps.minio, config.buckets.records, options) },
    ...(deps.temporalUiUrl && { temporalUiUrl: deps.temporalUiUrl }),
    signInLimit: deps.signInLimit ?? { max: 10, timeWindowMs: 5 * 60_000 },
  });
  await app.register(authPlugin, {
    users: deps.users,
    ...(config.web.trustedHeader && { trustedHeader: config.web.trustedHeader }),
  });
  await app.register(accessLogPlugin, { minio: deps.minio, recordsBucket: config.buckets.records });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    let status = error.statusCode ?? 500;
    let message = error.message;
    if (hasZodFastifySchemaValidationErrors(error)) {
      // A bad value is a 400 that names the field.
      const problems = error.validation.map(
        (issue) => `${issue.instancePath.slice(1).replaceAll('/', '.') || 'forespørselen'}: ${issue.message}`,
      );
      message = `Ugyldig forespørsel (${problems.join('; ')}).`;
    } else if (error.code === 'FST_CSRF_MISSING_SECRET' || error.code === 'FST_CSRF_INVALID_TOKEN') {
      status = 403;
      message = 'Skjemaet er utløpt eller kom ikke fra denne siden (CSRF). Last siden på nytt og prøv igjen.';
    } else if (status === 429) {
      message = 'For mange forsøk. Vent litt og prøv igjen.';
    } else if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      message = 'Noe gikk galt hos oss. Prøv igjen, eller kontakt en administrator.';
    } else if (!(error instanceof HttpError) && status === 400) {
      message = 'Ugyldig forespørsel.';
    }
    reply.code(status);
    if (isApi(request)) return reply.send({ error: message });
    return reply.type('text/html; charset=utf-8').send(errorPage(request, reply, status, message));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404);
    if (isApi(request)) return reply.send({ error: 'Finnes ikke.' });
    return reply.type('text/html; charset=utf-8').send(errorPage(request, reply, 404, 'Siden finnes ikke.'));
  });

  await app.register(staticRoutes);
  await app.register(authRoutes);
  await app.register(queueRoutes);
  await app.register(caseRoutes);
  await app.register(approvalRoutes);
  await app.register(followUpRoutes);
  await app.register(overviewRoutes);
  await app.register(journalRoutes);
  await app.register(apiRoutes);
  if (deps.payloadCodec) {
    const allowedOrigins = [
      ...(deps.temporalUiUrl ? [new URL(deps.temporalUiUrl).origin] : []),
      ...(deps.codecOrigins ?? config.web.codecOrigins),
    ];
    await app.register(codecServer, {
      prefix: CODEC_PREFIX,
      codec: deps.payloadCodec,
      allowedOrigins,
      ...(deps.codecToken && { token: deps.codecToken }),
    });
  }
  return app;
}
