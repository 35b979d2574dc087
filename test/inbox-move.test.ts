import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createMinioClient } from '../storage/minio-client.ts';
import { loadConfig } from '../config/env.ts';
import { moveOutOfInbox, pinVersion } from '../storage/inbox.ts';
import { resolveServerBinary } from '../stack/binaries.ts';
import { startLocalMinio } from '../stack/minio-server.ts';
import { freePort } from '../stack/ports.ts';
import type { ServerProcess } from '../stack/server-process.ts';
import { ensureBuckets } from '../stack/setup.ts';

let dataDir: string;
let server: ServerProcess;
let minio: ReturnType<typeof createMinioClient>;
const bucket = 'mailroom';

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'grant-intake-move-'));
  const config = loadConfig(
    { MINIO_PORT: String(await freePort()), MINIO_CONSOLE_PORT: String(await freePort()) },
    { dotenv: false },
  );
  server = await startLocalMinio({
    binary: await resolveServerBinary('minio'),
    dataDir,
    port: config.minio.localPort,
    consolePort: config.minio.localConsolePort,
    accessKey: config.minio.accessKey,
    secretKey: config.minio.secretKey,
    webhook: { port: await freePort(), token: 'unused-webhook-token-0123' },
  });
  minio = createMinioClient(config);
  await ensureBuckets(minio, config);
});

after(async () => {
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/**
 * A worker that dies after the move but before reporting it: Temporal runs the move again (`npm run test:cluster`
 * found this at 500 documents), and the second attempt must find the document moved instead of failing the case.
 */
test('moving a document out of the inbox a second time (a retry after a crash) returns the copy the first move made', async () => {
  const uploaded = await minio.putObject(
    bucket,
    'inbox/kommune/søknad.pdf',
    Buffer.from('%PDF-1.4 søknad'),
    undefined,
    { 'received-at': '2017-04-10T09:12:00+02:00' },
  );
  const object = await pinned(minio, { bucket, key: 'inbox/kommune/søknad.pdf', etag: uploaded.etag });
  const first = await moveOutOfInbox(minio, object, 'processed');
  const again = await moveOutOfInbox(minio, object, 'processed');
  assert.equal(again.key, 'processed/kommune/søknad.pdf');
  assert.deepEqual(again, { ...first, etag: object.etag });
  let inbox = 0;
  for await (const _ of minio.listObjectsV2(bucket, 'inbox/', true)) inbox++;
  assert.equal(inbox, 0, 'the inbox is empty');
  const moved = await minio.statObject(bucket, 'processed/kommune/søknad.pdf');
  assert.equal(moved.metaData['received-at'], '2017-04-10T09:12:00+02:00', 'the move keeps the metadata');
});

test('a version that was never moved and is gone still fails the move (nothing to return)', async () => {
  const uploaded = await minio.putObject(bucket, 'inbox/kommune/slettet.pdf', Buffer.from('%PDF-1.4 slettet'));
  const object = await pinned(minio, { bucket, key: 'inbox/kommune/slettet.pdf', etag: uploaded.etag });
  await minio.removeObject(bucket, object.key, { versionId: object.versionId! });
  await assert.rejects(moveOutOfInbox(minio, object, 'processed'), (error: { code?: string }) =>
    ['NoSuchVersion', 'NoSuchKey', 'NotFound'].includes(error.code ?? ''),
  );
});

/** The version the test just uploaded: it is there. */
async function pinned(...args: Parameters<typeof pinVersion>) {
  const object = await pinVersion(...args);
  assert.ok(object, 'the uploaded version is listed');
  return object;
}
