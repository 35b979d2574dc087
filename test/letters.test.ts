import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { fillForm } from '../fixtures/forms.ts';
import { draftApplication } from '../fixtures/ground-truth.ts';
import { Random } from '../fixtures/random.ts';
import { loadSchemes } from '../config/schemes.ts';
import { renderLetterPdf } from '../letters/pdf.ts';
import { checkDecisionGrounds, type DecisionGrounds, type DecisionGroundsInput } from '../schemas/decision-grounds.ts';
import { composeDecisionLetter, type DecisionLetterFactsInput } from '../schemas/decision-letter.ts';
import { LetterTemplateSchema } from '../schemas/letter-template.ts';
import { defaultLetterTemplates } from '../schemas/letter-texts.ts';
import { SchemeSchema, type Scheme } from '../schemas/scheme.ts';
import { writtenStandardOf, type WrittenStandard } from '../schemas/written-standard.ts';
import { vinjeLetterFacts } from './support/letter-case.ts';

const run = promisify(execFile);
const schemes = await loadSchemes();
const scheme = (id: string) => schemes.find((candidate) => candidate.id === id)!;
const competence = scheme('kompetanse-innovasjon-2017');
const relatives = scheme('parorende-2017');

const standardConditions = ['bruk-som-soknaden', 'rapportering', 'tilbakebetaling', 'kontroll'];

const decisions = {
  'approved-in-full': { kind: 'approved-in-full', amountGranted: 1_400_000, conditionIds: standardConditions },
  'approved-in-part': {
    kind: 'approved-in-part',
    amountGranted: 1_250_000,
    reasonIds: ['lavere-prioritet'],
    explanation: 'Kurset for assistentar i heimetenesta er prioritert; reisekostnadene er ikkje dekte.',
    conditionIds: standardConditions,
    extraConditions: ['Tilskotet kan ikkje brukast til reiser.'],
  },
  rejected: {
    kind: 'rejected',
    reasonIds: ['utenfor-formalet'],
    explanation: 'Tiltaket gjeld drift av eksisterande tenester.',
  },
  dismissed: {
    kind: 'dismissed',
    reasonIds: ['etter-soknadsfristen'],
    explanation: 'Søknaden kom 18.04.2017, fristen var 15.04.2017.',
  },
} satisfies Record<DecisionGrounds['kind'], DecisionGroundsInput>;

function facts(standard: WrittenStandard, overrides: Partial<DecisionLetterFactsInput> = {}): DecisionLetterFactsInput {
  return { reference: 'SAK-7F3A9C21', ...vinjeLetterFacts(standard), ...overrides };
}

function accepted(
  s: Scheme,
  raw: DecisionGroundsInput,
  amountRequested: number | undefined = 1_400_000,
): DecisionGrounds {
  const checked = checkDecisionGrounds(s, raw, amountRequested);
  assert.ok(checked.ok, checked.ok ? '' : checked.refusal);
  return checked.input;
}

function refusal(s: Scheme, raw: unknown, amountRequested: number | undefined = 1_400_000): string {
  const checked = checkDecisionGrounds(s, raw, amountRequested);
  assert.ok(!checked.ok, `expected a refusal of ${JSON.stringify(raw)}`);
  return checked.refusal;
}

/** Everything the letter says, as one text. */
const letterText = (letter: ReturnType<typeof composeDecisionLetter>) =>
  [
    letter.title,
    ...letter.facts.map((f) => `${f.label}: ${f.value}`),
    ...letter.sections.flatMap((s) => [s.heading ?? '', ...s.paragraphs, ...s.items, ...s.afterList]),
    letter.closing.greeting,
    ...letter.closing.signatures.map((s) => `${s.name} ${s.role}`),
  ].join('\n');

describe('decision grounds', () => {
  test('partial grants, rejections and dismissals without a reason from the catalogue, or without own words, are refused', () => {
    for (const kind of ['approved-in-part', 'rejected', 'dismissed'] as const) {
      assert.match(refusal(competence, { ...decisions[kind], reasonIds: undefined }), /mangler begrunnelse/, kind);
      assert.match(
        refusal(competence, { ...decisions[kind], reasonIds: [] }),
        /minst én grunn fra ordningens liste/,
        kind,
      );
      assert.match(
        refusal(competence, { ...decisions[kind], explanation: '  ' }),
        /må også begrunnes med egne ord/,
        kind,
      );
      assert.match(
        refusal(competence, { ...decisions[kind], reasonIds: ['fordi-vi-vil'] }),
        /«fordi-vi-vil» finnes ikke/,
        kind,
      );
    }
  });

  test('a reason grounds only the kinds of decision it applies to', () => {
    assert.match(
      refusal(competence, { ...decisions.rejected, reasonIds: ['etter-soknadsfristen'] }),
      /«Søknaden kom inn etter søknadsfristen\.» kan ikke begrunne avslag/,
    );
    assert.match(
      refusal(competence, { ...decisions.dismissed, reasonIds: ['lavere-prioritet'] }),
      /kan ikke begrunne avvisning/,
    );
    accepted(competence, { ...decisions.rejected, reasonIds: ['lavere-prioritet', 'ikke-tilskuddsberettiget'] });
  });

  test('a grant names its conditions, and its amount fits the kind', () => {
    assert.match(refusal(competence, { ...decisions['approved-in-full'], conditionIds: [] }), /må angi vilkårene/);
    assert.match(
      refusal(competence, { ...decisions['approved-in-full'], conditionIds: ['gratis-lunsj'] }),
      /«gratis-lunsj» finnes ikke/,
    );
    assert.match(
      refusal(competence, { ...decisions['approved-in-full'], amountGranted: 900_000 }),
      /søknadsbeløpet kr 1 400 000, ikke kr 900 000/,
    );
    assert.match(
      refusal(competence, { ...decisions['approved-in-part'], amountGranted: 1_400_000 }),
      /mindre enn søknadsbeløpet/,
    );
    const unknownAmount = checkDecisionGrounds(competence, decisions['approved-in-full'], undefined);
    assert.match(unknownAmount.ok ? '' : unknownAmount.refusal, /Søknadsbeløpet mangler/);
    assert.match(refusal(competence, { kind: 'approved', amountGranted: 5 }), /Ugyldig vedtak \(kind\)/);
    accepted(competence, {
      kind: 'approved-in-full',
      amountGranted: 1_400_000,
      conditionIds: [],
      extraConditions: ['Rapport med rekneskap.'],
    });
  });
});

describe('the decision letter', () => {
  test("every default template fills with the decision letter's placeholders", () => {
    for (const standard of ['nb', 'nn'] as const) {
      for (const kind of Object.keys(decisions) as Array<DecisionGrounds['kind']>) {
        LetterTemplateSchema.parse(defaultLetterTemplates[standard][kind]);
        const letter = composeDecisionLetter(competence, accepted(competence, decisions[kind]), facts(standard));
        assert.ok(letter.sections.length >= 4, `${standard} ${kind}`);
      }
    }
  });

  const expectations = {
    nb: {
      title: {
        'approved-in-full': 'Vedtak om tilskudd – Kommunalt kompetanse- og innovasjonstilskudd',
        'approved-in-part': 'Vedtak om tilskudd – Kommunalt kompetanse- og innovasjonstilskudd',
        rejected: 'Vedtak om avslag på søknad om tilskudd – Kommunalt kompetanse- og innovasjonstilskudd',
        dismissed: 'Vedtak om avvisning av søknad om tilskudd – Kommunalt kompetanse- og innovasjonstilskudd',
      },
      words: [
        /søknaden deres/,
        /Klagefristen er tre uker fra dere mottok dette brevet \(forvaltningsloven § 29\)/,
        /forvaltningsloven §§ 18 og 19/,
        /Med hilsen/,
      ],
      decision: {
        'approved-in-full': /innvilger Vinje kommune et tilskudd på kr 1 400 000 .* innvilget i sin helhet/,
        'approved-in-part':
          /innvilger Vinje kommune et tilskudd på kr 1 250 000 .* Dere søkte om kr 1 400 000, og søknaden er dermed delvis innvilget/,
        rejected: /avslår søknaden fra Vinje kommune/,
        dismissed: /avviser søknaden fra Vinje kommune/,
      },
    },
    nn: {
      title: {
        'approved-in-full': 'Vedtak om tilskot – Kommunalt kompetanse- og innovasjonstilskot',
        'approved-in-part': 'Vedtak om tilskot – Kommunalt kompetanse- og innovasjonstilskot',
        rejected: 'Vedtak om avslag på søknad om tilskot – Kommunalt kompetanse- og innovasjonstilskot',
        dismissed: 'Vedtak om avvising av søknad om tilskot – Kommunalt kompetanse- og innovasjonstilskot',
      },
      words: [
        /søknaden dykkar/,
        /Klagefristen er tre veker frå de fekk dette brevet \(forvaltningslova § 29\)/,
        /forvaltningslova §§ 18 og 19/,
        /Med helsing/,
      ],
      decision: {
        'approved-in-full': /gir Vinje kommune eit tilskot på kr 1 400 000 .* innvilga i sin heilskap/,
        'approved-in-part':
          /gir Vinje kommune eit tilskot på kr 1 250 000 .* De søkte om kr 1 400 000, og søknaden er dermed delvis innvilga/,
        rejected: /avslår søknaden frå Vinje kommune/,
        dismissed: /avviser søknaden frå Vinje kommune/,
      },
    },
  } as const;

  for (const standard of ['nb', 'nn'] as const) {
    for (const kind of Object.keys(decisions) as Array<DecisionGrounds['kind']>) {
      test(`${kind} in ${standard === 'nb' ? 'Bokmål' : 'Nynorsk'}`, () => {
        const grounds = accepted(competence, decisions[kind]);
        const letter = composeDecisionLetter(competence, grounds, facts(standard));
        const text = letterText(letter);
        const expected = expectations[standard];
        assert.equal(letter.title, expected.title[kind]);
        assert.equal(letter.letterId, 'SAK-7F3A9C21-vedtak');
        assert.deepEqual(
          letter.head.map((h) => h.value),
          ['12.06.2017', 'SAK-7F3A9C21', 'Lillian Olsen Opedal'],
        );
        assert.deepEqual(letter.recipient, {
          name: 'Vinje kommune',
          lines: ['v/ Kari Nordmann', 'Vinjevegen 192', '3890 Vinje'],
        });
        assert.equal(letter.sender.office, 'Fylkesmannen i Telemark');
        for (const word of expected.words) assert.match(text, word);
        assert.match(text, expected.decision[kind]);
        assert.match(
          text,
          /Klagen .*til Fylkesmannen i Telemark.*Helsedirektoratet/s,
          'the appeal body of a scheme the county governor manages',
        );
        assert.deepEqual(
          letter.closing.signatures.map((s) => s.name),
          ['Per Hansen', 'Lillian Olsen Opedal'],
        );
        const fact = (label: RegExp) => letter.facts.find((f) => label.test(f.label))?.value;
        assert.equal(fact(/^Søknadsbeløp$/), 'kr 1 400 000');
        assert.equal(
          fact(/^Innvilg/),
          kind === 'approved-in-full' ? 'kr 1 400 000' : kind === 'approved-in-part' ? 'kr 1 250 000' : 'kr 0',
        );
        if (kind.startsWith('approved')) {
          assert.equal(fact(/Rapporteringsfrist/), '01.04.2018', "the seed's reporting deadline");
          assert.equal(fact(/Frist for aksept/), '03.07.2017', 'three weeks from the letter');
          assert.match(text, standard === 'nb' ? /innen 03\.07\.2017/ : /innan 03\.07\.2017/);
          assert.match(
            text,
            standard === 'nb'
              ? /Bruken av tilskuddet skal rapporteres innen 01\.04\.2018/
              : /Bruken av tilskotet skal rapporterast innan 01\.04\.2018/,
          );
        } else {
          assert.equal(fact(/Rapporteringsfrist/), undefined, 'a refusal sets no deadlines');
          assert.doesNotMatch(text, /akseptskjema|Vilkår for/);
        }
        if ('explanation' in grounds) assert.ok(text.includes(grounds.explanation), "the caseworker's own words");
        if (kind === 'dismissed') assert.match(text, /Søknaden kom inn etter søknadsfristen\./);
      });
    }
  }

  test("the Directorate's own scheme is appealed to the ministry, and an unknown amount requested is left out", () => {
    const letter = composeDecisionLetter(
      relatives,
      accepted(relatives, decisions.dismissed),
      facts('nb', { amountRequested: undefined }),
    );
    const text = letterText(letter);
    assert.equal(letter.sender.office, 'Helsedirektoratet');
    assert.match(text, /sender vi klagen til Helse- og omsorgsdepartementet/);
    assert.equal(
      letter.facts.find((f) => f.label === 'Søknadsbeløp'),
      undefined,
    );
    assert.match(letter.title, /pårørende med krevende omsorgsoppgaver/);
  });

  test("a scheme overrides a template kind by kind; the others stay the default set's", () => {
    const own = SchemeSchema.parse({
      ...competence,
      decisions: {
        ...competence.decisions,
        letterTemplates: {
          nb: {
            rejected: { ...defaultLetterTemplates.nb.rejected, title: 'Svar på søknad om tilskudd – {schemeName}' },
          },
        },
      },
    });
    assert.equal(
      composeDecisionLetter(own, accepted(own, decisions.rejected), facts('nb')).title,
      'Svar på søknad om tilskudd – Kommunalt kompetanse- og innovasjonstilskudd',
    );
    assert.match(
      composeDecisionLetter(own, accepted(own, decisions.dismissed), facts('nb')).title,
      /^Vedtak om avvisning/,
    );
    assert.match(
      composeDecisionLetter(own, accepted(own, decisions.rejected), facts('nn')).title,
      /^Vedtak om avslag på søknad om tilskot/,
    );
  });

  test("the caseworker's words are printed as written, never read as placeholders", () => {
    const explanation = 'Budsjettposten {amountGranted} var uklar.';
    const letter = composeDecisionLetter(
      competence,
      accepted(competence, { ...decisions.rejected, explanation }),
      facts('nb'),
    );
    assert.ok(letterText(letter).includes(explanation));
  });
});

describe('the written standard of an application', () => {
  test('generated forms are told apart by their words: Nynorsk forms get Nynorsk letters', () => {
    let nynorsk = 0;
    for (let seed = 0; seed < 60; seed++) {
      const draft = draftApplication(Random.for(14, seed), competence, seed % 2 === 0);
      const form = fillForm(draft, Random.for(14, seed));
      const text = [
        ...form.title,
        ...form.intro,
        ...form.sections.flatMap((s) => [s.heading, ...s.rows.flatMap((r) => [r.label, ...r.lines])]),
        ...form.closing,
      ].join('\n');
      assert.equal(writtenStandardOf(text), draft.language, `seed ${seed}:\n${text}`);
      if (draft.language === 'nn') nynorsk += 1;
    }
    assert.ok(nynorsk >= 10, `only ${nynorsk} Nynorsk forms drawn`);
  });
});

describe('the letter as PDF', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'letters-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  let files = 0;
  async function poppler(tool: 'pdftotext' | 'pdfinfo', pdf: Buffer): Promise<string> {
    const file = join(dir, `${(files += 1)}.pdf`);
    await writeFile(file, pdf);
    const { stdout } = await run(tool, tool === 'pdftotext' ? ['-layout', '-enc', 'UTF-8', file, '-'] : [file], {
      encoding: 'utf8',
    });
    return stdout;
  }
  // Words joined again across line breaks, so that a sentence can be matched whole.
  const pdfText = async (pdf: Buffer) => (await poppler('pdftotext', pdf)).replace(/\s+/g, ' ');

  test('an A4 letter whose text holds the reference, the amount, the deadlines, the appeal body and the signers', async () => {
    const letter = composeDecisionLetter(competence, accepted(competence, decisions['approved-in-part']), facts('nb'));
    const pdf = await renderLetterPdf(letter);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.match(await poppler('pdfinfo', pdf), /Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    const text = await pdfText(pdf);
    assert.match(text, /Vår referanse SAK-7F3A9C21/);
    assert.match(text, /Innvilget beløp kr 1 250 000/);
    assert.match(text, /Rapporteringsfrist 01\.04\.2018/);
    assert.match(text, /Klagefristen er tre uker fra dere mottok dette brevet \(forvaltningsloven § 29\)/);
    assert.match(text, /sender vi klagen til Helsedirektoratet/);
    assert.match(
      text,
      /Per Hansen Lillian Olsen Opedal leder saksbehandler|Per Hansen leder Lillian Olsen Opedal saksbehandler/,
    );
    assert.match(text, /Saksbehandler Lillian Olsen Opedal/);
    assert.match(text, /Side 1 av 2/);
    assert.deepEqual(await renderLetterPdf(letter), pdf, 'the same letter gives the same bytes');
  });

  test('a Nynorsk letter reads as Nynorsk, æøå and all', async () => {
    const letter = composeDecisionLetter(competence, accepted(competence, decisions['approved-in-full']), facts('nn'));
    const text = await pdfText(await renderLetterPdf(letter));
    assert.match(text, /Vedtak om tilskot – Kommunalt kompetanse- og innovasjonstilskot/);
    assert.match(text, /Vi viser til søknaden dykkar om tilskot frå ordninga/);
    assert.match(text, /De kan klage på vedtaket/);
    assert.match(text, /Klagefristen er tre veker frå de fekk dette brevet/);
    assert.match(text, /Innvilga beløp kr 1 400 000/);
    assert.match(text, /Kompetanseløft i heimetenesta/);
    assert.match(text, /Sakshandsamar Lillian Olsen Opedal/);
    assert.match(text, /Med helsing/);
  });
});
