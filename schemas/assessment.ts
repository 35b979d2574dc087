import { z } from 'zod';
import { ApplicationSchema, type Application, type FieldPath, type Provenance, type ProvenanceMap } from './application.ts';
import { ObjectRefSchema } from './document.ts';
import type { CaseDocument } from './case-record.ts';
import type { Finding } from './finding.ts';
import { formatNok } from './format-nok.ts';
import type { CaseStage, Route } from './route.ts';
import { fieldLabels, valueAt } from './rules/fields.ts';

/**
 * The assessment of a routed case: the caseworkers' requests (Update inputs), the case's state, and the rules that
 * refuse a wrong request with a reason in Bokmål. Pure: the workflow (`workflows/assessment.ts`) runs it, activities
 * persist what it records.
 */

const actor = z.string().trim().min(1, 'mangler hvem som gjør det (actor)');

export const ClaimInputSchema = z.object({
  actor,
  /** The caseworker's declaration that they are not disqualified (inhabil) for this applicant. */
  notDisqualified: z.literal(true, 'du må erklære at du ikke er inhabil i saken'),
});
export type ClaimInput = z.infer<typeof ClaimInputSchema>;

export const AssignInputSchema = z.object({ actor, assignee: z.string().trim().min(1, 'mangler saksbehandler (assignee)') });
export type AssignInput = z.infer<typeof AssignInputSchema>;

export const ConflictInputSchema = z.object({ actor, reason: z.string().trim().min(1, 'mangler begrunnelse for inhabiliteten') });
export type ConflictInput = z.infer<typeof ConflictInputSchema>;

export const CorrectFieldInputSchema = z.object({ actor, field: z.string().min(1, 'mangler felt'), value: z.unknown() });
export type CorrectFieldInput = z.infer<typeof CorrectFieldInputSchema>;

export const InformationRequestInputSchema = z.object({
  actor,
  /** The message to the applicant. */
  message: z.string().trim().min(1, 'mangler melding til søkeren'),
  reason: z.string().trim().min(1, 'mangler begrunnelse'),
});
export type InformationRequestInput = z.infer<typeof InformationRequestInputSchema>;

/** A document for a running case: another attachment of its e-mail, or a supplement quoting its reference. */
export const DocumentDeliverySchema = z.object({ object: ObjectRefSchema });
export type DocumentDelivery = z.infer<typeof DocumentDeliverySchema>;

export const DecideInputSchema = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('approve'),
    actor,
    amount: z.number('beløpet må være et tall').int('beløpet må være hele kroner').positive('beløpet må være større enn null'),
  }),
  z.object({ outcome: z.literal('reject'), actor, reason: z.string().trim().min(1, 'avslag må begrunnes') }),
], 'vedtaket må være «approve» eller «reject»');
export type DecideInput = z.infer<typeof DecideInputSchema>;

/** The durations of the assessment's timers (Temporal durations: `'21 days'`, `'2s'`, or milliseconds). */
export interface AssessmentTimers {
  /** How long a case may wait for its decision before a reminder; default the scheme's `serviceDays`. */
  reminderAfter?: string | number;
  /** How long after the reminder the case is escalated as late; default `serviceDays` again (twice in all). */
  escalateAfter?: string | number;
  /** How long the applicant has to send a requested supplement before a reminder; default 14 days. */
  informationReminderAfter?: string | number;
}

/** The service time for a case whose scheme is unknown (triage). */
export const defaultServiceDays = 21;
export const defaultInformationReminderAfter = '14 days';

/** The money a grant may draw on: the earmark's pot, or the scheme's money. */
export interface Pot {
  amount: number;
  description: string;
}

export type AssessmentStatus = CaseStage | 'under-assessment' | 'awaiting-information' | 'approved' | 'rejected';

export interface Correction {
  field: FieldPath;
  oldValue: unknown;
  newValue: unknown;
  by: string;
  at: string;
}

export interface Conflict {
  actor: string;
  reason: string;
  at: string;
}

export interface InformationRequest {
  seq: number;
  message: string;
  reason: string;
  by: string;
  at: string;
  /** Set when the supplement has come. */
  answeredAt?: string;
  supplement?: z.infer<typeof ObjectRefSchema>;
  remindedAt?: string;
}

/** What a document has been read as: the application its text gives, as `readFields` returns it. */
export interface DocumentReading {
  application: Application;
  provenance: ProvenanceMap;
  findings: Finding[];
}

/**
 * What a document that joins the case does to its application: becomes it (the case had no application form yet, e.g.
 * the appendix came first), fills in and replaces what a newer form says (a supplement; a caseworker's correction
 * still wins), or nothing (an appendix, a letter, an unreadable file).
 */
export interface DocumentChanges {
  effect: 'adopted' | 'merged' | 'none';
  application: Application;
  provenance: ProvenanceMap;
  /** The fields whose value the document changed. */
  fields: FieldPath[];
  /** Fields the document gives otherwise than a caseworker corrected them: the correction is kept. */
  keptCorrections: FieldPath[];
}

export interface Decision {
  outcome: 'approved' | 'rejected';
  /** The granted amount in whole NOK (approved). */
  amount?: number;
  /** Why it was rejected. */
  reason?: string;
  decidedBy: string;
  decidedAt: string;
}

export interface CaseState {
  caseId: string;
  recordKey: string;
  status: AssessmentStatus;
  application: Application;
  provenance: ProvenanceMap;
  findings: Finding[];
  route: Route;
  pot?: Pot;
  /** The case's documents in the order they came (cases opened before submissions have none listed here). */
  documents?: CaseDocument[];
  assignee?: string;
  conflicts: Conflict[];
  corrections: Correction[];
  informationRequests: InformationRequest[];
  /** Reminded after the service time, and `late` once escalated. */
  reminded: boolean;
  late: boolean;
  decision?: Decision;
}

/** One entry of the case's append-only audit log (`cases/<id>/audit/<seq>-<event>.json`). */
export interface AuditEntry {
  seq: number;
  event: AuditEvent;
  at: string;
  actor?: string;
  [detail: string]: unknown;
}

export type AuditEvent =
  | 'claimed'
  | 'assigned'
  | 'conflict-declared'
  | 'field-corrected'
  | 'information-requested'
  | 'supplement-received'
  | 'document-added'
  | 'information-reminder'
  | 'reminded'
  | 'escalated'
  | 'decided';

/** The audit object's key: numbered so the log lists in order, and the same on every retry. */
export const auditKey = (caseFolder: string, entry: Pick<AuditEntry, 'seq' | 'event'>) =>
  `${caseFolder}/audit/${String(entry.seq).padStart(4, '0')}-${entry.event}.json`;

/** A request checked: its parsed input, or why it is refused (Bokmål, for the caseworker). */
export type Checked<T> = { ok: true; input: T } | { ok: false; refusal: string };

const refuse = (refusal: string): { ok: false; refusal: string } => ({ ok: false, refusal });

function parse<T>(schema: z.ZodType<T>, raw: unknown): Checked<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, input: parsed.data };
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length ? ` (${issue.path.join('.')})` : '';
  return refuse(`Ugyldig forespørsel${where}: ${issue.message}.`);
}

/** The zod schema of one field of the application, or undefined for a path that is not a field. */
export function fieldSchema(path: string): z.ZodType | undefined {
  if (!Object.hasOwn(fieldLabels, path)) return undefined;
  const [section, key] = path.split('.') as [string, string | undefined];
  const shape = ApplicationSchema.shape as Record<string, z.ZodType>;
  const top = unwrapOptional(shape[section]!);
  if (!key) return top;
  return unwrapOptional((top as z.ZodObject).shape[key] as z.ZodType);
}

function unwrapOptional(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
}

/** The application with one field set (sections created as needed); the original is left as it was. */
export function withField(application: Application, path: FieldPath, value: unknown): Application {
  const copy = JSON.parse(JSON.stringify(application)) as Record<string, unknown>;
  const [section, key] = path.split('.') as [string, string | undefined];
  if (!key) copy[section] = value;
  else copy[section] = { ...((copy[section] as Record<string, unknown> | undefined) ?? {}), [key]: value };
  return copy as Application;
}

export interface AssessmentStart {
  caseId: string;
  recordKey: string;
  application: Application;
  provenance: ProvenanceMap;
  /** What reading found (kept, except for fields a caseworker has since corrected). */
  readingFindings: Finding[];
  /** What the scheme's rules found. */
  checkFindings: Finding[];
  route: Route;
  pot?: Pot;
  documents?: CaseDocument[];
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
      ...(start.documents && { documents: start.documents }),
      conflicts: [],
      corrections: [],
      informationRequests: [],
      reminded: false,
      late: false,
    };
  }

  get decided(): boolean {
    return this.state.decision !== undefined;
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
    return this.whyNotOpen() ?? this.whyDisqualified(actor) ??
      (this.state.assignee === actor ? refuse('Du har allerede saken.') : undefined) ??
      (this.state.assignee ? refuse(`Saken er allerede tatt av ${this.state.assignee}.`) : checked);
  }

  checkAssign(raw: unknown): Checked<AssignInput> {
    const checked = parse(AssignInputSchema, raw);
    if (!checked.ok) return checked;
    const { assignee } = checked.input;
    return this.whyNotOpen() ?? this.whyDisqualified(assignee) ??
      (this.state.assignee === assignee ? refuse(`Saken er allerede tildelt ${assignee}.`) : checked);
  }

  checkConflict(raw: unknown): Checked<ConflictInput> {
    const checked = parse(ConflictInputSchema, raw);
    if (!checked.ok) return checked;
    if (this.state.conflicts.some((c) => c.actor === checked.input.actor)) return refuse('Du har allerede meldt deg inhabil i saken.');
    return this.whyNotOpen() ?? checked;
  }

  checkCorrection(raw: unknown): Checked<CorrectFieldInput & { field: FieldPath }> {
    const checked = parse(CorrectFieldInputSchema, raw);
    if (!checked.ok) return checked;
    const { actor, field, value } = checked.input;
    const blocked = this.whyNotOpen() ?? this.whyNotAssignee(actor);
    if (blocked) return blocked;
    const schema = fieldSchema(field);
    if (!schema) return refuse(`Feltet «${field}» finnes ikke i søknaden.`);
    const label = fieldLabels[field as FieldPath];
    const parsed = schema.safeParse(value);
    if (!parsed.success) return refuse(`Verdien ${JSON.stringify(value) ?? 'undefined'} er ikke gyldig for feltet «${label}»: ${parsed.error.issues[0]!.message}.`);
    if (JSON.stringify(valueAt(this.state.application, field as FieldPath)) === JSON.stringify(parsed.data)) {
      return refuse(`Feltet «${label}» har allerede denne verdien.`);
    }
    return { ok: true, input: { actor, field: field as FieldPath, value: parsed.data } };
  }

  checkInformationRequest(raw: unknown): Checked<InformationRequestInput> {
    const checked = parse(InformationRequestInputSchema, raw);
    if (!checked.ok) return checked;
    return this.whyNotOpen() ?? this.whyNotAssignee(checked.input.actor) ??
      (this.openRequest ? refuse('Saken venter allerede på opplysninger fra søkeren.') : checked);
  }

  checkDecision(raw: unknown): Checked<DecideInput> {
    const checked = parse(DecideInputSchema, raw);
    if (!checked.ok) return checked;
    const decision = checked.input;
    const blocked = this.whyNotOpen() ?? this.whyNotAssignee(decision.actor);
    if (blocked) return blocked;
    if (decision.outcome === 'reject') return checked;
    const errors = this.state.findings.filter((f) => f.severity === 'error');
    if (errors.length) {
      return refuse(`Søknaden kan ikke innvilges før feilene er rettet (${errors.map((f) => f.field ?? f.code).join(', ')}).`);
    }
    const requested = this.state.application.budget?.amountRequested;
    if (requested === undefined) return refuse('Søknaden har ikke noe søknadsbeløp, så det kan ikke innvilges et beløp.');
    if (decision.amount > requested) {
      return refuse(`Innvilget beløp (${formatNok(decision.amount)}) kan ikke være høyere enn søknadsbeløpet (${formatNok(requested)}).`);
    }
    const pot = this.state.pot;
    if (pot && decision.amount > pot.amount) {
      return refuse(`Innvilget beløp (${formatNok(decision.amount)}) kan ikke være høyere enn ${pot.description}.`);
    }
    return checked;
  }

  private whyNotOpen(): { ok: false; refusal: string } | undefined {
    const decision = this.state.decision;
    if (!decision) return undefined;
    return refuse(`Saken er allerede avgjort (${decision.outcome === 'approved' ? 'innvilget' : 'avslått'} av ${decision.decidedBy}).`);
  }

  private whyDisqualified(who: string): { ok: false; refusal: string } | undefined {
    return this.state.conflicts.some((c) => c.actor === who) ? refuse(`${who} har meldt seg inhabil i saken.`) : undefined;
  }

  private whyNotAssignee(who: string): { ok: false; refusal: string } | undefined {
    if (this.state.assignee === who) return undefined;
    return refuse(this.state.assignee ? `Saken er tildelt ${this.state.assignee}, ikke ${who}.` : 'Saken må tas eller tildeles før den kan behandles.');
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
  corrected({ actor, field, value }: CorrectFieldInput & { field: FieldPath }): { application: Application; provenance: ProvenanceMap } {
    return {
      application: withField(this.state.application, field, value),
      provenance: { ...this.state.provenance, [field]: { method: 'correction', source: actor, confidence: 1 } },
    };
  }

  /** Sets the field; the findings and route follow from `recheck` with the activity's result. */
  correct(input: CorrectFieldInput & { field: FieldPath }, at: string): Correction {
    const { actor: by, field, value } = input;
    const correction: Correction = { field, oldValue: valueAt(this.state.application, field) ?? null, newValue: value, by, at };
    Object.assign(this.state, this.corrected(input));
    this.state.corrections.push(correction);
    return correction;
  }

  /** The result of checking the corrected application again. */
  recheck(findings: Finding[], route: Route, pot: Pot | undefined): void {
    this.checkFindings = findings;
    const corrected = new Set<string>(this.state.corrections.map((c) => c.field));
    this.state.findings = [...this.readingFindings.filter((f) => !f.field || !corrected.has(f.field)), ...findings];
    this.state.route = route;
    if (pot) this.state.pot = pot;
    else delete this.state.pot;
    this.updateStatus();
  }

  correctionEntry(correction: Correction): AuditEntry {
    const { errors, warnings } = count(this.state.findings);
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

  requestInformation({ actor, message, reason }: InformationRequestInput, at: string): { entry: AuditEntry; request: InformationRequest } {
    const entry = this.entry('information-requested', at, actor, { message, reason });
    const request: InformationRequest = { seq: entry.seq, message, reason, by: actor, at };
    this.state.informationRequests.push(request);
    this.updateStatus();
    return { entry, request };
  }

  /** What a document would change (to check the application before anything changes, as for a correction). */
  documentChanges(reading: DocumentReading | undefined, document?: Pick<CaseDocument, 'original'>): DocumentChanges {
    const { application, provenance } = this.state;
    const unchanged: DocumentChanges = { effect: 'none', application, provenance, fields: [], keptCorrections: [] };
    // Only an application form changes the application: its scheme is what the reader recognised it by.
    if (!reading?.application.schemeId) return unchanged;
    const from = (provenance: Provenance | undefined): Provenance | undefined =>
      provenance && document ? { ...provenance, document: document.original.key } : provenance;
    const corrected = new Map(this.state.corrections.map((c) => [c.field, c.newValue]));
    if (!application.schemeId) {
      let adopted = reading.application;
      for (const [field, value] of corrected) adopted = withField(adopted, field, value);
      const fields = (Object.keys(fieldLabels) as FieldPath[]).filter((f) => !corrected.has(f) && !sameValue(valueAt(application, f), valueAt(adopted, f)));
      const kept = this.state.provenance;
      const adoptedProvenance: ProvenanceMap = {};
      for (const [field, provenance] of Object.entries(reading.provenance)) adoptedProvenance[field as FieldPath] = from(provenance);
      for (const field of corrected.keys()) if (kept[field]) adoptedProvenance[field] = kept[field];
      return { effect: 'adopted', application: adopted, provenance: adoptedProvenance, fields, keptCorrections: [] };
    }
    let merged = application;
    const mergedProvenance = { ...provenance };
    const fields: FieldPath[] = [];
    const keptCorrections: FieldPath[] = [];
    for (const field of Object.keys(fieldLabels) as FieldPath[]) {
      const value = valueAt(reading.application, field);
      if (value === undefined || value === null || sameValue(value, valueAt(merged, field))) continue;
      if (corrected.has(field)) {
        keptCorrections.push(field);
        continue;
      }
      merged = withField(merged, field, value);
      const source = from(reading.provenance[field]);
      if (source) mergedProvenance[field] = source;
      else delete mergedProvenance[field];
      fields.push(field);
    }
    return { effect: fields.length ? 'merged' : 'none', application: merged, provenance: mergedProvenance, fields, keptCorrections };
  }

  /**
   * Adds a document to the case with what it changes (`documentChanges`); the findings and route then follow from
   * `recheck`. A supplement answers the open information request.
   */
  addDocument(document: CaseDocument, reading: DocumentReading | undefined, changes: DocumentChanges, at: string): AuditEntry {
    if (changes.effect !== 'none' && reading) {
      const changed = new Set<string>(changes.fields);
      this.readingFindings =
        changes.effect === 'adopted'
          ? reading.findings
          : [...this.readingFindings.filter((f) => !f.field || !changed.has(f.field)), ...reading.findings.filter((f) => f.field && changed.has(f.field))];
      this.state.application = changes.application;
      this.state.provenance = changes.provenance;
      if (changes.effect === 'adopted') {
        // The form is now what the application was read from; what was read before becomes an appendix.
        for (const earlier of this.state.documents ?? []) if (earlier.role === 'application') earlier.role = 'appendix';
        document = { ...document, role: 'application' };
      }
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

  /** A supplement as cases opened before submissions recorded it: its arrival only (their histories replay this). */
  supplement({ object }: DocumentDelivery, at: string): AuditEntry {
    const request = this.openRequest;
    if (request) Object.assign(request, { answeredAt: at, supplement: object });
    this.updateStatus();
    return this.entry('supplement-received', at, undefined, { object, ...(request && { request: request.seq }) });
  }

  remindApplicant(request: InformationRequest, at: string): AuditEntry {
    request.remindedAt = at;
    return this.entry('information-reminder', at, undefined, { request: request.seq, message: request.message });
  }

  remind(at: string, waited: string): AuditEntry {
    this.state.reminded = true;
    return this.entry('reminded', at, undefined, { waited, status: this.state.status, ...(this.state.assignee && { assignee: this.state.assignee }) });
  }

  escalate(at: string, waited: string): AuditEntry {
    this.state.late = true;
    return this.entry('escalated', at, undefined, { waited, status: this.state.status, ...(this.state.assignee && { assignee: this.state.assignee }) });
  }

  decide(input: DecideInput, at: string): AuditEntry {
    const decision: Decision =
      input.outcome === 'approve'
        ? { outcome: 'approved', amount: input.amount, decidedBy: input.actor, decidedAt: at }
        : { outcome: 'rejected', reason: input.reason, decidedBy: input.actor, decidedAt: at };
    this.state.decision = decision;
    this.updateStatus();
    const { outcome, decidedBy: _by, decidedAt: _at, ...details } = decision;
    return this.entry('decided', at, input.actor, { outcome, ...details });
  }

  private updateStatus(): void {
    const { decision, assignee, route } = this.state;
    this.state.status = decision
      ? decision.outcome
      : this.openRequest
        ? 'awaiting-information'
        : assignee
          ? 'under-assessment'
          : route.stage;
  }

  private entry(event: AuditEvent, at: string, actor: string | undefined, details: Record<string, unknown>): AuditEntry {
    return { seq: this.nextSeq++, event, at, ...(actor && { actor }), caseId: this.state.caseId, ...details };
  }
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function count(findings: readonly Finding[]): { errors: number; warnings: number } {
  return { errors: findings.filter((f) => f.severity === 'error').length, warnings: findings.filter((f) => f.severity === 'warning').length };
}
