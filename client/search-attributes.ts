import { msToTs } from '@temporalio/common/lib/time.js';
import type { Client } from '@temporalio/client';
import { allSearchAttributes } from '../workflows/messages.ts';

/**
 * Registers the custom search attributes on a cluster (the local dev server gets them as start flags).
 * Temporal Cloud refuses this call: there an admin adds them once with `tcld`; the error says so.
 */
export async function ensureSearchAttributes(client: Client, namespace: string): Promise<void> {
  const typeCodes: Record<string, number> = {
    TEXT: 1,
    KEYWORD: 2,
    INT: 3,
    DOUBLE: 4,
    BOOL: 5,
    DATETIME: 6,
    KEYWORD_LIST: 7,
  };
  const existing = await client.connection.operatorService.listSearchAttributes({ namespace });
  const missing = allSearchAttributes.filter((key) => !(key.name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return;
  try {
    await client.connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, typeCodes[key.type]!])),
    });
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (code === 6) return; // gRPC ALREADY_EXISTS: another worker added them meanwhile
    throw new Error(
      `the search attributes ${missing.map((k) => k.name).join(', ')} are missing in namespace ${namespace} and could not be added (${(error as Error).message}); add them as an admin of the cluster`,
      { cause: error },
    );
  }
}

/**
 * How long the namespace keeps closed workflows' histories. The records bucket holds each case's lasting record (and
 * the audit log), so the histories, with their personal data, need not outlive the days an admin may look into one.
 */
export async function ensureRetention(client: Client, namespace: string, days: number): Promise<void> {
  const seconds = days * 86_400;
  const { config } = await client.workflowService.describeNamespace({ namespace });
  if (Number(config?.workflowExecutionRetentionTtl?.seconds ?? 0) === seconds) return;
  await client.workflowService.updateNamespace({
    namespace,
    config: { workflowExecutionRetentionTtl: msToTs(`${days} days`) },
  });
}
