import { writeFile } from 'node:fs/promises';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { payloadCodec } from '../../config/payload-keys.ts';
import type { TestStack } from './stack.ts';

/**
 * With UPDATE_HISTORIES=1 (`npm run test:histories`), records a workflow's history for the replay test, as JSON (the
 * same as the Temporal UI's download); a run id picks one run of a workflow that continued as new. Its payloads are
 * stored decoded: the test stack's key is made per run, and the replay test needs the histories, not the key (the
 * codec passes plain payloads).
 */
export async function saveHistory(stack: TestStack, name: string, workflowId: string, runId?: string): Promise<void> {
  if (!process.env.UPDATE_HISTORIES) return;
  const history = await stack.env.client.workflow.getHandle(workflowId, runId).fetchHistory();
  await decodeInPlace(history, await payloadCodec(stack.config));
  await writeFile(new URL(`../histories/${name}.json`, import.meta.url), historyToJSON(history));
}

async function decodeInPlace(value: unknown, codec: PayloadCodec): Promise<void> {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return;
  for (const [key, child] of Object.entries(value)) {
    if (isPayload(child)) (value as Record<string, unknown>)[key] = (await codec.decode([child]))[0];
    else if (Array.isArray(child) && child.every(isPayload) && child.length)
      (value as Record<string, unknown>)[key] = await codec.decode(child);
    else await decodeInPlace(child, codec);
  }
}

const isPayload = (value: unknown): value is Payload =>
  !!value &&
  typeof value === 'object' &&
  'metadata' in value &&
  'data' in value &&
  (value as { data: unknown }).data instanceof Uint8Array;
