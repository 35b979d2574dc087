import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { loadSchemes } from '../config/schemes.ts';
import { readForm, type ReadableText } from '../extraction/form-reader.ts';
import { readApplication } from '../extraction/read-application.ts';
import { withDictionaryWords } from '../extraction/form/dictionary.ts';
import { withFormWords, withoutStrayMarks } from '../extraction/form/vocabulary.ts';
import { isValidOrganisationNumber } from '../schemas/organisation-number.ts';
import type { FieldPath } from '../schemas/application.ts';
import { valueAt } from '../schemas/rules/fields.ts';
import type { Scheme } from '../schemas/scheme.ts';

let schemes: Scheme[];
const scheme = (id: string) => schemes.find((candidate) => candidate.id === id)!;
before(async () => {
  schemes = await loadSchemes();
});

const digital = (...pages: string[]): ReadableText => ({ pages: pages.map((text, i) => ({ number: i + 1, text })) });

type Layout = 'tab' | 'space' | 'colon' | 'colon-less' | 'stacked';
const layouts: Layout[] = ['tab', 'space', 'colon', 'colon-less', 'stacked'];

/** One row as each layout prints it: a Word table row, PDF text of a table, `Label: value`, label above value. */
function row(layout: Layout, label: string, value: string): string {
  switch (layout) {
    case 'tab':
      return `${label}\t${value}`;
    case 'space':
    case 'colon-less':
      return `${label} ${value}`;
    case 'colon':
      return `${label}: ${value}`;
    case 'stacked':
      return `${label}\n${value}`;
  }
}

/** A form whose sections hold the given rows, with numbered headings. */
function form(layout: Layout, sections: Partial<Record<1 | 2 | 3 | 4, Array<[string, string]>>>): string {
  const headings = { 1: '1 Opplysninger om søker', 2: '2 Om tiltaket', 3: '3 Økonomi', 4: '4 Underskrift' };
  return ([1, 2, 3, 4] as const)
    .flatMap((section) =>
      sections[section] ? [headings[section], ...sections[section].map(([l, v]) => row(layout, l, v))] : [],
    )
    .join('\n');
}

describe('labels', () => {
  /** Every label variant of SPEC §2 (Bokmål, Nynorsk, abbreviations), the section it is in, and what it reads. */
  const variants: Array<[1 | 2 | 3 | 4, string, string, Record<string, unknown>]> = [
    [1, 'Søker (kommune)', 'Vinje kommune', { 'applicant.name': 'Vinje kommune' }],
    [1, 'Søkjar (kommune)', 'Vinje kommune', { 'applicant.name': 'Vinje kommune' }],
    [1, 'Organisasjonsnummer', '964 964 998', { 'applicant.organisationNumber': '964964998' }],
    [1, 'Org.nr.', '964964998', { 'applicant.organisationNumber': '964964998' }],
    [1, 'Kommunenummer', '0834', { 'applicant.municipalityNumber': '0834' }],
    [1, 'Postadresse', 'Vinjevegen 192', { 'applicant.address': 'Vinjevegen 192' }],
    [1, 'Postnummer og sted', '3890 Vinje', { 'applicant.postalCode': '3890', 'applicant.postalPlace': 'Vinje' }],
    [1, 'Postnummer og stad', '3890 Vinje', { 'applicant.postalCode': '3890', 'applicant.postalPlace': 'Vinje' }],
    [1, 'Kontaktperson', 'Kari Nordmann', { 'contact.name': 'Kari Nordmann' }],
    [1, 'Stilling', 'Kommunalsjef helse', { 'contact.role': 'Kommunalsjef helse' }],
    [1, 'E-post', 'Kari.Nordmann@vinje.kommune.no', { 'contact.email': 'kari.nordmann@vinje.kommune.no' }],
    [1, 'E-postadresse', 'kari.nordmann@vinje.kommune.no', { 'contact.email': 'kari.nordmann@vinje.kommune.no' }],
    [1, 'Telefon', '35 06 20 00', { 'contact.phone': '35062000' }],
    [1, 'Tlf.', '+47 35062000', { 'contact.phone': '35062000' }],
    [
      1,
      'Samarbeidspartnere',
      'Tokke kommune, Sykehuset Telemark HF',
      { partners: ['Tokke kommune', 'Sykehuset Telemark HF'] },
    ],
    [1, 'Samarbeidspartnarar', 'Tokke kommune', { partners: ['Tokke kommune'] }],
    [2, 'Tiltakets navn', 'Kompetanseløft', { 'project.title': 'Kompetanseløft' }],
    [2, 'Prosjektnavn', 'Kompetanseløft', { 'project.title': 'Kompetanseløft' }],
    [2, 'Namn på tiltaket', 'Kompetanseløft', { 'project.title': 'Kompetanseløft' }],
    [2, 'Prosjektnamn', 'Kompetanseløft', { 'project.title': 'Kompetanseløft' }],
    [2, 'Kort beskrivelse av tiltaket', 'Kurs for tilsette.', { 'project.summary': 'Kurs for tilsette.' }],
    [2, 'Kort skildring av tiltaket', 'Kurs for tilsette.', { 'project.summary': 'Kurs for tilsette.' }],
    [2, 'Målgruppe', 'Tilsette i heimetenesta', { 'project.targetGroup': 'Tilsette i heimetenesta' }],
    [2, 'Periode', '15.08.2017 – 30.06.2018', { 'project.startDate': '2017-08-15', 'project.endDate': '2018-06-30' }],
    [2, 'Startdato', '15.8.17', { 'project.startDate': '2017-08-15' }],
    [2, 'Sluttdato', '30. juni 2018', { 'project.endDate': '2018-06-30' }],
    [2, 'Antall deltakere', '12', { 'project.participants': 12 }],
    [2, 'Tal på deltakarar', '12 deltakarar', { 'project.participants': 12 }],
    [3, 'Totale kostnader', 'kr 1 600 000,-', { 'budget.totalCost': 1_600_000 }],
    [3, 'Egenfinansiering', '350.000', { 'budget.ownFunding': 350_000 }],
    [3, 'Eigenfinansiering', 'NOK 350000', { 'budget.ownFunding': 350_000 }],
    [3, 'Annen finansiering', '0', { 'budget.otherFunding': 0 }],
    [3, 'Anna finansiering', '0', { 'budget.otherFunding': 0 }],
    [3, 'Søknadsbeløp', '1 250 000 kr', { 'budget.amountRequested': 1_250_000 }],
    [3, 'Omsøkt beløp', '1 250 000', { 'budget.amountRequested': 1_250_000 }],
    [3, 'Søknadssum', '1 250 000', { 'budget.amountRequested': 1_250_000 }],
    [4, 'Sted', 'Rauland', { 'signature.place': 'Rauland' }],
    [4, 'Stad', 'Rauland', { 'signature.place': 'Rauland' }],
    [4, 'Dato', '10.04.2017', { 'signature.date': '2017-04-10' }],
    [4, 'Underskrift (navn)', 'Ola Nordmann', { 'signature.name': 'Ola Nordmann' }],
    [4, 'Underskrift (namn)', 'Ola Nordmann', { 'signature.name': 'Ola Nordmann' }],
  ];

  /** A whole form around the variant under test: the first variant of every other row. */
  function formWith(layout: Layout, variant: (typeof variants)[number]): string {
    const [, , , fields] = variant;
    const seen = new Set<string>(Object.keys(fields));
    const rows = variants.filter((other) => {
      const paths = Object.keys(other[3]);
      if (other !== variant && paths.some((path) => seen.has(path))) return false;
      paths.forEach((path) => seen.add(path));
      return true;
    });
    const sections: Partial<Record<1 | 2 | 3 | 4, Array<[string, string]>>> = {};
    for (const [section, label, value] of rows) (sections[section] ??= []).push([label, value]);
    return form(layout, sections);
  }

  for (const layout of layouts) {
    test(`every label variant in the ${layout} layout`, () => {
      for (const variant of variants) {
        const [, label, , expected] = variant;
        const { application, provenance } = readForm(digital(formWith(layout, variant)), undefined);
        for (const [path, want] of Object.entries(expected)) {
          assert.deepEqual(valueAt(application, path as FieldPath), want, `${label} (${layout}) → ${path}`);
          assert.equal(provenance[path as FieldPath]?.confidence, 1, `${label} (${layout}) confidence`);
        }
      }
    });
  }

  test('labels are matched whatever their case, and with a space before the colon', () => {
    const { application } = readForm(
      digital('SØKER (KOMMUNE) : Vinje kommune\norganisasjonsnummer: 964964998'),
      undefined,
    );
    assert.equal(application.applicant?.name, 'Vinje kommune');
    assert.equal(application.applicant?.organisationNumber, '964964998');
  });

  test('section headings numbered or not, and no headings at all', () => {
    for (const headings of [
      ['1 Opplysninger om søker', '4 Underskrift'],
      ['1. Opplysningar om søkjar', '4. Underskrift'],
      ['Opplysninger om søker', 'Underskrift'],
      ['', ''],
    ]) {
      const text = [
        headings[0],
        'Søker (kommune): Seljord kommune',
        'Stilling: Rådgjevar',
        headings[1],
        'Dato: 10.04.2017',
        'Stilling: rådmann',
      ]
        .filter(Boolean)
        .join('\n');
      const { application } = readForm(digital(text), undefined);
      assert.equal(application.contact?.role, 'Rådgjevar', headings.join(' / '));
      assert.equal(application.signature?.role, 'rådmann', headings.join(' / '));
    }
  });
});

describe('Stilling', () => {
  test('section 1 gives the contact role, section 4 the signer role', () => {
    for (const layout of layouts) {
      const text = form(layout, {
        1: [
          ['Kontaktperson', 'Kari Nordmann'],
          ['Stilling', 'Kommunalsjef helse'],
          ['E-post', 'kari@vinje.kommune.no'],
        ],
        4: [
          ['Underskrift (navn)', 'Ola Nordmann'],
          ['Stilling', 'rådmann'],
        ],
      });
      const { application } = readForm(digital(text), undefined);
      assert.equal(application.contact?.role, 'Kommunalsjef helse', layout);
      assert.equal(application.signature?.role, 'rådmann', layout);
    }
  });

  test('a contact without Stilling does not lend the signer role to the contact', () => {
    const text = form('colon', {
      1: [['Kontaktperson', 'Kari Nordmann']],
      4: [
        ['Dato', '10.04.2017'],
        ['Stilling', 'rådmann'],
      ],
    });
    const { application } = readForm(digital(text), undefined);
    assert.equal(application.contact?.role, undefined);
    assert.equal(application.signature?.role, 'rådmann');
  });

  test('the signer role is still found when the section 4 heading is missing, a little less surely', () => {
    const text = [
      'Kontaktperson: Kari Nordmann',
      'Stilling: Rådgiver',
      'Underskrift (navn): Ola Nordmann',
      'Stilling: rådmann',
    ].join('\n');
    const { application, provenance } = readForm(digital(text), undefined);
    assert.equal(application.contact?.role, 'Rådgiver');
    assert.equal(application.signature?.role, 'rådmann');
    assert.ok(provenance['signature.role']!.confidence < 1);
  });
});

describe('checkboxes', () => {
  const kompetanse = () => scheme('kompetanse-innovasjon-2017');
  const categoryOf = (text: string, id = 'kompetanse-innovasjon-2017') =>
    readForm(digital(`2 Om tiltaket\n${text}`), scheme(id)).application.project?.category;

  test('☒ and ☐', () => {
    assert.equal(categoryOf('Kategori:\n☐ Grunnutdanning\n☒ Videreutdanning\n☐ Etterutdanning'), 'videreutdanning');
  });
  test('[X] and [ ]', () => {
    assert.equal(categoryOf('Kategori\n[ ] Grunnutdanning\n[ ] Videreutdanning\n[x] Etterutdanning'), 'etterutdanning');
  });
  test('an X before the chosen item only', () => {
    assert.equal(categoryOf('Kategori:\nGrunnutdanning\nVidereutdanning\nX Innovasjonsprosjekt'), 'innovasjon');
  });
  test('only the chosen item written out, in Nynorsk', () => {
    assert.equal(categoryOf('Kategori: Vidareutdanning'), 'videreutdanning');
    assert.equal(categoryOf('Kategori: Opplæring i brukarstyrt personleg assistanse (BPA)'), 'bpa-opplaering');
  });
  test('boxes after their items, as PDF text of Word forms has them', () => {
    assert.equal(
      categoryOf('Kategori:\nGrunnutdanning\t☐\nVidareutdanning\t☐\nEtterutdanning\t☒\nInnovasjonsprosjekt\t☐'),
      'etterutdanning',
    );
  });
  test('options of the frisklivs and pårørende schemes come from their own data', () => {
    assert.equal(
      categoryOf('Kategori: ☐ Oppstart av nytt tilbod ☒ Vidareutvikling av eksisterande tilbod', 'parorende-2017'),
      'videreutvikling',
    );
    assert.equal(categoryOf('Kategori\tOppstart av nytt tilbud', 'frisklivs-laering-mestring-2017'), 'oppstart');
  });
  test('nothing is chosen when no box is ticked, two are, or every item is listed without marks', () => {
    assert.equal(categoryOf('Kategori:\n☐ Grunnutdanning\n☐ Videreutdanning'), undefined);
    assert.equal(categoryOf('Kategori:\n☒ Grunnutdanning\n☒ Videreutdanning'), undefined);
    assert.equal(
      categoryOf('Kategori: Oppstart av nytt tilbud\nVidereutvikling av eksisterende tilbud', 'parorende-2017'),
      undefined,
    );
  });
  test('without a scheme the categories cannot be told, and the row is reported unread', () => {
    const reading = readForm(digital('Kategori: ☒ Videreutdanning'), undefined);
    assert.equal(reading.application.project?.category, undefined);
    assert.deepEqual(
      reading.unread.map((row) => row.field),
      ['project.category'],
    );
  });

  const subGoalsOf = (text: string) => readForm(digital(`2 Om tiltaket\n${text}`), kompetanse()).application.subGoals;
  test('sub-goals in each style, Bokmål and Nynorsk, with wrapped texts', () => {
    assert.deepEqual(
      subGoalsOf(
        'Delmål tiltaket bygger opp under:\n☒ 1. Sterkere brukerinnflytelse og bedre samspill med pårørende, frivillige og\nlokalsamfunnet.\n☐ 2. Forebygge og utsette behov for kompenserende tjenester\n☒ 3. Styrket lederkompetanse, fagutvikling\n☐ 4. Etisk refleksjon og kunnskapsbasert praksis.',
      ),
      [1, 3],
    );
    assert.deepEqual(
      subGoalsOf(
        'Delmål tiltaket byggjer opp under\n[ ] 1. Sterkare brukarinnverknad\n[X] 2. Førebyggje og utsetje behov\n[ ] 3. Styrkt leiarkompetanse\n[X] 4. Etisk refleksjon',
      ),
      [2, 4],
    );
    assert.deepEqual(
      subGoalsOf(
        'Delmål tiltaket bygger opp under\n1. Sterkere brukerinnflytelse\nX 2. Forebygge og utsette\n3. Styrket lederkompetanse\n4. Etisk refleksjon',
      ),
      [2],
    );
    assert.deepEqual(subGoalsOf('Delmål tiltaket bygger opp under: 1 og 3'), [1, 3]);
    assert.deepEqual(
      subGoalsOf(
        'Delmål tiltaket byggjer opp under:\n2. Førebyggje og utsetje behov for kompenserande tenester\n4. Etisk refleksjon og kunnskapsbasert praksis.',
      ),
      [2, 4],
    );
    assert.deepEqual(subGoalsOf('Delmål tiltaket bygger opp under\nEtisk refleksjon og kunnskapsbasert praksis.'), [4]);
  });
  test('a sub-goal number the scheme does not have is not read', () => {
    assert.equal(subGoalsOf('Delmål tiltaket bygger opp under: 2, 7'), undefined);
  });

  const planOf = (text: string) =>
    readForm(digital(`2 Om tiltaket\n${text}`), scheme('parorende-2017')).application.hasOverarchingPlan;
  test('the overarching plan question, Ja or Nei in every style', () => {
    const question = 'Har kommunen en overordnet plan for systematisk arbeid med pårørende?';
    assert.equal(planOf(`${question} ☒ Ja    ☐ Nei`), true);
    assert.equal(planOf(`${question}\n[ ] Ja [X] Nei`), false);
    assert.equal(planOf(`${question} Ja    X Nei`), false);
    assert.equal(planOf(`${question}\tJa`), true);
    assert.equal(planOf('Har kommunen ein overordna plan for systematisk arbeid med pårørande?: Nei'), false);
    // Word's symbol font puts the boxes after both words in PDF text.
    assert.equal(planOf(`${question}: Ja Nei\t☐ ☒`), false);
    // A label wrapped in a narrow column: its words continue on the next lines.
    assert.equal(planOf('Har kommunen en overordnet plan ☒ Ja ☐ Nei\nfor systematisk arbeid med\npårørende?'), true);
  });
});

describe('free text', () => {
  test('a description over several lines with colons ends at the next label', () => {
    for (const layout of ['colon', 'stacked', 'tab', 'space'] as const) {
      const text = [
        '2 Om tiltaket',
        row(layout, 'Kort beskrivelse av tiltaket', 'Tiltaket skal gi ansatte kompetanse.'),
        'Mål: bedre kvalitet i tjenestene.',
        'Innhold: fire samlinger kl. 10:00–15:00, og veiledning.',
        row(layout, 'Målgruppe', 'Ansatte i hjemmetjenesten'),
      ].join('\n');
      const { application, provenance } = readForm(digital(text), undefined);
      assert.equal(
        application.project?.summary,
        'Tiltaket skal gi ansatte kompetanse. Mål: bedre kvalitet i tjenestene. Innhold: fire samlinger kl. 10:00–15:00, og veiledning.',
        layout,
      );
      assert.equal(application.project?.targetGroup, 'Ansatte i hjemmetjenesten', layout);
      assert.equal(provenance['project.summary']?.source.split('\n').length, layout === 'stacked' ? 4 : 3, layout);
    }
  });

  test('free text ends at a section heading, and a wrapped line starting with a label word is not a label', () => {
    const text = [
      '2 Om tiltaket',
      'Målgruppe: Eldre som bor hjemme og deres pårørende på hvert',
      'sted i kommunen, og frivillige',
      '3 Økonomi',
      'Totale kostnader 500 000',
    ].join('\n');
    const { application } = readForm(digital(text), undefined);
    assert.equal(
      application.project?.targetGroup,
      'Eldre som bor hjemme og deres pårørende på hvert sted i kommunen, og frivillige',
    );
    assert.equal(application.signature?.place, undefined);
    assert.equal(application.budget?.totalCost, 500_000);
  });

  test('partners one per line until the next heading', () => {
    const text =
      '1 Opplysninger om søker\nSamarbeidspartnarar:\nTokke kommune\nSykehuset Telemark HF\n2 Om tiltaket\nPrjosjekt';
    assert.deepEqual(readForm(digital(text), undefined).application.partners, [
      'Tokke kommune',
      'Sykehuset Telemark HF',
    ]);
  });
});

describe('rows and values', () => {
  test('an empty row stays absent and does not take the next label as its value', () => {
    for (const layout of layouts) {
      const text =
        form(layout, { 1: [['Kontaktperson', 'Kari Nordmann']] }).replace('Kari Nordmann', '') + '\nTelefon: 35062000';
      const { application } = readForm(digital(text.replace(/\t$/m, '')), undefined);
      assert.equal(application.contact?.name, undefined, layout);
      assert.equal(application.contact?.phone, '35062000', layout);
    }
  });

  test('a line that is another label (Vedlegg:) is not part of a one-line value', () => {
    const { application } = readForm(
      digital('4 Underskrift\nStilling: rådmann\nVedlegg: budsjett og prosjektplan.'),
      undefined,
    );
    assert.equal(application.signature?.role, 'rådmann');
  });

  test('a value that cannot be made sense of stays absent and is reported', () => {
    const { application, unread } = readForm(
      digital('3 Økonomi\nTotale kostnader: ca. en million\nDato: 31.02.2017'),
      undefined,
    );
    assert.equal(application.budget, undefined);
    assert.deepEqual(
      unread.map(({ field, source }) => [field, source]),
      [
        ['budget.totalCost', 'Totale kostnader: ca. en million'],
        ['signature.date', 'Dato: 31.02.2017'],
      ],
    );
  });

  test('page footers between pages do not end up in values', () => {
    const { application, provenance } = readForm(
      digital(
        '2 Om tiltaket\nKort beskrivelse av tiltaket: Første del av teksten',
        'Side 1 av 2\nandre del.\nMålgruppe: Eldre',
      ),
      undefined,
    );
    assert.equal(application.project?.summary, 'Første del av teksten andre del.');
    assert.equal(provenance['project.summary']?.page, 1);
    assert.equal(provenance['project.targetGroup']?.page, 2);
  });
});

describe('provenance', () => {
  const text = [
    '1 Opplysninger om søker',
    'Søker (kommune): Vinje kommune',
    'Organisasjonsnummer: 964 964 998',
    'Kontaktperson: Kari Nordmann',
    'Telefon: 35 06 20 00',
    'E-post: kari@vinje.kommune.no',
    'Postadresse: Vinjevegen 192',
    'Kommunenummer: 0834',
    'Postnummer og sted: 3890 Vinje',
  ].join('\n');

  test('digital text: method form, the page, the source line, and full confidence for exact labels and clean values', () => {
    const { provenance } = readForm(digital('Søknadsskjema', text), undefined);
    assert.deepEqual(provenance['applicant.organisationNumber'], {
      method: 'form',
      page: 2,
      source: 'Organisasjonsnummer: 964 964 998',
      confidence: 1,
    });
  });

  test('OCR text: method ocr+form, confidence scaled by the page, misread labels found less surely', () => {
    const ocr: ReadableText = {
      method: 'ocr',
      pages: [{ number: 1, text: text.replace('Organisasjonsnummer', 'Organisasjonsnurnmer'), confidence: 92 }],
    };
    const { application, provenance } = readForm(ocr, undefined);
    assert.equal(application.applicant?.organisationNumber, '964964998');
    assert.equal(provenance['applicant.name']?.method, 'ocr+form');
    assert.ok(provenance['applicant.name']!.confidence <= 0.92 && provenance['applicant.name']!.confidence > 0.8);
    assert.ok(provenance['applicant.organisationNumber']!.confidence < 0.8);
  });

  test('OCR text: specks, table rules and boxes read as letters do not end up in values', () => {
    const text = [
      'Søknadsskjema',
      '1. Opplysninger om søker |',
      'Søkjar (kommune) | Sauherad kommune',
      'Kontaktperson: Å Kari Nordmann',
      'Telefon: 35570663 |',
      'E-post: kari.nordmannesauherad.kommuné.no',
      'Side Lav 1',
      '2. Om tiltaket',
      'Kategori: XI Oppstart av nytt tilbud',
      'Videreutvikling av eksisterende tilbud',
      'Har kommunen en overordnet plan for systematisk arbeid med pårørende?: Ja KXNei',
      '3. Økonomi',
      "Annen finansiering '0",
      'Totale kostnader: 1 160000',
    ].join('\n');
    const { application, provenance } = readForm(
      { method: 'ocr', pages: [{ number: 1, text, confidence: 0.93 }] },
      scheme('parorende-2017'),
    );
    assert.deepEqual(application, {
      schemeId: 'parorende-2017',
      applicant: { name: 'Sauherad kommune' },
      contact: { name: 'Kari Nordmann', phone: '35570663', email: 'kari.nordmann@sauherad.kommune.no' },
      project: { category: 'oppstart' },
      hasOverarchingPlan: false,
      budget: { otherFunding: 0, totalCost: 1_160_000 },
    });
    assert.equal(provenance['contact.phone']?.source, 'Telefon: 35570663 |');
    assert.ok(provenance['contact.email']!.confidence < 0.5);
  });

  test("OCR text: a fax's broken l read as ! and a footer with specks in it stay out of the values", () => {
    const text = [
      'Søknadsskjema',
      '1. Opplysninger om søker',
      'Søker (kommune): Nisseda! kommune',
      'Målgruppe: Personar med demens og pårørande ti! dei',
      'Side 1.av-2',
      '4. Underskrift',
      'Stilling: Helse- og omsorgssjef',
      'Side 2,av 2',
    ].join('\n');
    const { application } = readForm({ method: 'ocr', pages: [{ number: 1, text, confidence: 0.93 }] }, undefined);
    assert.equal(application.applicant?.name, 'Nissedal kommune');
    assert.equal(application.project?.targetGroup, 'Personar med demens og pårørande til dei');
    assert.equal(application.signature?.role, 'Helse- og omsorgssjef');
  });

  test("OCR text: a scan's usual misreadings of labels, headings and values are read through, less surely", () => {
    const text = [
      'Søknadsskjema',
      '1. Opplysninger om søker',
      'Søker (kommune):\tVoss kommurie',
      'Org.nr.:\t954144054.',
      'Postnummer og stéd: 5700 Voss',
      'Telefon —\t35972961',
      '2..Om tiltaket',
      'Tiltakets navn:\t"Lærings- 09 mestringstilbud',
      'Målgruppe:\tPersoner med demens og deres pårørende',
      'Har kommunen en overor! dnet plan for systematisk arbeid med pårørende? ☐ Ja ☒ Nei',
      'Antall deltakere::56 deltakere',
      '3. Økonomi',
      'Annen finansiering:\tO kr',
      '4. Underskrift',
      '.Dato: 272.17',
      'Stilling: rådmann.',
    ].join('\n');
    const { application, provenance } = readForm(
      { method: 'ocr', pages: [{ number: 1, text, confidence: 0.95 }] },
      scheme('parorende-2017'),
    );
    assert.deepEqual(application, {
      schemeId: 'parorende-2017',
      applicant: { name: 'Voss kommune', organisationNumber: '954144054', postalCode: '5700', postalPlace: 'Voss' },
      contact: { phone: '35972961' },
      project: {
        title: 'Lærings- og mestringstilbud',
        targetGroup: 'Personer med demens og deres pårørende',
        participants: 56,
      },
      hasOverarchingPlan: false,
      budget: { otherFunding: 0 },
      signature: { date: '2017-02-27', role: 'rådmann' },
    });
    for (const path of [
      'applicant.name',
      'applicant.organisationNumber',
      'budget.otherFunding',
      'signature.date',
      'signature.role',
    ] as const) {
      assert.ok(provenance[path]!.confidence < 0.9, `${path} is repaired, so less sure`);
    }
  });

  test('OCR text: a misread label wrapped in its table cell, specks in free text', () => {
    const text = [
      '2. Om tiltaket',
      'Kort beskrivelse av tiltaket:\tTiltaket skal gi ansatte økt kompetanse gjennom. kurs og',
      'veiledning. Evaluering: spørreundersøkelse blant deltakerne',
      'Har komnmiunen en overordnet\tXjJa Nei',
      'plan for systematisk arbeid',
      'med pårørende?:.',
      'Periode:\t25.6.17 - 13.1218',
    ].join('\n');
    const { application } = readForm(
      { method: 'ocr', pages: [{ number: 1, text, confidence: 0.95 }] },
      scheme('parorende-2017'),
    );
    assert.deepEqual(application, {
      schemeId: 'parorende-2017',
      project: {
        summary:
          'Tiltaket skal gi ansatte økt kompetanse gjennom kurs og veiledning. Evaluering: spørreundersøkelse blant deltakerne',
        startDate: '2017-06-25',
        endDate: '2018-12-13',
      },
      hasOverarchingPlan: true,
    });
  });

  test('digital text means what it says: no OCR repairs', () => {
    const text = ['3 Økonomi', 'Annen finansiering: O kr', '4 Underskrift', 'Dato: 272.17', 'Stilling: rådmann.'].join(
      '\n',
    );
    const { application } = readForm(digital(text), undefined);
    assert.deepEqual(application, { schemeId: null, signature: { role: 'rådmann.' } });
  });

  test('a document with only a stray label or two (a letter, an invoice) gets low confidence', () => {
    const { application, provenance, labelsFound } = readForm(
      digital('FAKTURA\nOrg.nr. 987 654 321\nDato: 12.03.2017'),
      undefined,
    );
    assert.equal(labelsFound, 2);
    assert.equal(application.signature?.date, '2017-03-12');
    assert.ok(provenance['signature.date']!.confidence < 0.5);
  });
});

/** A line of a scan, with the engine's confidence in each of its words (0.95 each when not given). */
type ScannedLine = readonly [text: string, words?: readonly number[]];

/** A scanned page as OCR gives it: the page's mean confidence and, per line, the engine's confidence in each word. */
function scanned(lines: readonly ScannedLine[]): ReadableText {
  const confidences = lines.map(([text, words]) => [...(words ?? text.split(/[ \t]+/u).map(() => 0.95))]);
  const all = confidences.flat();
  return {
    method: 'ocr',
    pages: [
      {
        number: 1,
        text: lines.map(([text]) => text).join('\n'),
        confidence: all.reduce((sum, c) => sum + c, 0) / all.length,
        wordConfidences: confidences,
      },
    ],
  };
}

/** The first lines of a scanned Telemark form: its title, then the applicant's rows. */
const telemarkScan = (rows: readonly ScannedLine[]) =>
  scanned([
    ['Søknad om kompetanse- og innovasjonstilskudd 2017'],
    ['1. Opplysninger om søker'],
    ['Søker (kommune):\tVinje kommune'],
    ...rows,
  ]);

describe("scans of a county's template: narrow label cells and boxes the engine read as letters", () => {
  test('a label whose bracketed qualifier wrapped under it (`Søker` / `(kommune):`) is still the label', () => {
    const text = scanned([
      ['Søknadsskjema - Kommunalt kompetanse- og'],
      ['innovasjonstilskudd 2017'],
      ['Opplysninger om Søker'],
      ['Søker\tNome kommune'],
      ['(kommune):'],
      ['Org.nr.:\t946 885 231'],
      ['Kommunenumme 0819'],
      ['r:'],
    ]);
    const { application } = readForm(text, scheme('kompetanse-innovasjon-2017'));
    assert.deepEqual(application.applicant, {
      name: 'Nome kommune',
      organisationNumber: '946885231',
      municipalityNumber: '0819',
    });
  });

  test('a label wrapped over seven lines with the answer in the cell beside its first line', () => {
    const text = scanned([
      ['2. Om tiltaket'],
      ['Målgruppe\tUngdom og unge vaksne med psykiske helseutfordringar'],
      ['Har\tO Ja ☒ Nei'],
      ['kommunen'],
      ['ein overordna'],
      ['plan for'],
      ['systematisk'],
      ['arbeid med'],
      ['pårørande?'],
      ['Startdato 2017-07-28'],
    ]);
    const { application } = readForm(text, scheme('parorende-2017'));
    assert.equal(application.project?.targetGroup, 'Ungdom og unge vaksne med psykiske helseutfordringar');
    assert.equal(application.hasOverarchingPlan, false);
    assert.equal(application.project?.startDate, '2017-07-28');
  });

  test('empty boxes read as O or [ mark the options they stand before; the one without is the ticked one', () => {
    for (const lines of [
      ['Kategori\tOppstart av nytt tilbod', 'O Vidareutvikling av eksisterande tilbod'],
      ['Kategori:', 'Oppstart av nytt tilbud', '[ Videreutvikling av eksisterende tilbud'],
    ]) {
      const text = scanned([['2. Om tiltaket'], ...lines.map((line): ScannedLine => [line])]);
      const { application } = readForm(text, scheme('parorende-2017'));
      assert.equal(application.project?.category, 'oppstart', lines.join(' / '));
    }
  });

  test("an e-mail address alone on its line, its label lost in a photo's shadow, is the contact's e-mail", () => {
    const rows = (address: ScannedLine): ScannedLine[] => [
      ['Kontaktperson: —\tAnne Lise Kasin Kleiv'],
      ['stilling: ——\tAvdelingssykepleier'],
      address,
      ['Telefon:\t+47 35349883'],
    ];
    const lost = readForm(telemarkScan(rows(['Anne.Kleiv@seljord.kommune.no'])), scheme('parorende-2017'));
    assert.equal(lost.application.contact?.role, 'Avdelingssykepleier');
    assert.equal(lost.application.contact?.email, 'anne.kleiv@seljord.kommune.no');
    assert.equal(lost.application.contact?.phone, '35349883');
    // Its label unread, it is less sure than the same address after its label.
    const labelled = readForm(telemarkScan(rows(['E-post:\tAnne.Kleiv@seljord.kommune.no'])), scheme('parorende-2017'));
    assert.equal(labelled.application.contact?.email, 'anne.kleiv@seljord.kommune.no');
    assert.ok(lost.provenance['contact.email']!.confidence < labelled.provenance['contact.email']!.confidence);
  });

  test("a label's first word alone on its line (`Postnummer` / `og sted:`) is the label when its other words follow", () => {
    const text = scanned([
      ['1. Opplysninger om søker'],
      ['Postadresse:\tSentrumsvegen 5'],
      ['Postnummer 3748 Siljan'],
      ['og sted:'],
      ['Fylke:\tTelemark'],
    ]);
    const { application } = readForm(text, undefined);
    assert.equal(application.applicant?.address, 'Sentrumsvegen 5');
    assert.equal(application.applicant?.postalCode, '3748');
    assert.equal(application.applicant?.postalPlace, 'Siljan');
    // Without its other words on the next line, the first word is no label: it stays part of the value above.
    const alone = readForm(
      scanned([['1. Opplysninger om søker'], ['Postadresse:\tPostboks 56 Postnummer 6863 Leikanger'], ['Fylke: Sogn']]),
      undefined,
    );
    assert.equal(alone.application.applicant?.postalCode, undefined);
  });

  test('a label wrapped over three lines with the value beside each of them, and an e-mail label cut at its hyphen', () => {
    const text = scanned([
      ['1. Opplysninger om søker'],
      ['Stilling:\tKommunalsjef helse og omsorg'],
      ['E-\tkjersti.vestol@siljan.kommune.no'],
      ['postadresse:'],
      ['Tlf.:\t478 74 137'],
      ['2. Om tiltaket'],
      ['Kort\tTilbudet skal være gratis for deltakerne og gis både på dagtid og.'],
      ['beskrivelse av kveldstid.'],
      ['tiltaket:\tInnhold: fire samlinger.'],
      ['Målgruppe:\tPersoner med demens'],
    ]);
    const { application } = readForm(text, undefined);
    assert.equal(application.contact?.role, 'Kommunalsjef helse og omsorg');
    assert.equal(application.contact?.email, 'kjersti.vestol@siljan.kommune.no');
    assert.equal(application.contact?.phone, '47874137');
    // A speck read as a full stop after `og` at the line's end goes; the sentence goes on on the next line.
    assert.equal(
      application.project?.summary,
      'Tilbudet skal være gratis for deltakerne og gis både på dagtid og kveldstid. Innhold: fire samlinger.',
    );
    assert.equal(application.project?.targetGroup, 'Personer med demens');
    // The label's words are taken from the label's cell only: `tiltaket.` beside it is the text's own.
    const besideLabel = scanned([
      ['2. Om tiltaket'],
      ['Kort\tEvaluering: spørreundersøkelse før og etter'],
      ['beskrivelse av\ttiltaket. Tilbudet skal være gratis'],
      ['tiltaket:\tfor deltakerne.'],
      ['Målgruppe:\tPersoner med demens'],
    ]);
    assert.equal(
      readForm(besideLabel, undefined).application.project?.summary,
      'Evaluering: spørreundersøkelse før og etter tiltaket. Tilbudet skal være gratis for deltakerne.',
    );
  });

  test('a ticked box before an answer misread beyond finding (`☒ fa ☐ Nei`) ticks the one answer not found', () => {
    const plan = (answer: string) =>
      readForm(
        scanned([
          ['2. Om tiltaket'],
          ['Har kommunen ein overordna plan for systematisk arbeid med pårørande?:'],
          [answer],
          ['Periode:\tfrå 11.08.2017 til 30.04.2019'],
        ]),
        scheme('parorende-2017'),
      ).application.hasOverarchingPlan;
    assert.equal(plan('☒ fa ☐ Nei'), true);
    assert.equal(plan('☐ Ja ☒ Hei'), false);
    // Both boxes empty, or the found answer's box ticked: no guess about the other.
    assert.equal(plan('☐ fa ☐ Nei'), undefined);
    assert.equal(plan('☐ fa ☒ Nei'), false);
  });

  test("a wrapped question's last word with its ring (`pårørende?`) ends the label; a footer `Side 2av2.` is no value", () => {
    const text = scanned([
      ['2 Om tiltaket'],
      ['Målgruppe\tPårørende med krevende omsorgsoppgaver'],
      ['Har kommunen en overordnet plan\tNei'],
      ['for systematisk arbeid med'],
      ['pårørende?'],
      ['4 Underskrift'],
      ['Stilling:'],
      ['Helse- og omsorgssjef'],
      ['Side 2av2.'],
    ]);
    const { application } = readForm(text, scheme('parorende-2017'));
    assert.equal(application.hasOverarchingPlan, false);
    assert.equal(application.signature?.role, 'Helse- og omsorgssjef');
  });

  test('a ring the scan added (`Krågerø`) goes when the document has the word without it, read more surely', () => {
    const text = scanned([
      ['1. Opplysninger om søker'],
      ['Søker (kommune):\tKragerø kommune', [0.97, 0.96, 0.97, 0.96]],
      ['Kontaktperson:\tHåkon Lia', [0.97, 0.95, 0.96]],
      ['4. Underskrift'],
      ['Sted:\tKrågerø', [0.96, 0.91]],
      ['Underskrift (navn):\tHåkon Lia', [0.96, 0.96, 0.96, 0.96]],
    ]);
    const { application } = readForm(text, undefined);
    assert.equal(application.signature?.place, 'Kragerø');
    // A name the document nowhere spells without its ring keeps it.
    assert.equal(application.signature?.name, 'Håkon Lia');
  });

  test("the applicant's name beside a label whose qualifier wrapped, its last word beside the qualifier", () => {
    const text = scanned([
      ['1. Opplysninger om søker'],
      ['Søker Nome'],
      ['(kommune): kommune'],
      ['Org.nr.:\t946 885 231'],
    ]);
    assert.equal(readForm(text, undefined).application.applicant?.name, 'Nome kommune');
  });

  test("a label whose m's the engine read as two letters (`Kommunenumnmier`) is that label, less surely", () => {
    for (const label of ['Kommunenumnmier:', 'Kommunenurnmer']) {
      const text = scanned([['1. Opplysninger om søker'], ['Søkjar (konimune) Voss kommune'], [`${label} 1235`]]);
      const { application, provenance } = readForm(text, undefined);
      assert.equal(application.applicant?.name, 'Voss kommune');
      assert.equal(application.applicant?.municipalityNumber, '1235', label);
      assert.ok(provenance['applicant.municipalityNumber']!.confidence < 0.9);
    }
  });

  test("a box's edge before a label (`[ Søknadssum:`) does not hide the label", () => {
    const text = scanned([['3. Økonomi'], ['Anna finansiering:\t43 000 kr'], ['[ Søknadssum:\t243 000 kr']]);
    assert.equal(readForm(text, undefined).application.budget?.amountRequested, 243_000);
  });

  test("a position under a person's name whose label the scan lost is the position, not the name's second line", () => {
    const text = scanned([
      ['1. Opplysninger om søker'],
      ['Kontaktperson:\tKari Nordmann'],
      ['Rådgiver'],
      ['kari.nordmann@vinje.kommune.no'],
      ['Telefon:\t35 06 20 00'],
      ['4. Underskrift'],
      ['Underskrift (namn) Bjørn Øverland'],
      ['Kommunalsjef'],
    ]);
    const { application, provenance } = readForm(text, undefined);
    assert.deepEqual(application.contact, {
      name: 'Kari Nordmann',
      role: 'Rådgiver',
      email: 'kari.nordmann@vinje.kommune.no',
      phone: '35062000',
    });
    assert.deepEqual(application.signature, { name: 'Bjørn Øverland', role: 'Kommunalsjef' });
    // Its label unread, the position is less sure than the name whose label was read.
    assert.ok(provenance['contact.role']!.confidence < provenance['contact.name']!.confidence);
    assert.ok(provenance['signature.role']!.confidence < provenance['signature.name']!.confidence);
  });

  test('a lone O at the start of a value that lists no options is a speck', () => {
    const text = scanned([['1. Opplysninger om søker'], ['Postadresse:\tO Brøløsvegen 13']]);
    assert.equal(readForm(text, undefined).application.applicant?.address, 'Brøløsvegen 13');
  });
});

describe('scanned labels and values: what the engine does to punctuation, accents and short words', () => {
  test("`og` read as 0, `;` for a colon, a ring on a label's a, specks after the colon, a label read twice", () => {
    const text = scanned([
      ['1. Opplysningar om søkjar'],
      ['Postnummer 0\t3840 Seljord'],
      ['stad'],
      ['Kontaktperson\tSolveig Haugland'],
      ['E-post;'],
      ['solveig.haugland@seljord.kommune.no'],
      ['Telefon:.-22 12 26 54'],
      ['3. Økonomi'],
      ['Annen finansiering:'],
      ['Annen finansiering:\tkr 470 000,-'],
      ['4. Underskrift'],
      ['Stad: Vossevangen', [0.95, 0.95]],
      ['Dåto: 2017-03-24'],
    ]);
    const { application } = readForm(text, undefined);
    assert.deepEqual(application.applicant, { postalCode: '3840', postalPlace: 'Seljord' });
    assert.deepEqual(application.contact, {
      name: 'Solveig Haugland',
      email: 'solveig.haugland@seljord.kommune.no',
      phone: '22122654',
    });
    assert.equal(application.budget?.otherFunding, 470_000);
    assert.deepEqual(application.signature, { place: 'Vossevangen', date: '2017-03-24' });
  });

  test('a day whose full stop was read as a colon', () => {
    const text = scanned([['2. Om tiltaket'], ['Periode: 16: juli 2017 - 31. august 2018']]);
    const { application } = readForm(text, undefined);
    assert.deepEqual(application.project, { startDate: '2017-07-16', endDate: '2018-08-31' });
  });

  test('specks read as punctuation between and before the words of free text go; a domain keeps its dots', () => {
    assert.equal(
      withoutStrayMarks(
        "Tilsette ved'sjukeheimane, Brukere.med BPA. Kurs i meistring av .depresjon: kurs: og rettleiing",
      ),
      'Tilsette ved sjukeheimane, Brukere med BPA. Kurs i meistring av depresjon: kurs og rettleiing',
    );
    assert.equal(
      withoutStrayMarks('Sjå www.vinje.kommune.no. Mål: betre tenester'),
      'Sjå www.vinje.kommune.no. Mål: betre tenester',
    );
  });

  test('a wrapped label cell with values beside each of its lines keeps them all; `Ingen` after a speck is no partner', () => {
    const text = scanned([
      ['Søknad om kompetanse- og innovasjonstilskudd 2017'],
      ['1. Opplysninger om søker'],
      ['Samarbeidspa. Ingen'],
      ['rtnere:'],
      ['2. Om tiltaket'],
      ['Delmål tiltaket\t☒ 1. Sterkare brukarinnverknad og betre samspel med pårørande,'],
      ['byggjer opp\tfrivillige og lokalsamfunnet.'],
      ['under\t☒ 2. Førebyggje og utsetje behov for kompenserande tenester og bidra'],
      ['til at brukarane held ved lag eller vinn att funksjonsevna og sjølvstendet sitt.'],
      ['☐ 3. Styrkt leiarkompetanse, fagutvikling, større fagleg breidd,'],
      ['☒ 4. Etisk refleksjon og kunnskapsbasert praksis.'],
    ]);
    const { application } = readForm(text, scheme('kompetanse-innovasjon-2017'));
    assert.deepEqual(application.subGoals, [1, 2, 4]);
    assert.deepEqual(application.partners, []);
  });

  test("free text put right by the form's own words: an added accent, a word split in two, a long word's é", () => {
    const vocabulary = new Set(['avlastning', 'spørreundersøkelse', 'veiledning']);
    assert.equal(
      withFormWords('Avlåstning og veiledning med spørreundersøk else. Brukeré får idé', vocabulary),
      'Avlastning og veiledning med spørreundersøkelse. Brukere får idé',
    );
    // Words the vocabulary does not know stay as read; short words are not joined (`og så` is not `også`).
    assert.equal(withFormWords('Samtålegrupper og så videre', new Set(['også'])), 'Samtålegrupper og så videre');
  });
});

describe('scanned free text put right by the Norwegian dictionaries', () => {
  const confidences = (...read: Array<[string, number]>) => new Map(read);

  test('a word the engine doubted becomes the one word a scan confusion or a lost last letter explains', () => {
    assert.equal(
      withDictionaryWords(
        'Tilbodet skal vere gratis for deltåkarane og givast både på dagtid og kveidstid.',
        confidences(['deltåkarane', 0.891], ['kveidstid', 0.84]),
        { sentences: true },
      ),
      'Tilbodet skal vere gratis for deltakarane og givast både på dagtid og kveldstid.',
    );
    assert.equal(
      withDictionaryWords(
        'Evåluering: spørreundersøkels blant deltakerne, persorilig assistanse',
        confidences(['Evåluering', 0.914], ['spørreundersøkels', 0.924], ['persorilig', 0.79]),
        { sentences: true },
      ),
      'Evaluering: spørreundersøkelse blant deltakerne, personlig assistanse',
    );
    assert.equal(
      withDictionaryWords('Samtålegrupper för unge pårørande', confidences(['Samtålegrupper', 0.83], ['för', 0.8]), {
        sentences: false,
      }),
      'Samtalegrupper for unge pårørande',
    );
    // A capital the engine set apart from its word.
    assert.equal(
      withDictionaryWords('Telemark fylkeskommune, N asjonalforeininga for folkehelsa', confidences(), {
        sentences: false,
      }),
      'Telemark fylkeskommune, Nasjonalforeininga for folkehelsa',
    );
  });

  test('a word read plainly, a name, a figure, an address and an unexplained misreading stay as read', () => {
    const unchanged = [
      // Read surely though no dictionary has it: the applicant's own word.
      ['Tiltaket heiter Helsebussprosjektet og kjem frå Tokke', confidences(['Helsebussprosjektet', 0.96])],
      // A compound whose short head the dictionaries leave out is a word, however doubtful.
      ['delast gjennom eit felles fagnettverk.', confidences(['fagnettverk', 0.8])],
      // Names inside a sentence keep their capital.
      ['i samarbeid med Telemark fylkeskommune og Kari Nordmann', confidences(['Telemark', 0.7], ['Kari', 0.7])],
      ['kontakt kari.nordmann@tokke.kommune.no eller 35 07 50 00', confidences()],
      // No single word explains it: left for the caseworker.
      ['gjennom kurs og vxqlening', confidences(['vxqlening', 0.5])],
    ] as const;
    for (const [text, read] of unchanged) assert.equal(withDictionaryWords(text, read, { sentences: true }), text);
  });

  test("a space after a word's hyphen before a capital is the engine's, not the text's", () => {
    assert.equal(
      withoutStrayMarks('Høgskolen i Sørøst- Norge og helse- og omsorgstenesta'),
      'Høgskolen i Sørøst-Norge og helse- og omsorgstenesta',
    );
  });

  test('a capital I inside a sentence, where only a small l makes a word, is that l', () => {
    assert.equal(
      withDictionaryWords('Voksne som trenger hjelp til å endre Ievevaner og Ivar', confidences(['Ievevaner', 0.97]), {
        sentences: true,
      }),
      'Voksne som trenger hjelp til å endre levevaner og Ivar',
    );
  });

  test('a capital inside a sentence on a common word is a misread small letter', () => {
    assert.equal(
      withDictionaryWords(
        'Voksne med kroniske Sykdommer som trenger hjelp. Tiltaket skal Gje tilsette Økt kompetanse',
        confidences(['Sykdommer', 0.96], ['Gje', 0.792], ['Økt', 0.943]),
        { sentences: true },
      ),
      'Voksne med kroniske sykdommer som trenger hjelp. Tiltaket skal gje tilsette økt kompetanse',
    );
    // After a colon only when the engine doubted it (`Mål: Bedre kvalitet` may be written so).
    assert.equal(
      withDictionaryWords(
        'Organisering: Prosjektgruppe med representanter. Mål: Bedre kvalitet',
        confidences(['Prosjektgruppe', 0.88], ['Bedre', 0.96]),
        { sentences: true },
      ),
      'Organisering: prosjektgruppe med representanter. Mål: Bedre kvalitet',
    );
    // A capital of another shape read surely stays; in a title or a list of partners every capital stays.
    assert.equal(
      withDictionaryWords('skal Gje tilsette', confidences(['Gje', 0.97]), { sentences: true }),
      'skal Gje tilsette',
    );
    assert.equal(
      withDictionaryWords('Avlastning og Veiledning', confidences(['Veiledning', 0.7]), { sentences: false }),
      'Avlastning og Veiledning',
    );
  });

  test("a scanned form read through: a summary, a wrapped label's last letters, an address's dots", () => {
    const text = scanned([
      ['1. Opplysninger om søkjar'],
      ['Søkjar (kommune): Hyllestad kommune'],
      ['Samarbeidspartnar —Pårørandesenteret', [0.911, 0.829]],
      ['ar:', [0.96]],
      ['E-post: sigrid. grostadehyllestad. kommune.no', [0.933, 0.924, 0.718, 0.924]],
      ['2. Om tiltaket'],
      [
        'Kort skildring av tiltaket: Evaluering: spørreundersøkels blant deltakarane før og etter tiltaket.',
        [0.95, 0.95, 0.95, 0.95, 0.95, 0.924, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95],
      ],
    ]);
    const { application } = readForm(text, undefined);
    assert.deepEqual(application.partners, ['Pårørandesenteret']);
    assert.equal(
      application.project?.summary,
      'Evaluering: spørreundersøkelse blant deltakarane før og etter tiltaket.',
    );
    // The `@` read as `e` is put back from the applicant's domain; the stops the engine set apart stay.
    assert.equal(application.contact?.email, 'sigrid.grostad@hyllestad.kommune.no');
  });
});

describe('scanned values: per-word confidence and alternatives from the other values', () => {
  test("a value is as sure as the engine's words it was read from, not as the page", () => {
    const text = scanned([
      ['1. Opplysninger om søker'],
      ['Søker (kommune):\tVinje kommune'],
      ['Org.nr.:\t964 964 998'],
      ['Kontaktperson:\tKari Nordmann'],
      ['Telefon:\t35 06 20 00'],
      ['3. Økonomi'],
      ['Totale kostnader:\t1 250 000 kr', [0.96, 0.96, 0.95, 0.96, 0.94, 0.93]],
      ['Egenfinansiering:\t250 0O0 kr', [0.95, 0.96, 0.94, 0.41, 0.92]],
      ['Annen finansiering:\t0 kr', [0.96, 0.95, 0.93, 0.9]],
      ['Søknadsbeløp:\t1 000 000 kr', [0.96, 0.96, 0.95, 0.96, 0.94]],
    ]);
    const { application, provenance } = readForm(text, undefined);
    assert.equal(application.budget?.ownFunding, 250_000);
    // One doubtful word (`0O0`) makes the amount doubtful; the sure amounts on the same page stay sure.
    assert.ok(provenance['budget.ownFunding']!.confidence < 0.7, String(provenance['budget.ownFunding']!.confidence));
    assert.ok(provenance['budget.otherFunding']!.confidence >= 0.9);
    assert.ok(provenance['budget.totalCost']!.confidence >= 0.9);
  });

  test('an organisation number with digits read as letters (O, l, S, B) reads as its digits', () => {
    const { application, provenance } = readApplication(telemarkScan([['Org.nr.:\t970 5l8 0O2']]), schemes);
    assert.equal(application.applicant?.organisationNumber, '970518002');
    assert.ok(isValidOrganisationNumber('970518002'));
    assert.ok(provenance['applicant.organisationNumber']!.confidence < 0.9);
  });

  test('an organisation number failing MOD11 is taken as the one valid number a confusable digit away, with a warning', () => {
    // 964 964 998 with its last 9 read as 8: only 964 964 998 is valid among the confusable alternatives.
    assert.ok(isValidOrganisationNumber('964964998'));
    const { application, provenance, findings } = readApplication(telemarkScan([['Org.nr.:\t964 964 988']]), schemes);
    assert.equal(application.applicant?.organisationNumber, '964964998');
    assert.ok(provenance['applicant.organisationNumber']!.confidence < 0.9);
    const corrected = findings.find((f) => f.code === 'corrected-value');
    assert.equal(corrected?.severity, 'warning');
    assert.equal(corrected?.field, 'applicant.organisationNumber');
    assert.match(corrected!.message, /964964988.*964964998/u);
  });

  test('a number failing MOD11 with several valid alternatives is left as read: no guess', () => {
    const { application, findings } = readApplication(telemarkScan([['Org.nr.:\t123 456 789']]), schemes);
    assert.equal(application.applicant?.organisationNumber, '123456789');
    assert.ok(!findings.some((f) => f.code === 'corrected-value'));
    assert.ok(findings.some((f) => f.code === 'inconsistent-values' && f.field === 'applicant.organisationNumber'));
  });

  test("a municipality number that does not fit the name is taken as the named municipality's, with a warning", () => {
    const { application, provenance, findings } = readApplication(telemarkScan([['Kommunenummer:\t0854']]), schemes);
    assert.equal(application.applicant?.municipalityNumber, '0834');
    assert.ok(provenance['applicant.municipalityNumber']!.confidence < 0.9);
    const corrected = findings.filter((f) => f.field === 'applicant.municipalityNumber');
    assert.deepEqual(
      corrected.map((f) => [f.code, f.severity]),
      [['corrected-value', 'warning']],
    );
    assert.match(corrected[0]!.message, /0854.*0834/u);
  });

  test("a scanned amount that alone breaks the budget is read as the equation's only when OCR could misread it so", () => {
    const budget = (own: string, other: string) =>
      readApplication(
        telemarkScan([
          ['3. Økonomi'],
          ['Totale kostnader:\t595 000 kr'],
          [`Egenfinansiering:\t${own}`],
          [`Annen finansiering:\t${other}`],
          ['Søknadsbeløp:\t506 000 kr'],
        ]),
        schemes,
      ).application.budget;
    // `0 kr` read as `10kr`: a digit added.
    assert.equal(budget('89 000 kr', '10kr')?.otherFunding, 0);
    // An 8 read as 3 is a misreading; an 8 read as 2 is not (the applicant's own sum is off): it stays as read.
    assert.equal(budget('39 000 kr', '0 kr')?.ownFunding, 89_000);
    assert.equal(budget('29 000 kr', '0 kr')?.ownFunding, 29_000);
  });

  test('digital text is what the applicant wrote: no alternatives are tried', () => {
    const text = telemarkScan([['Org.nr.:\t964 864 998'], ['Kommunenummer:\t0854']]);
    const { application } = readApplication(
      { pages: text.pages.map(({ number, text }) => ({ number, text })) },
      schemes,
    );
    assert.equal(application.applicant?.organisationNumber, '964864998');
    assert.equal(application.applicant?.municipalityNumber, '0854');
  });
});

describe('generated forms, read back', () => {
  test('Word and PDF forms in every drawn style read back to their ground truth (with their scheme known)', async () => {
    const { Random } = await import('../fixtures/random.ts');
    const { draftApplication } = await import('../fixtures/ground-truth.ts');
    const { fillForm } = await import('../fixtures/forms.ts');
    const { renderDocx } = await import('../fixtures/render-docx.ts');
    const { renderFormPdf, pdfFontsAvailable } = await import('../fixtures/render-pdf.ts');
    const { extractText } = await import('../extraction/text.ts');
    for (let index = 0; index < 12; index++) {
      const random = Random.for(20_170_415, index);
      const draft = draftApplication(random, random.pick(schemes));
      const form = fillForm(draft, random);
      const renderers = pdfFontsAvailable() ? [renderDocx, renderFormPdf] : [renderDocx];
      for (const render of renderers) {
        const { application } = readForm(await extractText(await render(form)), draft.scheme);
        assert.deepEqual(
          application,
          draft.truth,
          `document ${index} (${render.name}, ${form.style.layout}, ${form.style.checkbox})`,
        );
      }
    }
  });
});
