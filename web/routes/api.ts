import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseInput } from '../validate.ts';
import { authorisedDetail, ReferenceSchema } from './cases.ts';
import { filterAndSort, QueueQuerySchema, visibleCases } from './queues.ts';
import type { QueueFilter } from '../views/queues.ts';

/** JSON for scripts and the page's own script: the same cases, with the same checks, as the pages. */
export default async function apiRoutes(app: FastifyInstance) {
  app.get('/api/saker', async (request) => {
    const filter = parseInput(QueueQuerySchema, request.query) as QueueFilter;
    const cases = filterAndSort(await visibleCases(app, request.user!), filter, Date.now());
    return { cases };
  });

  app.get('/api/saker/:reference', async (request) => {
    const { reference } = parseInput(z.object({ reference: ReferenceSchema }), request.params);
    const detail = await authorisedDetail(app, request, reference);
    const { record: _record, ...rest } = detail;
    return { ...rest, documents: detail.documents.map(({ fileName, role, contentType, receivedAt, original }) => ({ fileName, role, contentType, receivedAt, sha256: original.sha256 })) };
  });
}
