import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { LightMyRequestResponse } from 'fastify';
import { readObject } from '../storage/objects.ts';
import { renderFormPdf } from '../fixtures/render-pdf.ts';
import { CODEC_PREFIX } from '../web/plugins/codec-server.ts';
import type { CaseSummary } from '../client/cases.ts';
import { payloadCodec } from '../config/payload-keys.ts';
import { approveProposalUpdate, claimUpdate, proposeUpdate, requestInformationUpdate } from '../workflows/messages.ts';
import { draft, drop, filled, routedCase } from './support/browser.ts';
import { useTestStack } from './support/use-test-stack.ts';
import { resultOf } from './support/decision-cases.ts';

const { temporal } = proto;

/**
 * Personal data in Temporal: what the server stores (and its UI shows without a codec server) is ciphertext; the
 * review app's codec server decodes it for signed-in admins only.
 */

let routed: CaseSummary;
const people = {
  contactName: 'Ingrid Personvernsen',
  contactEmail: 'ingrid.personvernsen@vinje.kommune.no',
  contactPhone: '41234567',
  signer: 'Torgeir Hemmeligstad',
  request: 'Send oss budsjettet for 2018, Ingrid.',
};
const passwords = { admin: 'admin-passord-123', kari: 'kari-passord-1234' };
const temporalUi = 'http://127.0.0.1:8233';
/** The admins' token for their tools (`TEMPORAL_CODEC_TOKEN`), as the Temporal CLI's `--codec-auth` sends it. */
const codecToken = 'codec-token-for-the-admins-tools-0123456789';

const { stack, users, app, prepare } = useTestStack({
  workers: { webhook: true },
  web: {
    serve: 'inject',
    deps: async ({ config }) => ({ temporalUiUrl: temporalUi, payloadCodec: await payloadCodec(config), codecToken }),
  },
});

prepare(async () => {
  const { draft: form, random } = await draft(61);
  form.truth.contact = {
    ...form.truth.contact,
    name: people.contactName,
    email: people.contactEmail,
    phone: people.contactPhone,
  };
  form.truth.signature = { ...form.truth.signature, name: people.signer };
  await drop(stack, 'Søknad personvern.pdf', await renderFormPdf(filled(form, random)));
  routed = await routedCase(stack, `OrganisationNumber = '${form.truth.applicant!.organisationNumber}'`);
  await users.put({ username: 'admin', role: 'admin', queues: [], password: passwords.admin });
  await users.put({ username: 'kari', role: 'caseworker', queues: [routed.queue!], password: passwords.kari });

  // The case goes its way: claimed, a request to the applicant, a proposal to reject it, approved by a second person
  // (the letter is written and the workflow completes).
  const handle = stack.env.client.workflow.getHandle(routed.workflowId);
  await handle.executeUpdate(claimUpdate, { args: [{ actor: 'kari', notDisqualified: true }] });
  await handle.executeUpdate(requestInformationUpdate, {
    args: [{ actor: 'kari', message: people.request, reason: 'Budsjett mangler' }],
  });
  const proposed = await handle.executeUpdate(proposeUpdate, {
    args: [
      {
        actor: 'kari',
        grounds: {
          kind: 'rejected',
          reasonIds: ['ufullstendig-etter-purring'],
          explanation: `Avslått etter samtale med ${people.contactName}`,
        },
      },
    ],
  });
  const proposal = proposed.proposals.find((p) => p.status === 'open')!.seq;
  await handle.executeUpdate(approveProposalUpdate, { args: [{ actor: 'per', proposal, notDisqualified: true }] });
  await resultOf(handle);
});

/**
 * The case's history as the Temporal server holds it (and its UI shows without a codec server): no codec. Every run of
 * it: the decided case continues as new into its follow-up, so the chain is walked back to the application's run.
 */
async function rawHistory() {
  const events: proto.temporal.api.history.v1.IHistoryEvent[] = [];
  let runId: string | undefined;
  do {
    const run: proto.temporal.api.history.v1.IHistoryEvent[] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await stack.env.connection.workflowService.getWorkflowExecutionHistory({
        namespace: stack.config.temporal.namespace,
        execution: { workflowId: routed.workflowId, ...(runId && { runId }) },
        nextPageToken,
      });
      run.push(...(page.history?.events ?? []));
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
    events.unshift(...run);
    runId = run[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  } while (runId);
  return events;
}

/** Every Payload in a message, wherever it sits (inputs, results, Updates, failures, memo). */
function payloadsIn(
  value: unknown,
  found: proto.temporal.api.common.v1.IPayload[] = [],
): proto.temporal.api.common.v1.IPayload[] {
  if (
    value &&
    typeof value === 'object' &&
    'metadata' in value &&
    'data' in value &&
    (value as { data: unknown }).data instanceof Uint8Array
  )
    found.push(value as proto.temporal.api.common.v1.IPayload);
  else if (value && typeof value === 'object' && !(value instanceof Uint8Array))
    for (const v of Object.values(value)) payloadsIn(v, found);
  return found;
}

const asJson = ({ metadata, data }: proto.temporal.api.common.v1.IPayload) => ({
  metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(data ?? []).toString('base64'),
});

const form = (fields: Record<string, string>, cookie?: string) => ({
  payload: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie && { cookie }) },
});
const sessionCookie = (response: LightMyRequestResponse) => {
  const cookie = response.cookies.find((c) => c.name === 'grant_intake_session');
  // As the browser sends it back: encoded as it was set.
  return cookie ? `grant_intake_session=${encodeURIComponent(cookie.value)}` : undefined;
};

async function signIn(username: keyof typeof passwords): Promise<string> {
  const page = await app.inject({ method: 'GET', url: '/logg-inn', remoteAddress: `10.7.0.${username.length}` });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const response = await app.inject({
    method: 'POST',
    url: '/logg-inn',
    remoteAddress: `10.7.0.${username.length}`,
    ...form({ username, password: passwords[username], _csrf: csrf }, sessionCookie(page)),
  });
  assert.equal(response.statusCode, 303, `${username} signs in`);
  return sessionCookie(response)!;
}

test('the history Temporal stores holds none of the names, e-mail addresses, phone numbers or messages; memo and search attributes neither', async () => {
  const events = await rawHistory();
  assert.ok(events.length > 20, `the case's history (${events.length} events)`);
  const types = new Set(events.map((e) => e.eventType));
  assert.ok(
    types.has(temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED),
    'completed Updates are in it',
  );
  // The wire bytes of the whole history, and the execution's description (memo, search attributes) likewise.
  const stored = Buffer.from(temporal.api.history.v1.History.encode({ events }).finish()).toString('utf8');
  const description = await stack.env.connection.workflowService.describeWorkflowExecution({
    namespace: stack.config.temporal.namespace,
    execution: { workflowId: routed.workflowId },
  });
  const described = Buffer.from(
    temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse.encode(description).finish(),
  ).toString('utf8');
  for (const [what, value] of Object.entries(people)) {
    assert.ok(!stored.includes(value), `${what} (${value}) is not in the stored history`);
    assert.ok(!described.includes(value), `${what} (${value}) is not in the memo or search attributes`);
  }
  const encodings = payloadsIn(events).map((p) => Buffer.from(p.metadata?.encoding ?? []).toString());
  assert.ok(encodings.filter((e) => e === 'binary/encrypted').length > 20, 'payloads are encrypted');
});

test('the codec server decodes the stored payloads for a signed-in admin, and refuses a caseworker and the signed-out', async () => {
  const payloads = payloadsIn(await rawHistory())
    .filter((p) => Buffer.from(p.metadata?.encoding ?? []).toString() === 'binary/encrypted')
    .map(asJson);
  const decode = (headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: `${CODEC_PREFIX}/decode`,
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', origin: temporalUi, ...headers },
      payload: { payloads },
    });

  const admin = await decode({ cookie: await signIn('admin') });
  assert.equal(admin.statusCode, 200, admin.body);
  assert.equal(admin.headers['access-control-allow-origin'], temporalUi);
  assert.equal(admin.headers['access-control-allow-credentials'], 'true');
  const decoded = (admin.json() as { payloads: { metadata: Record<string, string>; data: string }[] }).payloads;
  assert.equal(decoded.length, payloads.length);
  assert.ok(
    decoded.every((p) => Buffer.from(p.metadata.encoding!, 'base64').toString() !== 'binary/encrypted'),
    'every payload decoded',
  );
  const plain = decoded.map((p) => Buffer.from(p.data ?? '', 'base64').toString('utf8')).join('\n');
  for (const [what, value] of Object.entries(people)) assert.ok(plain.includes(value), `${what} decodes for the admin`);

  const caseworker = await decode({ cookie: await signIn('kari') });
  assert.equal(caseworker.statusCode, 403);
  assert.doesNotMatch(caseworker.body, /Personvernsen/);
  const signedOut = await decode();
  assert.equal(signedOut.statusCode, 401);

  // The admins' tools, such as the Temporal CLI with --codec-auth: the token decodes, any other is refused.
  const byToken = await decode({ authorization: `Bearer ${codecToken}` });
  assert.equal(byToken.statusCode, 200, byToken.body);
  assert.deepEqual(byToken.json(), admin.json());
  for (const wrong of [`Bearer ${codecToken.slice(0, -1)}x`, `Bearer ${codecToken}0`, 'Bearer x', codecToken]) {
    const refused = await decode({ authorization: wrong });
    assert.equal(refused.statusCode, 401, wrong);
    assert.doesNotMatch(refused.body, /Personvernsen/);
  }

  // CORS: the Temporal UI's origin may call with credentials; another site's preflight gets no permission.
  const preflight = (origin: string) =>
    app.inject({
      method: 'OPTIONS',
      url: `${CODEC_PREFIX}/decode`,
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace',
      },
    });
  const ui = await preflight(temporalUi);
  assert.equal(ui.headers['access-control-allow-origin'], temporalUi);
  assert.equal(ui.headers['access-control-allow-credentials'], 'true');
  const evil = await preflight('https://evil.example');
  assert.equal(evil.headers['access-control-allow-origin'], undefined);
});

test('a client without the codec reads ciphertext, even the memo', async () => {
  const bare = new Client({ connection: stack.env.connection, namespace: stack.config.temporal.namespace });
  await assert.rejects(bare.workflow.getHandle(routed.workflowId).describe(), /Unknown encoding: binary\/encrypted/);
  const history = await bare.workflow.getHandle(routed.workflowId).fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  assert.equal(Buffer.from(started?.input?.payloads?.[0]?.metadata?.encoding ?? []).toString(), 'binary/encrypted');
});

test("objects are encrypted at rest: the files in MinIO's data folder hold no readable text, MinIO gives it back", async () => {
  const bucket = stack.config.buckets.records;
  const recordKey = `cases/${routed.reference}/record.json`;
  const text = `{"contact":"${people.contactEmail}"}`;
  await stack.minio.putObject(bucket, 'privacy/at-rest.json', text);
  const onDisk = async (key: string) => {
    const dir = join(stack.config.dataDir, 'minio', bucket, key);
    const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((f) => f.isFile());
    assert.ok(files.length > 0, `${key} is on disk`);
    return Buffer.concat(await Promise.all(files.map((f) => readFile(join(f.parentPath, f.name))))).toString('latin1');
  };
  for (const key of ['privacy/at-rest.json', recordKey]) {
    const stored = await onDisk(key);
    for (const value of [people.contactEmail, people.contactName, '"contact"'])
      assert.ok(!stored.includes(value), `${value} is not readable in ${key} on disk`);
  }
  assert.equal((await readObject(stack.minio, { bucket, key: 'privacy/at-rest.json' })).toString('utf8'), text);
  assert.match(
    (await readObject(stack.minio, { bucket, key: recordKey })).toString('utf8'),
    new RegExp(people.contactEmail.replace(/\./g, '\\.')),
  );
});
