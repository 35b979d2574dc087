import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorisedDetail, ReferenceSchema } from './cases.ts';
import { filterAndSort, QueueQuerySchema, visibleCases } from './queues.ts';
import type { QueueFilter } from '../views/queues.ts';

/** JSON for scripts and the page's own script: the same cases, with the same checks, as the pages. */
const apiRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/saker', { schema: { querystring: QueueQuerySchema } }, async (request) => {
    const cases = filterAndSort(
      await visibleCases(app, request.user!),
      request.query satisfies QueueFilter,
      Date.now(),
    );
    return { cases };
  });

  app.get(
    '/api/saker/:reference',
    { schema: { params: z.object({ reference: ReferenceSchema }) } },
    async (request) => {
      const detail = await authorisedDetail(app, request, request.params.reference);
      const { record: _record, ...rest } = detail;
      return {
        ...rest,
        documents: detail.documents.map(({ fileName, role, contentType, receivedAt, original }) => ({
          fileName,
          role,
          contentType,
          receivedAt,
          sha256: original.sha256,
        })),
      };
    },
  );
};

export default apiRoutes;
