import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CaseAssessment, fieldSchema, withField, type AssessmentStart, type Checked } from '../schemas/assessment.ts';
import type { CaseDocument } from '../schemas/case-record.ts';
import { standardDecisionReasons, standardGrantConditions } from '../schemas/grant-terms.ts';

const at = '2017-04-20T08:00:00.000Z';

function start(overrides: Partial<AssessmentStart> = {}): CaseAssessment {
  return new CaseAssessment({
    caseId: 'c1',
    recordKey: 'cases/c1/record.json',
    application: {
      schemeId: 'kompetanse-innovasjon-2017',
      budget: { amountRequested: 500_000 },
      contact: { name: 'Kari Nordmann' },
    },
    provenance: {},
    readingFindings: [],
    checkFindings: [],
    route: { queue: 'fm-telemark-helse/utdanning', stage: 'ready-for-assessment', priority: 'normal' },
    pot: {
      id: 'pot-kompetanse-innovasjon-2017-utdanning',
      amount: 400_000,
      description: 'potten for øremerkingen «Utdanning» (kr 400 000)',
    },
    terms: {
      schemeId: 'kompetanse-innovasjon-2017',
      name: 'Kompetanse og innovasjon',
      decisions: { reasons: standardDecisionReasons, conditions: standardGrantConditions },
    },
    ...overrides,
  });
}

function accepted<T>(checked: Checked<T>): T {
  assert.ok(checked.ok, checked.ok ? '' : checked.refusal);
  return checked.input;
}

const refusal = <T>(checked: Checked<T>) => (checked.ok ? undefined : checked.refusal);

test('a claimed case is refused to a second caseworker; a conflict of the holder releases it and bars them', () => {
  const a = start();
  a.claim(accepted(a.checkClaim({ actor: 'kari', notDisqualified: true })), at);
  assert.equal(a.state.status, 'under-assessment');
  assert.match(refusal(a.checkClaim({ actor: 'ola', notDisqualified: true }))!, /allerede tatt av kari/);
  assert.match(refusal(a.checkClaim({ actor: 'ola', notDisqualified: false }))!, /inhabil/);
  const entry = a.declareConflict(accepted(a.checkConflict({ actor: 'kari', reason: 'Gift med rådmannen' })), at);
  assert.deepEqual([entry.seq, entry.event, entry.released], [2, 'conflict-declared', true]);
  assert.equal(a.state.assignee, undefined);
  assert.equal(a.state.status, 'ready-for-assessment');
  assert.match(refusal(a.checkClaim({ actor: 'kari', notDisqualified: true }))!, /kari har meldt seg inhabil/);
  assert.match(refusal(a.checkAssign({ actor: 'admin', assignee: 'kari' }))!, /kari har meldt seg inhabil/);
});

test("a correction is checked against the field's schema, and records who, when, the old and the new value", () => {
  const a = start();
  a.claim(accepted(a.checkClaim({ actor: 'kari', notDisqualified: true })), at);
  assert.match(refusal(a.checkCorrection({ actor: 'kari', field: 'budget.grant', value: 1 }))!, /finnes ikke/);
  assert.match(
    refusal(a.checkCorrection({ actor: 'kari', field: 'budget.amountRequested', value: '500 000' }))!,
    /ikke gyldig for feltet «Søknadsbeløp»/,
  );
  assert.match(
    refusal(a.checkCorrection({ actor: 'kari', field: 'budget.amountRequested', value: 500_000 }))!,
    /har allerede denne verdien/,
  );
  const original = a.state.application;
  const correction = a.correct(
    accepted(a.checkCorrection({ actor: 'kari', field: 'contact.email', value: 'kari@vinje.kommune.no' })),
    at,
  );
  assert.deepEqual(correction, {
    field: 'contact.email',
    oldValue: null,
    newValue: 'kari@vinje.kommune.no',
    by: 'kari',
    at,
  });
  assert.equal(original.contact?.email, undefined, 'the earlier application is not changed in place');
  assert.deepEqual(a.state.application.contact, { name: 'Kari Nordmann', email: 'kari@vinje.kommune.no' });
  assert.deepEqual(a.state.provenance['contact.email'], { method: 'correction', source: 'kari', confidence: 1 });
  assert.equal(fieldSchema('schemeId')?.safeParse(null).success, true);
  assert.deepEqual(withField({}, 'partners', ['Tokke kommune']), { partners: ['Tokke kommune'] });
});

test("a proposal is checked against the scheme's catalogue; a second person approves it, once; the one-click decision is gone", () => {
  const a = start();
  const grant = { kind: 'approved-in-full', amountGranted: 500_000, conditionIds: ['rapportering'] };
  assert.match(refusal(a.checkProposal({ actor: 'kari', grounds: grant }))!, /må tas eller tildeles/);
  a.assign(accepted(a.checkAssign({ actor: 'admin', assignee: 'kari' })), at);
  assert.match(refusal(a.checkDecision())!, /ikke lenger med ett klikk/);
  assert.match(
    refusal(a.checkProposal({ actor: 'kari', grounds: { ...grant, amountGranted: 450_000 } }))!,
    /delvis innvilgelse/,
  );
  assert.match(
    refusal(a.checkProposal({ actor: 'kari', grounds: { ...grant, amountGranted: -1 } }))!,
    /større enn null/,
  );
  assert.match(
    refusal(
      a.checkProposal({
        actor: 'kari',
        grounds: { kind: 'rejected', reasonIds: ['etter-soknadsfristen'], explanation: 'For sent' },
      }),
    )!,
    /kan ikke begrunne avslag/,
  );
  const b = start({
    readingFindings: [
      { code: 'missing-required-field', severity: 'error', field: 'contact.email', message: 'Mangler e-post' },
    ],
  });
  b.assign(accepted(b.checkAssign({ actor: 'admin', assignee: 'kari' })), at);
  assert.match(
    refusal(b.checkProposal({ actor: 'kari', grounds: grant }))!,
    /feilene er rettet: E-post\./,
    "the field's label, not its path",
  );

  const proposed = a.propose(accepted(a.checkProposal({ actor: 'kari', grounds: grant })), at);
  assert.equal(a.state.status, 'proposed');
  assert.match(
    refusal(a.checkCorrection({ actor: 'kari', field: 'contact.email', value: 'kari@vinje.kommune.no' }))!,
    /innstilling til godkjenning/,
    'the case does not change under the approver',
  );
  assert.match(
    refusal(a.checkApproval({ actor: 'kari', proposal: proposed.seq, notDisqualified: true }))!,
    /din egen innstilling/,
  );
  assert.match(refusal(a.checkApproval({ actor: 'per', proposal: proposed.seq }))!, /inhabil/);
  const approval = accepted(a.checkApproval({ actor: 'per', proposal: proposed.seq, notDisqualified: true }));
  assert.equal(approval.done, false);
  const entry = a.approve(approval, at);
  assert.deepEqual([entry.event, entry.outcome, entry.amount], ['approved', 'approved', 500_000]);
  assert.deepEqual(
    [a.state.status, a.state.decision?.decidedBy, a.state.decision?.proposedBy],
    ['approved', 'per', 'kari'],
  );
  assert.equal(
    accepted(a.checkApproval({ actor: 'per', proposal: proposed.seq, notDisqualified: true })).done,
    true,
    'the same approval again changes nothing',
  );
  assert.match(refusal(a.checkProposal({ actor: 'kari', grounds: grant }))!, /allerede avgjort/);
  assert.match(refusal(a.checkClaim({ actor: 'ola', notDisqualified: true }))!, /allerede avgjort/);

  // A case checked before proposals knows no catalogue: only the form is checked here, the workflow fetches the terms.
  const old = start({ terms: undefined, pot: { amount: 400_000, description: 'potten' } });
  old.assign(accepted(old.checkAssign({ actor: 'admin', assignee: 'kari' })), at);
  assert.equal(old.hasDecisionTerms, false);
  assert.equal(accepted(old.checkProposal({ actor: 'kari', grounds: grant })).grounds.kind, 'approved-in-full');
  assert.match(refusal(old.checkProposal({ actor: 'kari', grounds: { kind: 'granted' } }))!, /Ugyldig vedtak/);
});

test('an information request makes the case wait for a supplement; one request at a time', () => {
  const a = start();
  a.claim(accepted(a.checkClaim({ actor: 'kari', notDisqualified: true })), at);
  const { request } = a.requestInformation(
    accepted(a.checkInformationRequest({ actor: 'kari', message: 'Send budsjett', reason: 'Mangler' })),
    at,
  );
  assert.equal(a.state.status, 'awaiting-information');
  assert.match(
    refusal(a.checkInformationRequest({ actor: 'kari', message: 'Mer', reason: 'Mer' }))!,
    /venter allerede/,
  );
  const entry = a.addDocument(keptDocument('budsjett.pdf', 'supplement'), undefined, a.documentChanges(undefined), at);
  assert.deepEqual([entry.event, entry.request], ['document-added', request.seq]);
  assert.equal(a.state.status, 'under-assessment');
  assert.equal(a.openRequest, undefined);
});

const keptDocument = (fileName: string, role: CaseDocument['role']): CaseDocument => ({
  fileName,
  role,
  source: { bucket: 'mailroom', key: `inbox/${fileName}`, etag: 'e1' },
  movedTo: `processed/${fileName}`,
  original: { bucket: 'records', key: `cases/c1/original/02-${fileName}`, sha256: '0'.repeat(64) },
  receivedAt: at,
});

test('a newer form fills in and replaces what it gives, except what a caseworker corrected; its provenance names it', () => {
  const a = start({ provenance: { 'contact.name': { method: 'form', source: 'Kari Nordmann', confidence: 1 } } });
  a.claim(accepted(a.checkClaim({ actor: 'kari', notDisqualified: true })), at);
  const correction = accepted(a.checkCorrection({ actor: 'kari', field: 'budget.amountRequested', value: 450_000 }));
  a.correct(correction, at);
  const reading = {
    application: {
      schemeId: 'kompetanse-innovasjon-2017',
      budget: { amountRequested: 600_000 },
      contact: { name: 'Kari Nordmann', email: 'kari@vinje.kommune.no' },
    },
    provenance: { 'contact.email': { method: 'form' as const, source: 'kari@vinje.kommune.no', confidence: 0.95 } },
    findings: [],
  };
  const document = keptDocument('rettet.pdf', 'supplement');
  const changes = a.documentChanges(reading, document);
  assert.equal(changes.effect, 'merged');
  assert.deepEqual(changes.fields, ['contact.email'], 'the unchanged name and the corrected amount are not changes');
  assert.deepEqual(changes.keptCorrections, ['budget.amountRequested']);
  assert.equal(changes.provenance['contact.email']?.document, document.original.key);
  const entry = a.addDocument(document, reading, changes, at);
  assert.equal(a.state.application.contact?.email, 'kari@vinje.kommune.no');
  assert.equal(a.state.application.budget?.amountRequested, 450_000, 'the correction wins');
  assert.deepEqual(
    [entry.event, entry.role, entry.effect, entry.fields],
    ['document-added', 'supplement', 'merged', ['contact.email']],
  );
  assert.deepEqual(
    a.state.documents?.map((d) => d.fileName),
    ['rettet.pdf'],
  );
});

test('a form that comes after its appendix becomes the application; an appendix or a letter changes nothing', () => {
  const a = start({ application: {}, route: { queue: 'triage', stage: 'triage', priority: 'normal' } });
  assert.equal(a.documentChanges({ application: {}, provenance: {}, findings: [] }).effect, 'none', 'not a form');
  assert.equal(a.documentChanges(undefined).effect, 'none', 'unreadable');
  const form = {
    application: { schemeId: 'parorende-2017', applicant: { name: 'Lier kommune' } },
    provenance: {},
    findings: [{ code: 'low-confidence', severity: 'warning' as const, field: 'applicant.name', message: 'Usikker' }],
  };
  const changes = a.documentChanges(form, keptDocument('søknad.pdf', 'appendix'));
  assert.equal(changes.effect, 'adopted');
  const entry = a.addDocument(keptDocument('søknad.pdf', 'appendix'), form, changes, at);
  assert.equal(entry.role, 'application');
  assert.equal(a.state.application.applicant?.name, 'Lier kommune');
  assert.deepEqual(
    a.state.findings.map((f) => f.code),
    ['low-confidence'],
    'its reading findings come with it',
  );
});

test('an unreadable supplement is kept with its finding and still answers the information request', () => {
  const a = start();
  a.claim(accepted(a.checkClaim({ actor: 'kari', notDisqualified: true })), at);
  a.requestInformation(
    accepted(a.checkInformationRequest({ actor: 'kari', message: 'Send budsjett', reason: 'Mangler' })),
    at,
  );
  assert.equal(a.state.status, 'awaiting-information');
  const unreadable = { code: 'encrypted', severity: 'error' as const, message: 'Filen er kryptert' };
  const entry = a.addDocument(
    { ...keptDocument('budsjett.pdf', 'supplement'), unreadable },
    undefined,
    a.documentChanges(undefined),
    at,
  );
  assert.equal(a.state.status, 'under-assessment');
  assert.equal(entry.unreadable, 'encrypted');
  assert.ok(a.state.findings.some((f) => f.code === 'encrypted'));
});

test('a form from another applicant is held back: the application is unchanged, a finding names both, a person decides', () => {
  const nome = { name: 'Nome kommune', organisationNumber: '964964998', municipalityNumber: '3816' };
  const a = start({
    application: { schemeId: 'kompetanse-innovasjon-2017', applicant: nome, budget: { amountRequested: 500_000 } },
  });
  const fyresdal = {
    schemeId: 'kompetanse-innovasjon-2017',
    applicant: { name: 'Fyresdal kommune', organisationNumber: '864964702', municipalityNumber: '3823' },
    budget: { amountRequested: 900_000 },
  };
  const document = keptDocument('Ettersending til SAK-0D3AA035.pdf', 'supplement');
  const changes = a.documentChanges({ application: fyresdal, provenance: {}, findings: [] }, document);
  assert.equal(changes.effect, 'unrelated');
  const entry = a.addDocument(document, { application: fyresdal, provenance: {}, findings: [] }, changes, at);
  assert.equal(entry.effect, 'unrelated');
  assert.equal(a.state.application.applicant?.name, 'Nome kommune', 'the application is unchanged');
  assert.equal(a.state.documents?.[0]?.role, 'unrelated', 'kept, unused');
  const finding = a.state.findings.find((f) => f.code === 'document-from-other-applicant');
  assert.match(finding?.message ?? '', /Fyresdal kommune.*Nome kommune/);
  assert.equal(a.state.status, 'needs-correction', 'a person must decide');
  assert.match(
    refusal(
      a.checkProposal({
        actor: 'kari',
        grounds: { kind: 'approved-in-full', amountGranted: 500_000, conditionIds: ['rapportering'] },
      }),
    )!,
    /tildeles|feilene/,
  );

  a.claim(accepted(a.checkClaim({ actor: 'kari', notDisqualified: true })), at);
  assert.match(
    refusal(a.checkUnrelatedDocument({ actor: 'kari', document: 'nope', decision: 'take-in' }))!,
    /venter ikke/,
  );
  const input = accepted(
    a.checkUnrelatedDocument({ actor: 'kari', document: document.original.key, decision: 'own-case' }),
  );
  const decided = a.openedAsCase(input, 'SAK-NEW00001', at);
  assert.equal(decided.openedAs, 'SAK-NEW00001');
  assert.equal(a.state.documents?.[0]?.openedAs, 'SAK-NEW00001');
  assert.ok(!a.state.findings.some((f) => f.code === 'document-from-other-applicant'), 'decided: the finding goes');
  assert.match(refusal(a.checkUnrelatedDocument(input))!, /venter ikke/, 'decided once');
});

test('a held-back form taken in anyway merges like a supplement; a supplement from the same municipality merges at once', () => {
  const a = start({
    application: {
      schemeId: 'kompetanse-innovasjon-2017',
      applicant: { name: 'Nome kommune', organisationNumber: '964964998' },
    },
  });
  const other = {
    application: {
      schemeId: 'kompetanse-innovasjon-2017',
      applicant: { name: 'Fyresdal kommune' },
      budget: { amountRequested: 90_000 },
    },
    provenance: {},
    findings: [],
  };
  const document = keptDocument('annen.pdf', 'supplement');
  a.addDocument(document, other, a.documentChanges(other, document), at);
  a.claim(accepted(a.checkClaim({ actor: 'kari', notDisqualified: true })), at);
  const input = accepted(
    a.checkUnrelatedDocument({ actor: 'kari', document: document.original.key, decision: 'take-in' }),
  );
  const changes = a.unrelatedChanges(input);
  assert.deepEqual(changes.fields, ['applicant.name', 'budget.amountRequested']);
  a.takeInUnrelated(input, changes, at);
  assert.equal(a.state.application.applicant?.name, 'Fyresdal kommune');
  assert.equal(a.state.documents?.[0]?.role, 'supplement');

  const same = {
    application: {
      schemeId: 'kompetanse-innovasjon-2017',
      applicant: { name: 'Fyresdal' },
      budget: { amountRequested: 80_000 },
    },
    provenance: {},
    findings: [],
  };
  assert.equal(
    a.documentChanges(same, keptDocument('rettet.pdf', 'supplement')).effect,
    'merged',
    '«Fyresdal» is «Fyresdal kommune»',
  );
});
