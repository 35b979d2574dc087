import { WorkflowUpdateFailedError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { WorkflowNotFoundError, type UpdateDefinition } from '@temporalio/common';
import type { Client as MinioClient } from 'minio';
import { readJson } from '../activities/storage.ts';
import type { Application, ProvenanceMap } from '../schemas/application.ts';
import type { CaseState, Conflict, Correction, Decision, InformationRequest, Pot } from '../schemas/assessment/state.ts';
import { CaseRecordSchema, type CaseDocument, type CaseRecord } from '../schemas/case-record.ts';
import type { Finding } from '../schemas/finding.ts';
import type { Route } from '../schemas/route.ts';
import { caseStateQuery, hasLeftIntake, searchAttributes } from '../workflows/messages.ts';
import { closedStatuses } from './format.ts';

/**
 * The cases as the review app sees them: lists from one visibility query (search attributes and memo), a case's
 * state from its workflow (the `caseState` Query while it runs, its record once it has ended), its documents from the
 * records bucket, and every action as the workflow's Update. The app keeps no case data of its own.
 */

/** One row of a queue list: what the visibility store holds of a case. */
export interface CaseSummary {
  workflowId: string;
  /** The case reference shown to people and used in the app's URLs. */
  reference: string;
  queue?: string;
  scheme?: string;
  status: string;
  applicant?: string;
  organisationNumber?: string;
  amountRequested?: number;
  errors: number;
  warnings: number;
  receivedAt?: Date;
  late: boolean;
  running: boolean;
  closedAt?: Date;
  summary?: string;
  assignee?: string;
}

/** One document of a case: the application form, its attachments, supplements. */
/** A document of a case as the page shows it (its tab, its view, its download). */
export type CaseDocumentView = Pick<CaseDocument, 'fileName' | 'role' | 'original' | 'contentType' | 'receivedAt' | 'textKey' | 'unreadable'>;

/** A case as its page shows it: from the running workflow's state, or from its record once it has ended. */
export interface CaseDetail {
  summary: CaseSummary;
  record?: CaseRecord;
  /** Whether the workflow still takes Updates. */
  open: boolean;
  /** The document is still being read: no record yet. */
  reading: boolean;
  status: string;
  application?: Application;
  provenance: ProvenanceMap;
  findings: Finding[];
  route?: Route;
  pot?: Pot;
  assignee?: string;
  conflicts: Conflict[];
  corrections: Correction[];
  informationRequests: InformationRequest[];
  decision?: Decision;
  late: boolean;
  documents: CaseDocumentView[];
}

/**
 * The documents of a case: the record's `documents` list (a submission of several), or, in records written before
 * submissions, the one original. The one place that knows both shapes.
 */
export function documentsOf(record: CaseRecord): CaseDocumentView[] {
  if (record.documents?.length) return record.documents;
  // A case whose document was gone before it could be kept has none.
  if (!record.document || !record.original) return [];
  return [
    {
      fileName: record.document.fileName,
      role: 'application' as const,
      original: record.original,
      receivedAt: record.document.submission.receivedAt,
      ...(record.document.contentType && { contentType: record.document.contentType }),
      ...(record.textKey && { textKey: record.textKey }),
    },
  ];
}

/** A request refused by the workflow's validator, with its reason in Bokmål for the caseworker. */
export class RefusedError extends Error {
  override name = 'RefusedError';
}

/** A quoted string literal of Temporal's list filter. */
const literal = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export interface CaseRepositoryDeps {
  temporal: Client;
  minio: MinioClient;
  recordsBucket: string;
  /** Safety net of a list: a round has hundreds of cases, not tens of thousands. */
  maxListed?: number;
}

export class CaseRepository {
  /** Assignees the app has seen (from states and its own Updates), for lists whose memo does not carry one. */
  private readonly knownAssignees = new Map<string, string | undefined>();
  private readonly recordKeys = new Map<string, string>();

  constructor(private readonly deps: CaseRepositoryDeps) {}

  /** The cases of the given queues (every case for `all`), from one visibility query. */
  async list(queues: readonly string[] | 'all'): Promise<CaseSummary[]> {
    if (queues !== 'all' && queues.length === 0) return [];
    const filter = queues === 'all' ? '' : ` AND GrantQueue IN (${queues.map(literal).join(', ')})`;
    return this.query(`WorkflowType = 'application'${filter}`);
  }

  /** The case with this reference (one visibility query), or undefined. */
  async find(reference: string): Promise<CaseSummary | undefined> {
    const found = await this.query(`WorkflowType = 'application' AND CaseReference = ${literal(reference)}`, 5);
    // A reference names one case; should a workflow id have run twice, the running or latest run is the case.
    return found.sort((a, b) => Number(b.running) - Number(a.running))[0];
  }

  private async query(query: string, limit = this.deps.maxListed ?? 5000): Promise<CaseSummary[]> {
    const cases: CaseSummary[] = [];
    for await (const execution of this.deps.temporal.workflow.list({ query })) {
      const summary = this.summaryOf(execution);
      if (summary) cases.push(summary);
      if (cases.length >= limit) break;
    }
    return cases;
  }

  private summaryOf(execution: WorkflowExecutionInfo): CaseSummary | undefined {
    const attributes = execution.typedSearchAttributes;
    const reference = attributes.get(searchAttributes.caseReference);
    if (!reference) return undefined;
    const memo = (execution.memo ?? {}) as { summary?: unknown; assignee?: unknown };
    const running = execution.status.name === 'RUNNING';
    const status = attributes.get(searchAttributes.status) ?? (running ? 'received' : execution.status.name.toLowerCase());
    const assignee = typeof memo.assignee === 'string' ? memo.assignee : this.knownAssignees.get(execution.workflowId);
    return {
      workflowId: execution.workflowId,
      reference,
      queue: attributes.get(searchAttributes.queue),
      scheme: attributes.get(searchAttributes.scheme),
      status,
      applicant: attributes.get(searchAttributes.municipality),
      organisationNumber: attributes.get(searchAttributes.organisationNumber),
      amountRequested: attributes.get(searchAttributes.amountRequested),
      errors: attributes.get(searchAttributes.errorCount) ?? 0,
      warnings: attributes.get(searchAttributes.warningCount) ?? 0,
      receivedAt: attributes.get(searchAttributes.receivedAt),
      late: attributes.get(searchAttributes.late) ?? false,
      running,
      ...(execution.closeTime && { closedAt: execution.closeTime }),
      ...(typeof memo.summary === 'string' && { summary: memo.summary }),
      ...(assignee && { assignee }),
    };
  }

  /** The case's record key: from the state while the workflow runs, from its result once it has ended. */
  private async recordKeyOf(summary: CaseSummary, state?: CaseState): Promise<string | undefined> {
    if (state) this.recordKeys.set(summary.workflowId, state.recordKey);
    const known = this.recordKeys.get(summary.workflowId);
    if (known) return known;
    const handle = this.deps.temporal.workflow.getHandle(summary.workflowId);
    let recordKey: string | undefined;
    if (summary.running) {
      if (!hasLeftIntake(summary.status) || closedStatuses.has(summary.status)) return undefined;
      recordKey = (await this.stateOf(summary))?.recordKey;
    } else {
      recordKey = await handle.result().then(
        (result: { recordKey?: string }) => result.recordKey,
        () => undefined,
      );
    }
    if (recordKey) this.recordKeys.set(summary.workflowId, recordKey);
    return recordKey;
  }

  private async stateOf(summary: CaseSummary): Promise<CaseState | undefined> {
    try {
      const state = await this.deps.temporal.workflow.getHandle(summary.workflowId).query(caseStateQuery);
      this.knownAssignees.set(summary.workflowId, state.assignee);
      return state;
    } catch {
      // Still being read (the Query is registered once the case waits for its assessment).
      return undefined;
    }
  }

  async record(summary: CaseSummary, state?: CaseState): Promise<CaseRecord | undefined> {
    const key = await this.recordKeyOf(summary, state);
    if (!key) return undefined;
    const raw = await readJson(this.deps.minio, this.deps.recordsBucket, key);
    const parsed = CaseRecordSchema.safeParse(raw);
    return parsed.success ? parsed.data : (raw as CaseRecord);
  }

  /** The case as its page shows it. */
  async detail(summary: CaseSummary): Promise<CaseDetail> {
    const state = summary.running && hasLeftIntake(summary.status) && !closedStatuses.has(summary.status) ? await this.stateOf(summary) : undefined;
    const record = await this.record(summary, state).catch(() => undefined);
    const base = {
      summary,
      ...(record && { record }),
      documents: record ? documentsOf(record) : [],
    };
    if (state) {
      return {
        ...base,
        open: !state.decision,
        reading: false,
        status: state.status,
        application: state.application,
        provenance: state.provenance,
        findings: state.findings,
        route: state.route,
        ...(state.pot && { pot: state.pot }),
        ...(state.assignee && { assignee: state.assignee }),
        conflicts: state.conflicts,
        corrections: state.corrections,
        informationRequests: state.informationRequests,
        ...(state.decision && { decision: state.decision }),
        late: state.late,
      };
    }
    const assessment = record?.assessment;
    return {
      ...base,
      open: false,
      reading: !record,
      status: assessment?.status ?? summary.status,
      ...(record?.application && { application: record.application }),
      provenance: (record?.provenance ?? {}) as ProvenanceMap,
      findings: record?.findings ?? [],
      ...(record?.route && { route: record.route }),
      ...(assessment?.assignee && { assignee: assessment.assignee }),
      conflicts: [],
      corrections: (assessment?.corrections ?? []) as Correction[],
      informationRequests: [],
      ...(assessment?.decision && { decision: assessment.decision }),
      late: assessment?.late ?? summary.late,
    };
  }

  /** Sends one Update; a refusal becomes a `RefusedError` with the workflow's reason. Returns the new state. */
  async execute<Input>(summary: CaseSummary, update: UpdateDefinition<CaseState, [Input]>, input: Input): Promise<CaseState> {
    try {
      const state = await this.deps.temporal.workflow.getHandle(summary.workflowId).executeUpdate(update, { args: [input] });
      this.knownAssignees.set(summary.workflowId, state.assignee);
      return state;
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) throw new RefusedError(error.cause?.message ?? 'Forespørselen ble avvist.');
      if (error instanceof WorkflowNotFoundError) throw new RefusedError('Saken er avsluttet og kan ikke endres.');
      if (/completed|closed/i.test(String((error as Error).message))) throw new RefusedError('Saken er avsluttet og kan ikke endres.');
      throw error;
    }
  }
}
