import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadSchemes, schemesDir } from '../config/schemes.ts';
import type { Application } from '../schemas/application.ts';
import { deadlineInstant } from '../schemas/deadline.ts';
import { detectScheme } from '../schemas/detect-scheme.ts';
import { municipalityNumberProblem } from '../schemas/rules/municipality.ts';
import type { Scheme } from '../schemas/scheme.ts';
import { validateApplication } from '../schemas/validate.ts';

const kebabCase = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const schemes = await loadSchemes();

/** Enough of a form's body for detection to see an application. */
const formBody =
  'Søker (kommune): Vinje kommune\nTiltakets navn: Kurs\nTotale kostnader: 100 000\nSøknadsbeløp: 100 000';

test('every definition in schemas/schemes/ loads, with a unique id', () => {
  assert.ok(schemes.length >= 3);
  const ids = schemes.map((s) => s.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ['kompetanse-innovasjon-2017', 'frisklivs-laering-mestring-2017', 'parorende-2017'])
    assert.ok(ids.includes(id), id);
});

for (const scheme of schemes) {
  describe(`${scheme.id} is consistent`, () => {
    test('ids and queue are kebab-case codes; categories and earmarks are unique', () => {
      for (const code of [
        scheme.id,
        scheme.queue,
        ...scheme.categories.map((c) => c.id),
        ...scheme.money.earmarks.map((e) => e.id),
      ]) {
        assert.match(code, kebabCase);
      }
      assert.equal(new Set(scheme.categories.map((c) => c.id)).size, scheme.categories.length);
      assert.equal(new Set(scheme.money.earmarks.map((e) => e.id)).size, scheme.money.earmarks.length);
    });

    test("every category's earmark exists, and earmarks (if any) cover every category and sum to the total", () => {
      const earmarks = new Set(scheme.money.earmarks.map((e) => e.id));
      if (earmarks.size === 0) {
        assert.deepEqual(
          scheme.categories.filter((c) => c.earmark),
          [],
          'no earmarks, so no category draws on one',
        );
        return;
      }
      for (const category of scheme.categories)
        assert.ok(category.earmark && earmarks.has(category.earmark), `${category.id} → ${category.earmark}`);
      assert.equal(
        scheme.money.earmarks.reduce((sum, e) => sum + e.amount, 0),
        scheme.money.total,
      );
    });

    test('the deadline is a real date in a real time zone', () => {
      const instant = deadlineInstant(scheme.deadline);
      assert.ok(!Number.isNaN(instant.getTime()));
      assert.equal(new Date(`${scheme.deadline.date}T12:00:00Z`).toISOString().slice(0, 10), scheme.deadline.date);
    });

    test('sub-goals are numbered 1, 2, 3 … as the form numbers them', () => {
      assert.deepEqual(
        scheme.subGoals.map((g) => g.number),
        scheme.subGoals.map((_, i) => i + 1),
      );
    });

    const county = scheme.eligibility.county;
    if (county) {
      test("the eligibility county's register holds real municipality numbers", () => {
        for (const number of Object.keys(county.municipalities))
          assert.equal(municipalityNumberProblem(number, undefined), undefined, number);
      });
    }

    test('each title pattern, and the name, on a form is detected as this scheme', () => {
      const year = scheme.deadline.date.slice(0, 4);
      for (const title of [...scheme.titlePatterns, scheme.name]) {
        const detection = detectScheme(`Søknadsskjema – ${title} ${year}\n${formBody}`, schemes);
        assert.equal(detection.schemeId, scheme.id, `${title}: ${JSON.stringify(detection)}`);
      }
    });
  });
}

describe('adding a scheme for 2018 is a new definition file and nothing else', () => {
  let folder: string;
  let loaded: Scheme[];

  after(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  /**
   * Copies a definition as a developer would: the same text under a new id and deadline. Imports relative to
   * `schemas/schemes/` point back there, since the copy lives elsewhere.
   */
  async function copyDefinition(fromId: string, toId = fromId, deadline?: string): Promise<void> {
    const source = await readFile(join(schemesDir, `${fromId}.ts`), 'utf8');
    const schemasUrl = pathToFileURL(join(schemesDir, '..')).href;
    let copy = source.replaceAll("from '../", `from '${schemasUrl}/`).replace(`id: '${fromId}'`, `id: '${toId}'`);
    if (deadline) copy = copy.replace(/deadline: \{ date: '\d{4}-\d{2}-\d{2}'/, `deadline: { date: '${deadline}'`);
    await writeFile(join(folder, `${toId}.ts`), copy);
  }

  test('loadSchemes picks up the copy beside the 2017 definitions', async () => {
    folder = await mkdtemp(join(tmpdir(), 'grant-schemes-'));
    // The folder stands in for schemas/schemes/, which lies in this ESM package.
    await writeFile(join(folder, 'package.json'), '{ "type": "module" }');
    for (const scheme of schemes) await copyDefinition(scheme.id);
    await copyDefinition('kompetanse-innovasjon-2017', 'kompetanse-innovasjon-2018', '2018-04-15');

    loaded = await loadSchemes(folder);
    assert.deepEqual(
      loaded.map((s) => s.id).sort(),
      [...schemes.map((s) => s.id), 'kompetanse-innovasjon-2018'].sort(),
    );
    const scheme2018 = loaded.find((s) => s.id === 'kompetanse-innovasjon-2018')!;
    assert.equal(scheme2018.deadline.date, '2018-04-15');
    assert.deepEqual(scheme2018.money, schemes.find((s) => s.id === 'kompetanse-innovasjon-2017')!.money);
  });

  test('detection tells the years apart by the year in the title, and asks when there is none', () => {
    const title = 'Søknadsskjema – Kommunalt kompetanse- og innovasjonstilskudd';
    assert.equal(detectScheme(`${title} 2018\n${formBody}`, loaded).schemeId, 'kompetanse-innovasjon-2018');
    assert.equal(detectScheme(`${title} 2017\n${formBody}`, loaded).schemeId, 'kompetanse-innovasjon-2017');
    const undated = detectScheme(`${title}\n${formBody}`, loaded);
    assert.equal(undated.schemeId, null);
    assert.match(
      undated.findings[0]!.message,
      /flere ordninger.*kompetanse-innovasjon-2017.*kompetanse-innovasjon-2018|flere ordninger.*kompetanse-innovasjon-2018.*kompetanse-innovasjon-2017/,
    );
  });

  test("validation applies the new definition's deadline, earmarks and county", () => {
    const scheme2018 = loaded.find((s) => s.id === 'kompetanse-innovasjon-2018')!;
    const application: Application = {
      schemeId: scheme2018.id,
      applicant: { name: 'Vinje kommune', organisationNumber: '964964998', municipalityNumber: '0834' },
      contact: { name: 'Kari Nordmann', email: 'kari.nordmann@vinje.kommune.no' },
      project: {
        title: 'Videreutdanning',
        category: 'videreutdanning',
        startDate: '2018-08-15',
        endDate: '2019-06-30',
      },
      budget: { totalCost: 1_600_000, ownFunding: 350_000, otherFunding: 0, amountRequested: 1_250_000 },
      signature: { date: '2018-04-10' },
    };
    assert.deepEqual(validateApplication(application, { scheme: scheme2018, receivedAt: '2018-04-10T08:00:00Z' }), []);
    const late = validateApplication(application, { scheme: scheme2018, receivedAt: '2018-04-16T00:30:00+02:00' });
    assert.deepEqual(
      late.map((f) => f.code),
      ['received-after-deadline'],
    );
    assert.match(late[0]!.message, /søknadsfristen 15\.04\.2018/);
    const tooMuch = validateApplication(
      { ...application, budget: { amountRequested: 9_000_000 } },
      { scheme: scheme2018, receivedAt: '2018-04-10T08:00:00Z' },
    );
    assert.deepEqual(
      tooMuch.map((f) => f.code),
      ['amount-exceeds-pot'],
    );
  });
});
