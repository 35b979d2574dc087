import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { test } from 'node:test';
import { readJson } from '../storage/objects.ts';
import { renderDocx } from '../fixtures/render-docx.ts';
import { renderFormPdf } from '../fixtures/render-pdf.ts';
import { caseStateQuery } from '../workflows/messages.ts';
import { draft, drop, filled, routedCase } from './support/browser.ts';
import { useTestStack } from './support/use-test-stack.ts';
import { resultOf } from './support/decision-cases.ts';

/**
 * The review app end to end, as caseworkers use it: `npm start`-style servers (Temporal, MinIO, the workers with the
 * intake webhook, the web app on a port) and Debian's Chromium. Screenshots go to docs/screenshots/ for the README.
 */

const { stack, web, users, signIn } = useTestStack({
  workers: { webhook: true },
  web: { serve: 'port' },
  browser: true,
});
const screenshots = new URL('../docs/screenshots/', import.meta.url);
await mkdir(screenshots, { recursive: true });

test('a form dropped into the inbox is claimed, corrected (the finding goes), proposed, approved by an approver, and the decision and its letter are recorded; another queue is refused', async () => {
  // A form whose organisation number fails its check digit: an error finding on that field.
  const { draft: form, random } = await draft(41);
  const valid = form.truth.applicant!.organisationNumber!;
  const invalid = valid.slice(0, 8) + String((Number(valid[8]) + 1) % 10);
  form.truth.applicant!.organisationNumber = invalid;
  await drop(stack, 'Søknad Vinje.pdf', await renderFormPdf(filled(form, random)));
  const routed = await routedCase(stack, `OrganisationNumber = '${invalid}'`);
  assert.equal(routed.status, 'needs-correction');
  const queue = routed.queue!;
  await users.put({ username: 'kari', role: 'caseworker', queues: [queue], password: 'kari-passord-1234' });
  await users.put({
    username: 'ola',
    role: 'caseworker',
    queues: ['helsedir-parorende'],
    password: 'ola-passord-12345',
  });

  const page = await signIn('kari', 'kari-passord-1234');
  // The queue: the case is in its queue's list.
  const section = page.locator(`section.queue[data-queue="${queue}"]`);
  const row = section.locator(`tr[data-reference="${routed.reference}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /Må rettes/);
  assert.match(await row.innerText(), /1 feil/);
  await page.screenshot({ path: new URL('queue.png', screenshots).pathname, fullPage: false });

  await row.getByRole('link', { name: routed.reference }).click();
  await page.waitForURL(`${web.url}/saker/${encodeURIComponent(routed.reference)}`);
  const finding = page.locator('li.finding[data-code="invalid-organisation-number"]');
  assert.equal(await finding.count(), 1, 'the finding is listed');
  assert.match(await finding.innerText(), /Organisasjonsnummeret .* er ugyldig/);
  assert.equal((await page.locator('figure.page img').count()) >= 1, true, 'the PDF is shown as page images');

  // Claim, declaring not disqualified.
  await page.getByLabel(/ikke er inhabil/).check();
  await page.getByRole('button', { name: 'Ta saken' }).click();
  await page.locator('.flash-ok', { hasText: 'Du har tatt saken.' }).waitFor();

  // Where the organisation number came from: highlighted on the page image.
  const field = page.locator('tr[id="felt-applicant.organisationNumber"]');
  await field.getByRole('button', { name: 'Vis kilde' }).click();
  await page.locator('figure.page .highlight-box').first().waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: new URL('case.png', screenshots).pathname, fullPage: false });

  // Correct it: re-validated at once, the finding is gone.
  await field.locator('details.correct summary').click();
  await field.locator('input[name="value"]').fill(valid.replace(/(\d{3})(\d{3})(\d{3})/, '$1 $2 $3'));
  await field.getByRole('button', { name: 'Lagre rettelse' }).click();
  await page.locator('.flash-ok', { hasText: 'Feltet er rettet' }).waitFor();
  assert.equal(
    await page.locator('li.finding[data-code="invalid-organisation-number"]').count(),
    0,
    'the finding is gone',
  );
  assert.equal(await page.locator('tr[id="felt-applicant.organisationNumber"] td.value').innerText(), valid);

  // A refused proposal shows the workflow's reason; then propose, beside what is left in the pot.
  const state = await stack.env.client.workflow.getHandle(routed.workflowId).query(caseStateQuery);
  const requested = state.application.budget!.amountRequested!;
  const propose = page.locator('form.propose');
  assert.match(await propose.locator('.pot-balance').innerText(), /Igjen i rammen .*kr [\d ]+/);
  await propose.getByLabel('Beløp (kr)').fill(String(requested + 1));
  await propose.getByRole('button', { name: 'Send til godkjenning' }).click();
  // Proposing asks once, saying what will be proposed.
  await page.getByRole('button', { name: 'Bekreft: send innstillingen (innvilgelse)' }).click();
  await page.locator('.flash-error', { hasText: 'Full innvilgelse må gi søknadsbeløpet' }).waitFor();
  const granted = requested;
  await page.locator('form.propose').getByLabel('Beløp (kr)').fill(String(granted));
  await page.locator('form.propose').getByRole('button', { name: 'Send til godkjenning' }).click();
  await page.getByRole('button', { name: 'Bekreft: send innstillingen (innvilgelse)' }).click();
  await page.locator('.flash-ok', { hasText: 'Innstillingen er sendt til godkjenning.' }).waitFor();
  assert.match(
    await page.locator('.proposal').innerText(),
    /Venter på godkjenning av en annen person/,
    'the proposer cannot approve',
  );

  // The approver approves it from their list; the letter goes to the outbox (no SMTP here) and is among the documents.
  await users.put({ username: 'per', role: 'approver', queues: [queue], password: 'per-passord-12345' });
  const approver = await signIn('per', 'per-passord-12345');
  await approver.goto(`${web.url}/godkjenning`);
  const proposalRow = approver.locator(`tr[data-reference="${routed.reference}"]`);
  await proposalRow.getByRole('checkbox').check();
  await approver.getByLabel(/ikke er\s+inhabil i noen/).check();
  await approver.getByRole('button', { name: 'Godkjenn valgte' }).click();
  const outcome = approver.locator(`.approval-outcomes li[data-reference="${routed.reference}"]`);
  await outcome.waitFor();
  assert.match(await outcome.innerText(), /Godkjent: innvilget .*utboksen/);
  await page.goto(`${web.url}/saker/${encodeURIComponent(routed.reference)}`);
  assert.match(await page.locator('.decision').innerText(), /Innvilget/);
  await approver.context().close();

  // The decision is recorded beside the case once its letter is out, when the workflow ends.
  await resultOf(stack.env.client.workflow.getHandle(routed.workflowId));
  const decisionKey = state.recordKey.replace(/record\.json$/, 'decision.json');
  const decision = (await readJson(stack.minio, stack.config.buckets.records, decisionKey)) as {
    outcome: string;
    amount: number;
    decidedBy: string;
    proposedBy: string;
  };
  assert.deepEqual(
    [decision.outcome, decision.amount, decision.decidedBy, decision.proposedBy],
    ['approved', granted, 'per', 'kari'],
  );
  await page.reload();
  assert.match(await page.locator('.letter-status').innerText(), /ligger i utboksen/);
  assert.match(await page.locator('nav.doc-tabs').innerText(), /vedtak\.pdf \(utgående brev\)/);

  // A caseworker of another queue: refused by URL and by API.
  const other = await signIn('ola', 'ola-passord-12345');
  assert.equal(await other.locator(`tr[data-reference="${routed.reference}"]`).count(), 0);
  const refused = await other.goto(`${web.url}/saker/${encodeURIComponent(routed.reference)}`);
  assert.equal(refused?.status(), 403);
  await other.getByRole('heading', { name: 'Ingen tilgang' }).waitFor();
  const api = await other.request.get(`${web.url}/api/saker/${encodeURIComponent(routed.reference)}`);
  assert.equal(api.status(), 403);
  await other.context().close();
  await page.context().close();
});

test('a document whose fields hold <script> and <img onerror> payloads shows them as text, and nothing runs', async () => {
  const { draft: form, random } = await draft(42);
  const script = '<script>alert("xss")</script>';
  const img = '<img src=x onerror=alert(1)>';
  form.truth.project!.title = script;
  form.truth.contact!.name = img;
  form.truth.signature!.name = `${script}${img}`;
  const organisationNumber = form.truth.applicant!.organisationNumber!;
  await drop(stack, '<img src=x onerror=alert(2)>.docx', await renderDocx(filled(form, random)));
  const routed = await routedCase(stack, `OrganisationNumber = '${organisationNumber}'`);
  await users.put({ username: 'admin', role: 'admin', queues: [], password: 'admin-passord-123' });

  const page = await signIn('admin', 'admin-passord-123');
  const dialogs: string[] = [];
  page.removeAllListeners('dialog');
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.locator(`tr[data-reference="${routed.reference}"]`).waitFor();
  await page.goto(`${web.url}/saker/${encodeURIComponent(routed.reference)}`);
  await page.locator('tr[id="felt-project.title"] td.value', { hasText: script }).waitFor();
  await page.locator('tr[id="felt-contact.name"] td.value', { hasText: img }).waitFor();
  await page.locator('.doc-meta .file-name', { hasText: '<img src=x onerror=alert(2)>.docx' }).waitFor();
  assert.ok((await page.locator('.docx-view').innerText()).includes(script), 'the Word view shows the payload as text');
  // Clicking through the fields runs only the app's script.
  await page.locator('tr[id="felt-project.title"]').getByRole('button', { name: 'Vis kilde' }).click();
  await page.locator('.docx-view .highlight-text').first().waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.locator('.docx-view img, .docx-view script').count(), 0);
  assert.deepEqual(dialogs, [], 'no dialog fired');
  assert.deepEqual(errors, []);
  // The admin links the case to its workflow in the Temporal UI.
  const link = page.getByRole('link', { name: 'Åpne i Temporal UI' });
  assert.equal(
    await link.getAttribute('href'),
    `http://127.0.0.1:8233/namespaces/default/workflows/${encodeURIComponent(routed.workflowId)}`,
  );
  await page.context().close();
});
