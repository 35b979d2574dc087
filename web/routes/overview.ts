import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CaseRecord } from '../../schemas/case-record.ts';
import { toCsv } from '../../schemas/csv.ts';
import { caseColumns, caseRows, decisionColumns, decisionRows, overviewOf } from '../overview.ts';
import { mayAccessQueue } from '../users.ts';
import { overviewPage } from '../views/overview.ts';

/** The round overview and its CSV exports, over the records of the queues the user may see. */
export default async function overviewRoutes(app: FastifyInstance) {
  const visibleRecords = async (request: FastifyRequest): Promise<CaseRecord[]> =>
    (await app.web.records.all()).filter((record) => mayAccessQueue(request.user!, record.route?.queue));

  app.get('/oversikt', async (request, reply) => {
    const overview = overviewOf(await visibleRecords(request), app.web.schemes);
    return reply.type('text/html; charset=utf-8').send(overviewPage(request, reply, overview));
  });

  const csv = (name: string, body: string) => ({ name, body });
  app.get('/oversikt/saker.csv', async (request, reply) => {
    const file = csv('saker.csv', toCsv(caseColumns, caseRows(await visibleRecords(request), app.web.schemes)));
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file.name}"`).send(file.body);
  });
  app.get('/oversikt/vedtak.csv', async (request, reply) => {
    const file = csv('vedtak.csv', toCsv(decisionColumns, decisionRows(await visibleRecords(request), app.web.schemes)));
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file.name}"`).send(file.body);
  });
}
