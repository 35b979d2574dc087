import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Client as MinioClient } from 'minio';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { createLetterActivities, type SendLetterInput, type WriteDecisionLetterInput } from '../activities/letters.ts';
import { createMinioClient } from '../storage/minio-client.ts';
import { readObject } from '../storage/objects.ts';
import { loadConfig, type Config } from '../config/env.ts';
import { loadSchemes } from '../config/schemes.ts';
import { resolveServerBinary } from '../stack/binaries.ts';
import { startLocalMinio } from '../stack/minio-server.ts';
import { freePort } from '../stack/ports.ts';
import type { ServerProcess } from '../stack/server-process.ts';
import { ensureBuckets } from '../stack/setup.ts';
import { deliveryFindings, type KeptLetter, type LetterDelivery } from '../schemas/letter-delivery.ts';
import { vinjeLetterFacts } from './support/letter-case.ts';

/**
 * Letters going out, against a real MinIO and a real SMTP server in this process: what reaches the applicant is read
 * back as they would read it (the message, its PDF's text), and what does not reach them is never lost.
 */

const run = promisify(execFile);
const schemes = await loadSchemes();

interface Received {
  from: string;
  to: string[];
  mail: ParsedMail;
}

/**
 * What the SMTP server answers a recipient: addresses at refused.example are unknown, at deferred.example busy while
 * `busy`. */
const smtp = {
  received: [] as Received[],
  busy: true,
  server: new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      if (address.address.endsWith('@refused.example')) {
        return callback(
          Object.assign(new Error('5.1.1 <' + address.address + '>: Recipient address rejected: User unknown'), {
            responseCode: 550,
          }),
        );
      }
      if (address.address.endsWith('@deferred.example') && smtp.busy) {
        return callback(Object.assign(new Error('4.2.1 Mailbox busy, try again later'), { responseCode: 451 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          smtp.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            mail,
          });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  }),
};

let dir: string;
let config: Config;
let minioServer: ServerProcess;
let minio: MinioClient;
let smtpUrl: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'grant-intake-letters-'));
  config = loadConfig(
    {
      GRANT_INTAKE_DATA_DIR: dir,
      MINIO_PORT: String(await freePort()),
      MINIO_CONSOLE_PORT: String(await freePort()),
      INTAKE_WEBHOOK_PORT: String(await freePort()),
    },
    { dotenv: false },
  );
  minioServer = await startLocalMinio({
    binary: await resolveServerBinary('minio'),
    dataDir: dir,
    port: config.minio.localPort,
    consolePort: config.minio.localConsolePort,
    accessKey: config.minio.accessKey,
    secretKey: config.minio.secretKey,
    webhook: { port: config.webhook.port, token: randomBytes(24).toString('hex') },
  });
  minio = createMinioClient(config);
  await ensureBuckets(minio, config);
  await new Promise<void>((resolve) => smtp.server.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise<void>((resolve) => smtp.server.close(() => resolve()));
  await minioServer?.stop();
  await rm(dir, { recursive: true, force: true });
});

const activities = (withSmtp: boolean) =>
  createLetterActivities({
    minio,
    recordsBucket: config.buckets.records,
    schemes,
    ...(withSmtp && { mail: { smtp: { url: smtpUrl } } }),
  });

// The deferred recipient's retry is expected: the SDK's warning about it is not news here.
const activity = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });

let cases = 0;
/** A Nynorsk partial grant for a new case. */
function decision(): WriteDecisionLetterInput {
  cases += 1;
  return {
    caseId: `SAK-TEST${String(cases).padStart(4, '0')}`,
    schemeId: 'kompetanse-innovasjon-2017',
    grounds: {
      kind: 'approved-in-part',
      amountGranted: 1_250_000,
      reasonIds: ['lavere-prioritet'],
      explanation: 'Kurset for assistentar er prioritert framfor reiser.',
      conditionIds: ['bruk-som-soknaden', 'rapportering', 'tilbakebetaling'],
    },
    facts: vinjeLetterFacts('nn'),
  };
}

const write = (input: WriteDecisionLetterInput): Promise<KeptLetter> =>
  activity.run(activities(false).writeDecisionLetter, input);
const send = (withSmtp: boolean, input: SendLetterInput): Promise<LetterDelivery> =>
  activity.run(activities(withSmtp).sendLetter, input);

async function pdfText(pdf: Buffer): Promise<string> {
  const file = join(dir, `${createHash('sha256').update(pdf).digest('hex').slice(0, 12)}.pdf`);
  await writeFile(file, pdf);
  return (await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })).stdout.replace(
    /\s+/g,
    ' ',
  );
}

const exists = (key: string) =>
  minio.statObject(config.buckets.records, key).then(
    () => true,
    (error: { code?: string }) =>
      error.code === 'NotFound' || error.code === 'NoSuchKey' ? false : Promise.reject(error),
  );

const stored = (key: string) => readObject(minio, { bucket: config.buckets.records, key });

/** The letter as the applicant gets it: its attachment is the kept PDF, and the PDF says what was decided. */
async function assertLetterMessage(mail: ParsedMail, letter: KeptLetter): Promise<void> {
  assert.equal(mail.subject, `Vedtak om tilskot – ${letter.caseId}`);
  assert.match(mail.text ?? '', new RegExp(`Vedlagt er vedtaket i sak ${letter.caseId} om søknaden frå Vinje kommune`));
  assert.equal(mail.from?.value[0]?.address, 'fmtepost@fylkesmannen.no');
  assert.equal(mail.replyTo?.value[0]?.address, 'fmtepost@fylkesmannen.no');
  assert.equal(mail.attachments.length, 1);
  const [pdf] = mail.attachments;
  assert.equal(pdf!.filename, `${letter.caseId}-vedtak.pdf`);
  assert.equal(pdf!.contentType, 'application/pdf');
  assert.equal(
    createHash('sha256').update(pdf!.content).digest('hex'),
    letter.pdf.sha256,
    'the PDF sent is the PDF kept',
  );
  const text = await pdfText(pdf!.content);
  assert.match(text, /Vedtak om tilskot – Kommunalt kompetanse- og innovasjonstilskot/);
  assert.match(text, new RegExp(`Vår referanse ${letter.caseId}`));
  assert.match(text, /Innvilga beløp kr 1 250 000/);
  assert.match(text, /Rapporteringsfrist 01\.04\.2018/);
  assert.match(text, /Klagefristen er tre veker frå de fekk dette brevet/);
}

describe('sending a decision letter', () => {
  test('the letter is kept with the case, with the SHA-256 of the bytes kept', async () => {
    const input = decision();
    const letter = await write(input);
    assert.equal(letter.pdf.key, `cases/${input.caseId}/letters/vedtak.pdf`);
    assert.equal(letter.standard, 'nn');
    const kept = await stored(letter.pdf.key);
    assert.equal(createHash('sha256').update(kept).digest('hex'), letter.pdf.sha256);
    assert.deepEqual(await write(input), letter, 'writing it again gives the same letter');
  });

  test('over SMTP it reaches the contact person and the address the application came from, once', async () => {
    const letter = await write(decision());
    const before = smtp.received.length;
    const to = ['Kari.Nordmann@vinje.kommune.no', 'Postmottak Vinje <post@vinje.kommune.no>'];
    const delivery = await send(true, { letter, to });
    assert.equal(delivery.via, 'smtp');
    assert.deepEqual(
      delivery.delivered.map((d) => d.address),
      ['kari.nordmann@vinje.kommune.no', 'post@vinje.kommune.no'],
    );
    assert.deepEqual(delivery.refused, []);
    assert.deepEqual(deliveryFindings(delivery), []);
    const received = smtp.received.slice(before);
    assert.equal(received.length, 1);
    assert.deepEqual(received[0]!.to, ['kari.nordmann@vinje.kommune.no', 'post@vinje.kommune.no']);
    assert.equal(received[0]!.from, 'fmtepost@fylkesmannen.no');
    assert.deepEqual(
      received[0]!.mail.to && 'value' in received[0]!.mail.to && received[0]!.mail.to.value.map((a) => a.address),
      ['kari.nordmann@vinje.kommune.no', 'post@vinje.kommune.no'],
    );
    await assertLetterMessage(received[0]!.mail, letter);
    assert.equal(
      delivery.eml.key,
      `cases/${letter.caseId}/letters/vedtak.eml`,
      'the sent message is kept with the case',
    );
    assert.ok(await exists(delivery.eml.key));
    assert.equal(await exists(`outbox/${letter.letterId}.eml`), false, 'nothing left in the outbox');

    const again = await send(true, { letter, to });
    assert.deepEqual(again, delivery, 'a retried send reports the first one');
    assert.equal(smtp.received.length, before + 1, 'and sends nothing');
  });

  test('without SMTP it waits in the outbox as a ready-to-send message, which SMTP later sends as it is', async () => {
    const letter = await write(decision());
    const to = ['kari.nordmann@vinje.kommune.no', 'post@vinje.kommune.no'];
    const delivery = await send(false, { letter, to });
    assert.equal(delivery.via, 'outbox');
    assert.equal(delivery.eml.key, `outbox/${letter.letterId}.eml`);
    assert.deepEqual(delivery.delivered, []);
    assert.deepEqual(
      deliveryFindings(delivery).map((f) => f.code),
      ['letter-in-outbox'],
    );
    const waiting = await simpleParser(await stored(delivery.eml.key));
    assert.deepEqual(waiting.to && 'value' in waiting.to && waiting.to.value.map((a) => a.address), to);
    assert.equal(waiting.messageId, delivery.messageId);
    await assertLetterMessage(waiting, letter);

    const before = smtp.received.length;
    const sent = await send(true, { letter, to });
    assert.equal(sent.via, 'smtp');
    assert.equal(smtp.received.length, before + 1);
    assert.equal(smtp.received.at(-1)!.mail.messageId, waiting.messageId, 'the very message that waited');
    assert.equal(await exists(delivery.eml.key), false, 'the outbox is emptied');
  });

  test('an address the server refuses comes back refused, and the letter reaches the others', async () => {
    const letter = await write(decision());
    const delivery = await send(true, {
      letter,
      to: ['kari.nordmann@vinje.kommune.no', 'ukjent@refused.example', undefined],
    });
    assert.equal(delivery.via, 'smtp');
    assert.deepEqual(
      delivery.delivered.map((d) => d.address),
      ['kari.nordmann@vinje.kommune.no'],
    );
    assert.equal(delivery.refused.length, 1);
    assert.equal(delivery.refused[0]!.address, 'ukjent@refused.example');
    assert.match(delivery.refused[0]!.reason, /^550 .*User unknown/);
    const [finding] = deliveryFindings(delivery);
    assert.equal(finding!.code, 'letter-refused');
    assert.match(finding!.message, /kom ikke fram til ukjent@refused\.example/);
  });

  test('when every address is refused the letter stays in the outbox', async () => {
    const letter = await write(decision());
    const delivery = await send(true, { letter, to: ['ukjent@refused.example'] });
    assert.equal(delivery.via, 'outbox');
    assert.equal(delivery.eml.key, `outbox/${letter.letterId}.eml`);
    assert.deepEqual(delivery.delivered, []);
    assert.deepEqual(
      delivery.refused.map((r) => r.address),
      ['ukjent@refused.example'],
    );
    await assertLetterMessage(await simpleParser(await stored(delivery.eml.key)), letter);
    assert.deepEqual(
      deliveryFindings(delivery).map((f) => [f.code, f.severity]),
      [
        ['letter-refused', 'error'],
        ['letter-in-outbox', 'error'],
      ],
    );
  });

  test('without any address the letter waits in the outbox, and the caseworker is told', async () => {
    const letter = await write(decision());
    const delivery = await send(true, { letter, to: [undefined, 'ikke en adresse'] });
    assert.equal(delivery.via, 'outbox');
    assert.deepEqual(delivery.recipients, []);
    assert.ok(await exists(`outbox/${letter.letterId}.eml`));
    assert.deepEqual(
      deliveryFindings(delivery).map((f) => f.code),
      ['letter-no-address', 'letter-in-outbox'],
    );
  });

  test('a recipient the server defers is retried, and whoever got the letter does not get it twice', async () => {
    const letter = await write(decision());
    const to = ['kari.nordmann@vinje.kommune.no', 'post@deferred.example'];
    const before = smtp.received.length;
    smtp.busy = true;
    await assert.rejects(send(true, { letter, to }), /deferred post@deferred\.example/);
    assert.deepEqual(
      smtp.received.slice(before).map((r) => r.to),
      [['kari.nordmann@vinje.kommune.no']],
    );
    smtp.busy = false;
    const delivery = await send(true, { letter, to });
    assert.deepEqual(
      smtp.received.slice(before).map((r) => r.to),
      [['kari.nordmann@vinje.kommune.no'], ['post@deferred.example']],
    );
    assert.deepEqual(
      delivery.delivered.map((d) => d.address),
      to,
    );
    assert.equal(
      smtp.received.at(-1)!.mail.messageId,
      smtp.received.at(-2)!.mail.messageId,
      'one message, sent in two goes',
    );
  });
});
