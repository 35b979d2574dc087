import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  setHandler,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import {
  applyEntry,
  balanceOf,
  openLedger,
  planAdjust,
  planClaimBack,
  planCommit,
  planPay,
  planRelease,
  planReserve,
  potSummary,
  type LedgerState,
  type Planned,
  type PotDefinition,
  type PotEntry,
} from '../schemas/ledger.ts';
import { storage } from './activities.ts';
import {
  potAdjustUpdate,
  potBalanceQuery,
  potClaimBackUpdate,
  potCommitUpdate,
  potPayUpdate,
  potReleaseUpdate,
  potReserveUpdate,
  type LedgerOutcome,
} from './messages.ts';
import { serialize } from './serialize.ts';

export interface PotInput {
  pot: PotDefinition;
  /** The ledger as the previous run left it (continue-as-new); absent when the pot opens. */
  ledger?: LedgerState;
  /**
   * History length at which the pot continues as new even before the server suggests it (about 10 events an entry);
   * tests lower it.
   */
  continueAsNewAfterEvents?: number;
}

export const defaultContinueAsNewAfterEvents = 2_000;

/**
 * The budget ledger of one pot, an entity workflow that runs as long as the round's money is in use. It changes only
 * through validated Updates, one at a time: each is checked in its validator (a refusal leaves no trace in history)
 * and again when its turn comes, its entry is written to the records bucket, and only then does the balance change.
 * It continues as new with its ledger before its history grows large, once every Update in hand has finished.
 */
export async function pot(input: PotInput): Promise<never> {
  const serialized = serialize();
  const now = () => new Date().toISOString();
  // A new pot's opening is in the state at once (validators see the allocation), and in the records before any other
  // entry: it is the first step under the mutex.
  const opened = input.ledger ? undefined : openLedger(input.pot, now());
  const ledger: LedgerState = input.ledger ?? opened!.state;
  const opening = opened && serialized(() => storage.appendPotEntry(opened.entry));
  showBalance();

  function showBalance(): void {
    upsertMemo({ summary: potSummary(balanceOf(ledger)) });
  }

  /** An entry-making Update: planned in the validator, planned again under the mutex, recorded, then made. */
  function entryUpdate(plan: (state: LedgerState, raw: unknown, at: string) => Planned) {
    const validator = (raw: unknown) => void planned(plan(ledger, raw, now()));
    const handler = (raw: unknown) =>
      serialized(async (): Promise<LedgerOutcome> => {
        const entry = planned(plan(ledger, raw, now()));
        if (entry) {
          await storage.appendPotEntry(entry);
          applyEntry(ledger, entry);
          showBalance();
        }
        return { entry, balance: balanceOf(ledger) };
      });
    return { handler, validator };
  }

  for (const [definition, plan] of [
    [potReserveUpdate, planReserve],
    [potCommitUpdate, planCommit],
    [potReleaseUpdate, planRelease],
    [potAdjustUpdate, planAdjust],
    [potPayUpdate, planPay],
    [potClaimBackUpdate, planClaimBack],
  ] as const) {
    const { handler, validator } = entryUpdate(plan);
    setHandler(definition, handler, { validator });
  }
  setHandler(potBalanceQuery, () => balanceOf(ledger));

  await opening;
  const threshold = input.continueAsNewAfterEvents ?? defaultContinueAsNewAfterEvents;
  await condition(() => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= threshold);
  await condition(allHandlersFinished);
  return continueAsNew<typeof pot>({ ...input, ledger });
}

/** A refused request fails its Update only, with the reason for the caseworker or admin. */
function planned(plan: Planned): PotEntry | null {
  if (!plan.ok) throw ApplicationFailure.create({ message: plan.refusal, type: 'refused', nonRetryable: true });
  return plan.entry;
}
