import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Client as MinioClient } from 'minio';
import {
  approveProposal,
  caseState,
  closedCaseRecordKey,
  findCase,
  listCases,
  updateCase,
  type CaseSummary,
} from '../client/cases.ts';
import { potBalance } from '../client/pots.ts';
import type { PotBalance, PotDefinition } from '../schemas/ledger.ts';
import type { ApproveInput } from '../schemas/assessment/inputs.ts';
import { allOf, casesInPhases, casesInQueues, reportsOverdue } from '../client/visibility.ts';
import type { CasePhase } from '../schemas/case-phase.ts';
import type { Application, ProvenanceMap } from '../schemas/application.ts';
import type { AuditEntry } from '../schemas/assessment/audit.ts';
import type {
  CaseLetter,
  CaseState,
  Conflict,
  Correction,
  Decision,
  InformationRequest,
  Pot,
  Proposal,
} from '../schemas/assessment/state.ts';
import { caseFolder, CaseRecordSchema, type CaseDocument, type CaseRecord } from '../schemas/case-record.ts';
import type { Finding } from '../schemas/finding.ts';
import type { Route } from '../schemas/route.ts';
import { readCaseJournal } from '../storage/journal.ts';
import { listKeys, readJson } from '../storage/objects.ts';
import type { JournalEntry } from '../schemas/journal.ts';
import { hasLeftIntake } from '../workflows/messages.ts';
import { closedStatuses } from './format.ts';
import type { FollowUpState } from '../schemas/follow-up/state.ts';

/**
 * The cases as the review app sees them: lists from one visibility query (search attributes and memo), a case's
 * state from its workflow (the `caseState` Query while it runs, its record once it has ended), its documents from the
 * records bucket, and every action as the workflow's Update. The app keeps no case data of its own.
 */

/** One document of a case: the application form, its attachments, supplements. */
/** A document of a case as the page shows it (its tab, its view, its download). */
export type CaseDocumentView = Pick<
  CaseDocument,
  'fileName' | 'role' | 'original' | 'contentType' | 'receivedAt' | 'textKey' | 'unreadable' | 'openedAs'
>;

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
  /** The proposals made (innstillinger), the open one waiting for an approver. */
  proposals: Proposal[];
  /** The decision letter and how far it has gone. */
  letters: CaseLetter[];
  late: boolean;
  documents: CaseDocumentView[];
  /** Everything that happened to the case, from its append-only audit log (oldest first). */
  history: AuditEntry[];
  /** The case after its decision letter: acceptance, payments, report, appeals (while its workflow runs). */
  followUp?: FollowUpState;
  /** The case's journal (postjournal) entries in the records bucket, in running order. */
  journal: JournalEntry[];
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

/** The conflicts declared, as the audit log recorded them (a decided case's state is gone). */
function conflictsIn(history: AuditEntry[]): Conflict[] {
  return history
    .filter((e) => e.event === 'conflict-declared')
    .map((e) => ({ actor: e.actor ?? '', reason: String(e.reason ?? ''), at: e.at }));
}

/** The information requests and when each was answered, as the audit log recorded them. */
function requestsIn(history: AuditEntry[]): InformationRequest[] {
  return history
    .filter((e) => e.event === 'information-requested')
    .map((e) => {
      const answer = history.find((a) => a.event === 'document-added' && a.request === e.seq);
      return {
        seq: e.seq,
        message: String(e.message ?? ''),
        reason: String(e.reason ?? ''),
        by: e.actor ?? '',
        at: e.at,
        ...(answer && { answeredAt: answer.at }),
      };
    });
}

/**
 * Whether the running case's workflow still holds its state: not one that ended at intake, and a decided case as long
 * as it lives on (acceptance, payment, report, appeals: it has a `CasePhase`).
 */
const livesOn = (summary: CaseSummary) => !closedStatuses.has(summary.status) || summary.phase !== undefined;

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
    const cases = await listCases(this.deps.temporal, casesInQueues(queues), this.deps.maxListed ?? 5000);
    return cases.map((summary) => this.withAssignee(summary));
  }

  /** The case with this reference (one visibility query), or undefined. */
  async find(reference: string): Promise<CaseSummary | undefined> {
    const found = await findCase(this.deps.temporal, reference);
    return found && this.withAssignee(found);
  }

  private withAssignee(summary: CaseSummary): CaseSummary {
    const assignee = summary.assignee ?? this.knownAssignees.get(summary.workflowId);
    return assignee ? { ...summary, assignee } : summary;
  }

  /** The case's record key: from the state while the workflow runs, from its result once it has ended. */
  private async recordKeyOf(summary: CaseSummary, state?: CaseState): Promise<string | undefined> {
    if (state) this.recordKeys.set(summary.workflowId, state.recordKey);
    const known = this.recordKeys.get(summary.workflowId);
    if (known) return known;
    let recordKey: string | undefined;
    if (summary.running) {
      if (!hasLeftIntake(summary.status) || !livesOn(summary)) return undefined;
      recordKey = (await this.stateOf(summary))?.recordKey;
    } else {
      recordKey = await closedCaseRecordKey(this.deps.temporal, summary.workflowId);
    }
    if (recordKey) this.recordKeys.set(summary.workflowId, recordKey);
    return recordKey;
  }

  /** The running case's state (the `caseState` Query). */
  async stateOf(summary: CaseSummary): Promise<CaseState | undefined> {
    const state = await caseState(this.deps.temporal, summary.workflowId);
    if (state) this.knownAssignees.set(summary.workflowId, state.assignee);
    return state;
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
    const state =
      summary.running && hasLeftIntake(summary.status) && livesOn(summary) ? await this.stateOf(summary) : undefined;
    const record = await this.record(summary, state).catch(() => undefined);
    const base = {
      summary,
      ...(record && { record }),
      documents: record ? documentsOf(record) : [],
      history: record ? await this.history(record.caseId) : [],
      journal: record ? await readCaseJournal(this.deps.minio, this.deps.recordsBucket, record.caseId) : [],
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
        proposals: state.proposals ?? [],
        letters: state.letters ?? [],
        late: state.late,
        ...(state.followUp && { followUp: state.followUp }),
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
      conflicts: conflictsIn(base.history),
      corrections: (assessment?.corrections ?? []) as Correction[],
      informationRequests: requestsIn(base.history),
      ...(assessment?.decision && { decision: assessment.decision }),
      proposals: [],
      letters: (assessment?.letters ?? []) as CaseLetter[],
      late: assessment?.late ?? summary.late,
    };
  }

  /** The cases of the given queues (every case for `all`) in one of the given phases, from one visibility query. */
  async listInPhases(queues: readonly string[] | 'all', phases: readonly CasePhase[]): Promise<CaseSummary[]> {
    if (queues !== 'all' && queues.length === 0) return [];
    const cases = await listCases(this.deps.temporal, casesInPhases(queues, phases), this.deps.maxListed ?? 5000);
    return cases.map((summary) => this.withAssignee(summary));
  }

  /** The references of the cases of the given queues whose report is overdue at `now` (`ReportDeadline` passed). */
  async overdueReports(queues: readonly string[] | 'all', now: Date): Promise<Set<string>> {
    if (queues !== 'all' && queues.length === 0) return new Set();
    const query = allOf(casesInQueues(queues), reportsOverdue(now));
    return new Set((await listCases(this.deps.temporal, query, this.deps.maxListed ?? 5000)).map((c) => c.reference));
  }

  /** Approves the proposal named; the same approval again (a retried bulk approval) does nothing twice. */
  async approve(summary: CaseSummary, input: ApproveInput): Promise<CaseState> {
    return approveProposal(this.deps.temporal, summary.workflowId, input);
  }

  /** What is left in a pot, live from its ledger. */
  potBalance(pot: PotDefinition): Promise<PotBalance> {
    return potBalance(this.deps.temporal, pot);
  }

  /**
   * The case's audit log (`cases/<id>/audit/<seq>-<event>.json`): the history the page shows, which no later step
   * clears (a decision ends the workflow's state, not its log).
   */
  async history(caseId: string): Promise<AuditEntry[]> {
    const { minio, recordsBucket } = this.deps;
    const keys = await listKeys(minio, recordsBucket, `${caseFolder(caseId)}/audit/`);
    const entries = await Promise.all(keys.map((key) => readJson(minio, recordsBucket, key).catch(() => undefined)));
    return entries
      .filter((e): e is AuditEntry => typeof e === 'object' && e !== null && 'event' in e)
      .sort((a, b) => a.seq - b.seq);
  }

  /** Runs one of `client/cases.ts`'s Updates of a decided case (`recordAcceptance`, `attestPayment`, …) on it. */
  async followUp<Input>(
    summary: CaseSummary,
    update: (temporal: Client, workflowId: string, input: Input) => Promise<CaseState>,
    input: Input,
  ): Promise<CaseState> {
    return update(this.deps.temporal, summary.workflowId, input);
  }

  /**
   * Sends one Update; a refusal is a `RefusedError` (`client/cases.ts`) with the workflow's reason. Returns the new
   * state. */
  async execute<Input>(
    summary: CaseSummary,
    update: UpdateDefinition<CaseState, [Input]>,
    input: Input,
  ): Promise<CaseState> {
    const state = await updateCase(this.deps.temporal, summary.workflowId, update, input);
    this.knownAssignees.set(summary.workflowId, state.assignee);
    return state;
  }
}
