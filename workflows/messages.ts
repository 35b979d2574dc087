import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  ApproveInput,
  AssignInput,
  ClaimInput,
  ConflictInput,
  CorrectFieldInput,
  DocumentDelivery,
  InformationRequestInput,
  ProposeInput,
  ReturnInput,
  UnrelatedDocumentInput,
} from '../schemas/assessment/inputs.ts';
import type { CaseState } from '../schemas/assessment/state.ts';
import type {
  ApprovePaymentInput,
  AssessReportInput,
  AttestPaymentInput,
  DecideAppealInput,
  RecordAcceptanceInput,
} from '../schemas/follow-up/inputs.ts';
import type {
  AdjustInput,
  ClaimBackInput,
  CommitInput,
  PayInput,
  PotBalance,
  PotEntry,
  ReleaseInput,
  ReserveInput,
} from '../schemas/ledger.ts';
import type { PaymentExported } from '../schemas/payment-run.ts';

/**
 * What workflows share with the worker, the intake, the CLI and the web app: names stored in history
 * and in the visibility store. Never rename one: running and finished workflows keep the old name.
 */

/** The custom search attributes an admin filters by in the Temporal UI. Registered when the stack starts. */
export const searchAttributes = {
  scheme: defineSearchAttributeKey('GrantScheme', SearchAttributeType.KEYWORD),
  queue: defineSearchAttributeKey('GrantQueue', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD),
  caseReference: defineSearchAttributeKey('CaseReference', SearchAttributeType.KEYWORD),
  municipality: defineSearchAttributeKey('Municipality', SearchAttributeType.KEYWORD),
  organisationNumber: defineSearchAttributeKey('OrganisationNumber', SearchAttributeType.KEYWORD),
  amountRequested: defineSearchAttributeKey('AmountRequested', SearchAttributeType.INT),
  errorCount: defineSearchAttributeKey('ErrorCount', SearchAttributeType.INT),
  warningCount: defineSearchAttributeKey('WarningCount', SearchAttributeType.INT),
  receivedAt: defineSearchAttributeKey('ReceivedAt', SearchAttributeType.DATETIME),
  /** Set when a case has waited past twice its scheme's service time without a decision. */
  late: defineSearchAttributeKey('CaseLate', SearchAttributeType.BOOL),
  /** Where the case is in the grant's life after intake (`schemas/case-phase.ts`): received … closed, or appeal. */
  phase: defineSearchAttributeKey('CasePhase', SearchAttributeType.KEYWORD),
  /** The granted case's reporting deadline (the end of the scheme's day): a report is overdue after it. */
  reportDeadline: defineSearchAttributeKey('ReportDeadline', SearchAttributeType.DATETIME),
} as const;

export const allSearchAttributes = Object.values(searchAttributes);

/** Payment runs are workflows `payment-run-<time>`: the run's id is its workflow id. */
export const paymentRunWorkflowPrefix = 'payment-run-';

/** OCR runs on a task queue of its own beside the application's, so that it scales apart. */
export const ocrTaskQueue = (taskQueue: string) => `${taskQueue}-ocr`;

/**
 * Case statuses as the `CaseStatus` search attribute shows them: being read, then the stage it waits in for a
 * caseworker (SPEC routing), or quarantined when the document could not be read, or vanished when it was gone from
 * the inbox before it could be read, or expanded when it was an e-mail
 * whose attachments went into the inbox as documents of their own; then its assessment: taken by a
 * caseworker, waiting for the applicant, and decided.
 */
export type CaseStatus =
  | 'received'
  | 'reading'
  | 'triage'
  | 'needs-correction'
  | 'ready-for-assessment'
  | 'quarantined'
  | 'vanished'
  | 'expanded'
  | 'under-assessment'
  | 'awaiting-information'
  | 'proposed'
  | 'approved'
  | 'rejected';

/** Whether the document has left intake (read and routed, or quarantined): its original is out of the inbox. */
export const hasLeftIntake = (status: CaseStatus | string | undefined): boolean =>
  status !== undefined && status !== 'received' && status !== 'reading';

/**
 * The assessment of a routed case (`workflows/assessment.ts`). Updates are validated: a refused one fails with a
 * reason in Bokmål (`WorkflowUpdateFailedError` at the client) and changes nothing.
 */
/** A caseworker takes the case, declaring that they are not disqualified (inhabil) for this applicant. */
export const claimUpdate = defineUpdate<CaseState, [ClaimInput]>('claim');
/** An admin gives the case to a caseworker. */
export const assignUpdate = defineUpdate<CaseState, [AssignInput]>('assign');
/** A caseworker declares a conflict of interest: recorded, and the case is released if they held it. */
export const declareConflictUpdate = defineUpdate<CaseState, [ConflictInput]>('declareConflict');
/** The caseworker corrects one field; the application is checked again at once. */
export const correctFieldUpdate = defineUpdate<CaseState, [CorrectFieldInput]>('correctField');
/** The caseworker asks the applicant for more information; the case waits for a supplement. */
export const requestInformationUpdate = defineUpdate<CaseState, [InformationRequestInput]>('requestInformation');
/**
 * The caseworker decides on a document from another applicant that the case holds unused: take it in after all, or
 * open it as a case of its own (a new case workflow for that document, started as intake starts cases).
 */
export const decideUnrelatedDocumentUpdate = defineUpdate<CaseState, [UnrelatedDocumentInput]>(
  'decideUnrelatedDocument',
);
/**
 * The one-click decision of old: kept registered (histories name it) but always refused with a pointer to the
 * proposal and approval below.
 */
export const decideUpdate = defineUpdate<CaseState, [unknown]>('decide');
/**
 * The caseworker's proposal (innstilling): approve in full or in part, reject or dismiss, with reasons from the
 * scheme's catalogue and conditions. A grant reserves its amount in the pot; a new proposal replaces an open one.
 */
export const proposeUpdate = defineUpdate<CaseState, [ProposeInput]>('propose');
/**
 * A second person (an approver, never the proposer) approves the proposal it names: the amount is committed in the
 * pot and the decision made; the letter is then written and sent, and the workflow completes. Approving the same
 * proposal again changes nothing and returns the same state.
 */
export const approveProposalUpdate = defineUpdate<CaseState, [ApproveInput]>('approveProposal');
/** The approver sends the proposal back with a comment; its reservation is released. */
export const returnProposalUpdate = defineUpdate<CaseState, [ReturnInput]>('returnProposal');
/**
 * A document of the case's submission (another attachment of its e-mail) is in the intake bucket. Intake sends it
 * with signal-with-start: the first document opens the case. A version the case already has is only moved out.
 */
export const documentSignal = defineSignal<[DocumentDelivery]>('document');
/** A document quoting the case's reference (file name or e-mail subject) has arrived: the applicant's supplement. */
export const supplementSignal = defineSignal<[DocumentDelivery]>('supplement');
/**
 * The case as it stands: application, findings, route, assignee, corrections, status, decision; after the letter also
 * `followUp` (phase, timeline, acceptance, payments, report, appeals, journal, deadlines).
 */
export const caseStateQuery = defineQuery<CaseState>('caseState');

/**
 * The decided case as it lives on (`workflows/follow-up.ts`, workflow type `grantFollowUp`, the same workflow id: the
 * application continues as new into it once the letter is sent). Its Updates are validated like the assessment's: a
 * refused one fails with a reason in Bokmål and changes nothing; each returns the case as it stands after it.
 * Documents quoting the case's reference still come as `supplementSignal`: an acceptance, a report or an appeal is
 * recognised by its content.
 */
export const followUpWorkflowType = 'grantFollowUp';
/** A caseworker records an acceptance that came another way: the payment is prepared. */
export const recordAcceptanceUpdate = defineUpdate<CaseState, [RecordAcceptanceInput]>('recordAcceptance');
/** One person attests a prepared payment. */
export const attestPaymentUpdate = defineUpdate<CaseState, [AttestPaymentInput]>('attestPayment');
/**
 * Another person with budget authority approves the attested payment (never its attester); it is then recorded where
 * the payment run finds it.
 */
export const approvePaymentUpdate = defineUpdate<CaseState, [ApprovePaymentInput]>('approvePayment');
/** The caseworker assesses the report: approve (the case closes), ask for more, or claim money back. */
export const assessReportUpdate = defineUpdate<CaseState, [AssessReportInput]>('assessReport');
/** The office that decided settles an appeal: changes its decision (new letter, ledger adjusted) or upholds it. */
export const decideAppealUpdate = defineUpdate<CaseState, [DecideAppealInput]>('decideAppeal');
/**
 * A payment run has exported one of the case's payments: its run, and the pot ledger's line that records it as paid
 * (`workflows/payment-run.ts`).
 */
export const paymentExportedSignal = defineSignal<[PaymentExported]>('paymentExported');

/**
 * The budget ledger of a pot (`workflows/pot.ts`, workflow id = the pot's id, e.g.
 * `pot-kompetanse-innovasjon-2017-utdanning`). Each Update makes at most one entry and returns the balance; one that
 * would take the pot below zero is refused with the remaining amount in Bokmål. Cases reach it through the
 * `activities/ledger.ts` activities (Update-With-Start).
 */
export const potReserveUpdate = defineUpdate<LedgerOutcome, [ReserveInput]>('potReserve');
export const potCommitUpdate = defineUpdate<LedgerOutcome, [CommitInput]>('potCommit');
export const potReleaseUpdate = defineUpdate<LedgerOutcome, [ReleaseInput]>('potRelease');
export const potAdjustUpdate = defineUpdate<LedgerOutcome, [AdjustInput]>('potAdjust');
/** An approved payment out of a case's commitment: a *paid* entry, once per payment id. */
export const potPayUpdate = defineUpdate<LedgerOutcome, [PayInput]>('potPay');
/** Money claimed back from a case returns to the pot: a *claim-back* entry, once per claim id. */
export const potClaimBackUpdate = defineUpdate<LedgerOutcome, [ClaimBackInput]>('potClaimBack');
/**
 * The pot's balance: allocation, reserved, committed, paid, remaining (`temporal workflow query --type potBalance`). */
export const potBalanceQuery = defineQuery<PotBalance>('potBalance');

/**
 * What a ledger Update answers: the entry it made (none when it was a retry that changed nothing) and the balance after
 * it. */
export interface LedgerOutcome {
  entry: PotEntry | null;
  balance: PotBalance;
}
