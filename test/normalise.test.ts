import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  foldWhitespace,
  municipalityDomain,
  normaliseAmount,
  normaliseDate,
  normaliseEmail,
  normaliseMunicipalityNumber,
  normaliseOrganisationNumber,
  normaliseParticipants,
  normalisePartners,
  normalisePeriod,
  normalisePhone,
  normalisePostalAddress,
  normaliseScannedAddress,
  normaliseScannedAmount,
  normaliseScannedApplicant,
  normaliseScannedDate,
  normaliseScannedEmail,
  normaliseScannedName,
  normaliseScannedOrganisationNumber,
  normaliseScannedPeriod,
  normaliseSubGoalNumbers,
  normaliseText,
  normaliseYesNo,
} from '../extraction/normalise.ts';

const nbsp = '\u00a0';
const thin = '\u2009';
const narrow = '\u202f';

/** Each written form and the value it must give; `undefined` means the normaliser must give nothing. */
function cases<T>(normalise: (raw: string) => { value: T } | undefined, table: Array<[string, T | undefined]>) {
  for (const [raw, expected] of table) assert.deepEqual(normalise(raw)?.value, expected, JSON.stringify(raw));
}

test('amounts in every style the form sees become whole kroner', () => {
  cases(normaliseAmount, [
    ['kr 1 250 000,-', 1_250_000],
    ['1 250 000', 1_250_000],
    ['1.250.000', 1_250_000],
    ['NOK 1250000', 1_250_000],
    ['1 250 000 kr', 1_250_000],
    [`1${nbsp}250${nbsp}000`, 1_250_000],
    [`kr${thin}1${thin}250${thin}000,-`, 1_250_000],
    [`1${narrow}250${narrow}000 kr`, 1_250_000],
    ['kr. 350 000', 350_000],
    ['kr:610 000,-', 610_000],
    ['1 250 000,00', 1_250_000],
    ['0', 0],
    ['kr 0,-', 0],
    ['1,250,000', 1_250_000],
  ]);
});

test('amounts that are not whole kroner or not amounts give nothing', () => {
  cases(normaliseAmount, [
    ['1250,50', undefined],
    ['ca. en million', undefined],
    ['1 250 000 / 2 000 000', undefined],
    ['-', undefined],
    ['', undefined],
  ]);
});

test('an amount in a style forms do not use, or grouped irregularly as scans give, is less sure', () => {
  assert.equal(normaliseAmount('1 250 000')?.confidence, 1);
  assert.ok(normaliseAmount('1,250,000')!.confidence < 0.9);
  assert.deepEqual(normaliseAmount('1 160000'), { value: 1_160_000, confidence: 0.7 });
});

test('dates in every style become YYYY-MM-DD', () => {
  cases(normaliseDate, [
    ['15.04.2017', '2017-04-15'],
    ['15.4.17', '2017-04-15'],
    ['15. april 2017', '2017-04-15'],
    ['15 april 2017', '2017-04-15'],
    ['1. desember 2017', '2017-12-01'],
    ['3. okt. 2017', '2017-10-03'],
    ['2017-04-15', '2017-04-15'],
    ['15/04/2017', '2017-04-15'],
    ['den 10. mars 2017', '2017-03-10'],
    [' 29.02.2016 ', '2016-02-29'],
  ]);
});

test('impossible dates and non-dates give nothing', () => {
  cases(normaliseDate, [
    ['31.02.2017', undefined],
    ['29.02.2017', undefined],
    ['15.13.2017', undefined],
    ['2017-04-31', undefined],
    ['0.04.2017', undefined],
    ['april 2017', undefined],
    ['15.04.2017 – 30.06.2018', undefined],
    ['snart', undefined],
  ]);
});

test('a date with words around it is read, less surely', () => {
  const read = normaliseDate('Rauland 10.04.2017');
  assert.equal(read?.value, '2017-04-10');
  assert.ok(read!.confidence < 0.9);
});

test('a date a scan split between two digits is read, less surely; two dates are not one', () => {
  const read = normaliseDate('201 7-08-22');
  assert.equal(read?.value, '2017-08-22');
  assert.ok(read!.confidence < 0.9);
  assert.equal(normaliseDate('15.08.2017 30.06.2018'), undefined);
  assert.equal(normaliseDate('12 13'), undefined);
});

test('a period written as one value gives its start and end', () => {
  cases(normalisePeriod, [
    ['15.08.2017 – 30.06.2018', { start: '2017-08-15', end: '2018-06-30' }],
    ['15.08.2017-30.06.2018', { start: '2017-08-15', end: '2018-06-30' }],
    ['2017-08-15 - 2018-06-30', { start: '2017-08-15', end: '2018-06-30' }],
    ['fra 15. august 2017 til 30. juni 2018', { start: '2017-08-15', end: '2018-06-30' }],
    ['frå 1.9.17 til 31.12.17', { start: '2017-09-01', end: '2017-12-31' }],
    ['15.08.2017', undefined],
    ['15.08.2017 – 31.06.2018', undefined],
    ['høsten 2017', undefined],
  ]);
  assert.equal(normalisePeriod('fra 15. august 2017 til 30. juni 2018')?.confidence, 1);
});

test('organisation numbers become nine digits; a failing MOD11 check is read but not trusted', () => {
  cases(normaliseOrganisationNumber, [
    ['964964998', '964964998'],
    ['964 964 998', '964964998'],
    ['NO 964 964 998 MVA', '964964998'],
    ['NO964964998MVA', '964964998'],
    ['Org.nr. 964 964 998', '964964998'],
    [`964${nbsp}964${nbsp}998`, '964964998'],
    ['96496499', undefined],
    ['9649649981', undefined],
    ['Vinje kommune', undefined],
  ]);
  assert.equal(normaliseOrganisationNumber('964964998')?.confidence, 1);
  assert.ok(normaliseOrganisationNumber('964964997')!.confidence < 0.9);
});

test('municipality numbers are four digits', () => {
  cases(normaliseMunicipalityNumber, [
    ['0834', '0834'],
    ['834', '0834'],
    ['0834 Vinje', '0834'],
    ['0819 -', '0819'],
    ['08345', undefined],
    ['0834 - 0835', undefined],
    ['Vinje', undefined],
  ]);
  assert.ok(normaliseMunicipalityNumber('834')!.confidence < 0.9);
});

test('postal code and place are split', () => {
  cases(normalisePostalAddress, [
    ['3890 Vinje', { code: '3890', place: 'Vinje' }],
    ['3800 Bø i Telemark', { code: '3800', place: 'Bø i Telemark' }],
    ['N-3890 Vinje', { code: '3890', place: 'Vinje' }],
    [`3890${nbsp}Vinje`, { code: '3890', place: 'Vinje' }],
    ['Vinje', undefined],
    ['389 Vinje', undefined],
  ]);
});

test('phone numbers become eight digits without +47', () => {
  cases(normalisePhone, [
    ['35 06 20 00', '35062000'],
    ['+47 35062000', '35062000'],
    ['350 62 000', '35062000'],
    ['+47 35 06 20 00', '35062000'],
    ['0047 35 06 20 00', '35062000'],
    ['(+47) 35062000', '35062000'],
    ['35062000', '35062000'],
    ['47 12 34 56', '47123456'],
    ['3506200', undefined],
    ['35 06 20 00 / 90 12 34 56', undefined],
    ['ring sentralbordet', undefined],
  ]);
});

test('e-mail addresses are trimmed and lower case', () => {
  cases(normaliseEmail, [
    ['kari.nordmann@vinje.kommune.no', 'kari.nordmann@vinje.kommune.no'],
    [' Kari.Nordmann@Vinje.Kommune.no ', 'kari.nordmann@vinje.kommune.no'],
    ['mailto:postmottak@bo.kommune.no', 'postmottak@bo.kommune.no'],
    ['kari.nordmann@vinje. kommune.no', 'kari.nordmann@vinje.kommune.no'],
    ['kari.nordmann(at)vinje.kommune.no', undefined],
    ['kari@localhost', undefined],
  ]);
  assert.ok(normaliseEmail('kari.nordmann@vinje. kommune.no')!.confidence < 0.9);
});

test('text is trimmed with inner whitespace folded, no-break and thin spaces too', () => {
  cases(normaliseText, [
    ['  Vinje   kommune ', 'Vinje kommune'],
    [`Vinje${nbsp}kommune`, 'Vinje kommune'],
    [`Kompetanseløft\ti${thin}heimetenesta`, 'Kompetanseløft i heimetenesta'],
    ['   ', undefined],
  ]);
  assert.equal(foldWhitespace(`a${narrow}\n b`), 'a b');
});

test('partners one per line or comma separated; Ingen means none', () => {
  const partners = (lines: string[]) => normalisePartners(lines)?.value;
  assert.deepEqual(partners(['Tokke kommune', 'Sykehuset Telemark HF']), ['Tokke kommune', 'Sykehuset Telemark HF']);
  assert.deepEqual(partners(['Tokke kommune, Sykehuset Telemark HF']), ['Tokke kommune', 'Sykehuset Telemark HF']);
  assert.deepEqual(partners(['Tokke kommune; Vinje kommune']), ['Tokke kommune', 'Vinje kommune']);
  // A comma-separated list wrapped over two lines is still one list.
  assert.deepEqual(partners(['Tokke kommune, Utviklingssenter for sykehjem og', 'hjemmetjenester, LHL Telemark']), [
    'Tokke kommune',
    'Utviklingssenter for sykehjem og hjemmetjenester',
    'LHL Telemark',
  ]);
  assert.deepEqual(partners(['Diakonhjemmet sykehus, Telemark fylkeskommune,', 'Nasjonalforeningen for folkehelsen']), [
    'Diakonhjemmet sykehus',
    'Telemark fylkeskommune',
    'Nasjonalforeningen for folkehelsen',
  ]);
  // A name broken at its hyphen goes on on the next line, without a space; a hyphen for a word left out keeps it.
  assert.deepEqual(partners(['Høgskolen i Sørøst-', 'Norge', 'NAV']), ['Høgskolen i Sørøst-Norge', 'NAV']);
  assert.deepEqual(partners(['NAV, Høgskulen i Søraust-', 'Noreg, LHL Telemark']), [
    'NAV',
    'Høgskulen i Søraust-Noreg',
    'LHL Telemark',
  ]);
  assert.deepEqual(partners(['Helse-', 'og omsorgsetaten']), ['Helse- og omsorgsetaten']);
  assert.deepEqual(partners(['- Tokke kommune', '• Seljord kommune']), ['Tokke kommune', 'Seljord kommune']);
  assert.deepEqual(partners(['Ingen']), []);
  assert.deepEqual(partners(['ingen.']), []);
  assert.equal(partners([]), undefined);
  assert.equal(partners(['  ']), undefined);
});

test('participants are one whole number', () => {
  cases(normaliseParticipants, [
    ['12', 12],
    ['12 deltakere', 12],
    ['12 deltakarar', 12],
    ['ca. 40', 40],
    ['1 200', 1200],
    ['12-15', undefined],
    ['alle tilsette', undefined],
  ]);
  assert.ok(normaliseParticipants('ca. 40')!.confidence < 0.9);
});

test('yes and no in both languages', () => {
  cases(normaliseYesNo, [
    ['Ja', true],
    ['nei', false],
    ['Ja.', true],
    ['Kanskje', undefined],
  ]);
});

test('sub-goal lists become ascending numbers', () => {
  cases(normaliseSubGoalNumbers, [
    ['1, 3', [1, 3]],
    ['3 og 1', [1, 3]],
    ['Delmål 2 og 4', [2, 4]],
    ['1,3', [1, 3]],
    ['2', [2]],
    ['1, 1, 2', [1, 2]],
    ['1 og kanskje 3', undefined],
    ['alle', undefined],
  ]);
});

test('an e-mail address whose @ a scan misread is read, not trusted', () => {
  assert.deepEqual(normaliseEmail('solveig.sandvikQhyllestad.kommune.no'), {
    value: 'solveig.sandvik@hyllestad.kommune.no',
    confidence: 0.5,
  });
  assert.deepEqual(normaliseEmail('Sigrid.Moen&gjovik.kommune.no'), {
    value: 'sigrid.moen@gjovik.kommune.no',
    confidence: 0.5,
  });
  assert.equal(normaliseEmail('hakon.aaslandQEalesund.kommune.no')?.value, 'hakon.aasland@alesund.kommune.no');
  assert.equal(normaliseEmail('vegard.myrvoldekragero.kommune.no'), undefined);
});

test('specks and rules around a text value are not part of it', () => {
  assert.deepEqual(normaliseText('| Sauherad kommune'), { value: 'Sauherad kommune', confidence: 0.8 });
  assert.equal(normaliseText('- Tone Lunde')?.value, 'Tone Lunde');
  assert.equal(normaliseText('Tinn kommune ;')?.value, 'Tinn kommune');
  assert.equal(normaliseText('Tiltaket er godt forankret.')?.value, 'Tiltaket er godt forankret.');
  assert.equal(normaliseText('|'), undefined);
  assert.equal(normaliseText('-'), undefined);
});

test("a scanned address whose @ became a letter is repaired from the applicant's domain, not trusted", () => {
  assert.equal(municipalityDomain('Kragerø kommune'), 'kragero.kommune.no');
  assert.equal(municipalityDomain('Bø kommune'), 'bo.kommune.no');
  assert.equal(municipalityDomain('Sykehuset Telemark HF'), undefined);
  assert.deepEqual(normaliseEmail('vegard.myrvoldekragero.kommune.no', 'kragero.kommune.no'), {
    value: 'vegard.myrvold@kragero.kommune.no',
    confidence: 0.5,
  });
  assert.equal(normaliseEmail('vegard.myrvold.kragero.kommune.no', 'kragero.kommune.no'), undefined);
  assert.equal(normaliseEmail('vegard.myrvoldekragero.kommune.no', 'bo.kommune.no'), undefined);
});

test('specks around an amount or a partner are not part of it', () => {
  assert.deepEqual(normaliseAmount('.315000'), { value: 315_000, confidence: 0.8 });
  assert.deepEqual(normaliseAmount('560 000.'), { value: 560_000, confidence: 0.8 });
  assert.deepEqual(normaliseAmount('| kr 28 000,-'), { value: 28_000, confidence: 0.8 });
  assert.deepEqual(normalisePartners(['-— ] Frivilligsentralen'])?.value, ['Frivilligsentralen']);
});

describe('scanned text: what OCR makes of numbers and names is read back, less surely', () => {
  test('an amount with a zero read as a letter, run into its currency, a speck before it, or boxed in specks', () => {
    cases(normaliseScannedAmount, [
      ['O kr', 0],
      ['Okr', 0],
      ['O. kr', 0],
      ['250 000. kr', 250_000],
      ['NOK.459000', 459_000],
      ['kr:610 000,-', 610_000],
      ['kr 2 370:000,-', 2_370_000],
      ['NOKO', 0],
      ['(0)', 0],
      ['[0)', 0],
      ['0)', 0],
      ['1O5O 000', 1_050_000],
      ['1 250 000', 1_250_000],
      ['kr', undefined],
      ['Ola', undefined],
      ['ikke aktuelt', undefined],
    ]);
    assert.equal(normaliseScannedAmount('1 250 000')?.confidence, 1);
    assert.ok(normaliseScannedAmount('O kr')!.confidence < 0.9);
  });

  test('a date whose dots were lost is read when only one date fits its digits', () => {
    cases(normaliseScannedDate, [
      ['272.17', '2017-02-27'],
      ['7.417', '2017-04-07'],
      ['11317', '2017-03-11'],
      ['33.17', '2017-03-03'],
      ['25.217', '2017-02-25'],
      ['13.119', '2019-01-13'],
      ['31.3:18', '2018-03-31'],
      ['2752017', '2017-05-27'],
      // 1.11.2017 or 11.1.2017: no telling which.
      ['1112017', undefined],
      ['4517 kr', undefined],
      ['15.04.2017', '2017-04-15'],
      // The day's digits set apart, the day's stop read as a colon.
      ['3 0. september 2018', '2018-09-30'],
      ['16: juli 2017', '2017-07-16'],
    ]);
    assert.equal(normaliseScannedDate('15.04.2017')?.confidence, 1);
    assert.ok(normaliseScannedDate('3 0. september 2018')!.confidence < 0.9);
    assert.ok(normaliseScannedDate('272.17')!.confidence < 0.9);
  });

  test('a period with a misread end', () => {
    assert.deepEqual(normaliseScannedPeriod('25.6.17 - 13.1218')?.value, { start: '2017-06-25', end: '2018-12-13' });
    assert.deepEqual(normaliseScannedPeriod('fra 24517 til 30.9.18')?.value, {
      start: '2017-05-24',
      end: '2018-09-30',
    });
    assert.ok(normaliseScannedPeriod('fra 24517 til 30.9.18')!.confidence < 0.9);
    assert.equal(normaliseScannedPeriod('fra 1112017 til 30.9.18'), undefined);
  });

  test('a name, title or place loses the stop a speck after it reads as; an abbreviation keeps it', () => {
    cases(normaliseScannedName, [
      ['rådmann.', 'rådmann'],
      ['Kommunalsjef helse og omsorg.', 'Kommunalsjef helse og omsorg'],
      ['Leder avd.', 'Leder avd.'],
      ['Ola Nordmann', 'Ola Nordmann'],
    ]);
    assert.ok(normaliseScannedName('rådmann.')!.confidence < 0.9);
  });

  test('an organisation number among specks counts only when it passes MOD11', () => {
    cases(normaliseScannedOrganisationNumber, [
      ['954144054.', '954144054'],
      ["NO'917 693 625 MVA", '917693625'],
      ['954144055.', undefined],
      ['Org 954144054', undefined],
    ]);
    assert.ok(normaliseScannedOrganisationNumber('954144054.')!.confidence < 0.9);
  });

  test('a scanned e-mail address with a speck after it, a dot read as a colon and an `&` for its `@`', () => {
    assert.equal(normaliseScannedEmail('hakon.vestol@alesund.kommune.no -')?.value, 'hakon.vestol@alesund.kommune.no');
    const colon = normaliseScannedEmail('marit:dale&bamble.kommune.no', 'bamble.kommune.no');
    assert.equal(colon?.value, 'marit.dale@bamble.kommune.no');
    assert.ok(colon!.confidence <= 0.5);
  });

  test("an e-mail domain a letter or two from the applicant's is that domain, less surely", () => {
    const read = normaliseScannedEmail('adne.kleiv@seljord.konimune.no', 'seljord.kommune.no');
    assert.equal(read?.value, 'adne.kleiv@seljord.kommune.no');
    assert.ok(read!.confidence < 0.9);
    assert.equal(
      normaliseScannedEmail('ingrid@bhiartdal.kommune.no', 'hjartdal.kommune.no')?.value,
      'ingrid@hjartdal.kommune.no',
    );
    // A speck before the address is no part of it.
    assert.equal(
      normaliseScannedEmail('_kjersti.dale@bamble.kommune.no', 'bamble.kommune.no')?.value,
      'kjersti.dale@bamble.kommune.no',
    );
    // Another municipality's address stays as it is.
    assert.deepEqual(normaliseScannedEmail('kari@skien.kommune.no', 'bo.kommune.no'), {
      value: 'kari@skien.kommune.no',
      confidence: 1,
    });
  });

  test('an applicant misread at its last word, and an address whose house number lost its space', () => {
    assert.equal(normaliseScannedApplicant('Voss kommurie')?.value, 'Voss kommune');
    assert.ok(normaliseScannedApplicant('Voss kommurie')!.confidence < 0.9);
    assert.deepEqual(normaliseScannedApplicant('Voss kommune'), { value: 'Voss kommune', confidence: 1 });
    assert.equal(normaliseScannedApplicant('Helse Fonna')?.value, 'Helse Fonna');
    assert.equal(normaliseScannedAddress('Gudbrandsveien7')?.value, 'Gudbrandsveien 7');
    assert.equal(normaliseScannedAddress('Storgata 12B')?.value, 'Storgata 12B');
    assert.equal(normaliseScannedAddress('Postboks 80')?.confidence, 1);
  });
});
