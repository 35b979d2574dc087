import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { fieldLabels } from '../schemas/rules/fields.ts';
import { presenter } from '../web/present.ts';
import { renderDocx } from '../fixtures/render-docx.ts';
import { renderFormPdf } from '../fixtures/render-pdf.ts';
import { scannerAvailable, scanPdf } from '../fixtures/scan.ts';
import { draft, drop, filled, routedCase } from './support/browser.ts';
import { useTestStack } from './support/use-test-stack.ts';

/**
 * A caseworker's day and an admin's, in Debian's Chromium (issue 15): Norwegian names and formats with no raw id,
 * corrections that keep the page's place, a decision that asks once and a refused one that keeps what was entered,
 * the history from the audit log after the decision, orphan queues, the waiting time of the current step.
 */

const { stack, deps, web, users, signIn } = useTestStack({
  workers: { webhook: true },
  web: { serve: 'port' },
  browser: true,
});

/**
 * Every id the scheme data and the app use that a person must never read: schemes, queues, earmarks, categories
 * (those that are not plain words), statuses and field paths.
 */
function rawIds(): string[] {
  const ids = new Set<string>([
    'needs-correction',
    'ready-for-assessment',
    'under-assessment',
    'awaiting-information',
    'approved',
    'rejected',
    'triage',
  ]);
  for (const scheme of deps.schemes) {
    ids.add(scheme.id);
    ids.add(scheme.queue);
    for (const earmark of scheme.money.earmarks) {
      ids.add(`${scheme.queue}/${earmark.id}`);
      if (earmark.id.includes('-')) ids.add(earmark.id);
    }
    for (const category of scheme.categories) if (category.id.includes('-')) ids.add(category.id);
  }
  for (const path of Object.keys(fieldLabels)) if (path.includes('.')) ids.add(path);
  return [...ids];
}

async function assertNoRawIds(page: Page, where: string) {
  // The document and the source quotes are the applicant's own text (a form may well say «2017-04-03»).
  const text = await page.evaluate(() => {
    const copy = document.body.cloneNode(true) as HTMLElement;
    for (const own of copy.querySelectorAll('.document-pane, q.source')) own.remove();
    return copy.textContent ?? '';
  });
  for (const id of rawIds()) assert.ok(!text.includes(id), `${where}: the raw id «${id}» is on the page`);
  assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}/, `${where}: no ISO date`);
  assert.doesNotMatch(text, /\d\.\d+ %/, `${where}: percentages with a comma`);
}

const kompetanseId = 'kompetanse-innovasjon-2017';

test("a caseworker's day and an admin's: Norwegian throughout, corrections in place, a decision that asks once, the whole history, orphan queues", async () => {
  const scheme = deps.schemes.find((s) => s.id === kompetanseId)!;
  // Case A, in the education earmark's queue, with an organisation number that fails its check digit.
  const { draft: formA, random: randomA } = await draft(51);
  formA.truth.project!.category = 'grunnutdanning';
  const valid = formA.truth.applicant!.organisationNumber!;
  const invalid = valid.slice(0, 8) + String((Number(valid[8]) + 1) % 10);
  formA.truth.applicant!.organisationNumber = invalid;
  await drop(stack, 'Søknad A.pdf', await renderFormPdf(filled(formA, randomA)));
  // Case B, in the BPA and innovation earmark's queue, which no caseworker has.
  const { draft: formB, random: randomB } = await draft(52);
  formB.truth.project!.category = 'innovasjon';
  await drop(stack, 'Søknad B.pdf', await renderFormPdf(filled(formB, randomB)));
  const caseA = await routedCase(stack, `OrganisationNumber = '${invalid}'`, 240_000);
  const caseB = await routedCase(
    stack,
    `OrganisationNumber = '${formB.truth.applicant!.organisationNumber!}'`,
    240_000,
  );
  assert.equal(caseA.queue, 'fm-telemark-helse/utdanning');
  assert.equal(caseB.queue, 'fm-telemark-helse/bpa-innovasjon');
  await users.put({
    username: 'kari',
    role: 'caseworker',
    queues: ['fm-telemark-helse/utdanning'],
    password: 'kari-passord-1234',
  });
  await users.put({ username: 'admin', role: 'admin', queues: [], password: 'admin-passord-123' });

  // The caseworker's queue: named as people name it, dates dd.mm.yyyy, amounts in kroner, the waiting time of the step.
  const kari = await signIn('kari', 'kari-passord-1234');
  const section = kari.locator('section.queue[data-queue="fm-telemark-helse/utdanning"]');
  await section.locator(`tr[data-reference="${caseA.reference}"]`).waitFor();
  assert.equal(
    await section.locator('h2').evaluate((h) => h.firstChild?.textContent?.trim()),
    'Statsforvalteren i Vestfold og Telemark – helse (grunn-, videre- og etterutdanning)',
  );
  const row = await section.locator(`tr[data-reference="${caseA.reference}"]`).innerText();
  assert.match(row, /10\.04\.2017/, 'received as dd.mm.yyyy');
  assert.match(row, new RegExp(scheme.name), 'the scheme by its name');
  assert.match(row, /kr \d{1,3}( \d{3})*/, 'the amount in kroner');
  assert.match(row, /Må rettes/);
  assert.doesNotMatch(row, /\d{3,} d/, 'the waiting time counts from the current step, not from 2017');
  await assertNoRawIds(kari, 'the queue page');

  // The case page before taking it: what correcting needs is said; fields the scheme does not ask are not there.
  await kari.goto(`${web.url}/saker/${encodeURIComponent(caseA.reference)}`);
  await kari.getByText('Ta saken for å rette felter').waitFor();
  assert.equal(await kari.locator('details.correct').count(), 0, 'no «Rett» before the case is taken');
  assert.equal(
    await kari.locator('tr[id="felt-hasOverarchingPlan"]').count(),
    0,
    'the scheme does not ask for an overarching plan',
  );
  assert.doesNotMatch(await kari.locator('body').innerText(), /ingen språkmodell/, 'technical notes are for admins');
  assert.doesNotMatch(await kari.locator('dl.facts').innerText(), /Under behandling/);
  assert.match(await kari.locator('dl.facts').innerText(), /I dette steget/);
  assert.match(await kari.locator('dl.facts').innerText(), /Behandlingsfrist\s+\d{2}\.\d{2}\.\d{4}/);
  assert.match(await kari.locator('tr[id="felt-project.startDate"] td.value').innerText(), /^\d{2}\.\d{2}\.\d{4}$/);
  assert.match(
    await kari.locator('tr[id="felt-budget.amountRequested"] td.value').innerText(),
    /^kr \d{1,3}( \d{3})*$/,
  );
  assert.equal(
    await kari.locator('tr[id="felt-project.category"] td.value').innerText(),
    'Grunnutdanning',
    'the category by its name in the scheme data',
  );
  await assertNoRawIds(kari, 'the case page');

  // Findings and fields link both ways.
  const orgRow = kari.locator('tr[id="felt-applicant.organisationNumber"]');
  const findingHref = await orgRow.locator('a.field-finding.error').getAttribute('href');
  assert.ok(findingHref?.startsWith('#funn-'));
  assert.equal(await kari.locator(`li${findingHref}`).getAttribute('data-field'), 'applicant.organisationNumber');
  assert.equal(
    await kari.locator(`li${findingHref} a.finding-field`).getAttribute('href'),
    '#felt-applicant.organisationNumber',
  );

  await kari.getByLabel(/ikke er inhabil/).check();
  await kari.getByRole('button', { name: 'Ta saken' }).click();
  await kari.locator('.flash-ok', { hasText: 'Du har tatt saken.' }).waitFor();

  // The category list: the scheme's names, and nothing chosen for the caseworker.
  const categoryOptions = await kari
    .locator('tr[id="felt-project.category"] select[name="value"] option')
    .allTextContents();
  assert.deepEqual(
    categoryOptions.slice(1),
    scheme.categories.map((c) => c.labels[0]),
  );
  assert.equal(
    await kari.locator('tr[id="felt-project.category"] select[name="value"] option').first().getAttribute('value'),
    '',
  );

  // An invalid value: a Norwegian reason beside the field, and what was typed is still there.
  const startRow = kari.locator('tr[id="felt-project.startDate"]');
  await startRow.locator('details.correct summary').click();
  await startRow.locator('input[name="value"]').fill('32.13.2017');
  await startRow.getByRole('button', { name: 'Lagre rettelse' }).click();
  await kari.locator('tr[id="felt-project.startDate"] .field-error', { hasText: 'dd.mm.åååå' }).waitFor();
  assert.equal(await kari.locator('tr[id="felt-project.startDate"] input[name="value"]').inputValue(), '32.13.2017');
  assert.doesNotMatch(await kari.locator('body').innerText(), /YYYY-MM-DD/);

  // A correction keeps the page's place: no reload, the field where it was on the screen.
  await orgRow.scrollIntoViewIfNeeded();
  await kari.evaluate(() => window.scrollBy(0, 200));
  await orgRow.locator('details.correct summary').click();
  await kari.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  const before = await kari.evaluate(() => ({
    y: window.scrollY,
    top: document.getElementById('felt-applicant.organisationNumber')!.getBoundingClientRect().top,
  }));
  assert.ok(before.y > 300, 'the field is far down the page');
  await orgRow.locator('input[name="value"]').fill(valid.replace(/(\d{3})(\d{3})(\d{3})/, '$1 $2 $3'));
  await orgRow.getByRole('button', { name: 'Lagre rettelse' }).click();
  await kari.locator('li.finding[data-code="invalid-organisation-number"]').waitFor({ state: 'detached' });
  const afterCorrection = await kari.evaluate(() => ({
    stayed: (window as unknown as { stayed?: boolean }).stayed === true,
    top: document.getElementById('felt-applicant.organisationNumber')!.getBoundingClientRect().top,
  }));
  assert.ok(afterCorrection.stayed, 'the page was not reloaded');
  assert.ok(
    Math.abs(afterCorrection.top - before.top) < 4,
    `the field stays in place (${before.top} → ${afterCorrection.top})`,
  );
  assert.equal(await kari.locator('tr[id="felt-applicant.organisationNumber"] td.value').innerText(), valid);
  await kari.locator('.done-note', { hasText: 'Feltet er rettet' }).waitFor();

  // Asking the applicant: says what will be sent, and sends on confirmation.
  await kari.locator('details.request-info summary').click();
  await kari.getByLabel('Melding til søkeren').fill('Send oss et detaljert budsjett.');
  await kari.getByLabel('Begrunnelse (intern)').fill('Budsjettet er for grovt.');
  await kari.getByRole('button', { name: 'Send forespørsel' }).click();
  await kari.locator('form.confirm', { hasText: 'Send oss et detaljert budsjett.' }).waitFor();
  await kari.getByRole('button', { name: 'Bekreft: send forespørselen' }).click();
  await kari.locator('.awaiting', { hasText: 'Venter på svar fra søkeren' }).waitFor();

  // A refused proposal of rejection keeps «Avslag» and what was typed, with the reason beside the field it concerns.
  const propose = kari.locator('form.propose');
  await propose.getByLabel('Avslag', { exact: true }).check();
  await propose.getByLabel('Beløp (kr)').fill('12 345');
  await propose.locator('input[name="reasons"]').first().check();
  await propose.getByRole('button', { name: 'Send til godkjenning' }).click();
  await kari.locator('form.propose .field-error', { hasText: 'Skriv en begrunnelse med egne ord.' }).waitFor();
  assert.equal(
    await kari.locator('form.propose').getByLabel('Avslag', { exact: true }).isChecked(),
    true,
    'still «Avslag»',
  );
  assert.equal(await kari.locator('form.propose').getByLabel('Innvilgelse', { exact: true }).isChecked(), false);
  assert.equal(await kari.locator('form.propose').getByLabel('Beløp (kr)').inputValue(), '12 345', 'what was typed');
  assert.equal(await kari.locator('form.propose input[name="reasons"]').first().isChecked(), true, 'the reason ticked');
  assert.equal(await kari.locator('form.propose textarea[name="explanation"]').getAttribute('aria-invalid'), 'true');

  // Proposing asks once, saying what will happen; «Endre» keeps the typed text.
  const reason = 'Tiltaket ligger utenfor ordningens formål.';
  await kari.locator('form.propose').getByLabel('Med egne ord').fill(reason);
  await kari.locator('form.propose').getByRole('button', { name: 'Send til godkjenning' }).click();
  const confirm = kari.locator('form.confirm');
  await confirm.waitFor();
  const what = await confirm.innerText();
  assert.match(what, /Du innstiller på avslag/);
  assert.match(what, /ennå ikke svart/, 'the pending request is named');
  assert.equal(await kari.locator('form.propose').getByLabel('Avslag', { exact: true }).isChecked(), true);
  assert.equal(await kari.locator('form.propose').getByLabel('Med egne ord').inputValue(), reason);
  await confirm.getByRole('button', { name: 'Bekreft: send innstillingen (avslag)' }).click();
  await kari.locator('.proposal', { hasText: 'Venter på godkjenning av en annen person' }).waitFor();

  // A second person approves it on the case page, confirming once.
  await users.put({
    username: 'per',
    role: 'approver',
    queues: ['fm-telemark-helse/utdanning'],
    password: 'per-passord-12345',
  });
  const per = await signIn('per', 'per-passord-12345');
  await per.goto(`${web.url}/saker/${encodeURIComponent(caseA.reference)}`);
  await per
    .locator('form.approve')
    .getByLabel(/ikke er inhabil/)
    .check();
  await per.getByRole('button', { name: 'Godkjenn vedtaket' }).click();
  await per.getByRole('button', { name: 'Bekreft: godkjenn vedtaket' }).click();
  await per.locator('.decision', { hasText: 'Avslått' }).waitFor();
  await per.context().close();
  await kari.goto(`${web.url}/saker/${encodeURIComponent(caseA.reference)}`);
  await kari.locator('.decision', { hasText: 'Avslått' }).waitFor();

  // After the decision the history still has the request (from the audit log), and so does the API.
  const history = kari.locator('section.history');
  await history
    .locator('li[data-event="information-requested"]', { hasText: 'Send oss et detaljert budsjett.' })
    .waitFor();
  await history.locator('li[data-event="field-corrected"]', { hasText: 'Organisasjonsnummer' }).waitFor();
  await history.locator('li[data-event="proposed"]', { hasText: reason }).waitFor();
  await history.locator('li[data-event="approved"]', { hasText: 'per godkjente innstillingen: avslått' }).waitFor();
  assert.match(await kari.locator('dl.facts').innerText(), /Ramme/, 'the pot is still shown');
  const api = (await (
    await kari.request.get(`${web.url}/api/saker/${encodeURIComponent(caseA.reference)}`)
  ).json()) as { informationRequests: unknown[] };
  assert.equal(api.informationRequests.length, 1);
  await assertNoRawIds(kari, 'the decided case');

  // The caseworker's overview: only the pots of their queues, no two columns with one heading.
  await kari.goto(`${web.url}/oversikt`);
  const money = await kari.locator('table.overview').first().innerText();
  assert.match(money, /Grunn-, videre- og etterutdanning/);
  assert.doesNotMatch(money, /Brukerstyrt personlig assistanse/, 'not a pot of a queue they do not work on');
  for (const table of await kari.locator('table.overview').all()) {
    const headings = await table.locator('thead th').allInnerTexts();
    assert.equal(new Set(headings).size, headings.length, `one heading per column: ${headings.join(' | ')}`);
  }
  await assertNoRawIds(kari, 'the overview');
  // The CSV in Norwegian, local times, the formula guard kept.
  const csv = await (await kari.request.get(`${web.url}/oversikt/saker.csv`)).text();
  const line = csv.split('\r\n').find((l) => l.startsWith(caseA.reference))!;
  assert.match(line, /;Avslått;/);
  assert.match(line, /10\.04\.2017 kl\. 09:12/, 'received in Oslo time');
  assert.match(line, new RegExp(`;${scheme.name};Grunnutdanning;"Grunn-, videre- og etterutdanning";`));
  for (const id of rawIds()) assert.ok(!csv.includes(id), `the CSV has the raw id «${id}»`);
  await kari.context().close();

  // The admin: the queue nobody has is flagged on the overview and the queue page, and «Tildel» offers every
  // caseworker.
  const admin = await signIn('admin', 'admin-passord-123');
  const orphan = admin.locator('section.queue[data-queue="fm-telemark-helse/bpa-innovasjon"]');
  await orphan.locator('.orphan', { hasText: 'Ingen saksbehandler har denne køen' }).waitFor();
  assert.equal(await admin.locator('section.queue[data-queue="fm-telemark-helse/utdanning"] .orphan').count(), 0);
  await assertNoRawIds(admin, "the admin's queue page");
  await admin.goto(`${web.url}/oversikt`);
  assert.match(
    await admin.locator('section.orphans').innerText(),
    /Statsforvalteren i Vestfold og Telemark – helse \(brukerstyrt personlig assistanse og innovasjon\)/,
  );
  await admin.goto(`${web.url}/saker/${encodeURIComponent(caseB.reference)}`);
  const option = admin.locator('form.assign option', { hasText: 'kari' });
  assert.match((await option.textContent()) ?? '', /ikke i køen/);
  await admin.locator('form.assign select').selectOption('kari');
  await admin.getByRole('button', { name: 'Tildel' }).click();
  await admin.locator('.flash-ok', { hasText: 'har fått tilgang til køen' }).waitFor();
  assert.equal((await users.get('kari'))!.queues.includes('fm-telemark-helse/bpa-innovasjon'), true);
  await assertNoRawIds(admin, "the admin's case page");
  await admin.goto(`${web.url}/`);
  assert.equal(
    await admin.locator('section.queue[data-queue="fm-telemark-helse/bpa-innovasjon"] .orphan').count(),
    0,
    'no longer orphaned',
  );
  await admin.context().close();
});

test('«Vis kilde» marks the value itself: in a Word document, and on a scanned page through its OCR words', async () => {
  await users.put({ username: 'admin', role: 'admin', queues: [], password: 'admin-passord-123' });
  const { draft: wordForm, random: wordRandom } = await draft(53);
  const wordNumber = wordForm.truth.applicant!.organisationNumber!;
  await drop(stack, 'Søknad Word.docx', await renderDocx(filled(wordForm, wordRandom)));
  const wordCase = await routedCase(stack, `OrganisationNumber = '${wordNumber}'`);
  const page = await signIn('admin', 'admin-passord-123');
  await page.goto(`${web.url}/saker/${encodeURIComponent(wordCase.reference)}`);
  for (const field of ['applicant.organisationNumber', 'budget.amountRequested']) {
    await page.locator(`tr[id="felt-${field}"]`).getByRole('button', { name: 'Vis kilde' }).click();
    const marked = (await page.locator('.docx-view mark.highlight-text').innerText()).replace(/\D/g, '');
    const value = (await page.locator(`tr[id="felt-${field}"] td.value`).innerText()).replace(/\D/g, '');
    assert.ok(marked.includes(value), `${field}: the value is marked (${marked} / ${value})`);
  }
  // The source column is text to read, not a narrow monospace column.
  const font = await page
    .locator('q.source')
    .first()
    .evaluate((q) => getComputedStyle(q).fontFamily);
  assert.doesNotMatch(font, /mono/i);

  if (!scannerAvailable()) return;
  const { draft: scanForm, random: scanRandom } = await draft(54);
  await drop(stack, 'Søknad skannet.pdf', await scanPdf(await renderFormPdf(filled(scanForm, scanRandom)), scanRandom));
  const scanCase = await routedCase(stack, `Municipality = '${scanForm.truth.applicant!.name!}'`, 240_000);
  await page.goto(`${web.url}/saker/${encodeURIComponent(scanCase.reference)}`);
  const row = page.locator('tr[id="felt-applicant.name"]');
  await row.getByRole('button', { name: 'Vis kilde' }).click();
  await page.locator('figure.page .highlight-box').first().waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('#source-note').innerText(), '', 'no «Fant ikke teksten på siden»');
  await page.context().close();
});

test('a refusal that names fields by their paths reaches the caseworker with their labels', () => {
  const present = presenter(deps.schemes);
  assert.equal(
    present.message(
      'Søknaden kan ikke innvilges før feilene er rettet (project.category, applicant.organisationNumber).',
    ),
    'Søknaden kan ikke innvilges før feilene er rettet («Kategori», «Organisasjonsnummer»).',
  );
});
