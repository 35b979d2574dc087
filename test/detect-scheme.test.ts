import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSchemes } from '../config/schemes.ts';
import { detectScheme, detectionFindingCodes, type SchemeDetection } from '../schemas/detect-scheme.ts';

const schemes = await loadSchemes();

function detected(text: string): SchemeDetection {
  const detection = detectScheme(text, schemes);
  for (const finding of detection.findings) {
    const info = detectionFindingCodes[finding.code as keyof typeof detectionFindingCodes];
    assert.ok(info, `${finding.code} is in the table`);
    assert.equal(finding.severity, info.severity);
    assert.equal(finding.field, 'schemeId');
  }
  assert.ok(detection.confidence >= 0 && detection.confidence <= 1, `confidence ${detection.confidence}`);
  return detection;
}

function assertScheme(text: string, schemeId: string, minimumConfidence = 0.75): SchemeDetection {
  const detection = detected(text);
  assert.equal(detection.schemeId, schemeId, JSON.stringify(detection));
  assert.ok(detection.confidence >= minimumConfidence, `confidence ${detection.confidence} < ${minimumConfidence}`);
  return detection;
}

function assertNoScheme(text: string, code: 'unknown-scheme' | 'not-an-application'): SchemeDetection {
  const detection = detected(text);
  assert.equal(detection.schemeId, null);
  assert.deepEqual(
    detection.findings.map((f) => f.code),
    [code],
    JSON.stringify(detection),
  );
  return detection;
}

/** A form's body (Bokmål or Nynorsk labels), below whatever title a test puts on top. */
const bokmalForm = `1 Opplysninger om søker
Søker (kommune): Vinje kommune
Organisasjonsnummer: 964 964 998
Kontaktperson: Kari Nordmann
E-post: kari.nordmann@vinje.kommune.no
2 Om tiltaket
Tiltakets navn: Videreutdanning i velferdsteknologi
Kort beskrivelse av tiltaket: Tolv ansatte tar videreutdanning.
3 Økonomi
Totale kostnader: kr 1 600 000,-
Egenfinansiering: kr 350 000,-
Søknadsbeløp: kr 1 250 000,-
4 Underskrift
Sted: Rauland   Dato: 10.04.2017`;

const nynorskForm = `1 Opplysningar om søkjar
Søkjar (kommune): Tokke kommune
Organisasjonsnummer: 964 963 738
2 Om tiltaket
Namn på tiltaket: Pårørandeskule i Vest-Telemark
Kort skildring av tiltaket: Kurs for pårørande.
3 Økonomi
Totale kostnader: 400 000
Eigenfinansiering: 100 000
Søknadssum: 300 000
4 Underskrift
Stad: Dalen   Dato: 7. april 2017`;

describe('forms: the title at the top names the scheme', () => {
  test('Bokmål titles', () => {
    assertScheme(
      `Søknadsskjema – Kommunalt kompetanse- og innovasjonstilskudd 2017\n${bokmalForm}`,
      'kompetanse-innovasjon-2017',
      1,
    );
    assertScheme(
      `Søknadsskjema\nTilskudd til kommunale frisklivs-, lærings- og mestringstilbud 2017\n${bokmalForm}`,
      'frisklivs-laering-mestring-2017',
      1,
    );
    assertScheme(
      `Søknadsskjema – Tilskudd til helhetlige tilbud til pårørende med krevende omsorgsoppgaver 2017\n${bokmalForm}`,
      'parorende-2017',
      1,
    );
  });

  test('Nynorsk titles', () => {
    assertScheme(
      `Søknadsskjema – Kommunalt kompetanse- og innovasjonstilskot 2017\n${nynorskForm}`,
      'kompetanse-innovasjon-2017',
      0.9,
    );
    assertScheme(
      `Søknadsskjema – Tilskot til kommunale frisklivs-, lærings- og meistringstilbod 2017\n${nynorskForm}`,
      'frisklivs-laering-mestring-2017',
      0.9,
    );
    assertScheme(
      `Søknadsskjema – Tilskot til heilskaplege tilbod til pårørande med krevjande omsorgsoppgåver 2017\n${nynorskForm}`,
      'parorende-2017',
      0.9,
    );
  });

  test('the heading above the title (authority, logo text) does not matter', () => {
    assertScheme(
      `Fylkesmannen i Telemark\nSosial- og helseavdelingen\n\nSØKNADSSKJEMA\nKOMMUNALT KOMPETANSE- OG INNOVASJONSTILSKUDD 2017\n${bokmalForm}`,
      'kompetanse-innovasjon-2017',
      1,
    );
  });

  test("another scheme's name further down does not outweigh the title", () => {
    const text = `Søknadsskjema – Tilskudd til helhetlige tilbud til pårørende med krevende omsorgsoppgaver 2017\n${bokmalForm}\n${'Tiltaket er beskrevet i vedlegget.\n'.repeat(30)}Kommunen har også søkt kommunalt kompetanse- og innovasjonstilskudd for 2017.`;
    assertScheme(text, 'parorende-2017', 0.9);
  });
});

describe('OCR noise and layout variants', () => {
  const cases: [string, string, string][] = [
    [
      'a line broken in the middle of the title',
      'Søknadsskjema – Kommunalt kompetanse- og\ninnovasjonstilskudd 2017',
      'kompetanse-innovasjon-2017',
    ],
    [
      'a word hyphenated over two lines',
      'Søknadsskjema – Kommunalt kompe-\ntanse- og innovasjons-\ntilskudd 2017',
      'kompetanse-innovasjon-2017',
    ],
    [
      'digits read for letters, a hyphen lost',
      'S0knadsskjema - Kommunalt kompetanse og innovasj0nst1lskudd 2017',
      'kompetanse-innovasjon-2017',
    ],
    [
      'em dashes, non-breaking and doubled spaces',
      'Tilskudd til kommunale frisklivs—,\u00a0lærings— og  mestringstilbud',
      'frisklivs-laering-mestring-2017',
    ],
    [
      'letters misread',
      'Tilskudd til kommunale frisklivs-, lærlngs- og mestrlngstllbud',
      'frisklivs-laering-mestring-2017',
    ],
    [
      'diacritics lost or split off',
      'Tilskudd til helhetlige tilbud til parorende med krevende omsorgsoppgaver',
      'parorende-2017',
    ],
    [
      'a soft hyphen and decomposed å',
      'Tilskudd til helhetlige tilbud til pa\u030arør\u00adende med krevende omsorgs-\noppgaver',
      'parorende-2017',
    ],
    [
      '«rn» read for «m»',
      'Søknadsskjerna – Kommunalt kornpetanse- og innovasjonstilskudd',
      'kompetanse-innovasjon-2017',
    ],
    [
      "the announcement's other name for the scheme",
      'Søknad om kommunalt kompetanseutviklings- og innovasjonstilskudd',
      'kompetanse-innovasjon-2017',
    ],
  ];
  for (const [what, title, schemeId] of cases) {
    test(what, () => {
      assertScheme(`${title}\n${bokmalForm}`, schemeId);
    });
  }
});

describe('letters instead of the form', () => {
  test('a Bokmål letter: the subject line below the letterhead names the scheme', () => {
    const letter = `Vinje kommune
Vinjevegen 192
3890 Vinje

Fylkesmannen i Telemark
Postboks 2603
3702 Skien

Rauland, 10.04.2017

Søknad om tilskudd til kommunale frisklivs-, lærings- og mestringstilbud

Vinje kommune søker med dette om kr 250 000 til videreutvikling av frisklivssentralen.
Frisklivssentralen har vært i drift siden 2014 og skal nå utvide tilbudet til pårørende.

Med hilsen
Ola Nordmann
rådmann`;
    assertScheme(letter, 'frisklivs-laering-mestring-2017', 1);
  });

  test('a Nynorsk letter naming the scheme in its first paragraph', () => {
    const letter = `Tokke kommune
Dalen, 28.03.2017

Til Helsedirektoratet

Tokke kommune søkjer med dette om midlar frå ordninga tilskot til heilskaplege tilbod til pårørande med krevjande omsorgsoppgåver.
Kommunen har ein overordna plan for systematisk arbeid med pårørande.`;
    assertScheme(letter, 'parorende-2017', 0.9);
  });
});

describe('documents that are not applications', () => {
  test('an invoice', () => {
    const invoice = `FAKTURA
Fakturanummer: 10234
Kunde: Vinje kommune
Organisasjonsnummer: 964964998
Postadresse: Vinjevegen 192
Telefon: 35 06 20 00
E-post: post@vinje.kommune.no
Beløp å betale: kr 12 500
Forfallsdato: 30.04.2017`;
    const detection = assertNoScheme(invoice, 'not-an-application');
    assert.ok(detection.confidence >= 0.8);
  });

  test('a newsletter that mentions all three schemes', () => {
    const newsletter = `Søk midler til lærings- og mestringsvirksomhet i kommunen
Nå kan du søke midler til kommunal lærings- og mestringsvirksomhet gjennom tre ulike tilskuddsordninger fra Helsedirektoratet.
Nasjonal kompetansetjeneste for læring og mestring innen helse håper kommunene ser på mulighetene for å søke om støtte til oppstart eller videreutvikling av lærings- og mestringstilbud.
Kommunalt kompetanseutviklings- og innovasjonstilskudd
Tilskudd til kommunale frisklivs-, lærings- og mestringstilbud
Tilskudd til helhetlige tilbud til pårørende med krevende omsorgsoppgaver
Søknader som vektlegger overordnede planer for systematisk arbeid med pårørende vil bli prioritert.
Søknadsfrist er 1. april 2017.`;
    const detection = assertNoScheme(newsletter, 'not-an-application');
    assert.match(
      detection.findings[0]!.message,
      /^Dokumentet ser ikke ut til å være en søknad: det har ingen av søknadsskjemaets felter/,
    );
  });

  test("the scheme's own announcement, title at the top", () => {
    const announcement = `Kommunalt kompetanse- og innovasjonstilskudd
Tilskuddsordningen skal stimulere kommunene til kompetanseutvikling og innovasjon. Søknadsfrist er 15. april 2017.
Hvordan søke: Søknad skal fylles ut i eget søknadsskjema som du finner til høyre i artikkelen.
Søknadsfrist:
15.04.2017 00:00:00
Målgruppe:
Primærmålgruppen er brukere av de kommunale helse- og omsorgstjenestene og deres pårørende.
Hvem kan søke:
Kommuner, gjerne i samarbeid med andre kommuner`;
    const detection = assertNoScheme(announcement, 'not-an-application');
    assert.match(
      detection.findings[0]!.message,
      /bare 1 av søknadsskjemaets felter.*Det nevner «Kommunalt kompetanse- og innovasjonstilskudd»/,
    );
  });
});

describe('applications that cannot be tied to a scheme', () => {
  test('a form for a scheme that is not defined', () => {
    assertNoScheme(
      `Søknadsskjema – Tilskudd til dagaktivitetstilbud for hjemmeboende personer med demens 2017\n${bokmalForm}`,
      'unknown-scheme',
    );
  });

  test('a form without its title page, with only the categories two schemes share', () => {
    const text = `${bokmalForm}\nKategori\n☒ Oppstart av nytt tilbud\n☐ Videreutvikling av eksisterende tilbud`;
    assertNoScheme(text, 'unknown-scheme');
  });

  test('no readable text (a scan whose OCR failed)', () => {
    const detection = assertNoScheme('  \n\f 12 \n', 'unknown-scheme');
    assert.equal(detection.confidence, 0);
  });

  test('no schemes defined', () => {
    const detection = detectScheme(
      `Søknadsskjema – Kommunalt kompetanse- og innovasjonstilskudd 2017\n${bokmalForm}`,
      [],
    );
    assert.equal(detection.schemeId, null);
    assert.deepEqual(
      detection.findings.map((f) => f.code),
      ['unknown-scheme'],
    );
  });
});

describe('content cues as secondary evidence', () => {
  test('without a title, the overarching-plan question points to parorende, flagged as uncertain', () => {
    const text = `${bokmalForm}\nKategori: [X] Oppstart av nytt tilbud [ ] Videreutvikling av eksisterende tilbud\nHar kommunen en overordnet plan for systematisk arbeid med pårørende? Ja`;
    const detection = assertScheme(text, 'parorende-2017', 0.2);
    assert.deepEqual(
      detection.findings.map((f) => f.code),
      ['uncertain-scheme'],
    );
    assert.match(detection.findings[0]!.message, /tittelen ble ikke funnet/);
  });

  test('without a title, the sub-goals (delmål) point to kompetanse-innovasjon', () => {
    const text = `${bokmalForm}\nDelmål tiltaket bygger opp under:\n☒ 1. Sterkere brukerinnflytelse og bedre samspill med pårørende, frivillige og lokalsamfunnet.\n☐ 4. Etisk refleksjon og kunnskapsbasert praksis.`;
    const detection = assertScheme(text, 'kompetanse-innovasjon-2017', 0.2);
    assert.deepEqual(
      detection.findings.map((f) => f.code),
      ['uncertain-scheme'],
    );
  });
});
