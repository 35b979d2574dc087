import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { defaultBuildId } from './build-id.ts';
import type { PayloadKeys } from './payload-codec.ts';
import { UserError } from './user-error.ts';

const port = z.coerce
  .number({ error: 'must be a port number (1-65535)' })
  .int('must be a port number (1-65535)')
  .min(1, 'must be a port number (1-65535)')
  .max(65535, 'must be a port number (1-65535)');

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const bucketName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    'must be an S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)',
  );

const payloadKeyList = /^\s*[A-Za-z0-9._-]+:[A-Za-z0-9+/_-]+={0,2}\s*(,\s*[A-Za-z0-9._-]+:[A-Za-z0-9+/_-]+={0,2}\s*)*$/;

const hostPort = z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'must be host:port, e.g. temporal.example.org:7233');

/**
 * What one `grant-intake start` process runs. All of them by default; a deployment splits them over processes (or
 * pods) that scale apart: `application` (the workflows and their activities), `ocr` (OCR on its own task queue),
 * `intake` (the webhook MinIO posts to, and the inbox sweep's schedule), `web` (the review app).
 */
export const PROCESS_ROLES = ['application', 'ocr', 'intake', 'web'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

const roles = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((role) => role.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.enum(PROCESS_ROLES, { error: `must be a comma-separated list of ${PROCESS_ROLES.join(', ')}` }))
      .min(1, 'must name a role'),
  );

/** Every setting of the system. The names follow Temporal's own environment configuration where one exists. */
export const EnvSchema = z.object({
  GRANT_INTAKE_DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  GRANT_INTAKE_ROLES: roles.default([...PROCESS_ROLES]),

  TEMPORAL_ADDRESS: hostPort.optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS: flag.optional(),
  TEMPORAL_TLS_CLIENT_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_CLIENT_KEY_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('grant-intake'),
  TEMPORAL_DEPLOYMENT_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a Worker Deployment name (letters, digits, - and _; no dots)')
    .optional(),
  TEMPORAL_WORKER_BUILD_ID: z
    .string()
    .regex(/^[A-Za-z0-9._+-]{1,200}$/, 'must be a build id (letters, digits, . _ + -), e.g. 0.1.0-83f9f56')
    .optional(),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),

  MINIO_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://minio.example.org:9000' })
    .optional(),
  MINIO_ACCESS_KEY: z.string().min(3).default('grant-intake'),
  MINIO_SECRET_KEY: z.string().min(8, 'must be at least 8 characters').default('grant-intake-local'),
  MINIO_REGION: z.string().min(1).default('us-east-1'),
  MINIO_PORT: port.default(9000),
  MINIO_CONSOLE_PORT: port.default(9001),

  INTAKE_BUCKET: bucketName.default('mailroom'),
  RECORDS_BUCKET: bucketName.default('records'),
  INTAKE_WEBHOOK_PORT: port.default(8787),
  INTAKE_WEBHOOK_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  INTAKE_SWEEP_INTERVAL_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int()
    .min(5, 'must be at least 5 seconds')
    .default(60),
  INTAKE_SWEEP_PAGE_SIZE: z.coerce.number({ error: 'must be a number' }).int().min(1).max(10_000).default(500),

  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://localhost:11434/v1' })
    .optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4.1-mini'),
  OPENAI_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(1000, 'must be at least 1000 ms')
    .default(60_000),

  SMTP_URL: z
    .url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL, e.g. smtps://smtp.example.org:465' })
    .optional(),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  MAIL_FROM: z.string().min(3).optional(),

  WEB_PORT: port.default(8080),
  WEB_HOST: z.string().min(1).default('127.0.0.1'),
  WEB_USERS_FILE: z.string().min(1).optional(),
  WEB_TRUSTED_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name, e.g. X-Forwarded-User')
    .optional(),
  WEB_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  WEB_TRUST_PROXY: flag.optional(),
  WEB_SECURE_COOKIES: z.enum(['auto', 'true', 'false'], { error: 'must be auto, true or false' }).default('auto'),
  PAYLOAD_KEYS: z
    .string()
    .regex(
      payloadKeyList,
      'must be a comma-separated list of id:base64 AES-256 keys, e.g. k2026a:<44 base64 characters>',
    )
    .optional(),
  PAYLOAD_KEY_CURRENT: z.string().min(1).optional(),
  WEB_TLS_CERT: z.string().min(1).optional(),
  WEB_TLS_KEY: z.string().min(1).optional(),
  WEB_CODEC_ORIGINS: z
    .string()
    .regex(
      /^\s*https?:\/\/[^\s,/]+\s*(,\s*https?:\/\/[^\s,/]+\s*)*$/,
      'must be a comma-separated list of origins, e.g. https://temporal.example.org',
    )
    .optional(),
  TEMPORAL_CODEC_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  TEMPORAL_RETENTION_DAYS: z.coerce
    .number({ error: 'must be a number of days' })
    .int()
    .min(1, 'must be at least 1 day')
    .max(3650)
    .default(30),
  TEMPORAL_UI_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://temporal.example.org' })
    .optional(),
});

export type Env = z.infer<typeof EnvSchema>;

export interface MailConfig {
  /** The From of letters (`Tilskudd <tilskudd@example.org>`); absent: the deciding office's own address. */
  from?: string;
  /**
   * The SMTP server letters are sent through (`smtp://host:587` upgrades with STARTTLS, `smtps://host:465` is TLS
   * from the start). Absent: letters wait in the records bucket's `outbox/` as ready-to-send .eml files.
   */
  smtp?: { url: string; user?: string; password?: string };
}

export interface Config {
  dataDir: string;
  logLevel: Env['LOG_LEVEL'];
  /** What this process runs (`GRANT_INTAKE_ROLES`). */
  roles: ReadonlySet<ProcessRole>;
  temporal: {
    /** Absent: `npm start` runs a local dev server. */
    address?: string;
    namespace: string;
    taskQueue: string;
    apiKey?: string;
    tls?: { clientCertPath?: string; clientKeyPath?: string; serverCaCertPath?: string };
    localPort: number;
    localUiPort: number;
    /**
     * The keys of the payload codec (`PAYLOAD_KEYS`, `PAYLOAD_KEY_CURRENT`). Absent: `npm start` generates one into
     * `<data dir>/payload-keys` (`config/payload-keys.ts`); against a cluster they must be set.
     */
    payloadKeys?: PayloadKeys;
    /** How long Temporal keeps a closed case's history (the records bucket is the case's lasting record). */
    retentionDays: number;
    /**
     * Worker Versioning (`TEMPORAL_DEPLOYMENT_NAME`, `TEMPORAL_WORKER_BUILD_ID`, the names Temporal's Worker Controller
     * sets): the workers run as this version of this Worker Deployment, and new code reaches running workflows only
     * when the version is made current (README, "Deploying new code"). Absent: unversioned workers, as the local stack
     * runs them: one process, so never an old worker to keep alive beside a new one.
     */
    deployment?: WorkerDeploymentVersion;
  };
  minio: {
    /** Absent: `npm start` runs a local MinIO server. */
    endpoint?: URL;
    accessKey: string;
    secretKey: string;
    region: string;
    localPort: number;
    localConsolePort: number;
  };
  buckets: { intake: string; records: string };
  webhook: { port: number; token?: string };
  sweep: { intervalSeconds: number; pageSize: number };
  /**
   * The OpenAI-compatible chat model that reads what the form reader cannot. Set when OPENAI_API_KEY is set, or when
   * only OPENAI_BASE_URL is (a self-hosted server such as Ollama or vLLM that needs no key); absent otherwise, and
   * documents are then read by the form reader alone.
   */
  /** The caseworkers' review app (`web/`). */
  web: {
    port: number;
    host: string;
    /** The users file (`grant-intake user add`): roles, queues and argon2id password hashes. */
    usersFile: string;
    /**
     * Sign-in by a reverse proxy: the header that carries the signed-in user name (roles and queues still from the
     * users file). */
    trustedHeader?: string;
    /** Absent: generated once and kept in `<data dir>/web-session-secret`. */
    sessionSecret?: string;
    /** Behind a reverse proxy: trust its X-Forwarded-* headers (client address, https). */
    trustProxy: boolean;
    /**
     * `auto`: Secure cookies whenever the request came over https (directly or, with trustProxy, through the proxy). */
    secureCookies: 'auto' | boolean;
    /** The Temporal UI for links from a case to its workflow; absent: the local dev server's UI, if it runs. */
    temporalUiUrl?: string;
    /** The review app serves https itself with this certificate (PEM files); absent: http, or TLS at a proxy. */
    tls?: { certPath: string; keyPath: string };
    /** Further Temporal UI origins whose scripts may call the codec server (the Temporal UI's own is allowed). */
    codecOrigins: string[];
    /**
     * The bearer token admins' tools give the codec server; absent: generated once into `<data
     * dir>/temporal-codec-token`. */
    codecToken?: string;
  };
  /** How letters reach applicants. */
  mail: MailConfig;
  llm?: {
    /** Absent: a keyless self-hosted server. */
    apiKey?: string;
    /** Absent: api.openai.com. Azure, vLLM and Ollama give theirs (e.g. `http://localhost:11434/v1`). */
    baseUrl?: string;
    /** The model, or on Azure the deployment name. */
    model: string;
    /** How long one request may take before the document goes on without the model. */
    timeoutMs: number;
  };
}

/**
 * Reads the configuration from the environment (and `.env` in the working directory, which never overrides a
 * variable that is already set). A wrong value stops the program with a message naming the variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, { dotenv = true } = {}): Config {
  if (dotenv && env === process.env && existsSync('.env')) process.loadEnvFile('.env');
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = EnvSchema.safeParse(blankAsUnset);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    const got = env[name];
    throw new UserError(
      `configuration error: ${name} ${issue.message}${got === undefined ? '' : `, got ${JSON.stringify(got)}`}`,
    );
  }
  const e = parsed.data;
  const usesTls =
    e.TEMPORAL_TLS ??
    Boolean(e.TEMPORAL_API_KEY || e.TEMPORAL_TLS_CLIENT_CERT_PATH || e.TEMPORAL_TLS_SERVER_CA_CERT_PATH);
  if (Boolean(e.TEMPORAL_TLS_CLIENT_CERT_PATH) !== Boolean(e.TEMPORAL_TLS_CLIENT_KEY_PATH)) {
    throw new UserError(
      'configuration error: TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH must be set together (mTLS)',
    );
  }
  if (Boolean(e.WEB_TLS_CERT) !== Boolean(e.WEB_TLS_KEY)) {
    throw new UserError(
      "configuration error: WEB_TLS_CERT and WEB_TLS_KEY must be set together (the review app's https)",
    );
  }
  for (const name of [
    'TEMPORAL_TLS_CLIENT_CERT_PATH',
    'TEMPORAL_TLS_CLIENT_KEY_PATH',
    'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
    'WEB_TLS_CERT',
    'WEB_TLS_KEY',
  ] as const) {
    const path = e[name];
    if (path && !existsSync(path))
      throw new UserError(`configuration error: ${name} names a file that does not exist: ${path}`);
  }
  if (e.MINIO_ENDPOINT && (!env.MINIO_ACCESS_KEY || !env.MINIO_SECRET_KEY)) {
    throw new UserError(
      'configuration error: MINIO_ACCESS_KEY and MINIO_SECRET_KEY must be set when MINIO_ENDPOINT is',
    );
  }
  if (Boolean(e.SMTP_USER) !== Boolean(e.SMTP_PASSWORD)) {
    throw new UserError('configuration error: SMTP_USER and SMTP_PASSWORD must be set together');
  }
  if (e.SMTP_USER && !e.SMTP_URL) throw new UserError('configuration error: SMTP_USER is set but SMTP_URL is not');
  if (e.PAYLOAD_KEY_CURRENT && !e.PAYLOAD_KEYS) {
    throw new UserError('configuration error: PAYLOAD_KEY_CURRENT names a key of PAYLOAD_KEYS, which is not set');
  }
  if (e.TEMPORAL_WORKER_BUILD_ID && !e.TEMPORAL_DEPLOYMENT_NAME) {
    throw new UserError(
      'configuration error: TEMPORAL_WORKER_BUILD_ID is set but TEMPORAL_DEPLOYMENT_NAME is not (the deployment it is a version of)',
    );
  }
  if (e.INTAKE_BUCKET === e.RECORDS_BUCKET) {
    throw new UserError('configuration error: INTAKE_BUCKET and RECORDS_BUCKET must be different buckets');
  }
  return {
    dataDir: resolve(e.GRANT_INTAKE_DATA_DIR),
    logLevel: e.LOG_LEVEL,
    roles: new Set(e.GRANT_INTAKE_ROLES),
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      apiKey: e.TEMPORAL_API_KEY,
      tls: usesTls
        ? {
            clientCertPath: e.TEMPORAL_TLS_CLIENT_CERT_PATH,
            clientKeyPath: e.TEMPORAL_TLS_CLIENT_KEY_PATH,
            serverCaCertPath: e.TEMPORAL_TLS_SERVER_CA_CERT_PATH,
          }
        : undefined,
      localPort: e.TEMPORAL_PORT,
      localUiPort: e.TEMPORAL_UI_PORT,
      retentionDays: e.TEMPORAL_RETENTION_DAYS,
      payloadKeys: e.PAYLOAD_KEYS ? parsePayloadKeys(e.PAYLOAD_KEYS, e.PAYLOAD_KEY_CURRENT, 'PAYLOAD_KEYS') : undefined,
      deployment: e.TEMPORAL_DEPLOYMENT_NAME
        ? { deploymentName: e.TEMPORAL_DEPLOYMENT_NAME, buildId: e.TEMPORAL_WORKER_BUILD_ID ?? defaultBuildId() }
        : undefined,
    },
    minio: {
      endpoint: e.MINIO_ENDPOINT ? new URL(e.MINIO_ENDPOINT) : undefined,
      accessKey: e.MINIO_ACCESS_KEY,
      secretKey: e.MINIO_SECRET_KEY,
      region: e.MINIO_REGION,
      localPort: e.MINIO_PORT,
      localConsolePort: e.MINIO_CONSOLE_PORT,
    },
    buckets: { intake: e.INTAKE_BUCKET, records: e.RECORDS_BUCKET },
    webhook: { port: e.INTAKE_WEBHOOK_PORT, token: e.INTAKE_WEBHOOK_TOKEN },
    sweep: { intervalSeconds: e.INTAKE_SWEEP_INTERVAL_SECONDS, pageSize: e.INTAKE_SWEEP_PAGE_SIZE },
    web: {
      port: e.WEB_PORT,
      host: e.WEB_HOST,
      usersFile: resolve(e.WEB_USERS_FILE ?? join(e.GRANT_INTAKE_DATA_DIR, 'users.json')),
      trustedHeader: e.WEB_TRUSTED_HEADER?.toLowerCase(),
      sessionSecret: e.WEB_SESSION_SECRET,
      trustProxy: e.WEB_TRUST_PROXY ?? false,
      secureCookies: e.WEB_SECURE_COOKIES === 'auto' ? 'auto' : e.WEB_SECURE_COOKIES === 'true',
      temporalUiUrl: e.TEMPORAL_UI_URL?.replace(/\/+$/, ''),
      tls:
        e.WEB_TLS_CERT && e.WEB_TLS_KEY
          ? { certPath: resolve(e.WEB_TLS_CERT), keyPath: resolve(e.WEB_TLS_KEY) }
          : undefined,
      codecOrigins: e.WEB_CODEC_ORIGINS?.split(',').map((o) => new URL(o.trim()).origin) ?? [],
      codecToken: e.TEMPORAL_CODEC_TOKEN,
    },
    mail: {
      from: e.MAIL_FROM,
      smtp: e.SMTP_URL ? { url: e.SMTP_URL, user: e.SMTP_USER, password: e.SMTP_PASSWORD } : undefined,
    },
    llm:
      e.OPENAI_API_KEY || e.OPENAI_BASE_URL
        ? {
            apiKey: e.OPENAI_API_KEY,
            baseUrl: e.OPENAI_BASE_URL,
            model: e.OPENAI_MODEL,
            timeoutMs: e.OPENAI_TIMEOUT_MS,
          }
        : undefined,
  };
}

/** The `PAYLOAD_KEYS` and `PAYLOAD_KEY_CURRENT` that give these keys (for a process started with the same ones). */
export function payloadKeysEnv({ keys, current }: PayloadKeys): { PAYLOAD_KEYS: string; PAYLOAD_KEY_CURRENT: string } {
  return {
    PAYLOAD_KEYS: [...keys].map(([id, key]) => `${id}:${key.toString('base64')}`).join(','),
    PAYLOAD_KEY_CURRENT: current,
  };
}

/**
 * `id:base64,id:base64…`: AES-256 keys by id (standard or URL-safe base64 of 32 bytes). The current key (new payloads)
 * is `current`, else the last listed: a rotation appends the new key and keeps the old ones for what they encrypted.
 */
export function parsePayloadKeys(list: string, current: string | undefined, source: string): PayloadKeys {
  const keys = new Map<string, Buffer>();
  for (const entry of list
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const colon = entry.indexOf(':');
    const [id, key] = [entry.slice(0, colon), Buffer.from(entry.slice(colon + 1), 'base64')];
    if (key.length !== 32)
      throw new UserError(
        `configuration error: ${source}: key ${id} must be 32 bytes (AES-256) in base64, got ${key.length} bytes`,
      );
    if (keys.has(id)) throw new UserError(`configuration error: ${source}: key id ${id} is listed twice`);
    keys.set(id, key);
  }
  const chosen = current ?? [...keys.keys()].at(-1)!;
  if (!keys.has(chosen))
    throw new UserError(`configuration error: PAYLOAD_KEY_CURRENT ${chosen} is not among the ids of ${source}`);
  return { keys, current: chosen };
}
