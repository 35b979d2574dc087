import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { Client as MinioClient } from 'minio';
import { loadSchemes } from '../config/schemes.ts';
import {
  findPot,
  potEntryKey,
  PotEntrySchema,
  type AdjustInput,
  type ClaimBackInput,
  type CommitInput,
  type PayInput,
  type PotBalance,
  type PotDefinition,
  type PotEntry,
  type ReleaseInput,
  type ReserveInput,
} from '../schemas/ledger.ts';
import type { Scheme } from '../schemas/scheme.ts';
import { potBalance } from '../client/pots.ts';
import {
  potAdjustUpdate,
  potClaimBackUpdate,
  potCommitUpdate,
  potPayUpdate,
  potReleaseUpdate,
  potReserveUpdate,
  type LedgerOutcome,
} from '../workflows/messages.ts';
import type { PotInput } from '../workflows/pot.ts';
import { readJson, writeJsonOnce } from '../storage/objects.ts';

export interface LedgerClientDeps {
  client: Client;
  /** The task queue the pot workflows run on (the application worker's). */
  taskQueue: string;
  /** The scheme definitions (a pot's allocation comes from them); loaded from `schemas/schemes/` when not given. */
  schemes?: Scheme[];
  /** Passed to a pot workflow this client starts (tests lower it to see continue-as-new). */
  continueAsNewAfterEvents?: number;
}

/** Which pot: its workflow id, `pot-<scheme>-<earmark>` or `pot-<scheme>` (`potForCategory` gives it for a case). */
export interface PotRef {
  potId: string;
}

/**
 * The ledger as callers outside workflows reach it: the activities below, and the admin's `grant-intake pot`.
 * Each request is an Update-With-Start on the pot's workflow, which opens the pot with its allocation from the
 * scheme's data when it is not running yet, so no one has to create pots ahead of the round. A refusal is an
 * `ApplicationFailure` of type `refused`, not retryable, whose message is the Bokmål reason; anything else (the
 * server away, a worker gone) is thrown as it is, for the activity's retries. The ledger is idempotent by case, so a
 * retry after a lost answer changes nothing.
 */
export function createLedgerClient({ client, taskQueue, schemes: given, continueAsNewAfterEvents }: LedgerClientDeps) {
  let schemes: Promise<Scheme[]> | undefined = given && Promise.resolve(given);
  const potOf = async (potId: string): Promise<PotDefinition> => {
    const pot = findPot(await (schemes ??= loadSchemes()), potId);
    if (!pot)
      throw ApplicationFailure.create({
        message: `Ukjent ramme: «${potId}».`,
        type: 'unknown-pot',
        nonRetryable: true,
      });
    return pot;
  };

  async function request<Input>(
    update: UpdateDefinition<LedgerOutcome, [Input]>,
    potId: string,
    input: Input,
  ): Promise<LedgerOutcome> {
    const pot = await potOf(potId);
    const start = new WithStartWorkflowOperation('pot', {
      workflowId: pot.id,
      taskQueue,
      args: [{ pot, ...(continueAsNewAfterEvents && { continueAsNewAfterEvents }) } satisfies PotInput],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    try {
      return await client.workflow.executeUpdateWithStart(update, { args: [input], startWorkflowOperation: start });
    } catch (error) {
      if (
        error instanceof WorkflowUpdateFailedError &&
        error.cause instanceof ApplicationFailure &&
        error.cause.type === 'refused'
      ) {
        throw ApplicationFailure.create({ message: error.cause.message, type: 'refused', nonRetryable: true });
      }
      throw error;
    }
  }

  return {
    /** A proposal reserves its amount (again with another amount: the reservation is replaced). */
    reserveInPot: ({ potId, ...input }: PotRef & ReserveInput) => request(potReserveUpdate, potId, input),
    /** An approved decision commits its amount, taking over the case's reservation. */
    commitInPot: ({ potId, ...input }: PotRef & CommitInput) => request(potCommitUpdate, potId, input),
    /**
     * A rejection, a proposal sent back, a withdrawn (`keep` 0) or reduced (`keep` the new amount) grant. A pot no one
     * has drawn on holds nothing to release: a rejection does not open it (its ledger would gain an `open` entry and
     * nothing else).
     */
    async releaseInPot({ potId, ...input }: PotRef & ReleaseInput): Promise<LedgerOutcome> {
      const balance = await potBalance(client, await potOf(potId));
      if (!balance.entries) return { entry: null, balance };
      return request(potReleaseUpdate, potId, input);
    },
    /** An admin's change of the allocation, with its reason; `reference` makes it once. */
    adjustPot: ({ potId, ...input }: PotRef & AdjustInput) => request(potAdjustUpdate, potId, input),
    /**
     * An approved payment (`schemas/payment.ts`) recorded as paid out of the case's commitment, once per payment id. */
    payInPot: ({ potId, ...input }: PotRef & PayInput) => request(potPayUpdate, potId, input),
    /** Money claimed back from a case returns to the pot, once per claim id. */
    claimBackInPot: ({ potId, ...input }: PotRef & ClaimBackInput) => request(potClaimBackUpdate, potId, input),

    /** The pot's balance; a pot no one has drawn on yet has its allocation from the scheme's data and nothing else. */
    potBalance: async ({ potId }: PotRef): Promise<PotBalance> => potBalance(client, await potOf(potId)),
  };
}

export interface LedgerActivityDeps extends LedgerClientDeps {
  minio: MinioClient;
  recordsBucket: string;
}

/** The ledger's activities: a case workflow's requests to its pot, and the pot workflow's record of each entry. */
export function createLedgerActivities({ minio, recordsBucket, ...clientDeps }: LedgerActivityDeps) {
  const ledgerClient = createLedgerClient(clientDeps);
  return {
    ...ledgerClient,

    /**
     * A payment run's payment recorded as *paid* in its pot's ledger, once per payment id; returns the ledger's *paid*
     * entry for it, also when it was made before (a run retried after a crash): the entry is then found in the
     * records bucket, where the pot writes each entry before its Update returns.
     */
    async recordPaymentInPot({ potId, ...input }: PotRef & PayInput): Promise<PotEntry> {
      const { entry } = await ledgerClient.payInPot({ potId, ...input });
      if (entry) return entry;
      const made = (await readPotEntries(minio, recordsBucket, potId)).find(
        (e) => e.kind === 'paid' && e.paymentId === input.paymentId,
      );
      if (!made) throw new Error(`pot ${potId} has paid ${input.paymentId}, but its entry is not in the records yet`);
      return made;
    },

    /** Keeps one entry in the records bucket (`pots/<pot id>/<seq>-<kind>.json`), once: a retry leaves the first. */
    async appendPotEntry(entry: PotEntry): Promise<string> {
      const key = potEntryKey(entry);
      await writeJsonOnce(minio, recordsBucket, key, entry);
      return key;
    },
  };
}

/** Every entry of a pot in the records bucket, in order: what an auditor sums without Temporal. */
export async function readPotEntries(minio: MinioClient, recordsBucket: string, potId: string): Promise<PotEntry[]> {
  const keys: string[] = [];
  for await (const object of minio.listObjectsV2(recordsBucket, `pots/${potId}/`, true))
    if (object.name) keys.push(object.name);
  return Promise.all(keys.sort().map(async (key) => PotEntrySchema.parse(await readJson(minio, recordsBucket, key))));
}
