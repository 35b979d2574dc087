import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { journalPage } from '../views/journal.ts';

const IsoDaySchema = z.iso.date('dato må være på formen ÅÅÅÅ-MM-DD');

/** An empty field of the form is no limit. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const JournalExportQuerySchema = z.object({
  fra: optional(IsoDaySchema),
  til: optional(IsoDaySchema),
  offentlig: optional(z.enum(['0', '1'])),
});

/**
 * The journal's exports (SPEC §6 «Records»): for the archive, or the public journal, all cases or a date range. Admins
 * only: the archive's export names every person. Every download goes to the access log (`plugins/access-log.ts`).
 */
const journalRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preValidation', async (request) => {
    if (request.user?.role !== 'admin') throw app.httpErrors.forbidden('Bare administratorer kan hente ut journalen.');
  });

  app.get('/journal', async (request, reply) =>
    reply.type('text/html; charset=utf-8').send(journalPage(request, reply)),
  );

  app.get('/journal.csv', { schema: { querystring: JournalExportQuerySchema } }, async (request, reply) => {
    const { fra, til, offentlig } = request.query;
    const isPublic = offentlig === '1';
    // The auditor sees who took the journal out, whether it named persons, and for which dates.
    request.exportScope = {
      variant: isPublic ? 'public' : 'archive',
      ...(fra && { from: fra }),
      ...(til && { to: til }),
    };
    const { csv } = await app.web.journal.export({
      public: isPublic,
      ...(fra && { from: fra }),
      ...(til && { to: til }),
    });
    const name = `${isPublic ? 'offentlig-journal' : 'journal'}${fra ? `-fra-${fra}` : ''}${til ? `-til-${til}` : ''}.csv`;
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(csv);
  });
};

export default journalRoutes;
