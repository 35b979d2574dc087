/**
 * Every format an application arrives in, made for real (Word through the docx package, PDF through pdfkit, the rest
 * through LibreOffice, poppler and the scan simulation) from one filled form, and read back through `extractText`
 * and the form reader: the type comes from the content, and the fields come out as the applicant wrote them.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { loadSchemes } from '../config/schemes.ts';
import { extractDocuments } from '../extraction/documents.ts';
import { htmlToLines } from '../extraction/parsers/html-text.ts';
import { convertWithLibreOffice, type LibreOfficeTarget } from '../extraction/libreoffice.ts';
import { readApplication } from '../extraction/read-application.ts';
import { isUsableTextLayer } from '../extraction/text-layer.ts';
import { extractText } from '../extraction/text.ts';
import { sniffDocument } from '../extraction/document-type.ts';
import { fillForm } from '../fixtures/forms.ts';
import { draftApplication, type ApplicationDraft } from '../fixtures/ground-truth.ts';
import { Random } from '../fixtures/random.ts';
import { renderDocx } from '../fixtures/render-docx.ts';
import { renderFormPdf } from '../fixtures/render-pdf.ts';
import { scanPdf } from '../fixtures/scan.ts';
import { buildEml, mimeTypes } from './support/documents.ts';
import type { Application } from '../schemas/application.ts';
import type { Scheme } from '../schemas/scheme.ts';

const run = promisify(execFile);

let dir: string;
let schemes: Scheme[];
let draft: ApplicationDraft;
let docx: Buffer;
let pdf: Buffer;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'grant-intake-formats-'));
  schemes = await loadSchemes();
  const random = Random.for(2017, 4);
  draft = draftApplication(
    random,
    schemes.find((s) => s.id === 'kompetanse-innovasjon-2017')!,
  );
  const form = fillForm(draft, random);
  docx = await renderDocx(form);
  pdf = await renderFormPdf(form);
  await writeFile(join(dir, 'soknad.docx'), docx);
  await writeFile(join(dir, 'soknad.pdf'), pdf);
});
after(() => rm(dir, { recursive: true, force: true }));

/** The form read from a document's text, with the scheme detected from it. */
function read(text: Parameters<typeof readApplication>[0]): Application {
  return readApplication(text, schemes).application;
}

async function converted(target: LibreOfficeTarget): Promise<Buffer> {
  await convertWithLibreOffice([join(dir, 'soknad.docx')], target, dir, 120_000);
  return readFile(join(dir, `soknad.${target}`));
}

/** Fields a scan must get right: who applies, for what and how much. */
function keyFields(application: Application) {
  return {
    schemeId: application.schemeId,
    name: application.applicant?.name,
    organisationNumber: application.applicant?.organisationNumber,
    title: application.project?.title,
    amountRequested: application.budget?.amountRequested,
  };
}

describe('digital formats read to the ground truth', () => {
  test('.docx through mammoth', async () => {
    const text = await extractText(docx);
    assert.equal(text.type, 'docx');
    assert.equal(text.method, 'text');
    assert.deepEqual(read(text), draft.truth);
  });

  test('PDF with a text layer, page by page', async () => {
    const text = await extractText(pdf);
    assert.equal(text.type, 'pdf');
    assert.equal(text.method, 'text');
    assert.deepEqual(
      text.pages.map((page) => page.number),
      text.pages.map((_, i) => i + 1),
    );
    assert.deepEqual(read(text), draft.truth);
  });

  for (const [target, type] of [
    ['doc', 'doc'],
    ['odt', 'odt'],
    ['rtf', 'rtf'],
    ['pdf', 'pdf'],
  ] as const) {
    test(`${target === 'pdf' ? 'a PDF exported by a word processor' : `.${target}`} (made by LibreOffice)`, async () => {
      const bytes = await converted(target);
      const text = await extractText(bytes);
      assert.equal(text.type, type);
      assert.equal(text.method, 'text');
      assert.deepEqual(read(text), draft.truth);
    });
  }

  test('a file name says nothing: a PDF named .docx is read as a PDF', async () => {
    const [part] = await extractDocuments(pdf, 'soknad.docx');
    assert.equal(part?.text?.type, 'pdf');
  });
});

describe('legacy Word files that the .doc reader cannot take are read through LibreOffice', () => {
  // Apache POI's test files (Apache License 2.0, see test/fixtures/legacy-word/LICENSE-NOTE.md).
  const legacy = (name: string) => readFile(new URL(`fixtures/legacy-word/${name}`, import.meta.url));
  for (const [name, words] of [
    ['Bug49933.doc', ['Компания Аскат М', 'Алиготе']],
    ['52117.doc', ['Установка Microsoft Word 6.0']],
    ['word2.doc', ['Member of 3GPP (ARIB)', 'Nokia Japan Co, Ltd']],
  ] as const) {
    test(`${name} gives its text`, async () => {
      const text = await extractText(await legacy(name));
      assert.equal(text.type, 'doc');
      for (const expected of words)
        assert.ok(
          text.pages[0]!.text.includes(expected),
          `${name}: «${expected}» in ${JSON.stringify(text.pages[0]!.text.slice(0, 200))}`,
        );
    });
  }
});

describe('scans are read by OCR', () => {
  test('an image-only PDF (printed, signed, scanned: skewed and noisy)', async () => {
    const scan = await scanPdf(pdf, Random.for(2017, 99));
    const text = await extractText(scan);
    assert.equal(text.type, 'pdf');
    assert.equal(text.method, 'ocr');
    for (const page of text.pages)
      assert.ok(page.confidence! > 0.6 && page.confidence! <= 1, `page ${page.number} confidence ${page.confidence}`);
    assert.deepEqual(keyFields(read(text)), keyFields(draft.truth));
  });

  test("a phone's photo of the printed page (perspective, the table around it, shadow, soft focus)", async () => {
    const photo = await scanPdf(pdf, Random.for(2017, 99), 'photo');
    const text = await extractText(photo);
    assert.equal(text.method, 'ocr');
    assert.deepEqual(keyFields(read(text)), keyFields(draft.truth));
    // A photo's words are never read as certain: the engine is as sure of a misread digit as of the rest.
    for (const page of text.pages)
      for (const confidence of page.wordConfidences!.flat()) assert.ok(confidence <= 0.9, `a word at ${confidence}`);
  });

  test('a fax: 150 dpi black and white, with specks and streaks', async () => {
    const fax = await scanPdf(pdf, Random.for(2017, 98), 'fax');
    const text = await extractText(fax);
    assert.equal(text.method, 'ocr');
    assert.deepEqual(keyFields(read(text)), keyFields(draft.truth));
  });

  for (const device of ['png', 'jpeg', 'tiff'] as const) {
    test(`a ${device.toUpperCase()} image of the first page`, async () => {
      const base = join(dir, `page-${device}`);
      await run('pdftoppm', [
        '-r',
        '200',
        '-gray',
        '-f',
        '1',
        '-l',
        '1',
        '-singlefile',
        `-${device}`,
        join(dir, 'soknad.pdf'),
        base,
      ]);
      const bytes = await readFile(`${base}.${device === 'jpeg' ? 'jpg' : device === 'tiff' ? 'tif' : 'png'}`);
      const text = await extractText(bytes);
      assert.equal(text.type, device);
      assert.equal(text.method, 'ocr');
      const application = read(text);
      assert.equal(application.schemeId, draft.truth.schemeId);
      assert.equal(application.applicant?.organisationNumber, draft.truth.applicant?.organisationNumber);
    });
  }
});

describe('an e-mail is its attachments', () => {
  test('.eml: each attachment read as its own document, with the e-mail’s date, sender, subject and message-id', async () => {
    const eml = buildEml(
      {
        from: 'Postmottak Vinje <post@vinje.kommune.no>',
        to: 'fmtepost@fylkesmannen.no',
        subject: 'Søknad om kompetansetilskudd',
        date: 'Mon, 10 Apr 2017 09:12:00 +0200',
        messageId: '<soknad-2017-04-10@vinje.kommune.no>',
      },
      'Vedlagt er søknaden vår.',
      [
        { fileName: 'soknad.docx', contentType: mimeTypes.docx, bytes: docx },
        { fileName: 'budsjett.pdf', contentType: mimeTypes.pdf, bytes: pdf },
      ],
    );
    assert.deepEqual(sniffDocument(eml), { kind: 'email' });
    const parts = await extractDocuments(eml, 'innsending.eml');
    assert.deepEqual(
      parts.map((part) => [part.file, part.text?.type]),
      [
        ['innsending.eml › soknad.docx', 'docx'],
        ['innsending.eml › budsjett.pdf', 'pdf'],
      ],
    );
    for (const part of parts) {
      assert.deepEqual(part.email, {
        date: '2017-04-10T07:12:00.000Z',
        from: '"Postmottak Vinje" <post@vinje.kommune.no>',
        subject: 'Søknad om kompetansetilskudd',
        messageId: '<soknad-2017-04-10@vinje.kommune.no>',
      });
      assert.deepEqual(read(part.text!), draft.truth);
    }
  });
});

describe('text helpers', () => {
  test('Word HTML: a table row is one line of tab-separated cells; a cell’s paragraphs follow on their own lines', () => {
    const html =
      '<h1>Søknadsskjema</h1><p>Fyll ut &amp; send</p><table><tr><td><p>Søker (kommune)</p></td><td><p>Vinje kommune</p></td></tr>' +
      '<tr><td><p>Samarbeidspartnere</p></td><td><p>Tokke kommune</p><p>Sykehuset Telemark HF</p></td></tr><tr><td></td><td></td></tr></table>' +
      '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>';
    assert.equal(
      htmlToLines(html),
      [
        'Søknadsskjema',
        'Fyll ut & send',
        'Søker (kommune)\tVinje kommune',
        'Samarbeidspartnere\tTokke kommune\nSykehuset Telemark HF',
        '<script>alert(1)</script>',
      ].join('\n'),
    );
  });

  test('a text layer is usable when it reads as text; none, stray characters or glyph garbage mean a scan', () => {
    assert.equal(
      isUsableTextLayer([
        { text: 'Søknadsskjema – Kommunalt kompetanse- og innovasjonstilskudd 2017\nSøker (kommune): Vinje kommune' },
      ]),
      true,
    );
    assert.equal(isUsableTextLayer([{ text: '' }, { text: ' \n ' }]), false);
    assert.equal(isUsableTextLayer([{ text: 'Skannet 10.04.2017' }]), false);
    assert.equal(isUsableTextLayer([{ text: '\uE001\uE002\uE003 \uE004\uE005 '.repeat(20) }]), false);
    assert.equal(
      isUsableTextLayer([{ text: 'Sbnmkf Qrtzlp Vwxcb Hjkdfg Bnmrt Plkjhg Zxcvb Mnbvcx Trwqp '.repeat(3) }]),
      false,
    );
  });
});
