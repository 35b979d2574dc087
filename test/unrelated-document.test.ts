import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LightMyRequestResponse } from 'fastify';
import { renderFormPdf } from '../fixtures/render-pdf.ts';
import type { CaseSummary } from '../client/cases.ts';
import type { CaseState } from '../schemas/assessment.ts';
import { caseStateQuery } from '../workflows/messages.ts';
import { draft, drop, filled, routedCase } from './support/browser.ts';
import { useTestStack } from './support/use-test-stack.ts';

/**
 * A form from another applicant that quotes a running case is held back in it; its caseworker opens it as a case of
 * its own from the review app (through `app.inject` against real servers).
 */

const { stack, users, app, prepare } = useTestStack({ workers: { webhook: true }, web: { serve: 'inject' } });
let own: CaseSummary;
let other: { name: string; organisationNumber: string };
let held: CaseState;
const passwords = { kari: 'kari-passord-1234', ola: 'ola-passord-12345' };

const stateOf = (summary: CaseSummary) => stack.env.client.workflow.getHandle(summary.workflowId).query(caseStateQuery);

prepare(async () => {
  const { draft: nome, random } = await draft(41);
  let { draft: fyresdal, random: random2 } = await draft(42);
  for (let seed = 43; fyresdal.truth.applicant!.name === nome.truth.applicant!.name; seed++)
    ({ draft: fyresdal, random: random2 } = await draft(seed));
  other = {
    name: fyresdal.truth.applicant!.name!,
    organisationNumber: fyresdal.truth.applicant!.organisationNumber!,
  };
  await drop(stack, 'nome/søknad.pdf', await renderFormPdf(filled(nome, random)));
  own = await routedCase(stack, `OrganisationNumber = '${nome.truth.applicant!.organisationNumber}'`);
  // Another applicant's form quoting the case's reference (a copied template, a wrong subject).
  await drop(stack, `fyresdal/Ettersending til ${own.reference}.pdf`, await renderFormPdf(filled(fyresdal, random2)));
  const deadline = Date.now() + 90_000;
  for (;;) {
    held = await stateOf(own);
    if (held.documents?.some((d) => d.role === 'unrelated')) break;
    assert.ok(Date.now() < deadline, 'the other applicant’s form reaches the case');
    await sleep(500);
  }

  await users.put({ username: 'kari', role: 'caseworker', queues: [own.queue!], password: passwords.kari });
  await users.put({ username: 'ola', role: 'caseworker', queues: ['ingen-slik-ko'], password: passwords.ola });
});

const form = (fields: Record<string, string>) => ({
  payload: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

const sessionCookie = (response: LightMyRequestResponse) => {
  const cookie = response.cookies.find((c) => c.name === 'grant_intake_session');
  // As the browser sends it back: encoded as it was set.
  return cookie ? `grant_intake_session=${encodeURIComponent(cookie.value)}` : undefined;
};

const csrfIn = (body: string) =>
  /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? /name="csrf-token" content="([^"]+)"/.exec(body)?.[1];

let addresses = 0;
async function as(username: keyof typeof passwords) {
  const remoteAddress = `10.8.0.${++addresses}`;
  const page = await app.inject({ method: 'GET', url: '/logg-inn', remoteAddress });
  const response = await app.inject({
    method: 'POST',
    url: '/logg-inn',
    remoteAddress,
    ...form({ username, password: passwords[username], _csrf: csrfIn(page.body)! }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: sessionCookie(page)! },
  });
  assert.equal(response.statusCode, 303, `${username} signs in`);
  const cookie = sessionCookie(response)!;
  const home = await app.inject({ method: 'GET', url: '/', headers: { cookie } });
  // The session is the cookie: the page that made the session's CSRF token sends the cookie that holds its secret.
  return { cookie: sessionCookie(home) ?? cookie, csrf: csrfIn(home.body)! };
}

test('the caseworker opens the held-back form as a case of its own from the review app; the case stays its own', async () => {
  const page = `/saker/${encodeURIComponent(own.reference)}`;
  const url = `${page}/dokument-avklaring`;
  const document = held.documents!.find((d) => d.role === 'unrelated')!;
  const kari = await as('kari');
  const ola = await as('ola');
  const post = (session: { cookie: string }, fields: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url,
      ...form(fields),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session.cookie },
    });
  const choice = { document: document.original.key, decision: 'own-case', bekreftet: 'ja' };

  const claimed = await app.inject({
    method: 'POST',
    url: `${page}/ta`,
    ...form({ notDisqualified: 'true', _csrf: kari.csrf }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: kari.cookie },
  });
  assert.equal(claimed.statusCode, 303);
  const shown = await app.inject({ method: 'GET', url: page, headers: { cookie: kari.cookie } });
  assert.match(shown.body, /Ta inn i saken/);
  assert.match(shown.body, /Opprett egen sak/);
  assert.ok(shown.body.includes(other.name), 'the finding names the other applicant');

  const withoutToken = await post(kari, choice);
  assert.equal(withoutToken.statusCode, 403, 'without the CSRF token');
  assert.match(withoutToken.body, /CSRF/);
  assert.equal((await post(ola, { ...choice, _csrf: ola.csrf })).statusCode, 403, 'a caseworker of another queue');
  assert.ok(
    (await stateOf(own)).documents!.some((d) => d.role === 'unrelated' && !d.openedAs),
    'nothing was decided',
  );

  const asked = await post(kari, { document: document.original.key, decision: 'own-case', _csrf: kari.csrf });
  assert.equal(asked.statusCode, 200, 'an irreversible action is confirmed first');
  assert.match(asked.body, /blir en egen sak for søkeren som sendte det\. Denne saken \([^)]+\)\s+endres ikke\./);
  assert.match(asked.body, /Bekreft: opprett egen sak/);

  const done = await post(kari, { ...choice, _csrf: kari.csrf });
  assert.equal(done.statusCode, 303);
  // The flash travels in the session cookie the answer sets, as the browser sends it on the redirect.
  const after = await app.inject({ method: 'GET', url: page, headers: { cookie: sessionCookie(done) ?? kari.cookie } });
  const reference = /Dokumentet er opprettet som egen sak (SAK-[A-Z0-9]+)\./.exec(after.body)?.[1];
  assert.ok(reference, 'the flash names the new case');
  assert.doesNotMatch(after.body, /Opprett egen sak/, 'decided once');

  const state = await stateOf(own);
  assert.deepEqual(state.application, held.application, "the case's application is unchanged");
  assert.ok(!state.findings.some((f) => f.code === 'document-from-other-applicant'));
  const separated = await routedCase(stack, `OrganisationNumber = '${other.organisationNumber}'`);
  assert.equal(separated.reference, reference);
  assert.equal((await stateOf(separated)).application.applicant?.name, other.name);
});
