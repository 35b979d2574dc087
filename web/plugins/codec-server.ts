import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createHash, timingSafeEqual } from 'node:crypto';
import fastifyCors from '@fastify/cors';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * No CSRF token: the codec server's callers are the Temporal UI's scripts, on another origin. A JSON body needs a
     * CORS preflight, which only the allowed origins pass, so a foreign page cannot make a signed-in browser post one.
     */
    crossOrigin?: boolean;
  }
}

export const CODEC_PREFIX = '/api/temporal-codec';

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** The Temporal UI origins (scheme, host and port) whose scripts may call, with the admin's cookie. */
  allowedOrigins: string[];
  /**
   * The bearer token of admins' tools (`TEMPORAL_CODEC_TOKEN`, the Temporal CLI's `--codec-auth`); absent: sessions
   * only. */
  token?: string;
}

/**
 * Temporal's codec server protocol: payloads as proto JSON (metadata values and data in base64). Proto JSON leaves an
 * empty list out, so no `payloads` is none (the Temporal CLI's query without arguments).
 */
const PayloadsSchema = z.object({
  payloads: z
    .array(
      z.object({
        metadata: z.record(z.string(), z.base64()).nullish(),
        data: z.base64().nullish(),
      }),
    )
    .max(10_000)
    .default([]),
});

const fromJson = ({ metadata, data }: z.infer<typeof PayloadsSchema>['payloads'][number]): Payload => ({
  metadata: metadata ? Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])) : {},
  data: data ? Buffer.from(data, 'base64') : undefined,
});

const toJson = ({ metadata, data }: Payload) => ({
  metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  ...(data && { data: Buffer.from(data).toString('base64') }),
});

/** Compared as digests, so that neither the content nor the length of the token shows in the time an answer takes. */
const sameSecret = (given: string, expected: string) =>
  timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());

/**
 * The codec server the Temporal UI and the Temporal CLI call to show a case's payloads decoded (`<endpoint>/decode`,
 * and `/encode` for what they send, such as a signal's input): only for admins of the review app, signed in (their
 * session cookie, the UI's "include cross-origin credentials") or by the admins' bearer token (`Authorization: Bearer
 * <TEMPORAL_CODEC_TOKEN>`, the CLI's `--codec-auth`). Anyone else sees the ciphertext Temporal stores.
 */
export default async function codecServer(app: FastifyInstance, options: CodecServerOptions) {
  await app.register(fastifyCors, {
    origin: options.allowedOrigins,
    credentials: true,
    methods: ['POST'],
    allowedHeaders: ['content-type', 'x-namespace', 'authorization'],
    maxAge: 600,
  });

  // Before validation (the route is public to the sign-in check, for the token): a request from no one is refused as
  // such.
  const adminOnly = async (request: FastifyRequest) => {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) {
      if (options.token && sameSecret(bearer, options.token)) return;
      throw app.httpErrors.unauthorized('Ugyldig token for kodeserveren.');
    }
    if (!request.user) throw app.httpErrors.unauthorized('Du må logge inn.');
    if (request.user.role !== 'admin')
      throw app.httpErrors.forbidden('Bare administratorer kan se innholdet i Temporal-historikken.');
  };

  for (const [path, convert] of [
    ['/decode', (payloads: Payload[]) => options.codec.decode(payloads)],
    ['/encode', (payloads: Payload[]) => options.codec.encode(payloads)],
  ] as const) {
    app
      .withTypeProvider<ZodTypeProvider>()
      .post(
        path,
        { config: { crossOrigin: true, public: true }, preValidation: adminOnly, schema: { body: PayloadsSchema } },
        async (request) => {
          const { payloads } = request.body;
          const converted = await convert(payloads.map(fromJson)).catch((error: Error) => {
            throw app.httpErrors.unprocessableEntity(`Kunne ikke dekode: ${error.message}`);
          });
          return { payloads: converted.map(toJson) };
        },
      );
  }
}
