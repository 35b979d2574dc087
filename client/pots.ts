import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { PotBalance, PotDefinition } from '../schemas/ledger.ts';
import { potBalanceQuery } from '../workflows/messages.ts';

/**
 * A pot's balance, live from its ledger workflow (the `potBalance` Query); a pot no one has drawn on yet is not running
 * and has its allocation from the scheme's data and nothing else.
 */
export async function potBalance(temporal: Client, pot: PotDefinition): Promise<PotBalance> {
  try {
    return await temporal.workflow.getHandle(pot.id).query(potBalanceQuery);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    return {
      potId: pot.id,
      name: pot.name,
      allocation: pot.allocation,
      reserved: 0,
      committed: 0,
      paid: 0,
      claimedBack: 0,
      remaining: pot.allocation,
      entries: 0,
    };
  }
}
