import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CaseRecord } from '../../schemas/case-record.ts';
import { toCsv } from '../../schemas/csv.ts';
import { potsOf } from '../../schemas/ledger.ts';
import {
  caseColumns,
  caseRows,
  decisionColumns,
  decisionRows,
  moneyColumns,
  moneyRows,
  overviewOf,
  potQueue,
  type Overview,
} from '../overview.ts';
import { presenter } from '../present.ts';
import { mayAccessQueue } from '../users.ts';
import { overviewPage } from '../views/overview.ts';
import { orphanQueues } from './queues.ts';

/** The round overview and its CSV exports, over the records of the queues the user may see. */
export default async function overviewRoutes(app: FastifyInstance) {
  const visibleRecords = async (request: FastifyRequest): Promise<CaseRecord[]> =>
    (await app.web.records.all()).filter((record) => mayAccessQueue(request.user!, record.route?.queue));

  const present = presenter(app.web.schemes);
  const knownQueues = [
    ...new Set([
      'triage',
      ...app.web.schemes.flatMap((s) => [s.queue, ...s.money.earmarks.map((e) => `${s.queue}/${e.id}`)]),
    ]),
  ];

  /**
   * The overview as a user sees it: the pots of the queues they work on (an admin all of them), each one's money live
   * from its ledger, not a scheme's whole money.
   */
  async function overviewFor(request: FastifyRequest): Promise<Overview> {
    const user = request.user!;
    const pots = app.web.schemes.flatMap((scheme) =>
      potsOf(scheme).filter((pot) => mayAccessQueue(user, potQueue(scheme, pot))),
    );
    const [records, balances] = await Promise.all([
      visibleRecords(request),
      Promise.all(pots.map((pot) => app.web.cases.potBalance(pot))),
    ]);
    const overview = overviewOf(records, app.web.schemes, balances);
    return { ...overview, money: overview.money.filter((row) => mayAccessQueue(user, row.queue)) };
  }

  app.get('/oversikt', async (request, reply) => {
    const user = request.user!;
    const overview = await overviewFor(request);
    const orphans = user.role === 'admin' ? [...(await orphanQueues(app, knownQueues))].sort() : [];
    return reply.type('text/html; charset=utf-8').send(overviewPage(request, reply, overview, present, orphans));
  });

  /** A CSV export as a download (`;`-separated UTF-8, formula-guarded by `toCsv`). */
  const sendCsv = (reply: FastifyReply, name: string, body: string) =>
    reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(body);
  app.get('/oversikt/saker.csv', async (request, reply) =>
    sendCsv(reply, 'saker.csv', toCsv(caseColumns, caseRows(await visibleRecords(request), app.web.schemes, present))),
  );
  app.get('/oversikt/rammer.csv', async (request, reply) =>
    sendCsv(reply, 'rammer.csv', toCsv(moneyColumns, moneyRows((await overviewFor(request)).money))),
  );
  app.get('/oversikt/vedtak.csv', async (request, reply) =>
    sendCsv(
      reply,
      'vedtak.csv',
      toCsv(decisionColumns, decisionRows(await visibleRecords(request), app.web.schemes, present)),
    ),
  );
}
