import { createServer, type IncomingMessage, type Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { ObjectRef } from '../schemas/document.ts';

/** The path MinIO's webhook target posts bucket events to. */
export const WEBHOOK_PATH = '/minio/events';

/** The part of an S3 event record (MinIO's format) that intake uses. */
const EventSchema = z.object({
  Records: z
    .array(
      z.object({
        eventName: z.string(),
        s3: z.object({
          bucket: z.object({ name: z.string() }),
          object: z.object({ key: z.string(), eTag: z.string().optional(), versionId: z.string().optional() }),
        }),
      }),
    )
    .default([]),
});

export interface WebhookOptions {
  /** Objects under this prefix are documents to read. */
  prefix: string;
  token: string;
  /** Starts the workflow for one object version; throws when that cannot be done now (MinIO then retries). */
  onObjectCreated: (object: ObjectRef) => Promise<unknown>;
  log?: (message: string, meta?: Record<string, unknown>) => void;
}

/**
 * Receives MinIO's bucket notifications. It answers 200 only once every workflow is started, so an event is never
 * acknowledged before it is safe: MinIO keeps unacknowledged events in its queue directory and sends them again.
 */
export function createWebhookServer({ prefix, token, onObjectCreated, log = () => {} }: WebhookOptions): Server {
  return createServer(async (request, response) => {
    const reply = (status: number, body: Record<string, unknown>) => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (request.method === 'GET' && request.url === '/healthz') return reply(200, { ok: true });
    if (request.method !== 'POST' || request.url !== WEBHOOK_PATH) return reply(404, { error: 'not found' });
    if (!authorised(request.headers.authorization, token)) return reply(401, { error: 'bad token' });

    let body: unknown;
    try {
      body = JSON.parse(await readBody(request, 1024 * 1024));
    } catch (error) {
      return reply(400, { error: `not a JSON event: ${(error as Error).message}` });
    }
    const parsed = EventSchema.safeParse(body);
    if (!parsed.success) return reply(400, { error: 'not an S3 event', issues: parsed.error.issues.length });

    const objects = parsed.data.Records.filter((r) => r.eventName.startsWith('s3:ObjectCreated:'))
      .map((r) => ({
        bucket: r.s3.bucket.name,
        key: decodeEventKey(r.s3.object.key),
        etag: r.s3.object.eTag ?? '',
        versionId: r.s3.object.versionId || undefined,
      }))
      .filter((o) => o.key.startsWith(prefix) && o.etag && !o.key.endsWith('/'));
    try {
      for (const object of objects) await onObjectCreated(object);
      return reply(200, { accepted: objects.length });
    } catch (error) {
      log('intake webhook could not start a workflow; MinIO will deliver the event again', { error: String(error) });
      return reply(503, { error: 'intake temporarily unavailable' });
    }
  });
}

/** S3 event keys are URL-encoded with `+` for spaces. */
export function decodeEventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

function authorised(header: string | undefined, token: string): boolean {
  const presented = Buffer.from((header ?? '').replace(/^Bearer\s+/i, ''));
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error(`body larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
