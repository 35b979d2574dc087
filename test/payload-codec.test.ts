import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createRequire } from 'node:module';
import { ApplicationFailure, defaultPayloadConverter, type FailureConverter } from '@temporalio/common';
import { failureConverterPath } from '../config/data-converter.ts';
import { loadConfig, parsePayloadKeys } from '../config/env.ts';
import { PayloadEncryptionCodec } from '../config/payload-codec.ts';
import { payloadKeys } from '../config/payload-keys.ts';
import { UserError } from '../config/user-error.ts';

const key = () => randomBytes(32).toString('base64');
const contact = { name: 'Ingrid Personvern', email: 'ingrid.personvern@vinje.kommune.no', phone: '412 34 567' };
const payload = () => defaultPayloadConverter.toPayload(contact);

test('a payload is stored as AES-256-GCM ciphertext with its key id, and decodes to what was sent', async () => {
  const codec = new PayloadEncryptionCodec(parsePayloadKeys(`k1:${key()}`, undefined, 'PAYLOAD_KEYS'));
  const [encoded] = await codec.encode([payload()]);
  assert.equal(Buffer.from(encoded!.metadata!.encoding!).toString(), 'binary/encrypted');
  assert.equal(Buffer.from(encoded!.metadata!['encryption-key-id']!).toString(), 'k1');
  const stored = Buffer.from(encoded!.data!).toString('latin1');
  for (const value of [...Object.values(contact), 'json/plain'])
    assert.ok(!stored.includes(value), `${value} is not readable in the stored payload`);
  const [decoded] = await codec.decode([encoded!]);
  assert.deepEqual(defaultPayloadConverter.fromPayload(decoded!), contact);
  // The same value twice is two different ciphertexts (a fresh IV each time).
  const [again] = await codec.encode([payload()]);
  assert.notDeepEqual(Buffer.from(again!.data!), Buffer.from(encoded!.data!));
});

test('key rotation: payloads written with the old key still decode once a new current key is added', async () => {
  const [oldKey, newKey] = [key(), key()];
  const before = new PayloadEncryptionCodec(parsePayloadKeys(`2026a:${oldKey}`, undefined, 'PAYLOAD_KEYS'));
  const [old] = await before.encode([payload()]);
  // The new key is appended (the last listed is current unless PAYLOAD_KEY_CURRENT says otherwise).
  const rotated = new PayloadEncryptionCodec(
    parsePayloadKeys(`2026a:${oldKey},2026b:${newKey}`, undefined, 'PAYLOAD_KEYS'),
  );
  const [fresh] = await rotated.encode([payload()]);
  assert.equal(Buffer.from(fresh!.metadata!['encryption-key-id']!).toString(), '2026b');
  assert.deepEqual(
    (await rotated.decode([old!, fresh!])).map((p) => defaultPayloadConverter.fromPayload(p)),
    [contact, contact],
  );
  // Without the old key, its payloads cannot be read, and the error says which key is missing.
  const withoutOld = new PayloadEncryptionCodec(parsePayloadKeys(`2026b:${newKey}`, undefined, 'PAYLOAD_KEYS'));
  await assert.rejects(withoutOld.decode([old!]), /unknown key id 2026a/);
});

test('plain payloads (histories recorded before encryption) pass through; a tampered one is refused', async () => {
  const codec = new PayloadEncryptionCodec(parsePayloadKeys(`k1:${key()}`, undefined, 'PAYLOAD_KEYS'));
  const plain = payload();
  assert.deepEqual(await codec.decode([plain]), [plain]);
  const [encoded] = await codec.encode([payload()]);
  const data = Buffer.from(encoded!.data!);
  data[20]! ^= 1;
  await assert.rejects(codec.decode([{ ...encoded!, data }]));
});

test('keys come from PAYLOAD_KEYS, or for the local stack from a key generated once into the data folder', async () => {
  const k = key();
  const configured = loadConfig({ PAYLOAD_KEYS: `a:${key()}, b:${k}`, PAYLOAD_KEY_CURRENT: 'a' }, { dotenv: false });
  assert.equal(configured.temporal.payloadKeys?.current, 'a');
  assert.equal(configured.temporal.payloadKeys?.keys.get('b')?.toString('base64'), k);
  assert.throws(
    () => loadConfig({ PAYLOAD_KEYS: 'a:c2hvcnQ=' }, { dotenv: false }),
    (e: unknown) => e instanceof UserError && /32 bytes/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ PAYLOAD_KEYS: `a:${k}`, PAYLOAD_KEY_CURRENT: 'z' }, { dotenv: false }),
    (e: unknown) => e instanceof UserError && /PAYLOAD_KEY_CURRENT/.test(e.message),
  );
  assert.throws(() => loadConfig({ PAYLOAD_KEYS: 'no key here' }, { dotenv: false }), UserError);

  const dataDir = join(await mkdtemp(join(tmpdir(), 'grant-intake-keys-')), 'data');
  const local = loadConfig({ GRANT_INTAKE_DATA_DIR: dataDir }, { dotenv: false });
  const first = await payloadKeys(local);
  const second = await payloadKeys(local);
  assert.deepEqual([...second.keys], [...first.keys], 'the same key on the next start');
  const file = join(dataDir, 'payload-keys');
  assert.match(await readFile(file, 'utf8'), /^local-\d{8}:[A-Za-z0-9+/]{43}=\n$/);
  // Rotation on the local stack: a line appended becomes the current key, the first still decodes.
  await writeFile(file, `${await readFile(file, 'utf8')}next:${key()}\n`);
  assert.equal((await payloadKeys(local)).current, 'next');

  const cluster = loadConfig(
    { GRANT_INTAKE_DATA_DIR: dataDir, TEMPORAL_ADDRESS: 'temporal.example.org:7233' },
    { dotenv: false },
  );
  await assert.rejects(
    payloadKeys(cluster),
    (e: unknown) => e instanceof UserError && /PAYLOAD_KEYS must be set/.test(e.message),
  );
});

test("a failure's message and stack trace travel as a payload, so the codec encrypts them too", () => {
  const { failureConverter } = createRequire(import.meta.url)(failureConverterPath) as {
    failureConverter: FailureConverter;
  };
  const failure = failureConverter.errorToFailure(
    ApplicationFailure.nonRetryable(`no reply from ${contact.email}`, 'NoReply'),
    defaultPayloadConverter,
  );
  assert.equal(failure.message, 'Encoded failure');
  assert.equal(failure.stackTrace, '');
  assert.ok(failure.encodedAttributes, 'message and stack trace are in a payload');
  assert.match(
    String(defaultPayloadConverter.fromPayload<{ message: string }>(failure.encodedAttributes!).message),
    /ingrid\.personvern@/,
  );
});
