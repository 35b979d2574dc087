import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { silentLogger } from '../../config/logger.ts';
import { loadSchemes } from '../../config/schemes.ts';
import { fillForm } from '../../fixtures/forms.ts';
import { draftApplication, type ApplicationDraft } from '../../fixtures/ground-truth.ts';
import { Random } from '../../fixtures/random.ts';
import { hasLeftIntake, searchAttributes } from '../../workflows/messages.ts';
import type { WebDeps } from '../../web/app.ts';
import type { CaseSummary } from '../../client/cases.ts';
import { CaseRepository } from '../../web/cases.ts';
import { startWebServer, type WebServer } from '../../web/server.ts';
import { UserStore } from '../../web/users.ts';
import type { TestStack } from './stack.ts';

/** Debian's Chromium (`apt-get install chromium`), driven by playwright-core: never a browser download. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  assert.ok(
    existsSync(chromiumPath),
    `Chromium is not installed at ${chromiumPath} (Debian: apt-get install chromium)`,
  );
  // As root (CI containers) Chromium's own sandbox cannot start; the test pages are our own.
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

/** A fresh browser context as a caseworker's screen: wide, Norwegian. */
export async function openContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'nb-NO' });
  // Eight test runs may share two cores: an Update can take longer than playwright's default 30 s to come back.
  context.setDefaultTimeout(120_000);
  return context;
}

/** A user signed in to the review app in a fresh browser context (a dialog would fail the test: the app opens none). */
export async function signIn(browser: Browser, url: string, name: string, password: string): Promise<Page> {
  const context = await openContext(browser);
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    throw new Error(`a dialog opened: ${dialog.message()}`);
  });
  await page.goto(`${url}/`);
  assert.match(page.url(), /\/logg-inn\?neste=/, 'signed out: the sign-in page');
  await page.getByLabel('Brukernavn').fill(name);
  await page.getByLabel('Passord').fill(password);
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await page.waitForURL(`${url}/`);
  return page;
}

/** The review app's dependencies against a test stack, with a fresh users file. */
export async function webDeps(stack: TestStack, extra: Partial<WebDeps> = {}): Promise<WebDeps> {
  const dir = await mkdtemp(join(tmpdir(), 'grant-intake-web-test-'));
  return {
    config: stack.config,
    temporal: stack.env.client,
    minio: stack.minio,
    schemes: await loadSchemes(),
    users: new UserStore(join(dir, 'users.json')),
    sessionSecret: randomBytes(32).toString('hex'),
    temporalUiUrl: 'http://127.0.0.1:8233',
    logger: silentLogger,
    ...extra,
  };
}

/** The app as `npm start` serves it, on a free port. */
export function startWeb(deps: WebDeps): Promise<WebServer> {
  return startWebServerOn(deps, 0);
}

/** The app on a given port (one that other servers were told beforehand, such as the Temporal UI's codec endpoint). */
export function startWebServerOn(deps: WebDeps, port: number): Promise<WebServer> {
  return startWebServer(deps, { port, host: '127.0.0.1' });
}

export const kompetanse = async () => (await loadSchemes()).find((s) => s.id === 'kompetanse-innovasjon-2017')!;

export async function draft(seed: number): Promise<{ draft: ApplicationDraft; random: Random }> {
  const random = Random.for(2017, seed);
  return { draft: draftApplication(random, await kompetanse()), random };
}

export const filled = (d: ApplicationDraft, random: Random) => fillForm(d, random);

/** What the mailroom does: the attachment under inbox/ with the e-mail's metadata. */
export async function drop(
  stack: TestStack,
  name: string,
  bytes: Buffer,
  receivedAt = '2017-04-10T09:12:00+02:00',
): Promise<void> {
  await stack.minio.putObject(stack.config.buckets.intake, `inbox/${name}`, bytes, bytes.length, {
    'X-Amz-Meta-received-at': receivedAt,
  });
}

/** Waits until the case matching the visibility query has been read and routed, and returns its list row. */
export async function routedCase(stack: TestStack, where: string, timeoutMs = 90_000): Promise<CaseSummary> {
  const cases = new CaseRepository({
    temporal: stack.env.client,
    minio: stack.minio,
    recordsBucket: stack.config.buckets.records,
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for await (const execution of stack.env.client.workflow.list({
      query: `WorkflowType = 'application' AND ${where}`,
    })) {
      const attributes = execution.typedSearchAttributes;
      const reference = attributes.get(searchAttributes.caseReference);
      if (
        reference &&
        attributes.get(searchAttributes.queue) &&
        hasLeftIntake(attributes.get(searchAttributes.status))
      ) {
        const summary = await cases.find(reference);
        if (summary) return summary;
      }
    }
    assert.ok(Date.now() < deadline, `no routed case where ${where} within ${timeoutMs} ms`);
    await sleep(500);
  }
}
