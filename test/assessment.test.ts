import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { createStorageActivities } from '../activities/storage.ts';
import { readJson } from '../storage/objects.ts';
import { loadSchemes } from '../config/schemes.ts';
import { fillForm } from '../fixtures/forms.ts';
import { draftApplication, type ApplicationDraft } from '../fixtures/ground-truth.ts';
import { Random } from '../fixtures/random.ts';
import { renderFormPdf } from '../fixtures/render-pdf.ts';
import { caseReferenceFor, submissionOf } from '../schemas/case-reference.ts';
import type { AssessmentTimers, AuditEntry, CaseState } from '../schemas/assessment.ts';
import { CaseRecordSchema } from '../schemas/case-record.ts';
import { potFor } from '../schemas/validate.ts';
import type { application } from '../workflows/application.ts';
import {
  assignUpdate,
  caseStateQuery,
  claimUpdate,
  approveProposalUpdate,
  correctFieldUpdate,
  declareConflictUpdate,
  hasLeftIntake,
  proposeUpdate,
  requestInformationUpdate,
  searchAttributes,
  supplementSignal,
} from '../workflows/messages.ts';
import { makePdf } from './support/documents.ts';
import { saveHistory } from './support/histories.ts';
import { pick } from './support/pick.ts';
import { useTestStack } from './support/use-test-stack.ts';
import { resultOf } from './support/decision-cases.ts';

// The worker only: these tests start their cases themselves, with timers of seconds.
const { stack } = useTestStack({ workers: { webhook: false } });

type Case = WorkflowHandle<typeof application>;

async function draft(seed: number): Promise<ApplicationDraft> {
  const schemes = await loadSchemes();
  return draftApplication(
    Random.for(2017, seed),
    schemes.find((scheme) => scheme.id === 'kompetanse-innovasjon-2017')!,
  );
}

/** A filled form read and routed by the application workflow, started with the given timers; resolves once routed. */
async function routedCase(
  name: string,
  form: ApplicationDraft,
  seed: number,
  timers: AssessmentTimers,
): Promise<{ handle: Case; caseId: string }> {
  const pdf = await renderFormPdf(fillForm(form, Random.for(2017, seed)));
  const bucket = stack.config.buckets.intake;
  // Outside inbox/: no bucket event, so the intake starts nothing of its own for it.
  const info = await stack.minio.putObject(bucket, `assessment/${name}.pdf`, pdf, pdf.length, {
    'X-Amz-Meta-received-at': '2017-04-10T09:12:00+02:00',
  });
  const object = { bucket, key: `assessment/${name}.pdf`, etag: info.etag, versionId: info.versionId ?? undefined };
  const caseId = caseReferenceFor(submissionOf(object, undefined));
  const handle = await stack.env.client.workflow.start<typeof application>('application', {
    taskQueue: stack.config.temporal.taskQueue,
    workflowId: `assessment-test:${name}`,
    args: [{ object, caseId, assessment: timers }],
  });
  const deadline = Date.now() + 60_000;
  while (!hasLeftIntake((await handle.describe()).typedSearchAttributes.get(searchAttributes.status))) {
    assert.ok(Date.now() < deadline, `${name} was not routed within a minute`);
    await sleep(200);
  }
  return { handle, caseId };
}

const stateOf = (handle: Case) => handle.query(caseStateQuery);

/** What a request could change (timers may meanwhile note a reminder: that is not the request's doing). */
const substance = (state: CaseState) => ({
  ...pick(state, [
    'application',
    'provenance',
    'findings',
    'route',
    'status',
    'assignee',
    'conflicts',
    'corrections',
    'decision',
  ]),
  requests: state.informationRequests.length,
});

/** The Update is refused with a reason matching `reason`, and the case is exactly as it was. */
async function refused(handle: Case, request: () => Promise<unknown>, reason: RegExp): Promise<void> {
  const before = substance(await stateOf(handle));
  await assert.rejects(request(), (error: unknown) => {
    assert.ok(error instanceof WorkflowUpdateFailedError, `refused as a failed Update, not ${String(error)}`);
    assert.match(String(error.cause?.message), reason);
    return true;
  });
  assert.deepEqual(substance(await stateOf(handle)), before, 'a refused request changes nothing');
}

async function auditOf(caseId: string): Promise<AuditEntry[]> {
  const keys: string[] = [];
  for await (const item of stack.minio.listObjectsV2(stack.config.buckets.records, `cases/${caseId}/audit/`, true))
    if (item.name) keys.push(item.name);
  keys.sort();
  const entries = await Promise.all(
    keys.map(async (key) => (await readJson(stack.minio, stack.config.buckets.records, key)) as AuditEntry),
  );
  entries.forEach((entry, i) =>
    assert.equal(keys[i], `cases/${caseId}/audit/${String(entry.seq).padStart(4, '0')}-${entry.event}.json`),
  );
  return entries;
}

async function until(what: string, done: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    assert.ok(Date.now() < deadline, `${what} within ${timeoutMs} ms`);
    await sleep(250);
  }
}

test('a caseworker claims a case, corrects the missing e-mail (the finding goes, the case is routed again) and approves it', async () => {
  const form = await draft(7);
  const email = form.truth.contact!.email!;
  delete form.truth.contact!.email;
  const { handle, caseId } = await routedCase('uten-epost', form, 7, {
    reminderAfter: '1 hour',
    escalateAfter: '1 hour',
  });

  const routed = await stateOf(handle);
  assert.equal(routed.status, 'needs-correction');
  assert.ok(routed.findings.some((f) => f.code === 'missing-required-field' && f.field === 'contact.email'));
  const requested = routed.application.budget!.amountRequested!;

  await refused(
    handle,
    () => handle.executeUpdate(correctFieldUpdate, { args: [{ actor: 'kari', field: 'contact.email', value: email }] }),
    /må tas eller tildeles/,
  );
  await refused(handle, () => handle.executeUpdate(claimUpdate, { args: [{ actor: 'kari' } as never] }), /inhabil/);

  const claimed = await handle.executeUpdate(claimUpdate, { args: [{ actor: 'kari', notDisqualified: true }] });
  assert.equal(claimed.assignee, 'kari');
  assert.equal(claimed.status, 'under-assessment');
  await refused(
    handle,
    () => handle.executeUpdate(claimUpdate, { args: [{ actor: 'ola', notDisqualified: true }] }),
    /allerede tatt av kari/,
  );

  const conflict = await handle.executeUpdate(declareConflictUpdate, {
    args: [{ actor: 'ola', reason: 'Bror av kontaktpersonen' }],
  });
  assert.deepEqual(
    conflict.conflicts.map((c) => c.actor),
    ['ola'],
  );
  assert.equal(conflict.assignee, 'kari', 'a conflict of someone else leaves the case where it is');
  await refused(
    handle,
    () => handle.executeUpdate(assignUpdate, { args: [{ actor: 'admin', assignee: 'ola' }] }),
    /ola har meldt seg inhabil/,
  );

  await refused(
    handle,
    () =>
      handle.executeUpdate(correctFieldUpdate, { args: [{ actor: 'kari', field: 'contact.fax', value: '35000000' }] }),
    /Feltet «contact\.fax» finnes ikke/,
  );
  await refused(
    handle,
    () => handle.executeUpdate(correctFieldUpdate, { args: [{ actor: 'kari', field: 'contact.email', value: 42 }] }),
    /ikke gyldig for feltet «E-post»/,
  );
  await refused(
    handle,
    () => handle.executeUpdate(correctFieldUpdate, { args: [{ actor: 'ola', field: 'contact.email', value: email }] }),
    /tildelt kari, ikke ola/,
  );
  const grant = (amountGranted: number) => ({
    kind: 'approved-in-full',
    amountGranted,
    conditionIds: ['rapportering'],
  });
  await refused(
    handle,
    () => handle.executeUpdate(proposeUpdate, { args: [{ actor: 'kari', grounds: grant(requested) }] }),
    /kan ikke innvilges før feilene er rettet: E-post\./,
  );

  const corrected = await handle.executeUpdate(correctFieldUpdate, {
    args: [{ actor: 'kari', field: 'contact.email', value: email }],
  });
  assert.equal(corrected.application.contact?.email, email);
  assert.ok(!corrected.findings.some((f) => f.field === 'contact.email'), 'the finding is gone');
  assert.equal(corrected.findings.filter((f) => f.severity === 'error').length, 0);
  assert.equal(corrected.route.stage, 'ready-for-assessment');
  assert.deepEqual(corrected.provenance['contact.email'], { method: 'correction', source: 'kari', confidence: 1 });
  assert.equal(corrected.corrections.length, 1);
  assert.deepEqual(
    { ...corrected.corrections[0], at: undefined },
    { field: 'contact.email', oldValue: null, newValue: email, by: 'kari', at: undefined },
  );
  const attributes = (await handle.describe()).typedSearchAttributes;
  assert.equal(attributes.get(searchAttributes.errorCount), 0);
  assert.equal(attributes.get(searchAttributes.status), 'under-assessment');
  assert.match(
    String((await handle.describe()).memo?.summary),
    /\(under-assessment; 0 feil, /,
    "the Temporal UI's summary follows the case",
  );

  await refused(
    handle,
    () => handle.executeUpdate(proposeUpdate, { args: [{ actor: 'kari', grounds: grant(requested + 1) }] }),
    /Full innvilgelse må gi søknadsbeløpet/,
  );
  await refused(
    handle,
    () => handle.executeUpdate(proposeUpdate, { args: [{ actor: 'kari', grounds: grant(0) }] }),
    /større enn null/,
  );
  await refused(
    handle,
    () => handle.executeUpdate(proposeUpdate, { args: [{ actor: 'kari', grounds: grant(1000.5) }] }),
    /hele kroner/,
  );
  await refused(
    handle,
    () =>
      handle.executeUpdate(proposeUpdate, {
        args: [{ actor: 'kari', grounds: { kind: 'rejected', reasonIds: ['utenfor-formalet'], explanation: '  ' } }],
      }),
    /egne ord/,
  );

  // Proposed, then approved twice at once by a second person (two tabs): one decision stands, and both get it. Once
  // decided, the workflow writes the letter, records the decision and completes.
  const granted = requested - 38_000;
  const proposed = await handle.executeUpdate(proposeUpdate, {
    args: [
      {
        actor: 'kari',
        grounds: {
          kind: 'approved-in-part',
          amountGranted: granted,
          reasonIds: ['lavere-prioritet'],
          explanation: 'Rammen er knapp.',
          conditionIds: ['rapportering'],
        },
      },
    ],
  });
  const seq = proposed.proposals[0]!.seq;
  await refused(
    handle,
    () =>
      handle.executeUpdate(approveProposalUpdate, { args: [{ actor: 'kari', proposal: seq, notDisqualified: true }] }),
    /din egen innstilling/,
  );
  const attempts = await Promise.allSettled(
    [1, 2].map(() =>
      handle.executeUpdate(approveProposalUpdate, { args: [{ actor: 'per', proposal: seq, notDisqualified: true }] }),
    ),
  );
  const stood = attempts.filter((a) => a.status === 'fulfilled');
  assert.equal(stood.length, 2, 'the same approval twice is one approval');
  for (const { value } of stood)
    assert.deepEqual([value.status, value.decision?.amount, value.decision?.decidedBy], ['approved', granted, 'per']);

  const result = await resultOf(handle);
  assert.equal(result.status, 'approved');
  assert.equal(result.decision?.amount, granted);
  // Decided and its letter sent, the application run hands the case on to its follow-up under the same id.
  const application = await stack.env.client.workflow
    .getHandle(handle.workflowId, (handle as { firstExecutionRunId?: string }).firstExecutionRunId)
    .describe();
  assert.equal(application.status.name, 'CONTINUED_AS_NEW');
  const description = await handle.describe();
  assert.equal(description.type, 'grantFollowUp');
  assert.equal(description.typedSearchAttributes.get(searchAttributes.status), 'approved');

  const audit = await auditOf(caseId);
  assert.deepEqual(
    audit.map((e) => [e.seq, e.event, e.actor]),
    [
      [1, 'claimed', 'kari'],
      [2, 'conflict-declared', 'ola'],
      [3, 'field-corrected', 'kari'],
      [4, 'proposed', 'kari'],
      [5, 'approved', 'per'],
      [6, 'letter-written', undefined],
      [7, 'letter-sent', undefined],
    ],
  );
  assert.equal(audit[1]!.reason, 'Bror av kontaktpersonen');
  assert.deepEqual(
    [audit[2]!.field, audit[2]!.oldValue, audit[2]!.newValue, audit[2]!.stage],
    ['contact.email', null, email, 'ready-for-assessment'],
  );
  assert.deepEqual([audit[4]!.outcome, audit[4]!.amount, audit[4]!.proposal], ['approved', granted, seq]);

  const decision = (await readJson(
    stack.minio,
    stack.config.buckets.records,
    `cases/${caseId}/decision.json`,
  )) as Record<string, unknown>;
  assert.deepEqual(
    { ...decision, decidedAt: undefined, grounds: undefined },
    {
      caseId,
      outcome: 'approved',
      kind: 'approved-in-part',
      amount: granted,
      reason: 'Rammen er knapp.',
      decidedBy: 'per',
      proposedBy: 'kari',
      proposal: seq,
      decidedAt: undefined,
      grounds: undefined,
    },
  );
  const record = CaseRecordSchema.parse(
    await readJson(stack.minio, stack.config.buckets.records, `cases/${caseId}/record.json`),
  );
  assert.equal(record.application?.contact?.email, email);
  assert.equal(record.route?.stage, 'ready-for-assessment');
  assert.ok(!record.findings.some((f) => f.field === 'contact.email'));
  assert.equal(record.provenance?.['contact.email']?.method, 'correction');
  assert.equal(record.assessment?.decision?.amount, granted);
  assert.equal(record.assessment?.corrections.length, 1);
  await saveHistory(stack, 'application-assessed', handle.workflowId);
});

test('asking the applicant for information waits for the supplement with a reminder; a case left waiting is reminded, escalated as late, then rejected', async () => {
  const form = await draft(8);
  const { handle, caseId } = await routedCase('mer-informasjon', form, 8, {
    reminderAfter: '5s',
    escalateAfter: '2s',
    informationReminderAfter: '1s',
  });

  await handle.executeUpdate(assignUpdate, { args: [{ actor: 'admin', assignee: 'kari' }] });
  const asked = await handle.executeUpdate(requestInformationUpdate, {
    args: [
      { actor: 'kari', message: 'Send oss et detaljert budsjett.', reason: 'Budsjettet er for grovt til å vurdere.' },
    ],
  });
  assert.equal(asked.status, 'awaiting-information');
  assert.equal((await handle.describe()).typedSearchAttributes.get(searchAttributes.status), 'awaiting-information');
  await refused(
    handle,
    () =>
      handle.executeUpdate(requestInformationUpdate, { args: [{ actor: 'kari', message: 'Og mer', reason: 'Mer' }] }),
    /venter allerede på opplysninger/,
  );

  await until(
    'the applicant is reminded',
    async () => (await stateOf(handle)).informationRequests[0]?.remindedAt !== undefined,
  );
  // The applicant's answer, as intake delivers a document quoting the case reference (test/intake.test.ts).
  const budget = await makePdf(['Detaljert budsjett', 'Lønn 150 000', 'Materiell 30 000']);
  const put = await stack.minio.putObject(
    stack.config.buckets.intake,
    'assessment/budsjett.pdf',
    budget,
    budget.length,
  );
  const supplement = {
    bucket: stack.config.buckets.intake,
    key: 'assessment/budsjett.pdf',
    etag: put.etag,
    versionId: put.versionId ?? undefined,
  };
  await handle.signal(supplementSignal, { object: supplement });
  await until('the supplement is taken in', async () => (await stateOf(handle)).status === 'under-assessment');
  const answered = await stateOf(handle);
  assert.deepEqual(answered.informationRequests[0]?.supplement, supplement);
  assert.deepEqual(
    answered.documents?.map((d) => [d.fileName, d.role]),
    [
      [`mer-informasjon.pdf`, 'application'],
      ['budsjett.pdf', 'supplement'],
    ],
  );

  await until('the case is escalated as late', async () => (await stateOf(handle)).late);
  await until(
    'CaseLate is set',
    async () => (await handle.describe()).typedSearchAttributes.get(searchAttributes.late) === true,
  );

  // A grant can never be above the earmark's pot, even when the applicant asks for more.
  const pot = potFor(form.scheme, form.truth.project?.category).amount;
  await handle.executeUpdate(correctFieldUpdate, {
    args: [{ actor: 'kari', field: 'budget.amountRequested', value: pot + 100_000 }],
  });
  const partial = {
    kind: 'approved-in-part',
    amountGranted: pot + 1,
    reasonIds: ['lavere-prioritet'],
    explanation: 'Rammen er knapp.',
    conditionIds: ['rapportering'],
  };
  await refused(
    handle,
    () => handle.executeUpdate(proposeUpdate, { args: [{ actor: 'kari', grounds: partial }] }),
    /Rammen har bare kr [\d ]+ igjen; kr [\d ]+ kan ikke reserveres/,
  );
  const rejection = {
    kind: 'rejected',
    reasonIds: ['utenfor-formalet'],
    explanation: 'Tiltaket ligger utenfor ordningens formål.',
  };
  await refused(
    handle,
    () => handle.executeUpdate(proposeUpdate, { args: [{ actor: 'ola', grounds: rejection }] }),
    /tildelt kari, ikke ola/,
  );

  const proposed = await handle.executeUpdate(proposeUpdate, { args: [{ actor: 'kari', grounds: rejection }] });
  await handle.executeUpdate(approveProposalUpdate, {
    args: [{ actor: 'per', proposal: proposed.proposals[0]!.seq, notDisqualified: true }],
  });
  const result = await resultOf(handle);
  assert.equal(result.status, 'rejected');

  const audit = await auditOf(caseId);
  assert.deepEqual(
    audit.map((e) => e.event),
    [
      'assigned',
      'information-requested',
      'information-reminder',
      'document-added',
      'reminded',
      'escalated',
      'field-corrected',
      'proposed',
      'approved',
      'letter-written',
      'letter-sent',
    ],
  );
  assert.equal(audit[0]!.assignee, 'kari');
  assert.equal(audit[1]!.message, 'Send oss et detaljert budsjett.');
  assert.equal(audit[3]!.fileName, 'budsjett.pdf');
  assert.equal(audit[3]!.role, 'supplement');
  assert.equal(audit[3]!.request, audit[1]!.seq, 'the supplement answers the request');
  const decision = (await readJson(
    stack.minio,
    stack.config.buckets.records,
    `cases/${caseId}/decision.json`,
  )) as Record<string, unknown>;
  assert.equal(decision.outcome, 'rejected');
  assert.equal(decision.reason, 'Tiltaket ligger utenfor ordningens formål.');
  const record = CaseRecordSchema.parse(
    await readJson(stack.minio, stack.config.buckets.records, `cases/${caseId}/record.json`),
  );
  assert.equal(record.application?.budget?.amountRequested, pot + 100_000);
  assert.ok(
    record.findings.some((f) => f.code === 'amount-exceeds-pot'),
    'the corrected amount is checked again',
  );
  assert.equal(record.assessment?.late, true);
  await saveHistory(stack, 'application-information-requested', handle.workflowId);
});

test('an audit entry written again (a retried activity) keeps the first object: the log is never overwritten', async () => {
  const storage = createStorageActivities({ minio: stack.minio, recordsBucket: stack.config.buckets.records });
  const entry: AuditEntry = {
    seq: 1,
    event: 'claimed',
    at: '2017-04-11T08:00:00.000Z',
    actor: 'kari',
    caseId: 'retry-case',
  };
  const key = await storage.appendAudit(entry);
  assert.equal(key, 'cases/retry-case/audit/0001-claimed.json');
  assert.equal(await storage.appendAudit({ ...entry, at: '2017-04-11T08:00:05.000Z' }), key);
  assert.deepEqual(await readJson(stack.minio, stack.config.buckets.records, key), entry);
  const versions: unknown[] = [];
  for await (const v of stack.minio.listObjects(stack.config.buckets.records, key, false, { IncludeVersion: true }))
    versions.push(v);
  assert.equal(versions.length, 1, 'one version: nothing was overwritten');
});
