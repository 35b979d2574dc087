import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSchemes } from '../config/schemes.ts';
import { caseStateQuery, claimUpdate, proposeUpdate } from '../workflows/messages.ts';
import { resultOf, routedCase, utdanningDraft, type Case } from './support/decision-cases.ts';
import { openContext } from './support/browser.ts';
import { useTestStack } from './support/use-test-stack.ts';

/**
 * The round's meeting in Chromium: an approver approves ten proposals of their queue in one action, and every
 * applicant's letter reaches the SMTP server (running in this process) in the applicant's written standard.
 */

const scheme = (await loadSchemes()).find((s) => s.id === 'kompetanse-innovasjon-2017')!;
const { stack, smtp, web, users, browser } = useTestStack({
  smtp: true,
  workers: { webhook: false },
  web: { serve: 'port' },
  browser: true,
});

test('an approver approves ten proposals in one action; every letter reaches the applicant in their written standard', async () => {
  const cases: Array<{ handle: Case; caseId: string; nynorsk: boolean }> = [];
  for (let i = 0; i < 10; i++) {
    const nynorsk = i % 3 === 0;
    const { handle, caseId } = await routedCase(
      stack,
      `mote-${i}`,
      utdanningDraft(scheme, 300 + i, 250_000 + i * 10_000, nynorsk),
      300 + i,
      `postmottak${i}@kommune.example`,
    );
    await handle.executeUpdate(claimUpdate, { args: [{ actor: 'kari', notDisqualified: true }] });
    await handle.executeUpdate(proposeUpdate, {
      args: [
        {
          actor: 'kari',
          grounds: { kind: 'approved-in-full', amountGranted: 250_000 + i * 10_000, conditionIds: ['rapportering'] },
        },
      ],
    });
    cases.push({ handle, caseId, nynorsk });
  }
  const queue = (await cases[0]!.handle.query(caseStateQuery)).route.queue;
  await users.put({ username: 'per', role: 'approver', queues: [queue], password: 'per-passord-12345' });

  const context = await openContext(browser);
  const page = await context.newPage();
  await page.goto(`${web.url}/`);
  await page.getByLabel('Brukernavn').fill('per');
  await page.getByLabel('Passord').fill('per-passord-12345');
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await page.waitForURL(`${web.url}/`);
  await page.getByRole('link', { name: 'Godkjenning' }).click();
  await page.waitForURL(`${web.url}/godkjenning`);

  // The list shows every proposal, each with its letter's preview.
  const rows = page.locator('form.bulk-approve tbody tr');
  assert.equal(await rows.count(), 10);
  const preview = await page.request.get(
    `${web.url}${await rows.first().getByRole('link', { name: 'Forhåndsvis brevet' }).getAttribute('href')}`,
  );
  assert.equal(preview.headers()['content-type'], 'application/pdf');
  assert.equal((await preview.body()).subarray(0, 5).toString(), '%PDF-');

  const selections: string[] = [];
  for (const checkbox of await rows.getByRole('checkbox').all()) {
    await checkbox.check();
    selections.push((await checkbox.getAttribute('value'))!);
  }
  await page.getByLabel(/ikke er\s+inhabil i noen/).check();
  await page.getByRole('button', { name: 'Godkjenn valgte' }).click();
  const outcomes = page.locator('.approval-outcomes li');
  await outcomes.first().waitFor({ timeout: 120_000 });
  assert.equal(await outcomes.count(), 10);
  assert.equal(await page.locator('.approval-outcomes li.ok').count(), 10, (await outcomes.allInnerTexts()).join('\n'));
  assert.match(await outcomes.first().innerText(), /Godkjent: innvilget kr .*sendes på e-post/);
  assert.equal(await rows.count(), 0, 'nothing left to approve');

  // The same form sent again (a browser that died before it saw the answer): each case answers as approved, once.
  const csrf = await page.locator('meta[name="csrf-token"]').getAttribute('content');
  const again = new URLSearchParams([
    ['_csrf', csrf!],
    ['notDisqualified', 'true'],
    ...selections.map((value) => ['valgt', value]),
  ]);
  const response = await page.request.post(`${web.url}/godkjenning`, {
    data: again.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(response.status(), 200);
  assert.equal((await response.text()).match(/<li class="ok"/g)?.length, 10, 'every case answers as approved');
  for (const { handle } of cases) await resultOf(handle);
  assert.equal(smtp.received.length, 10, 'one letter per applicant');
  for (const { caseId, nynorsk } of cases) {
    const mail = smtp.received.find((m) => m.mail.subject?.includes(caseId))?.mail;
    assert.ok(mail, `${caseId}: the letter reached the SMTP server`);
    const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf');
    assert.ok(pdf && pdf.content.subarray(0, 5).toString() === '%PDF-', `${caseId}: the PDF is attached`);
    assert.match(
      mail.text ?? '',
      nynorsk ? /søknaden frå/ : /søknaden fra/,
      `${caseId}: in the applicant's written standard`,
    );
  }
  await context.close();
});
