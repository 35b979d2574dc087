import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Client as MinioClient } from 'minio';
import { z } from 'zod';
import {
  AccessEntrySchema,
  accessLogPrefix,
  appendAccessEntry,
  type AccessEntry,
  type ExportScope,
} from '../../storage/access-log.ts';
import { readJson } from '../../storage/objects.ts';
import { ReferenceSchema } from '../routes/cases.ts';

/** What was looked at, by the route that showed it. */
const viewed: Record<string, 'case' | 'document' | 'document-page' | 'export'> = {
  '/saker/:reference': 'case',
  '/api/saker/:reference': 'case',
  '/saker/:reference/dokumenter/:index/original': 'document',
  '/saker/:reference/dokumenter/:index/bilde': 'document',
  '/saker/:reference/dokumenter/:index/sider/:page': 'document-page',
  '/oversikt/saker.csv': 'export',
  '/oversikt/vedtak.csv': 'export',
  '/journal.csv': 'export',
};

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by an export's route: what it gave, for the access log. */
    exportScope?: ExportScope;
  }
}

export interface AccessLogOptions {
  minio: MinioClient;
  recordsBucket: string;
}

/**
 * Who read what: every case, document and export the review app shows is appended to an access log in the records
 * bucket (one object per view, never overwritten, like the audit log) before the answer leaves; an admin lists a
 * case's (`GET /api/saker/:reference/innsyn`).
 */
export default fp(
  async function accessLog(app: FastifyInstance, { minio, recordsBucket }: AccessLogOptions) {
    app.decorateRequest('exportScope', undefined);
    app.addHook('onSend', async (request, reply, payload) => {
      const what = viewed[request.routeOptions.url ?? ''];
      if (!what || request.method !== 'GET' || reply.statusCode >= 300 || !request.user) return payload;
      await appendAccessEntry(minio, recordsBucket, accessEntry(request, what));
      return payload;
    });

    const params = z.object({ reference: ReferenceSchema });
    app
      .withTypeProvider<ZodTypeProvider>()
      .get('/api/saker/:reference/innsyn', { schema: { params } }, async (request) => {
        if (request.user?.role !== 'admin')
          throw app.httpErrors.forbidden('Bare administratorer kan se hvem som har lest en sak.');
        const { reference } = request.params;
        const keys: string[] = [];
        for await (const object of minio.listObjectsV2(recordsBucket, accessLogPrefix(reference), true))
          if (object.name) keys.push(object.name);
        const views = await Promise.all(
          keys.map(async (key) => AccessEntrySchema.parse(await readJson(minio, recordsBucket, key))),
        );
        return { views: views.sort((a, b) => a.at.localeCompare(b.at)) };
      });
  },
  { name: 'access-log', fastify: '5.x', dependencies: ['auth'] },
);

function accessEntry(request: FastifyRequest, what: AccessEntry['what']): AccessEntry {
  const params = request.params as { reference?: string; index?: string; page?: string };
  return {
    at: new Date().toISOString(),
    user: request.user!.username,
    role: request.user!.role,
    what,
    ...(params.reference && { caseId: params.reference }),
    ...(params.index !== undefined && { document: Number(params.index) }),
    ...(params.page !== undefined && { page: Number(params.page) }),
    path: request.url.split('?')[0]!,
    ...(request.exportScope && { export: request.exportScope }),
  };
}
