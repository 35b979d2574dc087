import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolveServerBinary } from '../stack/binaries.ts';
import { startApplication } from '../intake/start.ts';
import { applicationWorkflowId } from '../intake/workflow-id.ts';
import { readJson, readObject } from '../activities/storage.ts';
import { CaseRecordSchema, type CaseRecord } from '../schemas/case-record.ts';
import { ExtractedTextSchema, type ExtractedText, type ObjectRef } from '../schemas/document.ts';
import type { IntakeService } from '../worker/intake-service.ts';
import type { ApplicationResult } from '../workflows/application.ts';
import { inboxSweep, type InboxSweepResult } from '../workflows/inbox-sweep.ts';
import { ensureInboxSweepSchedule, sweepScheduleId } from '../worker/schedules.ts';
import { loadSchemes } from '../config/schemes.ts';
import { fillForm } from '../fixtures/forms.ts';
import { draftApplication } from '../fixtures/ground-truth.ts';
import { Random } from '../fixtures/random.ts';
import { renderFormPdf } from '../fixtures/render-pdf.ts';
import { scanPdf } from '../fixtures/scan.ts';
import { routeApplication } from '../schemas/route.ts';
import { countFindings, validateApplication } from '../schemas/validate.ts';
import { caseStateQuery, hasLeftIntake, searchAttributes } from '../workflows/messages.ts';
import { buildEml, makeDocx, makePdf, mimeTypes } from './support/documents.ts';
import { startTestStack, startWorkers, type TestStack } from './support/stack.ts';

let stack: TestStack;
let intake: IntakeService | undefined;

async function startIntake(): Promise<IntakeService> {
  return startWorkers(stack, { webhook: true });
}

before(async () => {
  stack = await startTestStack();
  intake = await startIntake();
});

after(async () => {
  await intake?.stop();
  await stack?.stop();
});

/** What the mailroom does: put an attachment under inbox/ with the e-mail's metadata. */
async function drop(name: string, bytes: Buffer, metadata: Record<string, string> = {}): Promise<ObjectRef> {
  const bucket = stack.config.buckets.intake;
  const key = `inbox/${name}`;
  const meta = Object.fromEntries(Object.entries(metadata).map(([k, v]) => [`X-Amz-Meta-${k}`, v]));
  const info = await stack.minio.putObject(bucket, key, bytes, bytes.length, meta);
  return { bucket, key, etag: info.etag, versionId: info.versionId ?? undefined };
}

/**
 * Waits until the webhook has started the document's workflow, then until it has handled the document: its result
 * when it has ended (quarantined), or, once the case is routed and waits for its assessment, the case as it stands.
 */
async function caseOf(object: ObjectRef, timeoutMs = 30_000): Promise<ApplicationResult> {
  const handle = stack.env.client.workflow.getHandle(applicationWorkflowId(object));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await handle.describe();
      break;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`no workflow for ${object.key} within ${timeoutMs} ms: ${error}`);
      await sleep(200);
    }
  }
  for (;;) {
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') return handle.result();
    if (hasLeftIntake(description.typedSearchAttributes.get(searchAttributes.status))) {
      const state = await handle.query(caseStateQuery);
      return { caseId: state.caseId, recordKey: state.recordKey, status: state.status, queue: state.route.queue };
    }
    await sleep(200);
  }
}

async function recordOf(result: ApplicationResult): Promise<CaseRecord> {
  return CaseRecordSchema.parse(await readJson(stack.minio, stack.config.buckets.records, result.recordKey));
}

/** The text stored beside a case record. */
async function textOf(record: CaseRecord): Promise<ExtractedText> {
  assert.ok(record.textKey, 'the record points at its text');
  return ExtractedTextSchema.parse(await readJson(stack.minio, stack.config.buckets.records, record.textKey));
}

async function inboxKeys(): Promise<string[]> {
  const keys: string[] = [];
  for await (const item of stack.minio.listObjectsV2(stack.config.buckets.intake, 'inbox/', true)) if (item.name) keys.push(item.name);
  return keys.sort();
}

/** Runs the inbox sweep once, as its Schedule does, and waits for it. */
async function runSweep(pageSize = 2): Promise<InboxSweepResult> {
  return stack.env.client.workflow.execute(inboxSweep, {
    taskQueue: stack.config.temporal.taskQueue,
    workflowId: `test-sweep-${Date.now()}`,
    args: [{ pageSize }],
  });
}

async function executionsOf(workflowId: string): Promise<number> {
  let count = 0;
  for await (const _ of stack.env.client.workflow.list({ query: `WorkflowId = '${workflowId.replace(/'/g, "\\'")}'` })) count++;
  return count;
}

test('a filled form dropped into inbox/ becomes one case: read, checked, routed to its queue, with its original and record kept', async () => {
  const schemes = await loadSchemes();
  const random = Random.for(2017, 7);
  const draft = draftApplication(random, schemes.find((scheme) => scheme.id === 'kompetanse-innovasjon-2017')!);
  const pdf = await renderFormPdf(fillForm(draft, random));
  const object = await drop('Søknad kompetansetilskudd.pdf', pdf, {
    'received-at': '2017-04-10T09:12:00+02:00',
    sender: 'post@vinje.kommune.no',
    subject: `=?UTF-8?B?${Buffer.from('Søknad om kompetanse- og innovasjonstilskudd').toString('base64')}?=`,
    'message-id': '<abc123@vinje.kommune.no>',
  });
  const result = await caseOf(object);
  // What the library says of the same application is what the pipeline did: the pipeline adds no rules of its own.
  const expectedFindings = validateApplication(draft.truth, { scheme: draft.scheme, receivedAt: '2017-04-10T07:12:00.000Z', provenance: {} });
  const expectedRoute = routeApplication(draft.truth, draft.scheme, expectedFindings);
  assert.equal(result.status, expectedRoute.stage);
  assert.equal(result.queue, expectedRoute.queue);
  assert.match(result.queue!, /^fm-telemark-helse\//, 'earmarked money: the authority\'s queue per earmark');

  const record = await recordOf(result);
  assert.equal(record.source.key, 'inbox/Søknad kompetansetilskudd.pdf');
  assert.equal(record.document.submission.receivedAt, '2017-04-10T07:12:00.000Z');
  assert.equal(record.document.submission.receivedAtSource, 'mailroom');
  assert.equal(record.document.submission.sender, 'post@vinje.kommune.no');
  assert.equal(record.document.submission.messageId, '<abc123@vinje.kommune.no>');
  assert.equal(record.document.submission.subject, 'Søknad om kompetanse- og innovasjonstilskudd');
  assert.deepEqual(record.application, draft.truth, 'the record holds the application as the applicant wrote it');
  assert.equal(record.provenance?.['applicant.organisationNumber']?.method, 'form');
  assert.deepEqual(record.route, expectedRoute);
  assert.deepEqual(record.findings.map((f) => f.code).sort(), expectedFindings.map((f) => f.code).sort());
  const text = await textOf(record);
  assert.equal(text.type, 'pdf');
  assert.equal(text.method, 'text');
  assert.match(text.pages[0]!.text, /Kommunalt kompetanse- og innovasjonstilsk(udd|ot) 2017/);

  const kept = await readObject(stack.minio, { bucket: record.original.bucket, key: record.original.key });
  assert.deepEqual(kept, pdf);
  assert.equal(record.original.sha256, createHash('sha256').update(pdf).digest('hex'));

  assert.equal(record.movedTo, 'processed/Søknad kompetansetilskudd.pdf');
  assert.deepEqual(await inboxKeys(), [], 'a handled document leaves the inbox');
  const moved = await stack.minio.statObject(stack.config.buckets.intake, record.movedTo);
  assert.equal(moved.etag, object.etag);
  assert.equal(moved.metaData['received-at'], '2017-04-10T09:12:00+02:00', 'moved with its metadata');

  const description = await stack.env.client.workflow.getHandle(record.workflowId).describe();
  assert.equal(description.status.name, 'RUNNING', 'routed, the case waits for its assessment (test/assessment.test.ts)');
  const attributes = description.typedSearchAttributes;
  assert.equal(attributes.get(searchAttributes.status), expectedRoute.stage);
  assert.equal(attributes.get(searchAttributes.queue), expectedRoute.queue);
  assert.equal(attributes.get(searchAttributes.scheme), 'kompetanse-innovasjon-2017');
  assert.equal(attributes.get(searchAttributes.municipality), draft.truth.applicant?.name);
  assert.equal(attributes.get(searchAttributes.organisationNumber), draft.truth.applicant?.organisationNumber);
  assert.equal(attributes.get(searchAttributes.amountRequested), draft.truth.budget?.amountRequested);
  assert.equal(attributes.get(searchAttributes.caseReference), result.caseId);
  assert.equal(attributes.get(searchAttributes.errorCount), countFindings(expectedFindings).errors);
  assert.equal(attributes.get(searchAttributes.warningCount), countFindings(expectedFindings).warnings);
  assert.equal(attributes.get(searchAttributes.receivedAt)?.toISOString(), '2017-04-10T07:12:00.000Z');
  assert.match(String(description.memo?.summary), new RegExp(`^${draft.truth.applicant!.name}: `));
  // An admin finds it with the Temporal UI's query language.
  const found = stack.env.client.workflow.list({ query: `GrantQueue = '${expectedRoute.queue}' AND GrantScheme = 'kompetanse-innovasjon-2017'` });
  const ids: string[] = [];
  for await (const execution of found) ids.push(execution.workflowId);
  assert.deepEqual(ids, [record.workflowId]);
  await saveHistory('application-pdf', record.workflowId);
});

test('the same object put again, or also seen by another trigger, starts no second workflow', async () => {
  const pdf = await makePdf(['Søknadsskjema – Tilskudd til helhetlige tilbud til pårørende']);
  const first = await drop('parorende.pdf', pdf);
  await caseOf(first);
  const second = await drop('parorende.pdf', pdf);
  assert.equal(second.etag, first.etag);
  assert.notEqual(second.versionId, first.versionId, 'the bucket keeps both versions');
  // The sweep (or a replayed webhook event) starting the same object is refused as already known.
  const again = await startApplication(stack.env.client, stack.config.temporal.taskQueue, second);
  assert.equal(again.started, false);
  await sleep(1500); // give the second upload's event time to arrive
  assert.equal(await executionsOf(applicationWorkflowId(first)), 1);
  // The identical second upload stays in the inbox until the sweep sees that its workflow is done.
  assert.deepEqual(await inboxKeys(), ['inbox/parorende.pdf']);
  await runSweep();
  assert.deepEqual(await inboxKeys(), []);
  assert.equal(await executionsOf(applicationWorkflowId(first)), 1);
});

test('a scanned form is read by OCR on its own task queue, and routed like any other', async () => {
  const schemes = await loadSchemes();
  const random = Random.for(2017, 11);
  const draft = draftApplication(random, schemes.find((scheme) => scheme.id === 'parorende-2017')!);
  const scan = await scanPdf(await renderFormPdf(fillForm(draft, random)), random);
  const result = await caseOf(await drop('skannet søknad.pdf', scan, { 'received-at': '2017-03-20T10:00:00+01:00' }));
  const record = await recordOf(result);
  const text = await textOf(record);
  assert.equal(text.method, 'ocr');
  assert.ok(text.pages.every((page) => page.confidence !== undefined));
  assert.equal(record.application?.schemeId, 'parorende-2017');
  assert.equal(record.application?.applicant?.organisationNumber, draft.truth.applicant?.organisationNumber);
  assert.equal(record.provenance?.['applicant.organisationNumber']?.method, 'ocr+form');
  assert.equal(result.queue, 'helsedir-parorende');
  const history = await stack.env.client.workflow.getHandle(record.workflowId).fetchHistory();
  const ocrQueues = history.events
    ?.filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'ocrText')
    .map((event) => event.activityTaskScheduledEventAttributes?.taskQueue?.name);
  assert.deepEqual(ocrQueues, [`${stack.config.temporal.taskQueue}-ocr`]);
  await saveHistory('application-scanned', record.workflowId);
});

test('a Word document is read the same way', async () => {
  const docx = await makeDocx(['Søknadsskjema – Tilskudd til kommunale frisklivs-, lærings- og mestringstilbud 2017', 'Søker (kommune): Skien kommune']);
  const result = await caseOf(await drop('skien.docx', docx));
  const record = await recordOf(result);
  const text = await textOf(record);
  assert.equal(text.type, 'docx');
  assert.match(text.pages.map((p) => p.text).join('\n'), /Søker \(kommune\): Skien kommune/);
  assert.equal(record.application?.applicant?.name, 'Skien kommune');
  assert.equal(result.status, 'needs-correction', 'most of the form is missing');
  assert.equal(record.document.submission.receivedAtSource, 'upload-time', 'no e-mail metadata: the upload time stands');
  await saveHistory('application-docx', record.workflowId);
});

test('an executable renamed to .pdf is kept, recorded as unreadable with a finding, and the worker goes on', async () => {
  const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(2048, 7)]);
  const result = await caseOf(await drop('faktura.pdf', exe));
  assert.equal(result.status, 'quarantined');
  const record = await recordOf(result);
  assert.equal(record.movedTo, 'quarantine/faktura.pdf');
  const quarantined = await readObject(stack.minio, { bucket: stack.config.buckets.intake, key: record.movedTo });
  assert.deepEqual(quarantined, exe, 'the unreadable document is kept in quarantine, not deleted');
  assert.equal(record.textKey, undefined);
  assert.equal(record.application, undefined);
  assert.equal(record.findings[0]?.code, 'unsupported-type');
  assert.match(record.findings[0]!.message, /støttes ikke/);
  const kept = await readObject(stack.minio, { bucket: record.original.bucket, key: record.original.key });
  assert.deepEqual(kept, exe);
  await saveHistory('application-unreadable', record.workflowId);

  const pdf = await makePdf(['Etter en uleselig fil leses neste dokument som vanlig']);
  assert.equal((await caseOf(await drop('neste.pdf', pdf))).status, 'triage', 'read, and not an application of a known scheme');
});

test('an e-mail dropped whole becomes its attachments: each in the inbox with the e-mail\'s facts, each a case of its own', async () => {
  const docx = await makeDocx(['Søknadsskjema – Tilskudd til kommunale frisklivs-, lærings- og mestringstilbud 2017', 'Søker (kommune): Notodden kommune']);
  const pdf = await makePdf(['Budsjett for tiltaket']);
  const eml = buildEml(
    {
      from: 'Notodden kommune <postmottak@notodden.kommune.no>',
      to: 'fmtepost@fylkesmannen.no',
      subject: 'Søknad om tilskudd – frisklivssentral',
      date: 'Tue, 11 Apr 2017 14:05:00 +0200',
      messageId: '<innsending-42@notodden.kommune.no>',
    },
    'Vedlagt er søknaden og budsjettet.',
    [
      { fileName: 'søknad.docx', contentType: mimeTypes.docx, bytes: docx },
      { fileName: '../budsjett.pdf', contentType: mimeTypes.pdf, bytes: pdf },
    ],
  );
  const result = await caseOf(await drop('innsending.eml', eml));
  assert.equal(result.status, 'expanded');
  const record = await recordOf(result);
  const dropped = ['inbox/innsending.vedlegg/01-søknad.docx', 'inbox/innsending.vedlegg/02-__budsjett.pdf'];
  assert.deepEqual(record.attachments, dropped, 'attachment names cannot climb out of the folder');
  assert.equal(record.movedTo, 'processed/innsending.eml');
  await saveHistory('application-email', record.workflowId);

  for (const [key, bytes] of [[dropped[0]!, docx], [dropped[1]!, pdf]] as const) {
    const etag = createHash('md5').update(bytes).digest('hex');
    const attachment = await recordOf(await caseOf({ bucket: stack.config.buckets.intake, key, etag }));
    assert.deepEqual(attachment.document.submission, {
      receivedAt: '2017-04-11T12:05:00.000Z',
      receivedAtSource: 'mailroom',
      sender: '"Notodden kommune" <postmottak@notodden.kommune.no>',
      subject: 'Søknad om tilskudd – frisklivssentral',
      messageId: '<innsending-42@notodden.kommune.no>',
    });
    assert.equal(attachment.original.sha256, createHash('sha256').update(bytes).digest('hex'));
  }
});

test('uploads made while the intake webhook is down, even across a MinIO restart, are processed once it is back', async () => {
  await intake!.stop();
  intake = undefined;
  const object = await drop('mens-nede.pdf', await makePdf(['Levert mens mottaket var nede']));
  await stack.restartMinio();
  intake = await startIntake();
  const result = await caseOf(object, 90_000);
  assert.equal(result.status, 'triage');
  assert.equal(await executionsOf(applicationWorkflowId(object)), 1);
});

test('documents whose events were lost are found by the sweep, page by page, and each becomes one case', async () => {
  await intake!.stop();
  // The worker runs, but no webhook: as on an S3 store without notifications, or with every event lost.
  intake = await startWorkers(stack, { webhook: false });
  try {
    const objects = await Promise.all(['a.pdf', 'b.pdf', 'c.pdf'].map(async (name) => drop(`sweep/${name}`, await makePdf([`Dokument ${name}`]))));
    const sweep = await runSweep(2); // two pages: a page limit bounds each listing of a very large inbox
    assert.equal(sweep.seen, 3);
    assert.equal(sweep.started, 3);
    for (const object of objects) assert.equal((await caseOf(object)).status, 'triage');
    const again = await runSweep(2);
    assert.equal(again.started, 0, 'a second sweep starts nothing');
    for (const object of objects) assert.equal(await executionsOf(applicationWorkflowId(object)), 1);
    await saveHistory('inbox-sweep', (await listSweepIds())[0]!);
  } finally {
    await intake!.stop();
    intake = await startIntake();
  }
});

test('the sweep Schedule is created once per task queue and updated on every start', async () => {
  await ensureInboxSweepSchedule(stack.env.client, stack.config);
  await ensureInboxSweepSchedule(stack.env.client, { ...stack.config, sweep: { intervalSeconds: 30, pageSize: 100 } });
  const schedule = await stack.env.client.schedule.getHandle(sweepScheduleId(stack.config)).describe();
  assert.equal(schedule.spec.intervals?.[0]?.every, 30_000);
  assert.equal(schedule.policies.overlap, 'SKIP');
  assert.equal(schedule.action.type, 'startWorkflow');
});

async function listSweepIds(): Promise<string[]> {
  const ids: string[] = [];
  for await (const w of stack.env.client.workflow.list({ query: `WorkflowType = 'inboxSweep'` })) ids.push(w.workflowId);
  return ids;
}

/** Set UPDATE_HISTORIES=1 to refresh the histories the replay test guards determinism with. */
async function saveHistory(name: string, workflowId: string): Promise<void> {
  if (!process.env.UPDATE_HISTORIES) return;
  // The CLI's JSON is the canonical history format (the same as the Temporal UI's download).
  const { stdout } = await promisify(execFile)(await resolveServerBinary('temporal'), [
    'workflow', 'show', '--workflow-id', workflowId, '--address', stack.env.address, '--output', 'json',
  ]);
  await writeFile(new URL(`./histories/${name}.json`, import.meta.url), stdout);
}

test('with a cluster configured, start runs no local servers and serves documents from that cluster', async () => {
  const { spawn } = await import('node:child_process');
  const { mkdtemp, readdir } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { freePort } = await import('../stack/ports.ts');
  const cwd = await mkdtemp(join(tmpdir(), 'grant-intake-remote-'));
  // The worker of this test stops first: documents must be read by the started process alone.
  await intake!.stop();
  intake = undefined;
  const child = spawn(process.execPath, [new URL('../bin/grant-intake.js', import.meta.url).pathname, 'start'], {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: cwd,
      GRANT_INTAKE_DATA_DIR: join(cwd, 'data'),
      TEMPORAL_ADDRESS: stack.env.address,
      TEMPORAL_TASK_QUEUE: stack.config.temporal.taskQueue,
      MINIO_ENDPOINT: `http://127.0.0.1:${stack.config.minio.localPort}`,
      MINIO_ACCESS_KEY: stack.config.minio.accessKey,
      MINIO_SECRET_KEY: stack.config.minio.secretKey,
      INTAKE_WEBHOOK_TOKEN: stack.webhookToken,
      INTAKE_WEBHOOK_PORT: String(stack.config.webhook.port),
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    const deadline = Date.now() + 60_000;
    while (!output.includes('grant-intake is running')) {
      assert.ok(Date.now() < deadline && child.exitCode === null, `start did not come up:\n${output}`);
      await sleep(200);
    }
    assert.doesNotMatch(output, /starting the Temporal dev server|starting MinIO/);
    assert.match(output, new RegExp(`Temporal\\s+${stack.env.address.replace(/\./g, '\\.')}`));
    assert.deepEqual(await readdir(cwd), [], 'no local data folder: nothing runs locally');

    const result = await caseOf(await drop('til-klyngen.pdf', await makePdf(['Lest av en arbeider mot klyngen'])));
    assert.equal(result.status, 'triage');
  } finally {
    child.kill('SIGINT');
    assert.equal(await exited, 0, output);
    intake = await startIntake();
  }
  assert.match(output, /stopped;/);
});
