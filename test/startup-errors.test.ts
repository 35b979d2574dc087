import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/env.ts';
import { UserError } from '../config/user-error.ts';
import { freePort } from '../stack/ports.ts';
import { cacheDir } from '../stack/binaries.ts';

const cli = fileURLToPath(new URL('../bin/grant-intake.js', import.meta.url));

/** Runs `grant-intake start` as a user would, in an empty folder, and returns what it printed. */
async function start(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cwd = await mkdtemp(join(tmpdir(), 'grant-intake-cli-'));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, 'start'],
      {
        cwd,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: cwd,
          GRANT_INTAKE_CACHE_DIR: cacheDir(),
          GRANT_INTAKE_DATA_DIR: join(cwd, 'data'),
          ...env,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

function assertOneErrorLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, not a stack trace:\n${stderr}`);
  assert.match(lines[0]!, pattern);
}

test('a bad configuration value stops start-up with one line naming the variable', async () => {
  const { code, stderr } = await start({ TEMPORAL_PORT: 'seventy' });
  assert.equal(code, 2);
  assertOneErrorLine(
    stderr,
    /^grant-intake: configuration error: TEMPORAL_PORT must be a port number \(1-65535\), got "seventy"$/,
  );
});

test('a missing server binary without Go says exactly what to install', async () => {
  const ports = Object.fromEntries(
    await Promise.all(
      ['TEMPORAL_PORT', 'TEMPORAL_UI_PORT', 'MINIO_PORT', 'MINIO_CONSOLE_PORT', 'INTAKE_WEBHOOK_PORT'].map(
        async (name) => [name, String(await freePort())],
      ),
    ),
  );
  const { code, stderr } = await start({
    ...ports,
    PATH: '/nonexistent',
    GRANT_INTAKE_CACHE_DIR: await mkdtemp(join(tmpdir(), 'empty-cache-')),
  });
  assert.equal(code, 2);
  assertOneErrorLine(
    stderr,
    /^grant-intake: temporal not found: install the Temporal CLI .*or install Go 1\.24 or newer/,
  );
});

test('a port already taken gives one line naming the port and its variable', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as { port: number }).port;
  try {
    const { code, stderr } = await start({ TEMPORAL_PORT: String(port) });
    assert.equal(code, 2);
    assertOneErrorLine(
      stderr,
      new RegExp(`^grant-intake: port ${port} \\(TEMPORAL_PORT\\) is already in use by another program`),
    );
  } finally {
    blocker.close();
  }
});

test('configuration: defaults for the local stack, and every wrong value named', () => {
  const config = loadConfig({}, { dotenv: false });
  assert.equal(config.temporal.address, undefined, 'no address: npm start runs a local dev server');
  assert.equal(config.minio.endpoint, undefined, 'no endpoint: npm start runs a local MinIO');
  assert.deepEqual(config.buckets, { intake: 'mailroom', records: 'records' });
  assert.deepEqual(
    [...config.roles],
    ['application', 'ocr', 'intake', 'web'],
    'one process runs everything unless told otherwise',
  );
  assert.deepEqual(
    [...loadConfig({ GRANT_INTAKE_ROLES: 'ocr, application' }, { dotenv: false }).roles],
    ['ocr', 'application'],
  );

  const remote = loadConfig(
    {
      TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
      TEMPORAL_API_KEY: 'secret',
      MINIO_ENDPOINT: 'https://s3.example.org',
      MINIO_ACCESS_KEY: 'intake-worker',
      MINIO_SECRET_KEY: 'sk-12345678',
    },
    { dotenv: false },
  );
  assert.equal(remote.temporal.address, 'ns.acct.tmprl.cloud:7233');
  assert.ok(remote.temporal.tls, 'an API key implies TLS');
  assert.equal(remote.minio.endpoint?.hostname, 's3.example.org');

  const refused: [Record<string, string>, RegExp][] = [
    [{ MINIO_ENDPOINT: 'ftp://x' }, /MINIO_ENDPOINT must be an http\(s\) URL/],
    [{ MINIO_ENDPOINT: 'https://s3.example.org' }, /MINIO_ACCESS_KEY and MINIO_SECRET_KEY must be set/],
    [{ TEMPORAL_ADDRESS: 'https://temporal' }, /TEMPORAL_ADDRESS must be host:port/],
    [{ INTAKE_BUCKET: 'Mail_Room' }, /INTAKE_BUCKET must be an S3 bucket name/],
    [{ INTAKE_BUCKET: 'records' }, /INTAKE_BUCKET and RECORDS_BUCKET must be different/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [
      { GRANT_INTAKE_ROLES: 'application,worker' },
      /GRANT_INTAKE_ROLES must be a comma-separated list of application, ocr, intake, web/,
    ],
    [{ GRANT_INTAKE_ROLES: ' , ' }, /GRANT_INTAKE_ROLES must name a role/],
    [{ TEMPORAL_TLS: 'maybe' }, /TEMPORAL_TLS must be true or false/],
    [{ TEMPORAL_TLS_CLIENT_CERT_PATH: '/etc/hostname' }, /must be set together/],
  ];
  for (const [env, message] of refused) {
    assert.throws(
      () => loadConfig(env, { dotenv: false }),
      (error: unknown) => error instanceof UserError && message.test(error.message),
    );
  }
});
