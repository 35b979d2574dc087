import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { extractText } from '../extraction/text.ts';
import { readAcceptance, readReport } from '../extraction/follow-up-reader.ts';
import {
  acceptanceForm,
  appealLetter,
  followUpStyle,
  reportForm,
  supplementLetter,
  type FollowUpFacts,
} from '../fixtures/follow-up.ts';
import { renderDocx, renderTextDocx } from '../fixtures/render-docx.ts';
import { renderFormPdf, renderTextPdf } from '../fixtures/render-pdf.ts';
import { scanPdf, scannerAvailable } from '../fixtures/scan.ts';
import { loadSchemes } from '../config/schemes.ts';
import { fillForm } from '../fixtures/forms.ts';
import { draftApplication } from '../fixtures/ground-truth.ts';
import { writeLetter } from '../fixtures/letters.ts';
import { Random } from '../fixtures/random.ts';
import { renderLetterPdf } from '../letters/pdf.ts';
import {
  bankAccountCheckDigit,
  formatBankAccount,
  isValidBankAccount,
  normaliseBankAccount,
} from '../schemas/bank-account.ts';
import { composeDecisionLetter } from '../schemas/decision-letter.ts';
import { recogniseIncoming } from '../schemas/follow-up-kind.ts';
import { vinjeLetterFacts } from './support/letter-case.ts';

const facts: FollowUpFacts = {
  reference: 'SAK-7F3A9C21',
  applicant: 'Vinje kommune',
  organisationNumber: '964964998',
  bankAccount: '97100500004',
  signer: 'Kari Nordmann',
  signerRole: 'rådmann',
  place: 'Vinje',
  signedOn: '2017-07-03',
  amountGranted: 1_250_000,
  amountSpent: 1_180_000,
  period: { start: '2017-08-01', end: '2018-03-31' },
  goalsReached: ['Alle 24 assistentane i heimetenesta har fullført kurset.', 'Fagdagen om demens samla 60 tilsette.'],
  decisionDate: '2017-06-12',
  amountRequested: 1_400_000,
};

const onePage = (text: string) => ({ pages: [{ number: 1, text }] });
const schemes = await loadSchemes();

describe('bank account numbers (MOD11, weights 5,4,3,2,7,6,5,4,3,2)', () => {
  test('the check digit is what the weights give; a remainder of 10 has none', () => {
    assert.equal(bankAccountCheckDigit('9710050000'), 4);
    assert.equal(bankAccountCheckDigit('2610205712'), undefined);
    assert.ok(isValidBankAccount('97100500004'));
    assert.ok(!isValidBankAccount('97100500005'), 'one digit off fails the check');
    assert.ok(!isValidBankAccount('97100500040'), 'two digits swapped fail the check');
  });

  test('the three ways applicants write it give the same eleven digits; anything else gives none', () => {
    for (const written of ['9710.05.00004', '9710 05 00004', '97100500004'])
      assert.equal(normaliseBankAccount(written), '97100500004', written);
    for (const written of ['9710.0500004', '971.005.00004', '9710 05 0000', '9710-05-00004'])
      assert.equal(normaliseBankAccount(written), undefined, written);
    assert.equal(formatBankAccount('97100500004'), '9710.05.00004');
  });
});

describe('recognising what comes to a decided case, by its content', () => {
  test('an e-mail that says «Vi aksepterer» with an account and a name is an acceptance, with the phrases and their lines', () => {
    const mail = onePage(
      'Hei!\nVi aksepterer tilskuddet i sak SAK-7F3A9C21.\nKontonummer: 9710 05 00004\nMed vennlig hilsen\nKari Nordmann',
    );
    const recognised = recogniseIncoming(mail);
    assert.equal(recognised.kind, 'acceptance');
    assert.deepEqual(
      recognised.evidence.map(({ phrase, line }) => [phrase, line]),
      [
        ['Vi aksepterer', 2],
        ['aksepterer tilskuddet', 2],
        ['Kontonummer', 3],
      ],
    );
    const read = readAcceptance(mail);
    assert.equal(read.bankAccount, '97100500004');
    assert.equal(read.signer, 'Kari Nordmann');
  });

  test('an appeal in either standard, from its subject line or its first-person statement', () => {
    for (const text of [
      'Emne: Klage på vedtak i sak SAK-7F3A9C21',
      'Vi klagar på vedtaket om tilskot.\nDet er feil.',
      'Kommunen ynskjer å klaga.\nVi viser til klagefristen.',
      'Klage – SAK-7F3A9C21',
    ]) {
      assert.equal(recogniseIncoming(onePage(text)).kind, 'appeal', text);
    }
  });

  test('applications sent again (forms and letters of every scheme, language and layout) are plain supplements', () => {
    for (let seed = 0; seed < 100; seed++) {
      const random = Random.for(2017, seed);
      const draft = draftApplication(random, random.pick(schemes));
      const form = fillForm(draft, random);
      const formText = [
        ...form.title,
        ...form.intro,
        ...form.sections.flatMap((s) => [s.heading, ...s.rows.map((r) => `${r.label}\t${r.lines.join('\n')}`)]),
        ...form.closing,
      ].join('\n');
      for (const text of [formText, writeLetter(draft).paragraphs.join('\n')]) {
        const recognised = recogniseIncoming(onePage(text));
        assert.equal(recognised.kind, 'supplement', `seed ${seed}: ${JSON.stringify(recognised.evidence)}`);
      }
    }
  });

  test('«Dere kan klage», «Klagerett» and an annual report are not an appeal or a grant report', () => {
    for (const text of [
      'Klagerett\nDere kan klage på vedtaket, jf. forvaltningsloven § 28.',
      'Årsrapport 2016 – helse og omsorg i Vinje kommune\nTjenestene har i 2016 hatt stabil bemanning.',
      'Ettersending til SAK-7F3A9C21\nVedlagt er budsjettet.',
    ]) {
      assert.equal(recogniseIncoming(onePage(text)).kind, 'supplement', text);
    }
  });
});

describe('the readers on fixtures read back through extractText', { timeout: 240_000 }, () => {
  for (const language of ['nb', 'nn'] as const) {
    for (const [format, layout] of [
      ['docx', 'table'],
      ['pdf', 'colon'],
      ['pdf', 'stacked'],
    ] as const) {
      test(`an acceptance form (${language}, ${format}, ${layout}) is an acceptance: account, signer, date and reference read`, async () => {
        const form = acceptanceForm(facts, language, followUpStyle(layout));
        const text = await extractText(format === 'docx' ? await renderDocx(form) : await renderFormPdf(form));
        const recognised = recogniseIncoming(text);
        assert.equal(recognised.kind, 'acceptance', JSON.stringify(recognised.scores));
        assert.ok(
          recognised.evidence.some((e) => e.role === 'title' && e.line <= 2),
          "the form's title is the evidence",
        );
        const read = readAcceptance(text);
        assert.deepEqual(
          {
            reference: read.caseReference,
            account: read.bankAccount,
            organisation: read.organisationNumber,
            signer: read.signer,
            signedOn: read.signedOn,
            findings: read.findings,
          },
          {
            reference: facts.reference,
            account: facts.bankAccount,
            organisation: facts.organisationNumber,
            signer: facts.signer,
            signedOn: facts.signedOn,
            findings: [],
          },
        );
      });

      test(`a report form (${language}, ${format}, ${layout}) is a report: money spent, goals and period read`, async () => {
        const form = reportForm(facts, language, followUpStyle(layout));
        const text = await extractText(format === 'docx' ? await renderDocx(form) : await renderFormPdf(form));
        assert.equal(recogniseIncoming(text).kind, 'report');
        const read = readReport(text);
        assert.equal(read.caseReference, facts.reference);
        assert.equal(read.amountSpent, facts.amountSpent);
        assert.deepEqual(read.period, facts.period);
        assert.equal(read.goalsReached, facts.goalsReached.join(' '));
        assert.deepEqual(read.findings, []);
      });
    }

    test(`an appeal letter (${language}, PDF and Word) is an appeal quoting its case`, async () => {
      for (const bytes of [
        await renderTextPdf(appealLetter(facts, language)),
        await renderTextDocx(appealLetter(facts, language)),
      ]) {
        const text = await extractText(bytes);
        const recognised = recogniseIncoming(text);
        assert.equal(recognised.kind, 'appeal');
        assert.ok(recognised.evidence.some((e) => e.role === 'title' && e.text.includes(facts.reference)));
        assert.ok(recognised.evidence.some((e) => e.role === 'statement'));
      }
    });
  }

  test('an acceptance with a mistyped account, or none, and no signature gets findings in Bokmål', async () => {
    const style = followUpStyle('colon');
    const mistyped = readAcceptance(
      await extractText(await renderFormPdf(acceptanceForm(facts, 'nb', style, '9710.05.00005'))),
    );
    assert.equal(mistyped.bankAccount, undefined);
    assert.equal(mistyped.bankAccountWritten, '9710.05.00005');
    assert.deepEqual(
      mistyped.findings.map((f) => [f.code, f.severity, f.message]),
      [
        [
          'bank-account-invalid',
          'error',
          'Kontonummeret 9710.05.00005 er ikke gyldig (kontrollsifferet stemmer ikke). Be søkeren om riktig kontonummer.',
        ],
      ],
    );
    const unsigned = readAcceptance(
      await extractText(await renderFormPdf(acceptanceForm({ ...facts, signer: '' }, 'nb', style, null))),
    );
    assert.deepEqual(
      unsigned.findings.map((f) => f.code),
      ['bank-account-missing', 'signature-missing'],
    );
    assert.match(unsigned.findings[0]!.message, /mangler kontonummeret/);
  });

  test('a plain supplement and the decision letter sent back are neither acceptance, report nor appeal', async () => {
    const scheme = schemes.find((s) => s.id === 'kompetanse-innovasjon-2017')!;
    const supplement = await extractText(await renderTextPdf(supplementLetter(facts)));
    assert.equal(recogniseIncoming(supplement).kind, 'supplement');
    for (const standard of ['nb', 'nn'] as const) {
      const letter = composeDecisionLetter(
        scheme,
        { kind: 'approved-in-full', amountGranted: 1_400_000, conditionIds: ['rapportering'], extraConditions: [] },
        { reference: facts.reference, ...vinjeLetterFacts(standard) },
      );
      const recognised = recogniseIncoming(await extractText(await renderLetterPdf(letter)));
      assert.equal(recognised.kind, 'supplement', `${standard}: ${JSON.stringify(recognised.scores)}`);
    }
  });

  test(
    'scanned on paper (OCR): an acceptance and a report are recognised and read alike',
    { skip: !scannerAvailable() && 'no pdftoppm for the scan simulation' },
    async () => {
      const acceptance = await extractText(
        await scanPdf(await renderFormPdf(acceptanceForm(facts, 'nb', followUpStyle('colon'))), Random.for(2017, 1)),
      );
      assert.equal(acceptance.method, 'ocr');
      assert.equal(recogniseIncoming(acceptance).kind, 'acceptance');
      const read = readAcceptance(acceptance);
      assert.deepEqual(
        [read.bankAccount, read.signer, read.signedOn, read.caseReference, read.findings],
        [facts.bankAccount, facts.signer, facts.signedOn, facts.reference, []],
      );
      const report = await extractText(
        await scanPdf(await renderFormPdf(reportForm(facts, 'nn', followUpStyle('colon'))), Random.for(2017, 2)),
      );
      assert.equal(recogniseIncoming(report).kind, 'report');
      const readBack = readReport(report);
      assert.deepEqual(
        [readBack.amountSpent, readBack.period, readBack.caseReference],
        [facts.amountSpent, facts.period, facts.reference],
      );
    },
  );

  test('a report without the money spent or the goals gets findings', () => {
    const read = readReport(
      onePage('Rapport for tilskudd\nSaksnummer: SAK-7F3A9C21\nPeriode: 01.08.2017 – 31.03.2018'),
    );
    assert.deepEqual(
      read.findings.map((f) => f.code),
      ['report-spent-missing', 'report-goals-missing'],
    );
  });
});
