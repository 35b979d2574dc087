import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { loadSchemes } from '../config/schemes.ts';
import { renderLetterPdf } from '../letters/pdf.ts';
import { composeFollowUpLetter, type FollowUpDetails } from '../schemas/follow-up-letter.ts';
import { FollowUpLetterKindSchema, LetterTemplateSchema, type FollowUpLetterKind } from '../schemas/letter-template.ts';
import { defaultLetterTemplates } from '../schemas/letter-texts.ts';
import { vinjeLetterFacts } from './support/letter-case.ts';

const run = promisify(execFile);
const competence = (await loadSchemes()).find((s) => s.id === 'kompetanse-innovasjon-2017')!;
const reference = 'SAK-7F3A9C21';

/** Vinje's grant of kr 1 250 000 (decided 12.06.2017) as each follow-up letter sees it. */
const details: Record<FollowUpLetterKind, FollowUpDetails> = {
  'acceptance-reminder': {
    decisionDate: '2017-06-12',
    amountGranted: 1_250_000,
    acceptDeadline: '2017-07-03',
    newDeadline: '2017-07-17',
  },
  'report-reminder': { decisionDate: '2017-06-12', amountGranted: 1_250_000 },
  'report-overdue': { decisionDate: '2017-06-12', amountGranted: 1_250_000 },
  'report-more': {
    decisionDate: '2017-06-12',
    amountGranted: 1_250_000,
    newDeadline: '2018-05-02',
    explanation: 'Regnskapet viser ikke hva reisekostnadene på kr 180 000 gikk til.',
  },
  'claim-back': {
    decisionDate: '2017-06-12',
    amountGranted: 1_250_000,
    amountPaid: 1_250_000,
    amountClaimed: 70_000,
    paymentDeadline: '2018-06-01',
    explanation: 'Rapporten viser at kr 70 000 av tilskuddet ikke er brukt.',
  },
  'appeal-changed': {
    decisionDate: '2017-06-12',
    amountGranted: 1_400_000,
    previousAmount: 1_250_000,
    appealReceived: '2017-07-03',
    explanation: 'Reisekostnadene er nødvendige for at hele kommunen kan delta.',
  },
  'appeal-upheld': {
    decisionDate: '2017-06-12',
    amountGranted: 1_250_000,
    appealReceived: '2017-07-03',
    explanation: 'Klagen gir ingen nye opplysninger som endrer vurderingen.',
  },
};

/** What each letter must say, as a reader of the PDF finds it (whitespace folded). */
const says: Record<FollowUpLetterKind, Record<'nb' | 'nn', RegExp[]>> = {
  'acceptance-reminder': {
    nb: [/Påminnelse om aksept av tilskudd/, /Ny frist for aksept 17\.07\.2017/, /var 03\.07\.2017/],
    nn: [/Påminning om aksept av tilskot/, /innan 17\.07\.2017/],
  },
  'report-reminder': {
    nb: [/Påminnelse om rapport/, /Rapporteringsfristen for tilskuddet på kr 1 250 000 er 01\.04\.2018/],
    nn: [/Påminning om rapport/, /Rapporteringsfristen for tilskotet på kr 1 250 000 er 01\.04\.2018/],
  },
  'report-overdue': {
    nb: [/Rapporteringsfristen er ute/, /var 01\.04\.2018\. Fristen er ute/, /Saken er sendt til saksbehandleren/],
    nn: [/Rapporteringsfristen er ute/, /var 01\.04\.2018\. Fristen er ute/, /Saka er send til saksbehandlaren/],
  },
  'report-more': {
    nb: [/Rapporten er mangelfull/, /reisekostnadene på kr 180 000/, /innen 02\.05\.2018/],
    nn: [/Rapporten er mangelfull/, /Vi treng fleire opplysningar/, /innan 02\.05\.2018/],
  },
  'claim-back': {
    nb: [/krever tilbake kr 70 000/, /innen 01\.06\.2018/, /Klagerett/, /kr 70 000 av tilskuddet ikke er brukt/],
    nn: [/krev tilbake kr 70 000/, /innan 01\.06\.2018/, /Klagerett/],
  },
  'appeal-changed': {
    nb: [/endrer vedtaket/, /tilskudd på kr 1 400 000/, /Tidligere innvilget beløp var kr 1 250 000/, /Klagerett/],
    nn: [/endrar vedtaket/, /tilskot på kr 1 400 000/, /Klagerett/],
  },
  'appeal-upheld': {
    nb: [/Klagen er sendt til Helsedirektoratet/, /mottatt 03\.07\.2017/, /kan ikke påklages/],
    nn: [/Klagen er send til Helsedirektoratet/, /motteken 03\.07\.2017/],
  },
};

describe('the letters after a decision', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'grant-intake-follow-up-letters-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function pdfText(pdf: Buffer, name: string): Promise<string> {
    const file = join(dir, `${name}.pdf`);
    await writeFile(file, pdf);
    const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    return stdout.replace(/\s+/g, ' ');
  }

  for (const kind of FollowUpLetterKindSchema.options) {
    for (const standard of ['nb', 'nn'] as const) {
      test(`${kind} (${standard}) renders as a PDF whose text says what it must, quoting the case`, async () => {
        LetterTemplateSchema.parse(defaultLetterTemplates[standard][kind]);
        const letter = composeFollowUpLetter(
          competence,
          kind,
          { reference, ...vinjeLetterFacts(standard), date: '2017-07-04' },
          details[kind],
        );
        assert.equal(letter.kind, kind);
        assert.match(letter.letterId, /^SAK-7F3A9C21-[a-z-]+$/);
        const text = await pdfText(await renderLetterPdf(letter), `${kind}-${standard}`);
        assert.match(text, /Fylkesmannen i Telemark/);
        assert.match(text, new RegExp(`${reference}.*${reference}`), 'the reference in the head and the text');
        assert.match(text, /vedtaket vårt av 12\.06\.2017/);
        for (const phrase of says[kind][standard]) assert.match(text, phrase);
        assert.doesNotMatch(text, /[{}]/, 'no placeholder left');
        assert.match(letter.email.subject, new RegExp(reference));
      });
    }
  }

  test('each letter has its own name in the case, and a letter without what its text names is not composed', () => {
    const ids = FollowUpLetterKindSchema.options.map(
      (kind) =>
        composeFollowUpLetter(competence, kind, { reference, ...vinjeLetterFacts('nb') }, details[kind]).letterId,
    );
    assert.equal(new Set(ids).size, ids.length);
    assert.throws(
      () =>
        composeFollowUpLetter(
          competence,
          'claim-back',
          { reference, ...vinjeLetterFacts('nb') },
          { decisionDate: '2017-06-12', amountGranted: 1 },
        ),
      /missing amountPaid, amountClaimed, paymentDeadline, explanation/,
    );
  });
});
