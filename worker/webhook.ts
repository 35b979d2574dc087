import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
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
  /** Objects under this prefix are documents to read (not `prefix`: fastify takes that as the routes' path prefix). */
  inboxPrefix: string;
  token: string;
  /** Starts the workflow for one object version; throws when that cannot be done now (MinIO then retries). */
  onObjectCreated: (object: ObjectRef) => Promise<unknown>;
}

/**
 * Receives MinIO's bucket notifications. It answers 200 only once every workflow is started, so an event is never
 * acknowledged before it is safe: MinIO keeps unacknowledged events in its queue directory and sends them again.
 */
export const minioEventsRoute: FastifyPluginAsync<WebhookOptions> = async (
  app,
  { inboxPrefix, token, onObjectCreated },
) => {
  // Whatever content type MinIO (or a proxy) states, the body is read as JSON, at most 1 MiB.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (error) {
      done(Object.assign(new Error(`not a JSON event: ${(error as Error).message}`), { statusCode: 400 }));
    }
  });

  app.get('/healthz', async () => ({ ok: true }));

  app.post(WEBHOOK_PATH, {
    // Before the body is read: a caller without the token gets nothing parsed.
    onRequest: async (request, reply) => {
      if (!authorised(request.headers.authorization, token)) return reply.code(401).send({ error: 'bad token' });
    },
    handler: async (request, reply) => {
      const parsed = EventSchema.safeParse(request.body);
      if (!parsed.success)
        return reply.code(400).send({ error: 'not an S3 event', issues: parsed.error.issues.length });

      const objects = parsed.data.Records.filter((r) => r.eventName.startsWith('s3:ObjectCreated:'))
        .map((r) => ({
          bucket: r.s3.bucket.name,
          key: decodeEventKey(r.s3.object.key),
          etag: r.s3.object.eTag ?? '',
          versionId: r.s3.object.versionId || undefined,
        }))
        .filter((o) => o.key.startsWith(inboxPrefix) && o.etag && !o.key.endsWith('/'));
      try {
        for (const object of objects) await onObjectCreated(object);
        return { accepted: objects.length };
      } catch (error) {
        request.log.warn(
          { err: error },
          'intake webhook could not start a workflow; MinIO will deliver the event again',
        );
        return reply.code(503).send({ error: 'intake temporarily unavailable' });
      }
    },
  });
};

/** S3 event keys are URL-encoded with `+` for spaces. */
function decodeEventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

function authorised(header: string | undefined, token: string): boolean {
  const presented = Buffer.from((header ?? '').replace(/^Bearer\s+/i, ''));
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
