import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createFollowUpActivities, type FollowUpDocument } from '../activities/follow-up.ts';
import { createJournalActivities } from '../activities/journal.ts';
import { createLetterActivities } from '../activities/letters.ts';
import { loadSchemes } from '../config/schemes.ts';
import { caseRecordKey } from '../schemas/case-record.ts';
import type { JournalEntry, JournalRegistration } from '../schemas/journal.ts';
import type { KeptLetter, LetterDelivery } from '../schemas/letter-delivery.ts';
import { AccessEntrySchema, accessLogPrefix, type AccessEntry } from '../storage/access-log.ts';
import { exportJournal, readCaseJournal } from '../storage/journal.ts';
import { readJson, readObject, writeJson } from '../storage/objects.ts';
import { vinjeLetterFacts } from './support/letter-case.ts';
import { startMinioOnly, type MinioOnly } from './support/minio-only.ts';

const run = promisify(execFile);
const schemes = await loadSchemes();
const reference = 'SAK-7F3A9C21';
const activity = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });

let minioOnly: MinioOnly;
let dir: string;
before(async () => {
  minioOnly = await startMinioOnly('follow-up-io');
  dir = await mkdtemp(join(tmpdir(), 'grant-intake-follow-up-io-'));
});
after(async () => {
  await minioOnly?.stop();
  await rm(dir, { recursive: true, force: true });
});
const bucket = () => minioOnly.config.buckets.records;

async function pdfText(pdf: Buffer, name: string): Promise<string> {
  const file = join(dir, `${name}.pdf`);
  await writeFile(file, pdf);
  const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  return stdout.replace(/\s+/g, ' ');
}

describe('letters.writeFollowUpLetter', () => {
  const letters = () => createLetterActivities({ minio: minioOnly.minio, recordsBucket: bucket(), schemes });
  const { standard: _, ...facts } = { ...vinjeLetterFacts('nn'), date: '2018-04-20' };
  const reportMore = {
    caseId: reference,
    schemeId: 'kompetanse-innovasjon-2017',
    kind: 'report-more' as const,
    standard: 'nn' as const,
    facts,
    details: {
      decisionDate: '2017-06-12',
      amountGranted: 1_250_000,
      newDeadline: '2018-05-18',
      explanation: 'Rekneskapen viser ikkje kva reisekostnadene på kr 180 000 gjekk til.',
    },
  };

  test('a request for more in the report, in Nynorsk, kept with the case as a PDF with its SHA-256, and sent through the outbox', async () => {
    const { writeFollowUpLetter, sendLetter } = letters();
    const kept: KeptLetter = await activity().run(writeFollowUpLetter, reportMore);
    assert.equal(kept.letterId, `${reference}-rapport-mangler`);
    assert.equal(kept.pdf.key, `cases/${reference}/letters/rapport-mangler.pdf`);
    assert.equal(kept.standard, 'nn');
    const pdf = await readObject(minioOnly.minio, kept.pdf);
    assert.equal(createHash('sha256').update(pdf).digest('hex'), kept.pdf.sha256, 'the hash of the bytes kept');
    const text = await pdfText(pdf, 'rapport-mangler');
    assert.match(text, /Rapporten er mangelfull – tilskot frå/);
    assert.match(text, /Vi treng fleire opplysningar i rapporten/);
    assert.match(text, /reisekostnadene på kr 180 000/);
    assert.match(text, /innan 18\.05\.2018/);
    assert.match(text, /Vinje kommune/);
    assert.match(kept.email.subject, /Vi treng meir i rapporten – SAK-7F3A9C21/);

    const again: KeptLetter = await activity().run(writeFollowUpLetter, reportMore);
    assert.equal(again.pdf.sha256, kept.pdf.sha256, 'a retry writes the same bytes');

    const delivery: LetterDelivery = await activity().run(sendLetter, {
      letter: kept,
      to: ['Kari Nordmann <kari.nordmann@vinje.kommune.no>'],
    });
    assert.equal(delivery.via, 'outbox');
    const eml = (await readObject(minioOnly.minio, delivery.eml)).toString('utf8');
    assert.match(eml, /rapport-mangler\.pdf/);
  });

  test('a second request gets a name of its own; a letter missing what its text names is refused, not retried', async () => {
    const { writeFollowUpLetter } = letters();
    const second: KeptLetter = await activity().run(writeFollowUpLetter, { ...reportMore, name: 'rapport-mangler-2' });
    assert.equal(second.pdf.key, `cases/${reference}/letters/rapport-mangler-2.pdf`);

    const overdue: KeptLetter = await activity().run(writeFollowUpLetter, {
      ...reportMore,
      kind: 'report-overdue' as const,
      standard: 'nb' as const,
      details: { decisionDate: '2017-06-12', amountGranted: 1_250_000 },
    });
    const text = await pdfText(await readObject(minioOnly.minio, overdue.pdf), 'overdue');
    assert.match(text, /Rapporteringsfristen for tilskuddet på kr 1 250 000 var 01\.04\.2018\. Fristen er ute/);

    await assert.rejects(
      activity().run(writeFollowUpLetter, { ...reportMore, kind: 'claim-back' as const }),
      (error: unknown) =>
        error instanceof ApplicationFailure &&
        error.nonRetryable &&
        /missing amountPaid, amountClaimed, paymentDeadline/.test(error.message),
    );
  });
});

describe('followUp.readFollowUpDocument', () => {
  const read = async (name: string, text: string): Promise<FollowUpDocument> => {
    const textKey = `cases/${reference}/documents/${name}/text.json`;
    await writeJson(minioOnly.minio, bucket(), textKey, {
      type: 'pdf',
      method: 'text',
      pages: [{ number: 1, text }],
    });
    const { readFollowUpDocument } = createFollowUpActivities({ minio: minioOnly.minio, recordsBucket: bucket() });
    return activity().run(readFollowUpDocument, { textKey });
  };

  test('an acceptance by e-mail: its kind with the lines it rests on, its bank account and signer', async () => {
    const doc = await read(
      'aksept',
      'Hei!\nVi aksepterer tilskuddet i sak SAK-7F3A9C21.\nKontonummer: 9710 05 00004\nMed vennlig hilsen\nKari Nordmann',
    );
    assert.equal(doc.kind, 'acceptance');
    assert.deepEqual(
      doc.evidence.map((e) => e.line),
      [2, 2, 3],
    );
    assert.equal(doc.acceptance?.bankAccount, '97100500004');
    assert.equal(doc.acceptance?.signer, 'Kari Nordmann');
    assert.equal(doc.report, undefined);
  });

  test('a report: the money spent and the goals reached; a plain letter is a supplement with nothing read', async () => {
    const report = await read(
      'rapport',
      [
        'Sluttrapport',
        'Saksnummer: SAK-7F3A9C21',
        'Periode: 01.08.2017–31.03.2018',
        'Brukte midler: kr 1 180 000',
        'Måloppnåelse: Alle 24 assistentane har fullført kurset.',
      ].join('\n'),
    );
    assert.equal(report.kind, 'report');
    assert.equal(report.report?.amountSpent, 1_180_000);
    assert.match(report.report?.goalsReached ?? '', /24 assistentane/);
    assert.equal(report.acceptance, undefined);

    const supplement = await read('brev', 'Hei,\nher er budsjettet vi lovte å sende.\nHelsing Kari');
    assert.equal(supplement.kind, 'supplement');
    assert.equal(supplement.acceptance, undefined);
    assert.equal(supplement.report, undefined);
  });
});

describe('journal.registerInJournal and the export', () => {
  const journal = () => createJournalActivities({ minio: minioOnly.minio, recordsBucket: bucket() });
  const other = 'SAK-2B9D4E10';
  const entries: Array<[string, number, JournalRegistration]> = [
    [
      reference,
      1,
      {
        date: '2017-04-10',
        direction: 'inn',
        kind: 'application',
        party: { name: 'Vinje kommune', kind: 'organisation' },
        title: 'Søknad om tilskudd – Kompetanseløft i heimetenesta',
        source: 'mailroom/inbox/soknad.pdf@v1',
      },
    ],
    [
      reference,
      2,
      {
        date: '2017-06-12',
        direction: 'ut',
        kind: 'letter',
        party: { name: 'Vinje kommune', kind: 'organisation' },
        title: 'Vedtak om tilskudd v/ Kari Nordmann',
        source: `${reference}-vedtak`,
      },
    ],
    [
      reference,
      3,
      {
        date: '2017-07-03',
        direction: 'inn',
        kind: 'acceptance',
        party: { name: 'Kari Nordmann', kind: 'person' },
        title: 'Akseptskjema fra kari.nordmann@vinje.kommune.no',
        source: 'mailroom/inbox/aksept.pdf@v1',
      },
    ],
    [
      other,
      1,
      {
        date: '2017-04-12',
        direction: 'inn',
        kind: 'application',
        party: { name: 'Tokke kommune', kind: 'organisation' },
        title: 'Søknad om tilskot',
        source: 'mailroom/inbox/tokke.pdf@v1',
      },
    ],
  ];

  test('each entry once at its case and number: a retry changes nothing, another document on a taken number is refused', async () => {
    const { registerInJournal, readCaseJournal: readActivity } = journal();
    for (const [caseId, number, registration] of entries) {
      const entry: JournalEntry = await activity().run(registerInJournal, { caseId, number, registration });
      assert.deepEqual(entry, { ...registration, caseId, number });
    }
    const [caseId, number, registration] = entries[1]!;
    const retried: JournalEntry = await activity().run(registerInJournal, {
      caseId,
      number,
      registration: { ...registration, title: 'Another title on a retry' },
    });
    assert.equal(retried.title, 'Vedtak om tilskudd v/ Kari Nordmann', 'the first entry stands');
    await assert.rejects(
      activity().run(registerInJournal, {
        caseId,
        number,
        registration: { ...registration, source: 'something-else' },
      }),
      (error: unknown) =>
        error instanceof ApplicationFailure && error.nonRetryable && error.type === 'JournalNumberTaken',
    );
    const kept: JournalEntry[] = await activity().run(readActivity, reference);
    assert.deepEqual(
      kept.map((e) => [e.number, e.kind]),
      [
        [1, 'application'],
        [2, 'letter'],
        [3, 'acceptance'],
      ],
    );
    assert.deepEqual(await readCaseJournal(minioOnly.minio, bucket(), other), [
      { ...entries[3]![2], caseId: other, number: 1 },
    ]);
  });

  test('the archive gets every name; the public journal screens persons and e-mail addresses; a date range', async () => {
    // The case record names the contact person, whom the public journal screens wherever a title names her.
    await writeJson(minioOnly.minio, bucket(), caseRecordKey(reference), {
      application: { contact: { name: 'Kari Nordmann' } },
    });
    const archive = await exportJournal(minioOnly.minio, bucket());
    assert.equal(archive.entries.length, 4);
    const lines = archive.csv.slice(1).trimEnd().split('\r\n');
    assert.equal(lines[0], 'Saksnummer;Løpenummer;Dokumentnummer;Dato;Retning;Dokumenttype;Avsender/mottaker;Tittel');
    assert.equal(
      lines[4],
      `${reference};3;${reference}/3;2017-07-03;inn;Aksept;Kari Nordmann;Akseptskjema fra kari.nordmann@vinje.kommune.no`,
    );

    const open = await exportJournal(minioOnly.minio, bucket(), { public: true });
    assert.doesNotMatch(open.csv, /Kari|Nordmann|@/);
    assert.match(open.csv, /Vedtak om tilskudd v\/ \[skjermet\]/);
    assert.match(open.csv, /;Aksept;\[skjermet\];Akseptskjema fra \[skjermet\]/);
    assert.match(open.csv, /Vinje kommune/, 'organisations stay');

    const june = await exportJournal(minioOnly.minio, bucket(), { from: '2017-04-11', to: '2017-06-30' });
    assert.deepEqual(
      june.entries.map((e) => `${e.caseId}/${e.number}`),
      [`${other}/1`, `${reference}/2`],
    );
  });

  test('grant-intake journal export --public --from --to writes the public CSV', async () => {
    const out = join(dir, 'journal.csv');
    const { stderr } = await run(
      process.execPath,
      [
        new URL('../bin/grant-intake.js', import.meta.url).pathname,
        'journal',
        'export',
        '--public',
        '--from',
        '2017-06-01',
        '--to',
        '2017-07-31',
        '--out',
        out,
        '--actor',
        'arkivar-anne',
      ],
      {
        env: {
          PATH: process.env.PATH,
          GRANT_INTAKE_DATA_DIR: dir,
          MINIO_ENDPOINT: `http://127.0.0.1:${minioOnly.config.minio.localPort}`,
          MINIO_ACCESS_KEY: minioOnly.config.minio.accessKey,
          MINIO_SECRET_KEY: minioOnly.config.minio.secretKey,
        },
      },
    );
    assert.match(stderr, /2 entries/);
    const csv = await readFile(out, 'utf8');
    assert.match(csv, /SAK-7F3A9C21\/3;2017-07-03;inn;Aksept;\[skjermet\]/);
    assert.doesNotMatch(csv, /Nordmann/);

    // The export is in the access log, as a download from the review app is: who, which variant, which dates.
    const logged: AccessEntry[] = [];
    for await (const object of minioOnly.minio.listObjectsV2(bucket(), accessLogPrefix(), true))
      logged.push(AccessEntrySchema.parse(await readJson(minioOnly.minio, bucket(), object.name!)));
    assert.deepEqual(
      logged.map(({ user, role, what, path, export: scope }) => ({ user, role, what, path, scope })),
      [
        {
          user: 'arkivar-anne',
          role: 'cli',
          what: 'export',
          path: 'grant-intake journal export',
          scope: { variant: 'public', from: '2017-06-01', to: '2017-07-31' },
        },
      ],
    );
  });
});
