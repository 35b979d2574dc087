import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSchemes } from '../config/schemes.ts';
import type { Application, FieldPath, ProvenanceMap } from '../schemas/application.ts';
import { deadlineInstant, isAfterDeadline, localDateTime, startOfDay, zoneOffsetMinutes } from '../schemas/deadline.ts';
import type { Finding } from '../schemas/finding.ts';
import { formatNok } from '../schemas/format-nok.ts';
import { isValidOrganisationNumber, organisationNumberCheckDigit } from '../schemas/organisation-number.ts';
import type { Scheme } from '../schemas/scheme.ts';
import {
  countFindings,
  lowConfidenceThreshold,
  validateApplication,
  validationFindingCodes,
  type ValidationContext,
  type ValidationFindingCode,
} from '../schemas/validate.ts';

const schemes = await loadSchemes();
const schemeById = (id: string): Scheme => schemes.find((s) => s.id === id) ?? assert.fail(`no scheme ${id}`);
const kompetanse = schemeById('kompetanse-innovasjon-2017');
const parorende = schemeById('parorende-2017');

/** The SPEC §3 example: a complete, consistent application from Vinje. */
const vinje: Application = {
  schemeId: 'kompetanse-innovasjon-2017',
  applicant: {
    name: 'Vinje kommune',
    organisationNumber: '964964998',
    municipalityNumber: '0834',
    address: 'Vinjevegen 192',
    postalCode: '3890',
    postalPlace: 'Vinje',
  },
  contact: {
    name: 'Kari Nordmann',
    role: 'Kommunalsjef helse',
    email: 'kari.nordmann@vinje.kommune.no',
    phone: '35062000',
  },
  partners: ['Tokke kommune', 'Sykehuset Telemark HF'],
  project: {
    title: 'Videreutdanning i velferdsteknologi',
    category: 'videreutdanning',
    summary: 'Tolv ansatte tar videreutdanning.',
    targetGroup: 'Ansatte i hjemmetjenesten',
    startDate: '2017-08-15',
    endDate: '2018-06-30',
    participants: 12,
  },
  subGoals: [1, 3],
  budget: { totalCost: 1_600_000, ownFunding: 350_000, otherFunding: 0, amountRequested: 1_250_000 },
  signature: { place: 'Rauland', date: '2017-04-10', name: 'Ola Nordmann', role: 'rådmann' },
};

/** 09:12 in Oslo on 10 April 2017, five days before the deadline. */
const inTime = '2017-04-10T07:12:00.000Z';

/**
 * Validates Vinje's application after `change`, against `kompetanse-innovasjon-2017` received in time unless told
 * otherwise. */
function validate(
  change: (application: Application) => void = () => {},
  context: Partial<ValidationContext> = {},
): Finding[] {
  const application = structuredClone(vinje);
  change(application);
  return validateApplication(application, { scheme: kompetanse, receivedAt: inTime, ...context });
}

/**
 * The same application to `parorende-2017`: one of its categories, signed and received before its 01.04.2017 deadline.
 * */
function validateForParorende(
  change: (application: Application) => void = () => {},
  context: Partial<ValidationContext> = {},
): Finding[] {
  return validate(
    (a) => {
      a.schemeId = 'parorende-2017';
      a.project!.category = 'oppstart';
      a.signature!.date = '2017-03-28';
      change(a);
    },
    { scheme: parorende, receivedAt: '2017-03-30T10:00:00Z', ...context },
  );
}

function withCode(findings: Finding[], code: ValidationFindingCode): Finding[] {
  return findings.filter((f) => f.code === code);
}

function theOne(findings: Finding[], code: ValidationFindingCode): Finding {
  const found = withCode(findings, code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(findings, null, 2)}`);
  return found[0]!;
}

test('the SPEC example, complete and in time, has no findings', () => {
  assert.deepEqual(validate(), []);
});

describe('errors', () => {
  const required: FieldPath[] = [
    'applicant.name',
    'applicant.organisationNumber',
    'contact.name',
    'contact.email',
    'project.title',
    'project.category',
    'budget.amountRequested',
    'signature.date',
  ];

  test('missing-required-field: one error per missing field, naming it', () => {
    const findings = validateApplication({}, { scheme: kompetanse, receivedAt: inTime });
    const missing = withCode(findings, 'missing-required-field');
    assert.deepEqual(
      missing.map((f) => f.field),
      required,
    );
    assert.ok(missing.every((f) => f.severity === 'error'));
    assert.equal(missing[0]!.message, 'Feltet «Søker (kommune)» mangler eller kunne ikke leses.');
  });

  test('missing-required-field: blank text counts as missing; optional fields may be absent', () => {
    const findings = validate((a) => {
      a.contact!.name = '  ';
      delete a.applicant!.address;
      delete a.project!.summary;
      delete a.partners;
    });
    assert.deepEqual(
      findings.map((f) => [f.code, f.field]),
      [['missing-required-field', 'contact.name']],
    );
  });

  describe('MOD11', () => {
    test('real organisation numbers pass', () => {
      assert.ok(isValidOrganisationNumber('964964998'), 'Vinje kommune');
      assert.ok(isValidOrganisationNumber('974760673'), 'Brønnøysundregistrene');
      assert.equal(organisationNumberCheckDigit('96496499'), 8);
    });

    test('a remainder of 0 gives check digit 0 (11 means 0)', () => {
      assert.equal(organisationNumberCheckDigit('81234568'), 0);
      assert.ok(isValidOrganisationNumber('812345680'));
    });

    test('a prefix whose check digit would be 10 is never valid', () => {
      assert.equal(organisationNumberCheckDigit('91234567'), undefined);
      for (let digit = 0; digit <= 9; digit++) assert.ok(!isValidOrganisationNumber(`91234567${digit}`));
    });

    test('a wrong check digit, a wrong length or non-digits fail', () => {
      for (const number of ['964964997', '964964999', '96496499', '9649649980', '964 964 998', 'NO964964998MVA', '']) {
        assert.ok(!isValidOrganisationNumber(number), number);
      }
    });
  });

  test('invalid-organisation-number: says which digit was expected', () => {
    const finding = theOne(
      validate((a) => (a.applicant!.organisationNumber = '964964997')),
      'invalid-organisation-number',
    );
    assert.equal(finding.field, 'applicant.organisationNumber');
    assert.equal(
      finding.message,
      'Organisasjonsnummeret 964 964 997 er ugyldig: kontrollsifferet (det siste sifferet) skulle vært 8, ikke 7.',
    );
    assert.match(
      theOne(
        validate((a) => (a.applicant!.organisationNumber = '912345670')),
        'invalid-organisation-number',
      ).message,
      /kontrollsifferet ville blitt 10/,
    );
    assert.match(
      theOne(
        validate((a) => (a.applicant!.organisationNumber = '12345')),
        'invalid-organisation-number',
      ).message,
      /ni sifre/,
    );
  });

  test('invalid-email: malformed addresses fail, ordinary and IDN ones pass', () => {
    for (const email of [
      'kari.nordmann@vinje',
      'kari nordmann@vinje.kommune.no',
      'kari..nordmann@vinje.kommune.no',
      'kari@@vinje.kommune.no',
      'kari.nordmann(at)vinje.kommune.no',
      '.kari@vinje.kommune.no',
      'kari@vinje..no',
    ]) {
      const finding = theOne(
        validate((a) => (a.contact!.email = email)),
        'invalid-email',
      );
      assert.equal(finding.message, `E-postadressen «${email}» er ugyldig.`);
    }
    for (const email of ['kari.nordmann@vinje.kommune.no', 'post@bø.kommune.no', 'k+intake@fm-te.no']) {
      assert.deepEqual(
        withCode(
          validate((a) => (a.contact!.email = email)),
          'invalid-email',
        ),
        [],
        email,
      );
    }
  });

  test("unknown-category: a category the scheme does not have, listing the scheme's", () => {
    const finding = theOne(
      validate((a) => (a.project!.category = 'oppstart')),
      'unknown-category',
    );
    assert.equal(finding.field, 'project.category');
    assert.match(
      finding.message,
      /^Kategorien «oppstart» finnes ikke i ordningen «Kommunalt kompetanse- og innovasjonstilskudd»\./,
    );
    assert.match(finding.message, /Videreutdanning \(videreutdanning\)/);
    assert.deepEqual(validateForParorende(), []);
  });

  test('amount-not-positive: zero and negative amounts; one krone is fine', () => {
    assert.equal(
      theOne(
        validate((a) => (a.budget = { amountRequested: 0 })),
        'amount-not-positive',
      ).message,
      'Søknadsbeløpet (kr 0) må være større enn null.',
    );
    assert.equal(
      theOne(
        validate((a) => (a.budget = { amountRequested: -5000 })),
        'amount-not-positive',
      ).message,
      'Søknadsbeløpet (kr -5 000) må være større enn null.',
    );
    assert.deepEqual(
      validate((a) => (a.budget = { amountRequested: 1 })),
      [],
    );
  });

  test('end-before-start: an end before the start; a one-day project is fine', () => {
    const finding = theOne(
      validate((a) => (a.project!.endDate = '2017-06-30')),
      'end-before-start',
    );
    assert.deepEqual(finding, {
      code: 'end-before-start',
      severity: 'error',
      field: 'project.endDate',
      message: 'Sluttdatoen 30.06.2017 er før startdatoen 15.08.2017.',
    });
    assert.deepEqual(
      validate((a) => (a.project!.endDate = '2017-08-15')),
      [],
    );
  });

  describe('applicant-not-municipality', () => {
    test('a name that names no municipality is an error', () => {
      for (const name of [
        'Sykehuset Telemark HF',
        'Telemark fylkeskommune',
        'Interkommunalt arkiv i Telemark',
        'Kommunenes Sentralforbund',
        'Frivilligsentralen i Vinje',
      ]) {
        const finding = theOne(
          validate((a) => (a.applicant!.name = name)),
          'applicant-not-municipality',
        );
        assert.equal(finding.severity, 'error');
        assert.match(finding.message, new RegExp(`^Søkeren «${name}» ser ikke ut til å være en kommune`));
      }
    });

    test('«kommune» in any inflection, plural or OCR-misread, or a bare municipality name of the county, is fine', () => {
      for (const name of [
        'Vinje kommune',
        'VINJE KOMMUNE',
        'Kommunen Vinje',
        'Tokke og Vinje kommunar',
        'Tokke og Vinje kommuner',
        'Vinje kornmune',
        'Vinje',
      ]) {
        assert.deepEqual(
          withCode(
            validate((a) => (a.applicant!.name = name)),
            'applicant-not-municipality',
          ),
          [],
          name,
        );
      }
    });

    test('a bare name counts only where the scheme has a register to check it against', () => {
      const findings = validateForParorende((a) => (a.applicant!.name = 'Vinje'));
      assert.equal(theOne(findings, 'applicant-not-municipality').field, 'applicant.name');
    });
  });
});

describe('warnings', () => {
  test('unknown-municipality-number: no such county, 00, or not in the scheme county; a real number elsewhere is not flagged', () => {
    assert.match(
      theOne(
        validate((a) => (a.applicant!.municipalityNumber = '9912')),
        'unknown-municipality-number',
      ).message,
      /ikke et gyldig kommunenummer/,
    );
    assert.equal(
      withCode(
        validate((a) => (a.applicant!.municipalityNumber = '0800')),
        'unknown-municipality-number',
      ).length,
      1,
    );
    const notInTelemark = theOne(
      validate((a) => (a.applicant!.municipalityNumber = '0899')),
      'unknown-municipality-number',
    );
    assert.equal(notInTelemark.message, 'Kommunenummeret 0899 finnes ikke blant kommunene i Telemark.');
    assert.equal(notInTelemark.severity, 'warning');
    assert.deepEqual(
      withCode(
        validate((a) => (a.applicant!.municipalityNumber = '1106')),
        'unknown-municipality-number',
      ),
      [],
    );
  });

  describe('received-after-deadline (15.04.2017, end of day in Oslo: 22:00 UTC in summer time)', () => {
    test('the last millisecond of the deadline day is in time', () => {
      assert.deepEqual(validate(undefined, { receivedAt: '2017-04-15T21:59:59.999Z' }), []);
      assert.deepEqual(validate(undefined, { receivedAt: '2017-04-15T23:59:59+02:00' }), []);
    });

    test('midnight after it is late, said in Oslo time', () => {
      const finding = theOne(
        validate(undefined, { receivedAt: '2017-04-15T22:00:00.000Z' }),
        'received-after-deadline',
      );
      assert.equal(finding.severity, 'warning');
      assert.equal(finding.field, undefined);
      assert.equal(
        finding.message,
        'Søknaden kom inn 16.04.2017 kl. 00:00, etter søknadsfristen 15.04.2017 for «Kommunalt kompetanse- og innovasjonstilskudd».',
      );
    });

    test("each scheme's own deadline counts (parorende-2017: 01.04.2017)", () => {
      assert.deepEqual(validateForParorende(undefined, { receivedAt: '2017-04-01T21:59:59Z' }), []);
      assert.equal(
        theOne(validateForParorende(undefined, { receivedAt: '2017-04-01T22:00:00Z' }), 'received-after-deadline')
          .severity,
        'warning',
      );
    });
  });

  describe('amount-exceeds-pot', () => {
    test("over the category's earmark", () => {
      const finding = theOne(
        validate((a) => (a.budget = { amountRequested: 9_000_000 })),
        'amount-exceeds-pot',
      );
      assert.equal(
        finding.message,
        'Søknadsbeløpet (kr 9 000 000) er høyere enn potten for øremerkingen «Grunn-, videre- og etterutdanning» (kr 8 875 000).',
      );
      assert.equal(finding.field, 'budget.amountRequested');
      assert.deepEqual(
        validate((a) => (a.budget = { amountRequested: 8_875_000 })),
        [],
        'the whole pot is not over it',
      );
    });

    test('the other earmark for BPA and innovation categories', () => {
      const findings = validate((a) => {
        a.project!.category = 'innovasjon';
        a.budget = { amountRequested: 4_102_001 };
      });
      assert.match(
        theOne(findings, 'amount-exceeds-pot').message,
        /øremerkingen «Brukerstyrt personlig assistanse og innovasjon» \(kr 4 102 000\)/,
      );
      assert.deepEqual(
        validate((a) => (a.budget = { amountRequested: 4_102_001 })),
        [],
        'videreutdanning draws on the larger earmark',
      );
    });

    test("the scheme's whole money where there is no earmark", () => {
      const findings = validateForParorende((a) => (a.budget = { amountRequested: 8_000_001 }));
      assert.equal(
        theOne(findings, 'amount-exceeds-pot').message,
        'Søknadsbeløpet (kr 8 000 001) er høyere enn hele potten for ordningen «Tilskudd til helhetlige tilbud til pårørende med krevende omsorgsoppgaver» (kr 8 000 000 på landsbasis).',
      );
    });
  });

  test('amount-exceeds-total-cost: more than the whole cost; exactly the cost is fine', () => {
    const finding = theOne(
      validate((a) => (a.budget = { totalCost: 1_000_000, amountRequested: 1_250_000 })),
      'amount-exceeds-total-cost',
    );
    assert.equal(finding.message, 'Søknadsbeløpet (kr 1 250 000) er høyere enn de totale kostnadene (kr 1 000 000).');
    assert.deepEqual(
      validate((a) => (a.budget = { totalCost: 1_250_000, amountRequested: 1_250_000 })),
      [],
    );
  });

  test('budget-does-not-balance: own + other + requested ≠ total, only when all four are given', () => {
    const finding = theOne(
      validate((a) => (a.budget!.totalCost = 1_700_000)),
      'budget-does-not-balance',
    );
    assert.equal(finding.field, 'budget.totalCost');
    assert.equal(
      finding.message,
      'Egenfinansiering (kr 350 000), annen finansiering (kr 0) og søknadsbeløp (kr 1 250 000) blir til sammen kr 1 600 000, men de totale kostnadene er kr 1 700 000 (differanse kr 100 000).',
    );
    assert.deepEqual(
      validate((a) => {
        a.budget!.totalCost = 1_700_000;
        delete a.budget!.otherFunding;
      }),
      [],
    );
  });

  describe('applicant-outside-county (kompetanse-innovasjon-2017 is for Telemark)', () => {
    test('by municipality number', () => {
      const finding = theOne(
        validate((a) => (a.applicant!.municipalityNumber = '1106')),
        'applicant-outside-county',
      );
      assert.equal(finding.field, 'applicant.municipalityNumber');
      assert.match(finding.message, /^Søkeren har kommunenummer 1106, som ikke er en kommune i Telemark\./);
    });

    test('by name when the number is missing', () => {
      const outside = validate((a) => {
        a.applicant = { name: 'Sauda kommune', organisationNumber: '964964998' };
      });
      assert.equal(theOne(outside, 'applicant-outside-county').field, 'applicant.name');
      assert.match(theOne(outside, 'applicant-outside-county').message, /kommunenummeret mangler/);
      for (const name of ['Bø i Telemark kommune', 'Kragerø kommune']) {
        assert.deepEqual(
          validate((a) => (a.applicant = { name, organisationNumber: '964964998' })),
          [],
          name,
        );
      }
      assert.equal(
        withCode(
          validate((a) => (a.applicant = { name: 'Bømlo kommune', organisationNumber: '964964998' })),
          'applicant-outside-county',
        ).length,
        1,
        'Bø is not Bømlo',
      );
    });

    test('by name when the number cannot be a municipality', () => {
      assert.deepEqual(
        withCode(
          validate((a) => (a.applicant!.municipalityNumber = '0899')),
          'applicant-outside-county',
        ),
        [],
        'Vinje kommune is in Telemark',
      );
    });

    test('schemes without an eligibility county do not check', () => {
      assert.deepEqual(
        validateForParorende((a) => (a.applicant!.municipalityNumber = '1106')),
        [],
      );
    });
  });

  test('signature-after-received: a signature dated after the day it came in, counted in Oslo', () => {
    const signedNextDay = (a: Application) => (a.signature!.date = '2017-04-11');
    const finding = theOne(validate(signedNextDay, { receivedAt: '2017-04-10T21:30:00Z' }), 'signature-after-received');
    assert.equal(finding.message, 'Underskriftsdatoen 11.04.2017 er etter at søknaden kom inn (10.04.2017 kl. 23:30).');
    assert.deepEqual(
      validate(signedNextDay, { receivedAt: '2017-04-10T22:30:00Z' }),
      [],
      '00:30 on the 11th in Oslo: signed the same day',
    );
  });

  test('low-confidence: a read field below the threshold; corrections and confident reads are not flagged', () => {
    const provenance: ProvenanceMap = {
      'budget.amountRequested': { method: 'ocr+form', page: 2, source: 'kr 1 25O 000', confidence: 0.45 },
      'applicant.name': { method: 'form', source: 'Vinje kommune', confidence: lowConfidenceThreshold },
      'project.title': { method: 'correction', source: 'Videreutdanning i velferdsteknologi', confidence: 0.1 },
    };
    const findings = validate(undefined, { provenance });
    assert.deepEqual(findings, [
      {
        code: 'low-confidence',
        severity: 'warning',
        field: 'budget.amountRequested',
        message:
          'Feltet «Søknadsbeløp» er lest med lav sikkerhet (45 %) fra «kr 1 25O 000» på side 2. Kontroller verdien mot originalen.',
      },
    ]);
  });

  test('possible-duplicate: other applications from the same organisation number', () => {
    const finding = theOne(validate(undefined, { duplicates: ['GI-2017-0003', 'GI-2017-0007'] }), 'possible-duplicate');
    assert.equal(
      finding.message,
      'Det finnes allerede 2 andre søknader fra organisasjonsnummer 964 964 998 til samme ordning (GI-2017-0003, GI-2017-0007). Søknaden kan være et duplikat eller en ny versjon.',
    );
    assert.deepEqual(validate(undefined, { duplicates: [] }), []);
  });
});

describe('without a scheme', () => {
  test('one finding says the scheme checks were not done; the rest still run', () => {
    const findings = validate(
      (a) => {
        a.schemeId = null;
        a.project!.category = 'noe-annet';
        a.budget!.amountRequested = 99_000_000;
        a.applicant!.organisationNumber = '964964997';
        a.signature!.date = '2017-05-01';
      },
      { scheme: undefined, receivedAt: '2017-06-01T10:00:00Z' },
    );
    assert.deepEqual(
      findings.map((f) => f.code),
      ['invalid-organisation-number', 'amount-exceeds-total-cost', 'budget-does-not-balance', 'scheme-checks-skipped'],
    );
    assert.equal(
      theOne(findings, 'scheme-checks-skipped').message,
      'Søknaden er ikke knyttet til en tilskuddsordning, så kategori, søknadsfrist, pott og fylke er ikke kontrollert. Velg ordning for å få dem kontrollert.',
    );
  });

  test('an unknown scheme id is named', () => {
    const findings = validate((a) => (a.schemeId = 'kompetanse-innovasjon-2019'), { scheme: undefined });
    assert.match(
      theOne(findings, 'scheme-checks-skipped').message,
      /^Ordningen «kompetanse-innovasjon-2019» er ukjent/,
    );
  });

  test('the signature date is still checked, in Norwegian time', () => {
    const findings = validate((a) => (a.signature!.date = '2017-04-11'), {
      scheme: undefined,
      receivedAt: '2017-04-10T21:30:00Z',
    });
    assert.equal(withCode(findings, 'signature-after-received').length, 1);
  });
});

test('a receivedAt that is not an instant is a programming error', () => {
  for (const receivedAt of ['10.04.2017', '2017-04-10T09:12', '2017-04-10', '']) {
    assert.throws(() => validate(undefined, { receivedAt }), RangeError, receivedAt);
  }
});

test('the code table: kebab-case codes, error or warning, and every finding raised is in it with its severity', () => {
  for (const [code, info] of Object.entries(validationFindingCodes)) {
    assert.match(code, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(info.severity === 'error' || info.severity === 'warning', code);
    assert.ok(info.label.length > 0);
  }
  const everything = [
    ...validateApplication(
      {
        applicant: { name: 'KS', organisationNumber: '1', municipalityNumber: '9900' },
        contact: { email: 'x' },
        project: { category: 'x', startDate: '2017-02-01', endDate: '2017-01-01' },
        budget: { amountRequested: -1, totalCost: -2, ownFunding: 0, otherFunding: 0 },
        signature: { date: '2018-01-01' },
      },
      {
        scheme: kompetanse,
        receivedAt: '2017-12-24T12:00:00Z',
        duplicates: ['X'],
        provenance: { 'contact.email': { method: 'llm', source: 'x', confidence: 0 } },
      },
    ),
    ...validate(undefined, { scheme: undefined }),
  ];
  for (const finding of everything) {
    const info = validationFindingCodes[finding.code as ValidationFindingCode];
    assert.ok(info, `${finding.code} is in the table`);
    assert.equal(finding.severity, info.severity);
  }
  assert.deepEqual(countFindings(everything), {
    errors: everything.filter((f) => f.severity === 'error').length,
    warnings: everything.filter((f) => f.severity === 'warning').length,
  });
  assert.deepEqual(countFindings([]), { errors: 0, warnings: 0 });
  assert.deepEqual(countFindings(validate((a) => (a.applicant!.organisationNumber = '1'), { duplicates: ['X'] })), {
    errors: 1,
    warnings: 1,
  });
});

test('formatNok writes whole kroner in groups of three', () => {
  assert.equal(formatNok(0), 'kr 0');
  assert.equal(formatNok(999), 'kr 999');
  assert.equal(formatNok(1000), 'kr 1 000');
  assert.equal(formatNok(12_977_000), 'kr 12 977 000');
  assert.equal(formatNok(-1_500_000), 'kr -1 500 000');
});

describe('deadlines and time zones, across DST (Europe/Oslo: +01:00 → +02:00 on 26.03.2017, back on 29.10.2017)', () => {
  const oslo = (date: string) => deadlineInstant({ date, timeZone: 'Europe/Oslo' }).toISOString();

  test('the deadline instant is midnight after the deadline day, at the offset in force then', () => {
    assert.equal(oslo('2017-03-25'), '2017-03-25T23:00:00.000Z', 'the day before summer time: +01:00 at midnight');
    assert.equal(
      oslo('2017-03-26'),
      '2017-03-26T22:00:00.000Z',
      'the day summer time begins: +02:00 at the next midnight',
    );
    assert.equal(oslo('2017-10-28'), '2017-10-28T22:00:00.000Z', 'the day before winter time: still +02:00');
    assert.equal(oslo('2017-10-29'), '2017-10-29T23:00:00.000Z', 'the day winter time begins: +01:00 again');
    assert.equal(oslo('2017-04-15'), '2017-04-15T22:00:00.000Z');
    assert.equal(oslo('2017-12-31'), '2017-12-31T23:00:00.000Z', 'into the next year');
  });

  test('the offset flips at 01:00 UTC on the change days', () => {
    assert.equal(zoneOffsetMinutes(new Date('2017-03-26T00:59:59Z'), 'Europe/Oslo'), 60);
    assert.equal(zoneOffsetMinutes(new Date('2017-03-26T01:00:00Z'), 'Europe/Oslo'), 120);
    assert.equal(zoneOffsetMinutes(new Date('2017-10-29T00:59:59Z'), 'Europe/Oslo'), 120);
    assert.equal(zoneOffsetMinutes(new Date('2017-10-29T01:00:00Z'), 'Europe/Oslo'), 60);
  });

  test('late or not, to the millisecond, on the night summer time begins', () => {
    const deadline = { date: '2017-03-26', timeZone: 'Europe/Oslo' };
    assert.equal(isAfterDeadline('2017-03-26T23:59:59.999+02:00', deadline), false);
    assert.equal(isAfterDeadline('2017-03-27T00:00:00+02:00', deadline), true);
    assert.equal(
      isAfterDeadline('2017-03-26T23:00:00+01:00', deadline),
      true,
      'that midnight written with the winter offset',
    );
    assert.equal(isAfterDeadline('2017-03-26T22:59:59+01:00', deadline), false);
  });

  test('other zones: a half-hour offset, and a DST gap at midnight (Chile, 13.08.2017 begins at 01:00)', () => {
    assert.equal(
      deadlineInstant({ date: '2017-04-15', timeZone: 'Asia/Kolkata' }).toISOString(),
      '2017-04-15T18:30:00.000Z',
    );
    assert.equal(startOfDay('2017-08-13', 'America/Santiago').toISOString(), '2017-08-13T04:00:00.000Z');
    assert.equal(
      deadlineInstant({ date: '2017-08-12', timeZone: 'America/Santiago' }).toISOString(),
      '2017-08-13T04:00:00.000Z',
    );
    assert.equal(deadlineInstant({ date: '2017-04-15', timeZone: 'UTC' }).toISOString(), '2017-04-16T00:00:00.000Z');
  });

  test('localDateTime reads the wall clock in the zone', () => {
    assert.deepEqual(localDateTime(new Date('2017-04-15T22:00:00Z'), 'Europe/Oslo'), {
      date: '2017-04-16',
      time: '00:00',
    });
    assert.deepEqual(localDateTime(new Date('2017-01-15T22:00:00Z'), 'Europe/Oslo'), {
      date: '2017-01-15',
      time: '23:00',
    });
  });
});
