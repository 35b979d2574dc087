import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { deliverDocument } from '../client/deliver.ts';
import { ensureInboxSweepSchedule, sweepScheduleId } from '../client/schedules.ts';
import { runsOf } from '../client/visibility.ts';
import { readJson, readObject } from '../storage/objects.ts';
import { payloadKeysEnv } from '../config/env.ts';
import { CaseRecordSchema, type CaseRecord } from '../schemas/case-record.ts';
import { ExtractedTextSchema, type ExtractedText } from '../schemas/document.ts';
import type { ApplicationResult } from '../workflows/application.ts';
import { inboxSweep, type InboxSweepResult } from '../workflows/inbox-sweep.ts';
import { loadSchemes } from '../config/schemes.ts';
import { chooseFormStyle, fillForm } from '../fixtures/forms.ts';
import { draftApplication } from '../fixtures/ground-truth.ts';
import { Random } from '../fixtures/random.ts';
import { renderFormPdf } from '../fixtures/render-pdf.ts';
import { scanPdf } from '../fixtures/scan.ts';
import { routeApplication } from '../schemas/route.ts';
import { countFindings, validateApplication } from '../schemas/validate.ts';
import {
  caseStateQuery,
  claimUpdate,
  decideUnrelatedDocumentUpdate,
  hasLeftIntake,
  searchAttributes,
} from '../workflows/messages.ts';
import { caseReferenceFor, caseWorkflowId, submissionOf } from '../schemas/case-reference.ts';
import type { CaseState } from '../schemas/assessment.ts';
import { buildEml, makeDocx, makePdf, mimeTypes } from './support/documents.ts';
import { saveHistory } from './support/histories.ts';
import { versionsUnder } from './support/versions.ts';
import { dropIntoIntake, type Dropped } from './support/stack.ts';
import { useTestStack } from './support/use-test-stack.ts';
import { startWorkerProcess } from './support/worker-process.ts';

const { stack, stopWorkers, restartWorkers } = useTestStack({ workers: { webhook: true } });

/** What the mailroom does: put an attachment under inbox/ with the e-mail's metadata. */
const drop = (name: string, bytes: Buffer, metadata: Record<string, string> = {}) =>
  dropIntoIntake(stack, `inbox/${name}`, bytes, metadata);

/**
 * Waits until the webhook has started the document's case workflow, then until it has handled the document: its
 * result when it has ended (quarantined), or, once the case is routed and waits for its assessment, the case as it
 * stands.
 */
async function caseOf({ workflowId }: { workflowId: string }, timeoutMs = 30_000): Promise<ApplicationResult> {
  const handle = stack.env.client.workflow.getHandle(workflowId);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await handle.describe();
      break;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`no workflow ${workflowId} within ${timeoutMs} ms: ${error}`, { cause: error });
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

async function recordOf(result: Pick<ApplicationResult, 'recordKey'>): Promise<CaseRecord> {
  return CaseRecordSchema.parse(await readJson(stack.minio, stack.config.buckets.records, result.recordKey));
}

/** The text stored beside a case record. */
async function textOf(record: CaseRecord): Promise<ExtractedText> {
  assert.ok(record.textKey, 'the record points at its text');
  return ExtractedTextSchema.parse(await readJson(stack.minio, stack.config.buckets.records, record.textKey));
}

async function inboxKeys(): Promise<string[]> {
  const keys: string[] = [];
  for await (const item of stack.minio.listObjectsV2(stack.config.buckets.intake, 'inbox/', true))
    if (item.name) keys.push(item.name);
  return keys.sort();
}

/** Every version of the name in the intake bucket (delete markers too), with the inbox version each was moved from. */
const versionsIn = (key: string) => versionsUnder(stack.minio, stack.config.buckets.intake, key);

/** Hands a document version to its case, as the webhook and the sweep do. */
const deliver = (object: Dropped) =>
  deliverDocument(
    {
      client: stack.env.client,
      minio: stack.minio,
      taskQueue: stack.config.temporal.taskQueue,
      recordsBucket: stack.config.buckets.records,
    },
    object,
  );

/** Runs the inbox sweep once, as its Schedule does, and waits for it. */
async function runSweep(pageSize = 2): Promise<InboxSweepResult> {
  return stack.env.client.workflow.execute(inboxSweep, {
    taskQueue: stack.config.temporal.taskQueue,
    workflowId: `test-sweep-${Date.now()}`,
    args: [{ pageSize }],
  });
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(250);
  }
}

async function executionsOf(workflowId: string): Promise<number> {
  let count = 0;
  for await (const _ of stack.env.client.workflow.list({ query: runsOf(workflowId) })) count++;
  return count;
}

test('a filled form dropped into inbox/ becomes one case: read, checked, routed to its queue, with its original and record kept', async () => {
  const schemes = await loadSchemes();
  const random = Random.for(2017, 7);
  const draft = draftApplication(
    random,
    schemes.find((scheme) => scheme.id === 'kompetanse-innovasjon-2017')!,
  );
  // The SPEC's own form (a county's template has rows the form lacks, which reading reports as findings of its own).
  const pdf = await renderFormPdf(fillForm(draft, random, { ...chooseFormStyle(random), template: 'ours' }));
  const object = await drop('Søknad kompetansetilskudd.pdf', pdf, {
    'received-at': '2017-04-10T09:12:00+02:00',
    sender: 'post@vinje.kommune.no',
    subject: `=?UTF-8?B?${Buffer.from('Søknad om kompetanse- og innovasjonstilskudd').toString('base64')}?=`,
    'message-id': '<abc123@vinje.kommune.no>',
  });
  const result = await caseOf(object);
  // What the library says of the same application is what the pipeline did: the pipeline adds no rules of its own.
  const expectedFindings = validateApplication(draft.truth, {
    scheme: draft.scheme,
    receivedAt: '2017-04-10T07:12:00.000Z',
    provenance: {},
  });
  const expectedRoute = routeApplication(draft.truth, draft.scheme, expectedFindings);
  assert.equal(result.status, expectedRoute.stage);
  assert.equal(result.queue, expectedRoute.queue);
  assert.match(result.queue!, /^fm-telemark-helse\//, "earmarked money: the authority's queue per earmark");

  const record = await recordOf(result);
  assert.equal(record.source.key, 'inbox/Søknad kompetansetilskudd.pdf');
  assert.equal(record.document!.submission.receivedAt, '2017-04-10T07:12:00.000Z');
  assert.equal(record.document!.submission.receivedAtSource, 'mailroom');
  assert.equal(record.document!.submission.sender, 'post@vinje.kommune.no');
  assert.equal(record.document!.submission.messageId, '<abc123@vinje.kommune.no>');
  assert.equal(record.document!.submission.subject, 'Søknad om kompetanse- og innovasjonstilskudd');
  assert.deepEqual(record.application, draft.truth, 'the record holds the application as the applicant wrote it');
  assert.equal(record.provenance?.['applicant.organisationNumber']?.method, 'form');
  assert.deepEqual(record.route, expectedRoute);
  assert.deepEqual(record.findings.map((f) => f.code).sort(), expectedFindings.map((f) => f.code).sort());
  const text = await textOf(record);
  assert.equal(text.type, 'pdf');
  assert.equal(text.method, 'text');
  assert.match(text.pages[0]!.text, /Kommunalt kompetanse- og innovasjonstilsk(udd|ot)\s+2017/);

  const kept = await readObject(stack.minio, { bucket: record.original!.bucket, key: record.original!.key });
  assert.deepEqual(kept, pdf);
  assert.equal(record.original!.sha256, createHash('sha256').update(pdf).digest('hex'));

  assert.equal(record.movedTo, 'processed/Søknad kompetansetilskudd.pdf');
  assert.deepEqual(await inboxKeys(), [], 'a handled document leaves the inbox');
  const moved = await stack.minio.statObject(stack.config.buckets.intake, record.movedTo);
  assert.equal(moved.etag, object.etag);
  assert.equal(moved.metaData['received-at'], '2017-04-10T09:12:00+02:00', 'moved with its metadata');

  const description = await stack.env.client.workflow.getHandle(record.workflowId).describe();
  assert.equal(
    description.status.name,
    'RUNNING',
    'routed, the case waits for its assessment (test/assessment.test.ts)',
  );
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
  const found = stack.env.client.workflow.list({
    query: `GrantQueue = '${expectedRoute.queue}' AND GrantScheme = 'kompetanse-innovasjon-2017'`,
  });
  const ids: string[] = [];
  for await (const execution of found) ids.push(execution.workflowId);
  assert.deepEqual(ids, [record.workflowId]);
  await saveHistory(stack, 'application-pdf', record.workflowId);
});

test('the same object put again, or also seen by another trigger, is one case, and the copy leaves the inbox', async () => {
  const pdf = await makePdf(['Søknadsskjema – Tilskudd til helhetlige tilbud til pårørende']);
  const first = await drop('parorende.pdf', pdf);
  await caseOf(first);
  const second = await drop('parorende.pdf', pdf);
  assert.equal(second.etag, first.etag);
  assert.notEqual(second.versionId, first.versionId, 'the bucket keeps both versions');
  // The sweep (or a replayed webhook event) delivering the same object again reaches the same case.
  const again = await deliver(second);
  assert.deepEqual(again, { outcome: 'delivered', workflowId: first.workflowId, as: 'document' });
  // The case sees a copy of a document it has and only takes it out of the inbox.
  await until(async () => (await inboxKeys()).length === 0, 'the copy leaves the inbox');
  assert.equal(await executionsOf(first.workflowId), 1);
  const state = await stack.env.client.workflow.getHandle(first.workflowId).query(caseStateQuery);
  assert.equal(state.documents?.length, 1, 'the copy is not a second document of the case');
  await runSweep();
  assert.equal(await executionsOf(first.workflowId), 1);
});

test('an upload retried after a lost answer leaves two versions, one never announced: the case takes both out, each kept once', async () => {
  // No webhook: the one event that came is delivered by hand, the other version's never comes.
  await restartWorkers({ webhook: false });
  try {
    const pdf = await makePdf(['Søknadsskjema – levert på nytt etter tapt svar']);
    const metadata = { 'received-at': '2017-04-10T09:12:00+02:00', 'message-id': '<forsok-igjen@vinje.kommune.no>' };
    const stored = await drop('forsøkt igjen.pdf', pdf, metadata); // stored, but its answer (and event) were lost
    const retried = await drop('forsøkt igjen.pdf', pdf, metadata);
    // The same bytes under the same name from another e-mail are another submission's: not taken along.
    const other = await drop('forsøkt igjen.pdf', pdf, { ...metadata, 'message-id': '<en-annen@vinje.kommune.no>' });
    assert.equal(retried.workflowId, stored.workflowId);
    await deliver(retried);
    const result = await caseOf(retried);
    assert.equal(result.status, 'triage');
    // Once the case has the document, no version of its upload is left in the inbox: none waits for a sweep to find it.
    assert.deepEqual(
      (await versionsIn('inbox/forsøkt igjen.pdf')).map((v) => v.versionId),
      [other.versionId],
    );
    await deliver(other);
    assert.equal(
      (await recordOf(await caseOf(other))).documents?.length,
      1,
      "the other submission's case has its document",
    );
    assert.deepEqual(await versionsIn('inbox/forsøkt igjen.pdf'), []);
    const kept = await versionsIn('processed/forsøkt igjen.pdf');
    assert.deepEqual(
      kept.map((v) => v.from).sort(),
      [stored.versionId, retried.versionId, other.versionId].sort(),
      'each inbox version kept once under processed/',
    );
    assert.equal((await recordOf(result)).documents?.length, 1, 'the case has the document once');
    // A replayed event for the version taken along finds it gone; the case is not told twice.
    assert.deepEqual(await deliver(stored), { outcome: 'gone' });
    assert.equal((await runSweep()).seen, 0);
    assert.equal((await versionsIn('processed/forsøkt igjen.pdf')).length, 3);
  } finally {
    await restartWorkers();
  }
});

test('a scanned form is read by OCR on its own task queue, and routed like any other', async () => {
  const schemes = await loadSchemes();
  const random = Random.for(2017, 11);
  const draft = draftApplication(
    random,
    schemes.find((scheme) => scheme.id === 'parorende-2017')!,
  );
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
  await saveHistory(stack, 'application-scanned', record.workflowId);
});

test('a Word document is read the same way', async () => {
  const docx = await makeDocx([
    'Søknadsskjema – Tilskudd til kommunale frisklivs-, lærings- og mestringstilbud 2017',
    'Søker (kommune): Skien kommune',
  ]);
  const result = await caseOf(await drop('skien.docx', docx));
  const record = await recordOf(result);
  const text = await textOf(record);
  assert.equal(text.type, 'docx');
  assert.match(text.pages.map((p) => p.text).join('\n'), /Søker \(kommune\): Skien kommune/);
  assert.equal(record.application?.applicant?.name, 'Skien kommune');
  assert.equal(result.status, 'needs-correction', 'most of the form is missing');
  assert.equal(
    record.document!.submission.receivedAtSource,
    'upload-time',
    'no e-mail metadata: the upload time stands',
  );
  await saveHistory(stack, 'application-docx', record.workflowId);
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
  assert.equal(
    record.documents?.[0]?.unreadable?.code,
    'unsupported-type',
    'the document says why it could not be read',
  );
  assert.match(record.findings[0]!.message, /støttes ikke/);
  const kept = await readObject(stack.minio, { bucket: record.original!.bucket, key: record.original!.key });
  assert.deepEqual(kept, exe);
  await saveHistory(stack, 'application-unreadable', record.workflowId);

  const pdf = await makePdf(['Etter en uleselig fil leses neste dokument som vanlig']);
  assert.equal(
    (await caseOf(await drop('neste.pdf', pdf))).status,
    'triage',
    'read, and not an application of a known scheme',
  );
});

/** The case as it stands once it holds `count` documents. */
async function caseWithDocuments(workflowId: string, count: number): Promise<CaseState> {
  const handle = stack.env.client.workflow.getHandle(workflowId);
  let state: CaseState | undefined;
  await until(async () => {
    await caseOf({ workflowId });
    state = await handle.query(caseStateQuery);
    return (state.documents?.length ?? 0) >= count;
  }, `the case holds ${count} documents`);
  return state!;
}

/** The case record once it lists `count` documents: it is written just after the case takes a document in. */
async function recordListing(state: CaseState, count: number): Promise<CaseRecord> {
  let record: CaseRecord | undefined;
  await until(
    async () => ((record = await recordOf(state)).documents?.length ?? 0) >= count,
    `the record lists ${count} documents`,
  );
  return record!;
}

test("an e-mail dropped whole is one case: its attachments go into the inbox with the e-mail's facts and join it", async () => {
  const docx = await makeDocx([
    'Søknadsskjema – Tilskudd til kommunale frisklivs-, lærings- og mestringstilbud 2017',
    'Søker (kommune): Notodden kommune',
  ]);
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
  const dropped = await drop('innsending.eml', eml);
  const state = await caseWithDocuments(dropped.workflowId, 3);
  assert.deepEqual(
    state.documents?.map((d) => [d.fileName, d.role]),
    [
      ['innsending.eml', 'e-mail'],
      ['01-søknad.docx', 'application'],
      ['02-__budsjett.pdf', 'appendix'],
    ],
    'attachment names cannot climb out of the folder',
  );
  assert.equal(state.application.applicant?.name, 'Notodden kommune', 'the application is read from the form');
  assert.equal(state.status, 'needs-correction');
  const record = await recordListing(state, 3);
  assert.deepEqual(record.attachments, [
    'inbox/innsending.vedlegg/01-søknad.docx',
    'inbox/innsending.vedlegg/02-__budsjett.pdf',
  ]);
  assert.equal(record.documents?.length, 3, 'the record lists every document of the case');
  assert.equal(record.documents![0]!.movedTo, 'processed/innsending.eml');
  for (const [document, bytes] of [
    [record.documents![1]!, docx],
    [record.documents![2]!, pdf],
  ] as const) {
    assert.equal(document.original.sha256, createHash('sha256').update(bytes).digest('hex'));
    const moved = await stack.minio.statObject(stack.config.buckets.intake, document.movedTo);
    assert.equal(
      moved.metaData['message-id'],
      '<innsending-42@notodden.kommune.no>',
      "each attachment keeps the e-mail's facts",
    );
    assert.equal(moved.metaData['received-at'], '2017-04-11T12:05:00.000Z');
  }
  await until(async () => (await inboxKeys()).length === 0, 'the attachments leave the inbox');
  assert.equal(await executionsOf(dropped.workflowId), 1);
  const cases = stack.env.client.workflow.list({ query: `CaseReference = '${state.caseId}'` });
  let count = 0;
  for await (const _ of cases) count++;
  assert.equal(count, 1, 'the attachments opened no cases of their own');
  await saveHistory(stack, 'application-submission-email', dropped.workflowId);
});

test('three attachments of one e-mail (one message-id) are one case: the form and its two appendices', async () => {
  const schemes = await loadSchemes();
  const random = Random.for(2017, 21);
  const draft = draftApplication(
    random,
    schemes.find((scheme) => scheme.id === 'parorende-2017')!,
  );
  const form = await renderFormPdf(fillForm(draft, random));
  const facts = {
    'received-at': '2017-03-01T12:00:00+01:00',
    sender: 'post@bo.kommune.no',
    'message-id': '<tre-vedlegg@bo.kommune.no>',
  };
  // The appendix arrives first: the case starts with it and takes the form as its application when it comes.
  const appendix = await drop('bo/budsjett.pdf', await makePdf(['Budsjett', 'Lønn 200 000']), facts);
  const formObject = await drop('bo/søknad.pdf', form, facts);
  const plan = await drop('bo/plan.docx', await makeDocx(['Plan for pårørendearbeid']), facts);
  assert.equal(formObject.workflowId, appendix.workflowId);
  assert.equal(plan.workflowId, appendix.workflowId);

  const state = await caseWithDocuments(appendix.workflowId, 3);
  assert.deepEqual(state.documents?.map((d) => [d.fileName, d.role]).sort(), [
    ['budsjett.pdf', 'appendix'],
    ['plan.docx', 'appendix'],
    ['søknad.pdf', 'application'],
  ]);
  assert.deepEqual(state.application, draft.truth, "the application is the form's");
  assert.equal(state.route.queue, 'helsedir-parorende');
  assert.notEqual(state.status, 'triage');
  assert.equal(await executionsOf(appendix.workflowId), 1);
  const record = await recordListing(state, 3);
  assert.equal(record.documents?.length, 3);
  for (const document of record.documents!) {
    const kept = await readObject(stack.minio, document.original);
    assert.equal(createHash('sha256').update(kept).digest('hex'), document.original.sha256);
  }
  await until(async () => (await inboxKeys()).length === 0, 'every attachment leaves the inbox');
  await saveHistory(stack, 'application-submission', appendix.workflowId);
});

test('a document quoting a case reference is a supplement: it joins that case, which reads and checks it again', async () => {
  const schemes = await loadSchemes();
  const random = Random.for(2017, 22);
  const draft = draftApplication(
    random,
    schemes.find((scheme) => scheme.id === 'parorende-2017')!,
  );
  const wrong = { ...draft.truth, applicant: { ...draft.truth.applicant!, organisationNumber: '123456789' } };
  const first = await drop('lier/søknad.pdf', await renderFormPdf(fillForm({ ...draft, truth: wrong }, random)), {
    'message-id': '<lier-1@lier.kommune.no>',
  });
  await caseOf(first);
  const before = await stack.env.client.workflow.getHandle(first.workflowId).query(caseStateQuery);
  assert.equal(before.status, 'needs-correction');
  assert.ok(before.findings.some((f) => f.field === 'applicant.organisationNumber' && f.severity === 'error'));

  // The applicant answers with the corrected number, quoting the reference in the subject of a new e-mail.
  const supplement = await drop(
    'lier/rettet.pdf',
    await makePdf([
      'Søknadsskjema – Tilskudd til helhetlige tilbud til pårørende 2017',
      `Organisasjonsnummer: ${draft.truth.applicant!.organisationNumber}`,
    ]),
    { subject: `Ettersending til ${before.caseId}`, 'message-id': '<lier-2@lier.kommune.no>' },
  );
  const state = await caseWithDocuments(first.workflowId, 2);
  assert.equal(state.documents?.[1]?.role, 'supplement');
  assert.equal(state.application.applicant?.organisationNumber, draft.truth.applicant!.organisationNumber);
  assert.ok(
    !state.findings.some((f) => f.field === 'applicant.organisationNumber' && f.severity === 'error'),
    'checked again: the error is gone',
  );
  assert.equal(await executionsOf(supplement.workflowId), 0, 'the supplement opened no case of its own');

  // A reference to a case that does not exist opens a case of its own, which says so.
  const stray = await drop('lier/feil-ref.pdf', await makePdf(['Ettersending']), {
    subject: 'Ettersending til SAK-ZZZZZZZZ',
    'message-id': '<lier-3@lier.kommune.no>',
  });
  const strayCase = await stack.env.client.workflow
    .getHandle((await caseOf(stray), stray.workflowId))
    .query(caseStateQuery);
  assert.ok(strayCase.findings.some((f) => f.code === 'refers-to-unknown-case'));
  await saveHistory(stack, 'application-supplement', first.workflowId);
});

test('a form from another applicant quoting a running case is held back for the caseworker, who opens it as a case of its own', async () => {
  const schemes = await loadSchemes();
  const scheme = schemes.find((s) => s.id === 'parorende-2017')!;
  const random = Random.for(2017, 31);
  const own = draftApplication(random, scheme);
  let other = draftApplication(random, scheme);
  while (other.truth.applicant!.name === own.truth.applicant!.name) other = draftApplication(random, scheme);
  const first = await drop('nome/søknad.pdf', await renderFormPdf(fillForm(own, random)), {
    'message-id': '<nome-1@nome.kommune.no>',
  });
  await caseOf(first);
  const before = await stack.env.client.workflow.getHandle(first.workflowId).query(caseStateQuery);

  // Another municipality's form, quoting this case's reference (a copied template, a wrong subject).
  const foreign = await drop(
    `fyresdal/Ettersending til ${before.caseId}.pdf`,
    await renderFormPdf(fillForm(other, random)),
    { 'message-id': '<fyresdal-1@fyresdal.kommune.no>' },
  );
  const state = await caseWithDocuments(first.workflowId, 2);
  assert.equal(state.documents?.[1]?.role, 'unrelated', 'kept in the case as received, unused');
  assert.deepEqual(state.application, before.application, 'the application is unchanged');
  const finding = state.findings.find((f) => f.code === 'document-from-other-applicant');
  assert.ok(
    finding?.message.includes(other.truth.applicant!.name!) && finding.message.includes(own.truth.applicant!.name!),
    `names both applicants: ${finding?.message}`,
  );
  assert.equal(state.status, 'needs-correction', 'the case waits for a person');
  assert.equal(await executionsOf(foreign.workflowId), 0, 'no case of its own until the caseworker says so');

  const handle = stack.env.client.workflow.getHandle(first.workflowId);
  await handle.executeUpdate(claimUpdate, { args: [{ actor: 'kari', notDisqualified: true }] });
  const decided = await handle.executeUpdate(decideUnrelatedDocumentUpdate, {
    args: [{ actor: 'kari', document: state.documents![1]!.original.key, decision: 'own-case' }],
  });
  const openedAs = decided.documents?.[1]?.openedAs;
  assert.ok(openedAs, 'the document names the case it was opened as');
  assert.ok(!decided.findings.some((f) => f.code === 'document-from-other-applicant'));
  const ownCase = caseWorkflowId(openedAs);
  await caseOf({ workflowId: ownCase });
  const separated = await stack.env.client.workflow.getHandle(ownCase).query(caseStateQuery);
  assert.equal(separated.application.applicant?.name, other.truth.applicant!.name);
  assert.equal(separated.application.applicant?.organisationNumber, other.truth.applicant!.organisationNumber);
  assert.ok(separated.findings.some((f) => f.code === 'separated-from-case' && f.message.includes(before.caseId)));
  assert.equal(
    (await handle.query(caseStateQuery)).application.applicant?.name,
    own.truth.applicant!.name,
    'the first case is still its own',
  );
  await saveHistory(stack, 'application-unrelated-document', first.workflowId);
});

test('a document gone from the inbox before its case reads it ends the case with a record that says so', async () => {
  const object = {
    bucket: stack.config.buckets.intake,
    key: 'inbox/slettet søknad.pdf',
    etag: '"0123456789abcdef0123456789abcdef"',
  };
  const caseId = caseReferenceFor(submissionOf(object, undefined));
  const result = (await stack.env.client.workflow.execute('application', {
    taskQueue: stack.config.temporal.taskQueue,
    workflowId: caseWorkflowId(caseId),
    args: [{ object, caseId }],
  })) as ApplicationResult;
  assert.equal(result.status, 'vanished');
  const record = await recordOf(result);
  assert.equal(record.source.key, 'inbox/slettet søknad.pdf');
  const finding = record.findings.find((f) => f.code === 'document-vanished');
  assert.match(finding?.message ?? '', /«slettet søknad\.pdf» finnes ikke lenger i innboksen/);
  assert.equal(record.documents, undefined, 'nothing was there to keep');
  await saveHistory(stack, 'application-vanished', caseWorkflowId(caseId));
});

test('uploads made while the intake webhook is down, even across a MinIO restart, are processed once it is back', async () => {
  await stopWorkers();
  const object = await drop('mens-nede.pdf', await makePdf(['Levert mens mottaket var nede']));
  await stack.restartMinio();
  await restartWorkers();
  const result = await caseOf(object, 90_000);
  assert.equal(result.status, 'triage');
  assert.equal(await executionsOf(object.workflowId), 1);
});

test('documents whose events were lost are found by the sweep, page by page, and each becomes one case', async () => {
  // The worker runs, but no webhook: as on an S3 store without notifications, or with every event lost.
  await restartWorkers({ webhook: false });
  try {
    const objects = await Promise.all(
      ['a.pdf', 'b.pdf', 'c.pdf'].map(async (name) => drop(`sweep/${name}`, await makePdf([`Dokument ${name}`]))),
    );
    const sweep = await runSweep(2); // two pages: a page limit bounds each listing of a very large inbox
    assert.equal(sweep.seen, 3);
    assert.equal(sweep.delivered, 3);
    for (const object of objects) assert.equal((await caseOf(object)).status, 'triage');
    const again = await runSweep(2);
    assert.equal(again.seen, 0, 'handled documents have left the inbox: a second sweep has nothing to deliver');
    for (const object of objects) assert.equal(await executionsOf(object.workflowId), 1);
    await saveHistory(stack, 'inbox-sweep', (await listSweepIds())[0]!);
  } finally {
    await restartWorkers();
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
  for await (const w of stack.env.client.workflow.list({ query: `WorkflowType = 'inboxSweep'` }))
    ids.push(w.workflowId);
  return ids;
}

test('with a cluster configured, start runs no local servers and serves documents from that cluster', async () => {
  const { spawn } = await import('node:child_process');
  const { mkdtemp, readdir } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { freePort } = await import('../stack/ports.ts');
  const cwd = await mkdtemp(join(tmpdir(), 'grant-intake-remote-'));
  // The worker of this test stops first: documents must be read by the started process alone.
  await stopWorkers();
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
      ...payloadKeysEnv(stack.config.temporal.payloadKeys!),
      WEB_PORT: String(await freePort()),
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
    await restartWorkers();
  }
  assert.match(output, /stopped;/);
});

test('a worker killed in the middle of reading a scan: the case completes on the next worker, with no duplicate records', async () => {
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { freePort } = await import('../stack/ports.ts');
  const cwd = await mkdtemp(join(tmpdir(), 'grant-intake-kill-'));
  const options = {
    cwd,
    webhookToken: stack.webhookToken,
    env: { TEMPORAL_ADDRESS: stack.env.address, WEB_PORT: String(await freePort()) },
  };
  await stopWorkers();
  let worker = await startWorkerProcess(stack.config, options);
  try {
    const schemes = await loadSchemes();
    const random = Random.for(2017, 31);
    const draft = draftApplication(
      random,
      schemes.find((scheme) => scheme.id === 'parorende-2017')!,
    );
    const scan = await scanPdf(await renderFormPdf(fillForm(draft, random)), random);
    const dropped = await drop('drept/skannet.pdf', scan, { 'message-id': '<drept@lier.kommune.no>' });
    const handle = stack.env.client.workflow.getHandle(dropped.workflowId);
    // Mid-extraction: the OCR activity has started on the worker.
    await until(async () => {
      const description = await handle.describe().catch(() => undefined);
      return (
        description?.raw.pendingActivities?.some(
          (a) => a.activityType?.name === 'ocrText' && a.state === 2 /* started */,
        ) ?? false
      );
    }, 'OCR has started');
    await worker.kill();

    worker = await startWorkerProcess(stack.config, options);
    // The OCR activity's heartbeat times out (30 s) and it runs again on the new worker.
    const result = await caseOf(dropped, 120_000);
    assert.equal(result.queue, 'helsedir-parorende');
    assert.equal(await executionsOf(dropped.workflowId), 1);
    const history = await handle.fetchHistory();
    const scheduled = (name: string) => (e: (typeof history.events & {})[number]) =>
      history.events?.find((s) => String(s.eventId) === String(e.activityTaskStartedEventAttributes?.scheduledEventId))
        ?.activityTaskScheduledEventAttributes?.activityType?.name === name;
    const attempts = history.events
      ?.filter((e) => e.activityTaskStartedEventAttributes && scheduled('ocrText')(e))
      .map((e) => e.activityTaskStartedEventAttributes?.attempt);
    assert.deepEqual(attempts, [2], 'the OCR ran again after the kill (attempt 2)');
    const keys: string[] = [];
    for await (const item of stack.minio.listObjectsV2(stack.config.buckets.records, `cases/${result.caseId}/`, true))
      keys.push(item.name!);
    assert.deepEqual(
      keys.map((k) => k.replace(/^cases\/[^/]+\//, '').replace(/^text\/[0-9a-f]+-/, 'text/')).sort(),
      ['original/01-skannet.pdf', 'record.json', 'text/skannet.pdf.json'],
      'one original, one text, one record',
    );
    const versions: unknown[] = [];
    for await (const v of stack.minio.listObjects(
      stack.config.buckets.records,
      `cases/${result.caseId}/record.json`,
      false,
      { IncludeVersion: true },
    ))
      versions.push(v);
    assert.equal(versions.length, 1, 'the record was written once');
    const record = await recordOf(result);
    assert.equal(record.documents?.length, 1);
    assert.equal(record.application?.schemeId, 'parorende-2017');
    assert.deepEqual(await inboxKeys(), []);
  } finally {
    await worker.stop();
    await restartWorkers();
  }
});
