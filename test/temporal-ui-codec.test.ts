import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { test } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { payloadCodec } from '../config/payload-keys.ts';
import { renderFormPdf } from '../fixtures/render-pdf.ts';
import { CODEC_PREFIX } from '../web/plugins/codec-server.ts';
import type { CaseSummary } from '../client/cases.ts';
import { draft, drop, filled, openContext, routedCase } from './support/browser.ts';
import { useTestStack } from './support/use-test-stack.ts';

/**
 * The Temporal UI of the dev server, as `npm start` runs it (`--ui-codec-endpoint` at the review app), in Chromium:
 * an admin signed in to the review app sees a case decoded; signed out, the codec server refuses and the UI shows
 * what Temporal stores. The screenshot goes to docs/screenshots/ for the README.
 */

const { stack, deps, users, web, browser, prepare } = useTestStack({
  temporalUi: true,
  workers: { webhook: true },
  web: { serve: 'port', deps: async ({ config }) => ({ payloadCodec: await payloadCodec(config) }) },
  browser: true,
});
let routed: CaseSummary;
const fileName = 'soknad-personvernsen.pdf';
const screenshots = new URL('../docs/screenshots/', import.meta.url);

prepare(async () => {
  const { draft: form, random } = await draft(71);
  await drop(stack, fileName, await renderFormPdf(filled(form, random)));
  routed = await routedCase(stack, `OrganisationNumber = '${form.truth.applicant!.organisationNumber}'`);
  await users.put({ username: 'admin', role: 'admin', queues: [], password: 'admin-passord-123' });
  await mkdir(screenshots, { recursive: true });
});

/** A browser whose Temporal UI sends the review app's cookie to the codec server (Settings → Codec Server). */
async function browserContext(): Promise<BrowserContext> {
  const context = await openContext(browser);
  // The UI's own settings (what its Codec Server dialog stores): the endpoint it was started with, with credentials.
  await context.addInitScript((endpoint: string) => {
    localStorage.setItem('endpoint', JSON.stringify(endpoint));
    localStorage.setItem('includeCredentials', 'true');
    localStorage.setItem('overrideRemoteCodecConfiguration', 'true');
  }, `${web.url}${CODEC_PREFIX}`);
  return context;
}

async function openCaseInTemporalUi(context: BrowserContext) {
  const page = await context.newPage();
  const decodeAnswers: number[] = [];
  page.on('response', (response) => {
    if (response.url().endsWith(`${CODEC_PREFIX}/decode`) && response.request().method() === 'POST')
      decodeAnswers.push(response.status());
  });
  await page.goto(`${deps.temporalUiUrl}/namespaces/default/workflows/${encodeURIComponent(routed.workflowId)}`);
  const deadline = Date.now() + 60_000;
  while (decodeAnswers.length === 0 && Date.now() < deadline) await page.waitForTimeout(250);
  return { page, decodeAnswers };
}

test('signed in to the review app as an admin, the Temporal UI shows the case decoded', async () => {
  const context = await browserContext();
  const signIn = await context.newPage();
  await signIn.goto(`${web.url}/logg-inn`);
  await signIn.getByLabel('Brukernavn').fill('admin');
  await signIn.getByLabel('Passord').fill('admin-passord-123');
  await signIn.getByRole('button', { name: 'Logg inn' }).click();
  await signIn.waitForURL(`${web.url}/`);

  const { page, decodeAnswers } = await openCaseInTemporalUi(context);
  assert.ok(
    decodeAnswers.length > 0 && decodeAnswers.every((s) => s === 200),
    `the UI asked the codec server: ${decodeAnswers}`,
  );
  const shown = Date.now() + 30_000;
  while (!(await page.content()).includes(fileName) && Date.now() < shown) await page.waitForTimeout(250);
  assert.ok((await page.content()).includes(fileName), 'the decoded input (the document) is on the page');
  await page.screenshot({ path: new URL('temporal-ui-decoded.png', screenshots).pathname, fullPage: false });
  await context.close();
});

test('signed out, the codec server refuses and the Temporal UI shows only ciphertext', async () => {
  const context = await browserContext();
  const { page, decodeAnswers } = await openCaseInTemporalUi(context);
  assert.ok(
    decodeAnswers.length > 0 && decodeAnswers.every((s) => s === 401),
    `the codec server refused: ${decodeAnswers}`,
  );
  await page.waitForTimeout(1000);
  assert.ok(!(await page.content()).includes(fileName), 'nothing of the case is readable');
  await page.screenshot({ path: new URL('temporal-ui-encoded.png', screenshots).pathname, fullPage: false });
  await context.close();
});
