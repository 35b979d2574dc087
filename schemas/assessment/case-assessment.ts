import { z } from 'zod';
import type { Application, FieldPath, ProvenanceMap } from '../application.ts';
import type { CaseDocument } from '../case-record.ts';
import { checkDecisionGrounds, DecisionGroundsSchema, isGrant, type DecisionGrounds } from '../decision-grounds.ts';
import type { DecisionLetterFactsInput } from '../decision-letter.ts';
import type { Finding } from '../finding.ts';
import { deliveryFindings, type KeptLetter, type LetterDelivery } from '../letter-delivery.ts';
import type { Route } from '../route.ts';
import { fieldLabels, fieldSchema, valueAt, withField } from '../rules/fields.ts';
import { countFindings } from '../validate.ts';
import type { AuditEntry, AuditEvent } from './audit.ts';
import {
  ApproveInputSchema,
  AssignInputSchema,
  ClaimInputSchema,
  ConflictInputSchema,
  CorrectFieldInputSchema,
  InformationRequestInputSchema,
  ProposeInputSchema,
  ReturnInputSchema,
  UnrelatedDocumentInputSchema,
  type ApproveInput,
  type AssignInput,
  type ClaimInput,
  type ConflictInput,
  type CorrectFieldInput,
  type InformationRequestInput,
  type ReturnInput,
  type UnrelatedDocumentInput,
} from './inputs.ts';
import { documentChanges, type DocumentChanges } from './merge.ts';
import type {
  AssessmentStart,
  CaseState,
  Correction,
  Decision,
  DecisionTerms,
  DocumentReading,
  InformationRequest,
  Pot,
  Proposal,
} from './state.ts';

/**
 * The assessment of a routed case: the rules that refuse a wrong request with a reason in Bokmål, and what each
 * request does to the case. Pure: the workflow (`workflows/assessment.ts`) runs it, activities persist what it records.
 */

/** A request checked: its parsed input, or why it is refused (Bokmål, for the caseworker). */
export type Checked<T> = { ok: true; input: T } | { ok: false; refusal: string };

const refuse = (refusal: string): { ok: false; refusal: string } => ({ ok: false, refusal });

function parseGrounds(raw: unknown): Checked<DecisionGrounds> {
  const parsed = DecisionGroundsSchema.safeParse(raw);
  if (parsed.success) return { ok: true, input: parsed.data };
  return refuse(`Ugyldig vedtak: ${parsed.error.issues[0]!.message}.`);
}

const fieldLabelOf = (field: string) => (Object.hasOwn(fieldLabels, field) ? fieldLabels[field as FieldPath] : field);

function parse<T>(schema: z.ZodType<T>, raw: unknown): Checked<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, input: parsed.data };
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length ? ` (${issue.path.join('.')})` : '';
  return refuse(`Ugyldig forespørsel${where}: ${issue.message}.`);
}

interface HeldBack {
  reading: DocumentReading;
  /** The role it came in (`supplement`, `appendix`), given back if it is taken in. */
  role: CaseDocument['role'];
  finding: Finding;
}

/**
 * The case's assessment as a state machine. `check…` says whether a request may be made now (the Update validators
 * and, again, the handlers: two requests may pass their validators before either is applied); the verbs apply a
 * checked request and return the audit entry that records it.
 */
export class CaseAssessment {
  private readingFindings: Finding[];
  private checkFindings: Finding[];
  private nextSeq = 1;
  /** Documents from another applicant, kept unused until the caseworker decides, by their kept original's key. */
  private readonly heldBack = new Map<string, HeldBack>();
  readonly state: CaseState;

  constructor(start: AssessmentStart) {
    this.readingFindings = start.readingFindings;
    this.checkFindings = start.checkFindings;
    this.state = {
      caseId: start.caseId,
      recordKey: start.recordKey,
      status: start.route.stage,
      application: start.application,
      provenance: start.provenance,
      findings: [...start.readingFindings, ...start.checkFindings],
      route: start.route,
      ...(start.pot && { pot: start.pot }),
      ...(start.terms && { terms: start.terms }),
      standard: start.standard ?? 'nb',
      ...(start.sender && { sender: start.sender }),
      ...(start.documents && { documents: start.documents }),
      conflicts: [],
      corrections: [],
      informationRequests: [],
      reminded: false,
      late: false,
      proposals: [],
      letters: [],
    };
  }

  /** The audit log's next number: the case's follow-up goes on from it. */
  get auditSeq(): number {
    return this.nextSeq;
  }

  get decided(): boolean {
    return this.state.decision !== undefined;
  }

  /** The proposal waiting for approval, if any. */
  get openProposal(): Proposal | undefined {
    return this.state.proposals.find((p) => p.status === 'open');
  }

  /** The open information request, if the case waits for the applicant. */
  get openRequest(): InformationRequest | undefined {
    return this.state.informationRequests.find((request) => !request.answeredAt);
  }

  // Checks: a refusal names what is wrong, so the caseworker can put it right.

  checkClaim(raw: unknown): Checked<ClaimInput> {
    const checked = parse(ClaimInputSchema, raw);
    if (!checked.ok) return checked;
    const { actor } = checked.input;
    return (
      this.whyNotOpen() ??
      this.whyDisqualified(actor) ??
      (this.state.assignee === actor ? refuse('Du har allerede saken.') : undefined) ??
      (this.state.assignee ? refuse(`Saken er allerede tatt av ${this.state.assignee}.`) : checked)
    );
  }

  checkAssign(raw: unknown): Checked<AssignInput> {
    const checked = parse(AssignInputSchema, raw);
    if (!checked.ok) return checked;
    const { assignee } = checked.input;
    return (
      this.whyNotOpen() ??
      this.whyDisqualified(assignee) ??
      (this.state.assignee === assignee ? refuse(`Saken er allerede tildelt ${assignee}.`) : checked)
    );
  }

  checkConflict(raw: unknown): Checked<ConflictInput> {
    const checked = parse(ConflictInputSchema, raw);
    if (!checked.ok) return checked;
    if (this.state.conflicts.some((c) => c.actor === checked.input.actor))
      return refuse('Du har allerede meldt deg inhabil i saken.');
    return this.whyNotOpen() ?? checked;
  }

  checkCorrection(raw: unknown): Checked<CorrectFieldInput & { field: FieldPath }> {
    const checked = parse(CorrectFieldInputSchema, raw);
    if (!checked.ok) return checked;
    const { actor, field, value } = checked.input;
    const blocked = this.whyNotOpen() ?? this.whyNotAssignee(actor) ?? this.whyProposalPending();
    if (blocked) return blocked;
    const schema = fieldSchema(field);
    if (!schema) return refuse(`Feltet «${field}» finnes ikke i søknaden.`);
    const label = fieldLabels[field as FieldPath];
    const parsed = schema.safeParse(value);
    if (!parsed.success)
      return refuse(
        `Verdien ${JSON.stringify(value) ?? 'undefined'} er ikke gyldig for feltet «${label}»: ${parsed.error.issues[0]!.message}.`,
      );
    if (JSON.stringify(valueAt(this.state.application, field as FieldPath)) === JSON.stringify(parsed.data)) {
      return refuse(`Feltet «${label}» har allerede denne verdien.`);
    }
    return { ok: true, input: { actor, field: field as FieldPath, value: parsed.data } };
  }

  checkInformationRequest(raw: unknown): Checked<InformationRequestInput> {
    const checked = parse(InformationRequestInputSchema, raw);
    if (!checked.ok) return checked;
    return (
      this.whyNotOpen() ??
      this.whyNotAssignee(checked.input.actor) ??
      this.whyProposalPending() ??
      (this.openRequest ? refuse('Saken venter allerede på opplysninger fra søkeren.') : checked)
    );
  }

  /**
   * A proposal (innstilling) by the case's caseworker, its grounds checked against the scheme's catalogue. A grant is
   * refused while errors are open or the applicant's answer to a request is pending. Without the scheme's terms (a
   * case checked before proposals) only the form of the grounds is checked: the workflow fetches the terms, then
   * checks again.
   */
  checkProposal(raw: unknown): Checked<{ actor: string; grounds: DecisionGrounds }> {
    const checked = parse(ProposeInputSchema, raw);
    if (!checked.ok) return checked;
    const { actor } = checked.input;
    const blocked = this.whyNotOpen() ?? this.whyNotAssignee(actor);
    if (blocked) return blocked;
    const { terms } = this.state;
    const grounds = terms
      ? checkDecisionGrounds(terms, checked.input.grounds, this.state.application.budget?.amountRequested)
      : parseGrounds(checked.input.grounds);
    if (!grounds.ok) return grounds;
    if (!terms) return { ok: true, input: { actor, grounds: grounds.input } };
    if (!isGrant(grounds.input)) return { ok: true, input: { actor, grounds: grounds.input } };
    const errors = this.state.findings.filter((f) => f.severity === 'error');
    if (errors.length) {
      const named = [...new Set(errors.map((f) => (f.field ? fieldLabelOf(f.field) : f.message)))];
      return refuse(`Søknaden kan ikke innvilges før feilene er rettet: ${named.join('; ')}.`);
    }
    const request = this.openRequest;
    if (request)
      return refuse(
        `Søknaden kan ikke innvilges mens saken venter på svar fra søkeren (opplysninger bedt om ${request.at.slice(0, 10)}: «${request.message}»).`,
      );
    if (!this.state.pot?.id) return refuse('Saken er ikke knyttet til noen ramme, så det kan ikke innvilges tilskudd.');
    return { ok: true, input: { actor, grounds: grounds.input } };
  }

  /** Whether the case knows its scheme's decision catalogue and its pot (cases checked before proposals do not). */
  get hasDecisionTerms(): boolean {
    return this.state.terms !== undefined && this.state.pot?.id !== undefined;
  }

  /**
   * A second person's approval of the proposal it names. The same approval again (a retry, a double click, the bulk
   * approval run twice) is accepted and changes nothing (`done`).
   */
  checkApproval(raw: unknown): Checked<ApproveInput & { proposal: number; done: boolean }> {
    const checked = parse(ApproveInputSchema, raw);
    if (!checked.ok) return checked;
    const { actor, proposal: seq } = checked.input;
    if (this.state.decision?.proposal === seq) return { ok: true, input: { ...checked.input, done: true } };
    const blocked = this.whyNotOpen();
    if (blocked) return blocked;
    const proposal = this.whyNotProposal(seq);
    if (!('seq' in proposal)) return proposal;
    if (proposal.by === actor)
      return refuse('Du kan ikke godkjenne din egen innstilling: vedtaket må godkjennes av en annen person.');
    return this.whyDisqualified(actor) ?? { ok: true, input: { ...checked.input, done: false } };
  }

  checkReturn(raw: unknown): Checked<ReturnInput> {
    const checked = parse(ReturnInputSchema, raw);
    if (!checked.ok) return checked;
    const blocked = this.whyNotOpen();
    if (blocked) return blocked;
    const proposal = this.whyNotProposal(checked.input.proposal);
    if (!('seq' in proposal)) return proposal;
    if (proposal.by === checked.input.actor)
      return refuse('Du kan ikke sende tilbake din egen innstilling; lag en ny innstilling i stedet.');
    return checked;
  }

  /** The one-click decision is gone: a decision is proposed by the caseworker and approved by a second person. */
  checkDecision(): Checked<never> {
    return refuse(
      'Vedtak fattes ikke lenger med ett klikk. Saksbehandleren lager en innstilling, og en godkjenner (en annen person) godkjenner den eller sender den tilbake.',
    );
  }

  /** The approver judges the case as proposed: it does not change under them. */
  private whyProposalPending(): { ok: false; refusal: string } | undefined {
    const open = this.openProposal;
    return open
      ? refuse(
          `Saken har en innstilling til godkjenning (nr. ${open.seq}); den må godkjennes eller sendes tilbake før saken endres.`,
        )
      : undefined;
  }

  private whyNotProposal(seq: number): Proposal | { ok: false; refusal: string } {
    const proposal = this.state.proposals.find((p) => p.seq === seq);
    if (!proposal) return refuse(`Saken har ingen innstilling nr. ${seq}.`);
    if (proposal.status === 'returned')
      return refuse(`Innstillingen er allerede sendt tilbake av ${proposal.returned?.by ?? 'godkjenneren'}.`);
    if (proposal.status === 'replaced') return refuse('Innstillingen er erstattet av en nyere innstilling.');
    return proposal;
  }

  private whyNotOpen(): { ok: false; refusal: string } | undefined {
    const decision = this.state.decision;
    if (!decision) return undefined;
    return refuse(
      `Saken er allerede avgjort (${decision.outcome === 'approved' ? 'innvilget' : 'avslått'} av ${decision.decidedBy}).`,
    );
  }

  private whyDisqualified(who: string): { ok: false; refusal: string } | undefined {
    return this.state.conflicts.some((c) => c.actor === who)
      ? refuse(`${who} har meldt seg inhabil i saken.`)
      : undefined;
  }

  private whyNotAssignee(who: string): { ok: false; refusal: string } | undefined {
    if (this.state.assignee === who) return undefined;
    return refuse(
      this.state.assignee
        ? `Saken er tildelt ${this.state.assignee}, ikke ${who}.`
        : 'Saken må tas eller tildeles før den kan behandles.',
    );
  }

  // Changes: each returns the audit entry that records it.

  claim({ actor }: ClaimInput, at: string): AuditEntry {
    this.state.assignee = actor;
    this.updateStatus();
    return this.entry('claimed', at, actor, { declaredNotDisqualified: true });
  }

  assign({ actor, assignee }: AssignInput, at: string): AuditEntry {
    const previous = this.state.assignee;
    this.state.assignee = assignee;
    this.updateStatus();
    return this.entry('assigned', at, actor, { assignee, ...(previous && { previousAssignee: previous }) });
  }

  declareConflict({ actor, reason }: ConflictInput, at: string): AuditEntry {
    this.state.conflicts.push({ actor, reason, at });
    const released = this.state.assignee === actor;
    if (released) delete this.state.assignee;
    this.updateStatus();
    return this.entry('conflict-declared', at, actor, { reason, released });
  }

  /** The application and provenance as a correction would make them (to check them before anything changes). */
  corrected({ actor, field, value }: CorrectFieldInput & { field: FieldPath }): {
    application: Application;
    provenance: ProvenanceMap;
  } {
    return {
      application: withField(this.state.application, field, value),
      provenance: { ...this.state.provenance, [field]: { method: 'correction', source: actor, confidence: 1 } },
    };
  }

  /** Sets the field; the findings and route follow from `recheck` with the activity's result. */
  correct(input: CorrectFieldInput & { field: FieldPath }, at: string): Correction {
    const { actor: by, field, value } = input;
    const correction: Correction = {
      field,
      oldValue: valueAt(this.state.application, field) ?? null,
      newValue: value,
      by,
      at,
    };
    Object.assign(this.state, this.corrected(input));
    this.state.corrections.push(correction);
    return correction;
  }

  /**
   * The result of checking the corrected application again: its findings, route, pot and the scheme's decision terms.
   */
  recheck(findings: Finding[], route: Route, terms: { pot: Pot; decisions?: DecisionTerms } | undefined): void {
    const pot = terms?.pot;
    if (terms?.decisions) this.state.terms = terms.decisions;
    else delete this.state.terms;
    this.checkFindings = findings;
    const corrected = new Set<string>(this.state.corrections.map((c) => c.field));
    this.state.findings = [...this.readingFindings.filter((f) => !f.field || !corrected.has(f.field)), ...findings];
    this.state.route = route;
    if (pot) this.state.pot = pot;
    else delete this.state.pot;
    this.updateStatus();
  }

  correctionEntry(correction: Correction): AuditEntry {
    const { errors, warnings } = countFindings(this.state.findings);
    return this.entry('field-corrected', correction.at, correction.by, {
      field: correction.field,
      oldValue: correction.oldValue,
      newValue: correction.newValue,
      stage: this.state.route.stage,
      queue: this.state.route.queue,
      errors,
      warnings,
    });
  }

  requestInformation(
    { actor, message, reason }: InformationRequestInput,
    at: string,
  ): { entry: AuditEntry; request: InformationRequest } {
    const entry = this.entry('information-requested', at, actor, { message, reason });
    const request: InformationRequest = { seq: entry.seq, message, reason, by: actor, at };
    this.state.informationRequests.push(request);
    this.updateStatus();
    return { entry, request };
  }

  /** What a document would change (to check the application before anything changes, as for a correction). */
  documentChanges(
    reading: DocumentReading | undefined,
    document?: Pick<CaseDocument, 'original' | 'fileName'>,
  ): DocumentChanges {
    return documentChanges(this.state, reading, document);
  }

  /**
   * Adds a document to the case with what it changes (`documentChanges`); the findings and route then follow from
   * `recheck`. A supplement answers the open information request.
   */
  addDocument(
    document: CaseDocument,
    reading: DocumentReading | undefined,
    changes: DocumentChanges,
    at: string,
  ): AuditEntry {
    if (changes.effect === 'unrelated' && reading && changes.unrelated) {
      // Kept as received but unused until the caseworker decides (`decideUnrelatedDocument`).
      this.heldBack.set(document.original.key, { reading, role: document.role, finding: changes.unrelated });
      this.readingFindings.push(changes.unrelated);
      document = { ...document, role: 'unrelated' };
    } else if (reading) {
      document = this.apply(document, reading, changes);
    }
    if (document.unreadable) this.readingFindings.push(document.unreadable);
    this.state.documents = [...(this.state.documents ?? []), document];
    const request = document.role === 'supplement' ? this.openRequest : undefined;
    if (request) Object.assign(request, { answeredAt: at, supplement: document.source });
    this.state.findings = [...this.readingFindings, ...this.checkFindings];
    this.updateStatus();
    return this.entry('document-added', at, undefined, {
      fileName: document.fileName,
      role: document.role,
      original: document.original.key,
      effect: changes.effect,
      ...(changes.fields.length && { fields: changes.fields }),
      ...(changes.keptCorrections.length && { keptCorrections: changes.keptCorrections }),
      ...(document.unreadable && { unreadable: document.unreadable.code }),
      ...(request && { request: request.seq }),
    });
  }

  /** What a document's reading changes in the application (merged or adopted); returns the document in its new role. */
  private apply(document: CaseDocument, reading: DocumentReading, changes: DocumentChanges): CaseDocument {
    if (changes.effect === 'none' || changes.effect === 'unrelated') return document;
    const changed = new Set<string>(changes.fields);
    this.readingFindings =
      changes.effect === 'adopted'
        ? reading.findings
        : [
            ...this.readingFindings.filter((f) => !f.field || !changed.has(f.field)),
            ...reading.findings.filter((f) => f.field && changed.has(f.field)),
          ];
    this.state.application = changes.application;
    this.state.provenance = changes.provenance;
    if (changes.effect !== 'adopted') return document;
    // The form is now what the application was read from; what was read before becomes an appendix.
    for (const earlier of this.state.documents ?? []) if (earlier.role === 'application') earlier.role = 'appendix';
    return { ...document, role: 'application' };
  }

  /** Whether the caseworker may decide on this held-back document now. */
  checkUnrelatedDocument(raw: unknown): Checked<UnrelatedDocumentInput> {
    const checked = parse(UnrelatedDocumentInputSchema, raw);
    if (!checked.ok) return checked;
    const blocked = this.whyNotOpen() ?? this.whyNotAssignee(checked.input.actor);
    if (blocked) return blocked;
    if (!this.heldBack.has(checked.input.document))
      return refuse(`Dokumentet «${checked.input.document}» venter ikke på noen avgjørelse i saken.`);
    return checked;
  }

  /** What taking a held-back document in would change: its form read as the case's, applicant and all. */
  unrelatedChanges({ document }: UnrelatedDocumentInput): DocumentChanges {
    const held = this.heldBack.get(document)!;
    return documentChanges(this.state, held.reading, this.documentAt(document), { acceptApplicant: true });
  }

  /** The caseworker takes a held-back document in after all; the findings and route then follow from `recheck`. */
  takeInUnrelated(input: UnrelatedDocumentInput, changes: DocumentChanges, at: string): AuditEntry {
    const { reading, role } = this.release(input.document);
    const document = this.apply({ ...this.documentAt(input.document), role }, reading, changes);
    return this.unrelatedDecided(input, document, at, {
      effect: changes.effect,
      ...(changes.fields.length && { fields: changes.fields }),
    });
  }

  /** The caseworker has opened a held-back document as a case of its own (`caseId`): it stays here, unused. */
  openedAsCase(input: UnrelatedDocumentInput, caseId: string, at: string): AuditEntry {
    this.release(input.document);
    return this.unrelatedDecided(input, { ...this.documentAt(input.document), openedAs: caseId }, at, {
      openedAs: caseId,
    });
  }

  private unrelatedDecided(
    input: UnrelatedDocumentInput,
    document: CaseDocument,
    at: string,
    details: Record<string, unknown>,
  ): AuditEntry {
    this.state.documents = this.state.documents!.map((d) => (d.original.key === document.original.key ? document : d));
    this.updateStatus();
    return this.entry('unrelated-document-decided', at, input.actor, {
      fileName: document.fileName,
      original: document.original.key,
      decision: input.decision,
      ...details,
    });
  }

  private release(key: string): HeldBack {
    const held = this.heldBack.get(key)!;
    this.heldBack.delete(key);
    this.readingFindings = this.readingFindings.filter((f) => f !== held.finding);
    this.state.findings = [...this.readingFindings, ...this.checkFindings];
    return held;
  }

  private documentAt(originalKey: string): CaseDocument {
    return this.state.documents!.find((d) => d.original.key === originalKey)!;
  }

  remindApplicant(request: InformationRequest, at: string): AuditEntry {
    request.remindedAt = at;
    return this.entry('information-reminder', at, undefined, { request: request.seq, message: request.message });
  }

  remind(at: string, waited: string): AuditEntry {
    this.state.reminded = true;
    return this.entry('reminded', at, undefined, {
      waited,
      status: this.state.status,
      ...(this.state.assignee && { assignee: this.state.assignee }),
    });
  }

  escalate(at: string, waited: string): AuditEntry {
    this.state.late = true;
    return this.entry('escalated', at, undefined, {
      waited,
      status: this.state.status,
      ...(this.state.assignee && { assignee: this.state.assignee }),
    });
  }

  /** The caseworker proposes; an open proposal is replaced by the new one. */
  propose({ actor, grounds }: { actor: string; grounds: DecisionGrounds }, at: string): AuditEntry {
    const replaced = this.openProposal;
    if (replaced) replaced.status = 'replaced';
    const entry = this.entry('proposed', at, actor, { ...grounds, ...(replaced && { replaces: replaced.seq }) });
    this.state.proposals.push({ seq: entry.seq, grounds, by: actor, at, status: 'open' });
    this.updateStatus();
    return entry;
  }

  /** The proposal approved: the decision, with its grounds, by the approver. */
  approve({ actor, proposal: seq }: ApproveInput, at: string): AuditEntry {
    const proposal = this.state.proposals.find((p) => p.seq === seq)!;
    proposal.status = 'approved';
    const { grounds } = proposal;
    const decision: Decision = {
      outcome: isGrant(grounds) ? 'approved' : 'rejected',
      kind: grounds.kind,
      ...(isGrant(grounds) && { amount: grounds.amountGranted }),
      ...('explanation' in grounds && { reason: grounds.explanation }),
      decidedBy: actor,
      decidedAt: at,
      proposedBy: proposal.by,
      proposal: seq,
      grounds,
    };
    this.state.decision = decision;
    this.updateStatus();
    return this.entry('approved', at, actor, {
      proposal: seq,
      kind: grounds.kind,
      outcome: decision.outcome,
      ...(decision.amount && { amount: decision.amount }),
      declaredNotDisqualified: true,
    });
  }

  /** The approver sends the proposal back with a comment; the caseworker sees it and proposes again. */
  returnProposal({ actor, proposal: seq, comment }: ReturnInput, at: string): AuditEntry {
    const proposal = this.state.proposals.find((p) => p.seq === seq)!;
    proposal.status = 'returned';
    proposal.returned = { by: actor, at, comment };
    this.updateStatus();
    return this.entry('returned', at, actor, { proposal: seq, comment });
  }

  /** What the decision letter prints of the decided case. */
  letterFacts(): Omit<DecisionLetterFactsInput, 'reference'> {
    const decision = this.state.decision!;
    return decisionLetterFacts(this.state, {
      caseworker: decision.proposedBy ?? decision.decidedBy,
      approver: decision.decidedBy,
      date: decision.decidedAt.slice(0, 10),
    });
  }

  /** The decision letter, kept with the case: in its letters, and among its documents as an outgoing letter. */
  letterWritten(letter: KeptLetter, at: string): AuditEntry {
    this.state.letters.push({ letter });
    const pdf = { bucket: letter.pdf.bucket, key: letter.pdf.key };
    this.state.documents = [
      ...(this.state.documents ?? []),
      {
        fileName: letter.pdf.fileName,
        role: 'letter',
        source: { ...pdf, etag: letter.pdf.sha256 },
        movedTo: letter.pdf.key,
        original: { ...pdf, sha256: letter.pdf.sha256 },
        contentType: 'application/pdf',
        receivedAt: at,
      },
    ];
    return this.entry('letter-written', at, undefined, {
      letterId: letter.letterId,
      key: letter.pdf.key,
      sha256: letter.pdf.sha256,
      standard: letter.standard,
    });
  }

  /** How far the letter went; a refused address, no address or the outbox become findings for the caseworker. */
  letterSent(delivery: LetterDelivery, at: string): AuditEntry {
    const held = this.state.letters.find((l) => l.letter.letterId === delivery.letterId);
    if (held) held.delivery = delivery;
    this.state.findings = [...this.state.findings, ...deliveryFindings(delivery)];
    return this.entry('letter-sent', at, undefined, {
      letterId: delivery.letterId,
      via: delivery.via,
      delivered: delivery.delivered.map((d) => d.address),
      ...(delivery.refused.length && { refused: delivery.refused.map((r) => r.address) }),
    });
  }

  private updateStatus(): void {
    const { decision, assignee, route } = this.state;
    this.state.status = decision
      ? decision.outcome
      : this.openRequest
        ? 'awaiting-information'
        : this.openProposal
          ? 'proposed'
          : assignee
            ? 'under-assessment'
            : this.heldBack.size
              ? 'needs-correction'
              : route.stage;
  }

  private entry(
    event: AuditEvent,
    at: string,
    actor: string | undefined,
    details: Record<string, unknown>,
  ): AuditEntry {
    return { seq: this.nextSeq++, event, at, ...(actor && { actor }), caseId: this.state.caseId, ...details };
  }
}

/**
 * What a decision letter prints of a case: its applicant, project and amount requested, in its written standard, with
 * the caseworker, the approver and the letter's date (the decision's; a preview's today).
 */
export function decisionLetterFacts(
  { application, standard }: Pick<CaseState, 'application' | 'standard'>,
  { caseworker, approver, date }: { caseworker: string; approver: string; date: string },
): Omit<DecisionLetterFactsInput, 'reference'> {
  const { applicant, contact, project, budget } = application;
  return {
    date,
    standard: standard ?? 'nb',
    applicant: {
      name: applicant?.name ?? 'Søkeren',
      ...(applicant?.address && { address: applicant.address }),
      ...(applicant?.postalCode && { postalCode: applicant.postalCode }),
      ...(applicant?.postalPlace && { postalPlace: applicant.postalPlace }),
    },
    contact: { ...(contact?.name && { name: contact.name }), ...(contact?.email && { email: contact.email }) },
    projectTitle: project?.title ?? '–',
    ...(budget?.amountRequested !== undefined && { amountRequested: budget.amountRequested }),
    caseworker,
    approver,
  };
}
