import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { before, describe, test } from 'node:test';
import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { renderDocx } from '../fixtures/render-docx.ts';
import { renderFormPdf } from '../fixtures/render-pdf.ts';
import { caseStateQuery } from '../workflows/messages.ts';
import { loadConfig } from '../config/env.ts';
import { buildApp } from '../web/app.ts';
import { sessionSecret as keptSessionSecret } from '../web/secrets.ts';
import type { CaseSummary } from '../client/cases.ts';
import { csvCell, toCsv } from '../schemas/csv.ts';
import { AccessEntrySchema, type AccessEntry } from '../storage/access-log.ts';
import type { JournalEntry } from '../schemas/journal.ts';
import { journalEntryKey } from '../storage/journal.ts';
import { readJson, writeJson } from '../storage/objects.ts';
import { startWebServer } from '../web/server.ts';
import { html } from '../web/html.ts';
import { sanitizeDocumentHtml } from '../web/sanitize.ts';
import { draft, drop, filled, routedCase, webDeps } from './support/browser.ts';
import { useTestStack } from './support/use-test-stack.ts';

/**
 * The review app's security, through `app.inject` against real servers: sign-in, sessions, CSRF, queue access by URL
 * and by API, brute force, headers, downloads, what reaches the logs; and the escaping, sanitising and CSV helpers.
 */

let caseA: CaseSummary;
let xssCase: CaseSummary;
const logLines: string[] = [];
const passwords = { kari: 'kari-passord-1234', ola: 'ola-passord-12345', admin: 'admin-passord-123' };
let sessionSecret = '';
const execFileAsync = promisify(execFile);
/** The test stack's settings as environment variables, for a config that differs in one setting. */
const configEnv = () => ({
  GRANT_INTAKE_DATA_DIR: stack.config.dataDir,
  TEMPORAL_ADDRESS: stack.config.temporal.address!,
  MINIO_PORT: String(stack.config.minio.localPort),
});

const xss = {
  script: '<script>alert("xss")</script>',
  img: '<img src=x onerror=alert(1)>',
  attr: '" onmouseover="alert(2)',
  js: 'javascript:alert(3)',
};

/** `deps`: what `app` was built from; another instance built from it is the same app restarted, or a second replica. */
const { stack, deps, users, app, prepare } = useTestStack({
  workers: { webhook: true },
  web: {
    serve: 'inject',
    deps: async ({ config }) => ({
      // The secret kept in the data folder, as `npm start` reads it.
      sessionSecret: await keptSessionSecret(config),
      signInLimit: { max: 5, timeWindowMs: 60_000 },
      logger: pino(
        { level: 'debug' },
        new Writable({
          write(chunk, _encoding, done) {
            logLines.push(String(chunk));
            done();
          },
        }),
      ),
    }),
  },
});

prepare(async () => {
  const { draft: plain, random } = await draft(31);
  await drop(stack, 'soknad-a.pdf', await renderFormPdf(filled(plain, random)));

  // Every text field carries a payload; the file name too.
  const { draft: hostile, random: random2 } = await draft(32);
  const t = hostile.truth;
  t.applicant!.address = xss.script;
  t.applicant!.postalPlace = xss.img;
  t.contact!.name = xss.img;
  t.contact!.role = xss.attr;
  t.project!.title = xss.script;
  t.project!.targetGroup = xss.js;
  hostile.summaryLines = [xss.script, xss.img];
  t.partners = [xss.script, xss.attr];
  t.signature!.place = xss.img;
  t.signature!.name = xss.script;
  t.signature!.role = xss.attr;
  await drop(stack, `"><img src=x onerror=alert(9)>.docx`, await renderDocx(filled(hostile, random2)));

  caseA = await routedCase(stack, `OrganisationNumber = '${plain.truth.applicant!.organisationNumber}'`);
  xssCase = await routedCase(stack, `OrganisationNumber = '${hostile.truth.applicant!.organisationNumber}'`);

  sessionSecret = deps.sessionSecret;
  await users.put({
    username: 'kari',
    role: 'caseworker',
    queues: [caseA.queue!, xssCase.queue!],
    password: passwords.kari,
  });
  await users.put({ username: 'ola', role: 'caseworker', queues: ['helsedir-parorende'], password: passwords.ola });
  await users.put({ username: 'admin', role: 'admin', queues: [], password: passwords.admin });
});

const form = (fields: Record<string, string>) => ({
  payload: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

function sessionCookie(response: LightMyRequestResponse): string | undefined {
  const cookie = response.cookies.find((c) => c.name === 'grant_intake_session');
  // As the browser sends it back: encoded as it was set.
  return cookie ? `grant_intake_session=${encodeURIComponent(cookie.value)}` : undefined;
}

const csrfIn = (body: string) =>
  /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? /name="csrf-token" content="([^"]+)"/.exec(body)?.[1];

interface Session {
  cookie: string;
  csrf: string;
}

/**
 * Signs in as a browser does (to `app` unless told another instance): the sign-in page (session and CSRF token), then
 * the form.
 */
async function signIn(
  username: string,
  password: string,
  remoteAddress = '127.0.0.1',
  instance = app,
): Promise<{ response: LightMyRequestResponse; before: string; session?: Session }> {
  const page = await instance.inject({ method: 'GET', url: '/logg-inn', remoteAddress });
  const before = sessionCookie(page)!;
  assert.ok(before, 'the sign-in page starts a session (for its CSRF token)');
  const response = await instance.inject({
    method: 'POST',
    url: '/logg-inn',
    remoteAddress,
    ...form({ username, password, _csrf: csrfIn(page.body)! }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: before },
  });
  if (response.statusCode !== 303) return { response, before };
  const signedIn = sessionCookie(response)!;
  const home = await instance.inject({ method: 'GET', url: '/', headers: { cookie: signedIn } });
  assert.equal(home.statusCode, 200);
  // The session is the cookie: the page that made the session's CSRF token sends the cookie that holds its secret.
  return { response, before, session: { cookie: sessionCookie(home) ?? signedIn, csrf: csrfIn(home.body)! } };
}

let addresses = 0;
/** Signs in from an address of its own (sign-ins are rate-limited per address). */
async function as(name: keyof typeof passwords): Promise<Session> {
  const { session, response } = await signIn(
    name,
    passwords[name],
    `10.9.${Math.floor(++addresses / 250)}.${addresses % 250}`,
  );
  assert.ok(session, `${name} signs in (got ${response.statusCode})`);
  return session;
}

describe('unauthenticated access', () => {
  test('pages redirect to the sign-in, the API answers 401, actions are refused and change nothing', async () => {
    const ref = encodeURIComponent(caseA.reference);
    for (const url of [
      '/',
      `/saker/${ref}`,
      '/oversikt',
      '/oversikt/saker.csv',
      `/saker/${ref}/dokumenter/0/original`,
      `/saker/${ref}/dokumenter/0/sider/1`,
    ]) {
      const response = await app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 303, url);
      assert.match(String(response.headers.location), /^\/logg-inn\?neste=/, url);
      assert.doesNotMatch(response.body, new RegExp(caseA.reference), `${url} shows nothing of the case`);
    }
    for (const url of ['/api/saker', `/api/saker/${ref}`]) {
      const response = await app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 401, url);
      assert.deepEqual(Object.keys(response.json()), ['error']);
    }
    const claim = await app.inject({ method: 'POST', url: `/saker/${ref}/ta`, ...form({ notDisqualified: 'true' }) });
    assert.ok([401, 403].includes(claim.statusCode), `claim without a session: ${claim.statusCode}`);
    // A session without a user (the sign-in page's) and its valid CSRF token is still not signed in.
    const page = await app.inject({ method: 'GET', url: '/logg-inn' });
    const anonymous = await app.inject({
      method: 'POST',
      url: `/saker/${ref}/ta`,
      ...form({ notDisqualified: 'true', _csrf: csrfIn(page.body)! }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: sessionCookie(page)! },
    });
    assert.equal(anonymous.statusCode, 401);
    const state = await stack.env.client.workflow.getHandle(caseA.workflowId).query(caseStateQuery);
    assert.equal(state.assignee, undefined);
  });

  test('a forged or unsigned session cookie is not a session', async () => {
    for (const cookie of ['grant_intake_session=forged', 'grant_intake_session=abc.def', 'grant_intake_session=']) {
      const response = await app.inject({ method: 'GET', url: '/', headers: { cookie } });
      assert.equal(response.statusCode, 303, cookie);
    }
  });
});

describe('sign-in and sessions', () => {
  test('the session cookie is httpOnly and SameSite; Secure when configured', async () => {
    const page = await app.inject({ method: 'GET', url: '/logg-inn' });
    const cookie = page.cookies.find((c) => c.name === 'grant_intake_session')!;
    assert.equal(cookie.httpOnly, true);
    assert.equal(String(cookie.sameSite).toLowerCase(), 'lax');
    const secureDeps = await webDeps(stack);
    secureDeps.config = { ...stack.config, web: { ...stack.config.web, secureCookies: true, trustProxy: true } };
    const secureApp = await buildApp(secureDeps);
    // Behind the organisation's TLS proxy: Secure. Over plain HTTP a Secure cookie is not sent at all.
    const securePage = await secureApp.inject({
      method: 'GET',
      url: '/logg-inn',
      headers: { 'x-forwarded-proto': 'https' },
    });
    assert.equal(securePage.cookies.find((c) => c.name === 'grant_intake_session')?.secure, true);
    const plainPage = await secureApp.inject({ method: 'GET', url: '/logg-inn' });
    assert.equal(
      plainPage.cookies.find((c) => c.name === 'grant_intake_session'),
      undefined,
    );
    await secureApp.close();
  });

  test('session fixation: signing in gives a new session id; the one from before the sign-in is not signed in', async () => {
    const { response, before, session } = await signIn('kari', passwords.kari, '10.3.0.1');
    assert.equal(response.statusCode, 303);
    assert.ok(session);
    assert.notEqual(session.cookie, before, 'a new session id after signing in');
    const withOld = await app.inject({ method: 'GET', url: '/', headers: { cookie: before } });
    assert.equal(withOld.statusCode, 303, 'the pre-sign-in session is not signed in');
    const withNew = await app.inject({ method: 'GET', url: '/', headers: { cookie: session.cookie } });
    assert.equal(withNew.statusCode, 200);
  });

  test('signing out ends the session', async () => {
    const session = await as('kari');
    const out = await app.inject({
      method: 'POST',
      url: '/logg-ut',
      ...form({ _csrf: session.csrf }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session.cookie },
    });
    assert.equal(out.statusCode, 303);
    assert.equal((await app.inject({ method: 'GET', url: '/', headers: { cookie: session.cookie } })).statusCode, 303);
  });

  test('a wrong password or an unknown user is refused alike; the sign-in redirects only within the site', async () => {
    const wrong = await signIn('kari', 'not-the-password', '10.0.0.1');
    const unknown = await signIn('nobody', 'not-the-password', '10.0.0.2');
    assert.equal(wrong.response.statusCode, 401);
    assert.equal(unknown.response.statusCode, 401);
    assert.match(wrong.response.body, /Feil brukernavn eller passord/);
    assert.match(unknown.response.body, /Feil brukernavn eller passord/);
    const page = await app.inject({ method: 'GET', url: '/logg-inn', remoteAddress: '10.0.0.3' });
    const response = await app.inject({
      method: 'POST',
      url: '/logg-inn',
      remoteAddress: '10.0.0.3',
      ...form({ username: 'ola', password: passwords.ola, neste: '//evil.example/', _csrf: csrfIn(page.body)! }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: sessionCookie(page)! },
    });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/');
  });

  test('trusted-header mode: the proxy names the user, whose role and queues still come from the users file', async () => {
    const deps = await webDeps(stack, { users });
    deps.config = { ...stack.config, web: { ...stack.config.web, trustedHeader: 'x-forwarded-user' } };
    const proxied = await buildApp(deps);
    const as = (user?: string) => (user ? { 'x-forwarded-user': user } : {});
    assert.equal((await proxied.inject({ method: 'GET', url: '/', headers: as('kari') })).statusCode, 200);
    assert.equal(
      (
        await proxied.inject({
          method: 'GET',
          url: `/saker/${encodeURIComponent(caseA.reference)}`,
          headers: as('kari'),
        })
      ).statusCode,
      200,
    );
    assert.equal(
      (
        await proxied.inject({
          method: 'GET',
          url: `/saker/${encodeURIComponent(caseA.reference)}`,
          headers: as('ola'),
        })
      ).statusCode,
      403,
    );
    assert.equal(
      (await proxied.inject({ method: 'GET', url: '/', headers: as('mallory') })).statusCode,
      403,
      'a name not in the users file',
    );
    assert.equal((await proxied.inject({ method: 'GET', url: '/' })).statusCode, 403, 'no header');
    assert.equal((await proxied.inject({ method: 'GET', url: '/api/saker' })).statusCode, 403);
    assert.equal(
      (await proxied.inject({ method: 'GET', url: '/logg-inn' })).statusCode,
      303,
      'no sign-in page of its own',
    );
    await proxied.close();
  });

  test('brute force: a stranger guessing a password from their address is slowed down there; the real user still signs in', async () => {
    const statuses: number[] = [];
    await users.put({ username: 'eva', role: 'caseworker', queues: ['triage'], password: 'eva-passord-12345' });
    for (let i = 0; i < 7; i++)
      statuses.push((await signIn('eva', `guess-${i}-xxxxxxxx`, '10.1.0.1')).response.statusCode);
    assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
    assert.ok(
      statuses.slice(5).every((s) => s === 429),
      `then 429: ${statuses}`,
    );
    // The stranger's address waits, even with the right password, and is told how long.
    const stranger = await signIn('eva', 'eva-passord-12345', '10.1.0.1');
    assert.equal(stranger.response.statusCode, 429);
    assert.match(stranger.response.body, /For mange/);
    assert.ok(Number(stranger.response.headers['retry-after']) > 0, 'Retry-After says how long');
    // The stranger cannot keep eva out: from her own address she signs in at once.
    assert.ok((await signIn('eva', 'eva-passord-12345', '10.1.0.2')).session, 'the real user still signs in');
    // Other users are not affected.
    assert.ok((await signIn('ola', passwords.ola, '10.1.0.3')).session);
  });

  test('successful sign-ins do not count against an address (an office behind one proxy)', async () => {
    for (let i = 0; i < 12; i++)
      assert.ok((await signIn('ola', passwords.ola, '10.1.1.1')).session, `sign-in ${i + 1} from the shared address`);
  });

  test('the redirect after sign-in stays on this site for every encoded, control-character or backslash variant, never a 500', async () => {
    const variants = [
      '//evil.example/',
      '/\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      '/\r\n/evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      '/%2F/evil.example',
      '/%2f%2fevil.example',
      '/%5Cevil.example',
      '/%09/evil.example',
      '/%252F%252Fevil.example',
      ' //evil.example',
      '\t//evil.example',
      '/\u0000/evil.example',
      '/%E0%A4%A',
    ];
    let address = 0;
    for (const neste of variants) {
      const remoteAddress = `10.2.0.${++address}`;
      const page = await app.inject({
        method: 'GET',
        url: `/logg-inn?neste=${encodeURIComponent(neste)}`,
        remoteAddress,
      });
      assert.equal(page.statusCode, 200, `sign-in page for ${JSON.stringify(neste)}`);
      assert.ok(!page.body.includes('evil.example'), `the page carries no foreign target for ${JSON.stringify(neste)}`);
      const response = await app.inject({
        method: 'POST',
        url: '/logg-inn',
        remoteAddress,
        ...form({ username: 'ola', password: passwords.ola, neste, _csrf: csrfIn(page.body)! }),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: sessionCookie(page)! },
      });
      assert.equal(response.statusCode, 303, `${JSON.stringify(neste)}: ${response.statusCode}`);
      assert.equal(response.headers.location, '/', JSON.stringify(neste));
    }
    // The example of the report, as a signed-in browser meets it: the GET of the sign-in page redirects at once.
    const ola = await as('ola');
    const signedIn = await app.inject({
      method: 'GET',
      url: '/logg-inn?neste=%2F%09%2Fevil.example',
      headers: { cookie: ola.cookie },
    });
    assert.equal(signedIn.statusCode, 303);
    assert.equal(signedIn.headers.location, '/');
    // A path on this site, with its query, is kept.
    const page = await app.inject({ method: 'GET', url: '/logg-inn', remoteAddress: '10.2.1.1' });
    const kept = await app.inject({
      method: 'POST',
      url: '/logg-inn',
      remoteAddress: '10.2.1.1',
      ...form({
        username: 'ola',
        password: passwords.ola,
        neste: '/oversikt?status=needs-correction',
        _csrf: csrfIn(page.body)!,
      }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: sessionCookie(page)! },
    });
    assert.equal(kept.headers.location, '/oversikt?status=needs-correction');
  });
});

describe('sessions across restarts and instances', () => {
  test('a session survives a restart of the review app and is good on a second instance with the same key; signing out on one ends it on all', async () => {
    const first = await buildApp(deps);
    const { session } = await signIn('kari', passwords.kari, '10.4.0.1', first);
    assert.ok(session);
    await first.close();
    // Restarted: the same configuration, the secret read again from the data folder.
    const restarted = await buildApp({ ...deps, sessionSecret: await keptSessionSecret(stack.config) });
    const second = await buildApp(deps);
    try {
      const ref = encodeURIComponent(caseA.reference);
      for (const [which, instance] of Object.entries({ restarted, second })) {
        const page: LightMyRequestResponse = await instance.inject({
          method: 'GET',
          url: `/saker/${ref}`,
          headers: { cookie: session.cookie },
        });
        assert.equal(page.statusCode, 200, `${which}: still signed in`);
        assert.match(page.body, new RegExp(caseA.reference));
      }
      // Another key opens none of them.
      const otherKey = await buildApp({ ...deps, sessionSecret: 'another-secret-of-at-least-32-characters' });
      assert.equal(
        (await otherKey.inject({ method: 'GET', url: '/', headers: { cookie: session.cookie } })).statusCode,
        303,
      );
      await otherKey.close();
      // The CSRF token made on the first instance is good on the second: signing out there ends the session everywhere.
      const out = await second.inject({
        method: 'POST',
        url: '/logg-ut',
        ...form({ _csrf: session.csrf }),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session.cookie },
      });
      assert.equal(out.statusCode, 303);
      for (const instance of [restarted, second, app])
        assert.equal(
          (await instance.inject({ method: 'GET', url: '/', headers: { cookie: session.cookie } })).statusCode,
          303,
        );
    } finally {
      await restarted.close();
      await second.close();
    }
  });

  test('the session cookie is sealed: its content cannot be read or changed', async () => {
    const session = await as('kari');
    const value = decodeURIComponent(session.cookie.slice('grant_intake_session='.length));
    assert.doesNotMatch(Buffer.from(value.split(';')[0]!, 'base64').toString('latin1'), /kari|caseworker/);
    const [sealed, nonce] = value.split(';') as [string, string];
    const flipped = Buffer.from(sealed, 'base64');
    flipped[flipped.length - 1]! ^= 1;
    const tampered = `grant_intake_session=${encodeURIComponent(`${flipped.toString('base64')};${nonce}`)}`;
    assert.equal((await app.inject({ method: 'GET', url: '/', headers: { cookie: tampered } })).statusCode, 303);
  });
});

describe('sessions end with the user', () => {
  test('removing a user, or changing their role or queues, ends their session at once', async () => {
    await users.put({ username: 'tor', role: 'admin', queues: [], password: 'tor-passord-12345' });
    const first = await signIn('tor', 'tor-passord-12345', '10.3.0.1');
    assert.ok(first.session);
    assert.equal(
      (await app.inject({ method: 'GET', url: '/', headers: { cookie: first.session.cookie } })).statusCode,
      200,
    );
    await users.put({ username: 'tor', role: 'caseworker', queues: ['triage'], password: 'tor-passord-12345' });
    assert.equal(
      (await app.inject({ method: 'GET', url: '/', headers: { cookie: first.session.cookie } })).statusCode,
      303,
      'a changed role signs out',
    );
    assert.equal(
      (await app.inject({ method: 'GET', url: '/api/saker', headers: { cookie: first.session.cookie } })).statusCode,
      401,
    );
    const second = await signIn('tor', 'tor-passord-12345', '10.3.0.1');
    assert.ok(second.session);
    await users.remove('tor');
    assert.equal(
      (await app.inject({ method: 'GET', url: '/', headers: { cookie: second.session.cookie } })).statusCode,
      303,
      'a removed user is signed out',
    );
    // Added again under the same name, the old session is still over.
    await users.put({ username: 'tor', role: 'caseworker', queues: ['triage'], password: 'tor-passord-12345' });
    assert.equal(
      (await app.inject({ method: 'GET', url: '/', headers: { cookie: second.session.cookie } })).statusCode,
      303,
    );
    // Given other queues (`user add` again), likewise; on every instance, since the cookie alone cannot tell.
    const third = await signIn('tor', 'tor-passord-12345', '10.3.0.1');
    assert.ok(third.session);
    const replica = await buildApp(deps);
    try {
      assert.equal(
        (await replica.inject({ method: 'GET', url: '/', headers: { cookie: third.session.cookie } })).statusCode,
        200,
      );
      await users.put({
        username: 'tor',
        role: 'caseworker',
        queues: ['fm-telemark-helse'],
        password: 'tor-passord-12345',
      });
      for (const instance of [app, replica])
        assert.equal(
          (await instance.inject({ method: 'GET', url: '/', headers: { cookie: third.session.cookie } })).statusCode,
          303,
          'changed queues sign out',
        );
    } finally {
      await replica.close();
    }
  });
});

describe('TLS', () => {
  test('with WEB_TLS_CERT and WEB_TLS_KEY the app serves https and its session cookie is Secure', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'grant-intake-tls-'));
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    await execFileAsync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    const deps = await webDeps(stack, { users });
    deps.config = loadConfig({ ...configEnv(), WEB_TLS_CERT: cert, WEB_TLS_KEY: key }, { dotenv: false });
    const server = await startWebServer(deps, { port: 0, host: '127.0.0.1' });
    try {
      assert.match(server.url, /^https:\/\//);
      const setCookie = await new Promise<string[]>((resolve, reject) => {
        https
          .get(`${server.url}/logg-inn`, { ca: readFileSync(cert) }, (response) => {
            response.resume();
            resolve(response.headers['set-cookie'] ?? []);
          })
          .on('error', reject);
      });
      const session = setCookie.find((c) => c.startsWith('grant_intake_session='));
      assert.ok(session, 'the sign-in page sets the session cookie');
      assert.match(session, /;\s*Secure/i);
      assert.match(session, /;\s*HttpOnly/i);
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('CSRF', () => {
  test("an action without a token, with a wrong one, or with another session's is refused and changes nothing", async () => {
    const kari = await as('kari');
    const ola = await as('ola');
    const url = `/saker/${encodeURIComponent(caseA.reference)}/ta`;
    const post = (fields: Record<string, string>, extra: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url,
        ...form(fields),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: kari.cookie, ...extra },
      });
    for (const [what, response] of [
      ['no token', await post({ notDisqualified: 'true' })],
      ['wrong token', await post({ notDisqualified: 'true', _csrf: 'abc-def' })],
      ["another session's token", await post({ notDisqualified: 'true', _csrf: ola.csrf })],
      [
        'a cross-site form (token missing, Origin elsewhere)',
        await post({ notDisqualified: 'true' }, { origin: 'https://evil.example' }),
      ],
    ] as const) {
      assert.equal(response.statusCode, 403, what);
      assert.match(response.body, /CSRF/, what);
    }
    assert.equal(
      (await stack.env.client.workflow.getHandle(caseA.workflowId).query(caseStateQuery)).assignee,
      undefined,
      'nothing changed',
    );
    const ok = await post({ notDisqualified: 'true', _csrf: kari.csrf });
    assert.equal(ok.statusCode, 303);
    assert.equal((await stack.env.client.workflow.getHandle(caseA.workflowId).query(caseStateQuery)).assignee, 'kari');
  });
});

describe('queue access', () => {
  test('a caseworker of another queue is refused the case by URL, by API, its documents and its actions', async () => {
    const ola = await as('ola');
    const ref = encodeURIComponent(caseA.reference);
    for (const url of [
      `/saker/${ref}`,
      `/api/saker/${ref}`,
      `/saker/${ref}/dokumenter/0/original`,
      `/saker/${ref}/dokumenter/0/sider/1`,
      `/saker/${ref}?dokument=0`,
    ]) {
      const response = await app.inject({ method: 'GET', url, headers: { cookie: ola.cookie } });
      assert.equal(response.statusCode, 403, url);
      assert.doesNotMatch(response.body, /organisasjonsnummer|Søknaden/i, `${url} shows nothing of the case`);
    }
    for (const action of [
      'ta',
      'inhabil',
      'rett',
      'innstilling',
      'godkjenn',
      'send-tilbake',
      'opplysninger',
      'tildel',
    ]) {
      const response = await app.inject({
        method: 'POST',
        url: `/saker/${ref}/${action}`,
        ...form({
          _csrf: ola.csrf,
          notDisqualified: 'true',
          reason: 'x',
          field: 'contact.email',
          value: 'a@b.no',
          kind: 'rejected',
          proposal: '1',
          comment: 'x',
          message: 'x',
          assignee: 'ola',
        }),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: ola.cookie },
      });
      assert.equal(response.statusCode, 403, action);
    }
    const list = (
      await app.inject({ method: 'GET', url: '/api/saker?status=all', headers: { cookie: ola.cookie } })
    ).json() as { cases: CaseSummary[] };
    assert.ok(!list.cases.some((c) => c.reference === caseA.reference), 'not in their lists');
    const page = await app.inject({ method: 'GET', url: '/?status=all', headers: { cookie: ola.cookie } });
    assert.doesNotMatch(page.body, new RegExp(caseA.reference));
    const csv = await app.inject({ method: 'GET', url: '/oversikt/saker.csv', headers: { cookie: ola.cookie } });
    assert.doesNotMatch(csv.body, new RegExp(caseA.reference));
    const state = await stack.env.client.workflow.getHandle(caseA.workflowId).query(caseStateQuery);
    assert.equal(state.conflicts.length, 0);
  });

  test("the case's own caseworker and an admin see it; a reference that is not one is a 400, an unknown one a 404", async () => {
    const kari = await as('kari');
    const admin = await as('admin');
    for (const who of [kari, admin]) {
      assert.equal(
        (
          await app.inject({
            method: 'GET',
            url: `/saker/${encodeURIComponent(caseA.reference)}`,
            headers: { cookie: who.cookie },
          })
        ).statusCode,
        200,
      );
      assert.equal(
        (
          await app.inject({
            method: 'GET',
            url: `/api/saker/${encodeURIComponent(caseA.reference)}`,
            headers: { cookie: who.cookie },
          })
        ).statusCode,
        200,
      );
    }
    assert.equal(
      (
        await app.inject({
          method: 'GET',
          url: `/saker/${encodeURIComponent("x' OR GrantQueue != '")}`,
          headers: { cookie: kari.cookie },
        })
      ).statusCode,
      400,
    );
    assert.equal(
      (await app.inject({ method: 'GET', url: '/api/saker/SAK-00000000', headers: { cookie: admin.cookie } }))
        .statusCode,
      404,
    );
  });

  test('an admin-only action is refused to a caseworker', async () => {
    const kari = await as('kari');
    const response = await app.inject({
      method: 'POST',
      url: `/saker/${encodeURIComponent(xssCase.reference)}/tildel`,
      ...form({ _csrf: kari.csrf, assignee: 'kari' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: kari.cookie },
    });
    assert.equal(response.statusCode, 403);
  });
});

describe('headers, downloads and untrusted content', () => {
  test('every page has the strict Content-Security-Policy and the other security headers', async () => {
    const kari = await as('kari');
    for (const url of ['/logg-inn', '/', `/saker/${encodeURIComponent(caseA.reference)}`]) {
      const response = await app.inject({
        method: 'GET',
        url,
        headers: url === '/logg-inn' ? {} : { cookie: kari.cookie },
      });
      const csp = String(response.headers['content-security-policy']);
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
      ]) {
        assert.ok(csp.includes(directive), `${url}: ${directive} in ${csp}`);
      }
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
      assert.equal(response.headers['x-frame-options'], 'SAMEORIGIN');
      assert.doesNotMatch(
        response.body,
        /<script(?![^>]*src="\/static\/app\.js")[^>]*>/,
        `${url} has no inline script`,
      );
      assert.doesNotMatch(response.body, /\son[a-z]+=/i, `${url} has no event handler attributes`);
    }
  });

  test('the original is only a download (attachment, octet-stream, nosniff)', async () => {
    const kari = await as('kari');
    const response = await app.inject({
      method: 'GET',
      url: `/saker/${encodeURIComponent(xssCase.reference)}/dokumenter/0/original`,
      headers: { cookie: kari.cookie },
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/octet-stream');
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    const disposition = String(response.headers['content-disposition']);
    assert.match(disposition, /^attachment; filename="[^"<>]*"; filename\*=UTF-8''/);
    assert.ok(!disposition.includes('<'), 'the file name is encoded in the header');
  });

  test('payloads in every extracted field and in the file name are escaped on the case page, the queue and the API', async () => {
    const kari = await as('kari');
    const page = await app.inject({
      method: 'GET',
      url: `/saker/${encodeURIComponent(xssCase.reference)}`,
      headers: { cookie: kari.cookie },
    });
    assert.equal(page.statusCode, 200);
    const docx = /<div class="docx-view"[^>]*>([\s\S]*?)<\/div>\s*<\/section>/.exec(page.body)?.[1] ?? '';
    // Outside the Word view every value went through the template's escaping; inside it, the sanitiser's text nodes
    // (where a bare quote is just a character).
    const body = page.body.replace(docx, '');
    assert.ok(!body.includes(xss.script), 'no raw <script> payload');
    assert.ok(!body.includes('<img src=x'), 'no raw <img> payload');
    assert.ok(!body.includes('" onmouseover="'), 'no attribute break-out');
    assert.doesNotMatch(body, /href="javascript:/i);
    assert.ok(body.includes('&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;'), 'the payload is shown as text');
    assert.ok(body.includes('&quot;&gt;&lt;img src=x onerror=alert(9)&gt;.docx'), 'the file name is shown as text');
    // The Word view (mammoth's HTML, sanitised) has no markup from the document but structure.
    assert.ok(docx.length > 0, 'the Word document is shown');
    assert.ok(docx.includes('&lt;script&gt;'), 'the payload is text in the Word view too');
    assert.doesNotMatch(docx, /<[^>]*\son\w+=/i, 'no event handler attribute in the Word view');
    assert.doesNotMatch(
      docx,
      /<(?!\/?(p|br|h[1-6]|strong|b|em|i|u|s|sub|sup|ul|ol|li|table|thead|tbody|tfoot|tr|th|td|blockquote|span)[\s>/])/,
    );
    const queue = await app.inject({ method: 'GET', url: '/?status=all', headers: { cookie: kari.cookie } });
    assert.ok(!queue.body.includes('<img src=x'));
    assert.ok(!queue.body.includes(xss.script));
    const api = await app.inject({
      method: 'GET',
      url: `/api/saker/${encodeURIComponent(xssCase.reference)}`,
      headers: { cookie: kari.cookie },
    });
    assert.match(String(api.headers['content-type']), /^application\/json/);
  });

  test('secrets never reach the logs', async () => {
    await signIn('admin', passwords.admin, '10.2.0.1');
    const logs = logLines.join('\n');
    assert.ok(logs.length > 0, 'something was logged');
    for (const secret of [...Object.values(passwords), sessionSecret])
      assert.ok(!logs.includes(secret), 'a secret in the logs');
    assert.doesNotMatch(logs, /grant_intake_session=|argon2id|"cookie"|_csrf=/);
  });
});

describe('who read what', () => {
  test('every view of a case, a document or an export is in the access log; an admin lists who looked at a case', async () => {
    const ref = encodeURIComponent(caseA.reference);
    const kari = await as('kari');
    const since = new Date().toISOString();
    for (const url of [
      `/saker/${ref}`,
      `/saker/${ref}/dokumenter/0/original`,
      `/api/saker/${ref}`,
      '/oversikt/saker.csv',
    ]) {
      assert.equal((await app.inject({ method: 'GET', url, headers: { cookie: kari.cookie } })).statusCode, 200, url);
    }
    // A refused look is no view of the case.
    const ola = await as('ola');
    assert.equal(
      (await app.inject({ method: 'GET', url: `/saker/${ref}`, headers: { cookie: ola.cookie } })).statusCode,
      403,
    );

    const admin = await as('admin');
    const listed = await app.inject({
      method: 'GET',
      url: `/api/saker/${ref}/innsyn`,
      headers: { cookie: admin.cookie },
    });
    assert.equal(listed.statusCode, 200);
    const views = (
      listed.json() as { views: { at: string; user: string; what: string; caseId: string; document?: number }[] }
    ).views.filter((v) => v.at >= since);
    assert.deepEqual(
      views
        .filter((v) => v.user === 'kari')
        .map((v) => v.what)
        .sort(),
      ['case', 'case', 'document'],
    );
    assert.ok(views.every((v) => v.caseId === caseA.reference && v.user !== 'ola'));
    assert.equal(views.find((v) => v.what === 'document')?.document, 0);
    // The export is logged apart (it spans cases).
    const exports: string[] = [];
    for await (const object of stack.minio.listObjectsV2(stack.config.buckets.records, 'access/exports/', true))
      exports.push(object.name!);
    assert.ok(exports.length >= 1, 'the CSV export is logged');
    // Caseworkers cannot list the log.
    assert.equal(
      (await app.inject({ method: 'GET', url: `/api/saker/${ref}/innsyn`, headers: { cookie: kari.cookie } }))
        .statusCode,
      403,
    );
  });
});

describe('the journal', () => {
  /** Entries as the case's workflow writes them to the records bucket: two in 2017, one in 2018. */
  const entries = (caseId: string): JournalEntry[] => [
    {
      caseId,
      number: 1,
      date: '2017-04-10',
      direction: 'inn',
      kind: 'application',
      party: { name: 'Vinje kommune', kind: 'organisation' },
      title: 'Søknad om tilskudd',
      source: 'soknad-a.pdf',
    },
    {
      caseId,
      number: 2,
      date: '2017-05-03',
      direction: 'ut',
      kind: 'letter',
      party: { name: 'Kari Nordmann', kind: 'person' },
      title: 'Vedtak om tilskudd, sendt Kari Nordmann',
      source: 'letter-1',
    },
    {
      caseId,
      number: 3,
      date: '2018-03-01',
      direction: 'inn',
      kind: 'report',
      party: { name: 'Vinje kommune', kind: 'organisation' },
      title: 'Sluttrapport',
      source: 'rapport.pdf',
    },
  ];

  before(async () => {
    for (const entry of entries(caseA.reference))
      await writeJson(stack.minio, stack.config.buckets.records, journalEntryKey(entry.caseId, entry.number), entry);
  });

  const csvLines = (body: string) =>
    body
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter(Boolean);

  test("the case page lists the case's journal entries: number, date, in or out, sender or recipient, title", async () => {
    const kari = await as('kari');
    const page = await app.inject({
      method: 'GET',
      url: `/saker/${encodeURIComponent(caseA.reference)}`,
      headers: { cookie: kari.cookie },
    });
    assert.equal(page.statusCode, 200);
    const rows = [...page.body.matchAll(/<tr data-journal="(\d+)">([\s\S]*?)<\/tr>/g)].map(([, number, row]) => [
      number,
      row!
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    ]);
    assert.deepEqual(rows, [
      ['1', `${caseA.reference}/1 10.04.2017 Inn Vinje kommune Søknad Søknad om tilskudd`],
      ['2', `${caseA.reference}/2 03.05.2017 Ut Kari Nordmann Brev Vedtak om tilskudd, sendt Kari Nordmann`],
      ['3', `${caseA.reference}/3 01.03.2018 Inn Vinje kommune Rapport Sluttrapport`],
    ]);
  });

  test('an admin downloads the archive’s journal and the public one for a date range; each download is logged', async () => {
    const admin = await as('admin');
    const page = await app.inject({ method: 'GET', url: '/journal', headers: { cookie: admin.cookie } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<form method="get" action="\/journal.csv"/);

    const since = new Date().toISOString();
    const archive = await app.inject({
      method: 'GET',
      url: '/journal.csv?fra=2017-05-01&til=2017-12-31&offentlig=0',
      headers: { cookie: admin.cookie },
    });
    assert.equal(archive.statusCode, 200);
    assert.match(String(archive.headers['content-type']), /^text\/csv/);
    assert.match(
      String(archive.headers['content-disposition']),
      /attachment; filename="journal-fra-2017-05-01-til-2017-12-31.csv"/,
    );
    const mine = (body: string) => csvLines(body).filter((line) => line.startsWith(caseA.reference));
    assert.deepEqual(mine(archive.body), [
      `${caseA.reference};2;${caseA.reference}/2;2017-05-03;ut;Brev;Kari Nordmann;"Vedtak om tilskudd, sendt Kari Nordmann"`,
    ]);

    const published = await app.inject({
      method: 'GET',
      url: '/journal.csv?fra=2017-05-01&til=2017-12-31&offentlig=1',
      headers: { cookie: admin.cookie },
    });
    assert.equal(published.statusCode, 200);
    assert.deepEqual(mine(published.body), [
      `${caseA.reference};2;${caseA.reference}/2;2017-05-03;ut;Brev;[skjermet];"Vedtak om tilskudd, sendt [skjermet]"`,
    ]);
    assert.doesNotMatch(published.body, /Kari Nordmann/);

    const everything = await app.inject({
      method: 'GET',
      url: '/journal.csv?fra=&til=',
      headers: { cookie: admin.cookie },
    });
    assert.equal(mine(everything.body).length, 3, 'empty fields are no limit');
    const bad = await app.inject({
      method: 'GET',
      url: '/journal.csv?fra=2017-13-40',
      headers: { cookie: admin.cookie },
    });
    assert.equal(bad.statusCode, 400);

    const logged: AccessEntry[] = [];
    for await (const object of stack.minio.listObjectsV2(stack.config.buckets.records, 'access/exports/', true))
      logged.push(AccessEntrySchema.parse(await readJson(stack.minio, stack.config.buckets.records, object.name!)));
    assert.deepEqual(
      logged
        .filter((v) => v.at >= since && v.path === '/journal.csv')
        .sort((a, b) => a.at.localeCompare(b.at))
        .map((v) => [v.user, v.what, v.export]),
      [
        ['admin', 'export', { variant: 'archive', from: '2017-05-01', to: '2017-12-31' }],
        ['admin', 'export', { variant: 'public', from: '2017-05-01', to: '2017-12-31' }],
        ['admin', 'export', { variant: 'archive' }],
      ],
      'the three downloads, not the refused one: which variant (personal names or screened) and which dates',
    );
  });

  test('a caseworker gets neither the journal page nor its exports', async () => {
    const kari = await as('kari');
    for (const url of ['/journal', '/journal.csv', '/journal.csv?offentlig=1']) {
      const response = await app.inject({ method: 'GET', url, headers: { cookie: kari.cookie } });
      assert.equal(response.statusCode, 403, url);
      assert.doesNotMatch(response.body, /Kari Nordmann|Saksnummer/, url);
    }
    const home = await app.inject({ method: 'GET', url: '/', headers: { cookie: kari.cookie } });
    assert.doesNotMatch(home.body, /href="\/journal"/, 'no link to it either');
  });
});

describe('helpers', () => {
  test('the html template escapes every value unless it is a template itself', () => {
    const value = `<script>alert('x')</script> & "quoted" \`tick\``;
    assert.equal(
      html`<p title="${value}">${value}</p>`.value,
      '<p title="&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot; &#96;tick&#96;">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot; &#96;tick&#96;</p>',
    );
    assert.equal(html`<ul>${['<a>', html`<li>${'<b>'}</li>`]}</ul>`.value, '<ul>&lt;a&gt;<li>&lt;b&gt;</li></ul>');
  });

  test('the sanitiser drops scripts, event handlers, javascript: URLs, styles, images, frames and SVG', () => {
    const dirty = `<p onclick="alert(1)" style="color:red">Tekst <script>alert(2)</script><a href="javascript:alert(3)">lenke</a></p>
      <img src="x" onerror="alert(4)"><iframe src="https://evil.example"></iframe><svg onload="alert(5)"><circle/></svg>
      <table><tr><td colspan="2" onmouseover="alert(6)">celle</td></tr></table><a href="https://example.org">ekstern</a>
      <style>body{display:none}</style><form action="https://evil.example"><input name="x"></form><math><mi>x</mi></math>`;
    const clean = sanitizeDocumentHtml(dirty);
    assert.doesNotMatch(
      clean,
      /script|alert|onclick|onerror|onload|onmouseover|javascript:|style|<img|<iframe|<svg|<a |href|<form|<input|<math/i,
    );
    assert.match(clean, /<p>Tekst <span>lenke<\/span><\/p>/);
    assert.match(clean, /<td colspan="2">celle<\/td>/);
    assert.match(clean, /<span>ekstern<\/span>/);
  });

  test('CSV cells are quoted and safe against formula injection', () => {
    assert.equal(csvCell('=HYPERLINK("http://evil.example")'), `"'=HYPERLINK(""http://evil.example"")"`);
    assert.equal(csvCell('+47 35 06 20 00'), "'+47 35 06 20 00");
    assert.equal(csvCell('-1'), "'-1");
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell('\t=1'), "'\t=1");
    assert.equal(csvCell(-5), '-5', 'numbers are numbers');
    assert.equal(csvCell('a;b'), '"a;b"');
    assert.equal(toCsv(['a', 'b'], [[1, 'x\ny']]), '\uFEFFa;b\r\n1;"x\ny"\r\n');
  });

  test('users: argon2id hashes that verify only the right password; the hash is never shown', async () => {
    const user = (await users.get('kari'))!;
    assert.match(user.passwordHash!, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.ok(await users.verifyPassword('kari', passwords.kari));
    assert.equal(await users.verifyPassword('kari', passwords.ola), undefined);
    await assert.rejects(
      users.put({ username: 'short', role: 'caseworker', queues: ['triage'], password: 'kort' }),
      /at least 10/,
    );
    await assert.rejects(
      users.put({ username: 'noqueue', role: 'caseworker', queues: [], password: 'long-enough-1' }),
      /queue/,
    );
  });
});
