import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CaseSummary } from '../../client/cases.ts';
import { closedStatuses } from '../format.ts';
import { presenter } from '../present.ts';
import { recordReference } from '../records.ts';
import { mayAccessQueue, type SignedInUser } from '../users.ts';
import { takeFlash } from '../views/layout.ts';
import { queuesPage, waitingMs, type QueueFilter, type QueueSection } from '../views/queues.ts';

export const QueueQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  status: z
    .string()
    .regex(/^[a-z-]{1,40}$/)
    .default('open'),
  scheme: z
    .string()
    .regex(/^[a-z0-9-]{0,100}$/)
    .optional(),
  queue: z.string().max(128).optional(),
  sort: z
    .enum(['received', 'reference', 'scheme', 'applicant', 'amount', 'findings', 'status', 'assignee', 'waiting'])
    .default('received'),
  dir: z.enum(['asc', 'desc']).default('asc'),
});

/** The cases the user may see, from one visibility query. */
export async function visibleCases(app: FastifyInstance, user: SignedInUser): Promise<CaseSummary[]> {
  const cases = await app.web.cases.list(user.role === 'admin' ? 'all' : user.queues);
  // The query already limits a caseworker to their queues; this says it again where it matters.
  return cases.filter((c) => mayAccessQueue(user, c.queue));
}

/** When each case's current step began (its record's last write), by reference. */
export async function stepStarts(app: FastifyInstance): Promise<Map<string, number>> {
  const records = await app.web.records.all();
  return new Map(records.map((record) => [recordReference(record), new Date(record.recordedAt).getTime()]));
}

/** The queues no caseworker has (their cases wait for nobody). */
export async function orphanQueues(app: FastifyInstance, queues: readonly string[]): Promise<Set<string>> {
  const caseworkers = (await app.web.users.list()).filter((u) => u.role === 'caseworker');
  return new Set(queues.filter((queue) => !caseworkers.some((u) => u.queues.includes(queue))));
}

export function filterAndSort(
  cases: CaseSummary[],
  filter: QueueFilter,
  now: number,
  stepSince?: Map<string, number>,
): CaseSummary[] {
  const q = filter.q?.toLowerCase();
  const matches = (c: CaseSummary) =>
    (filter.status === 'all' ||
      (filter.status === 'open' && !closedStatuses.has(c.status)) ||
      (filter.status === 'decided' && (c.status === 'approved' || c.status === 'rejected')) ||
      c.status === filter.status) &&
    (!filter.scheme || c.scheme === filter.scheme) &&
    (!filter.queue || c.queue === filter.queue) &&
    (!q ||
      [c.applicant, c.organisationNumber, c.reference, c.summary, c.assignee].some((v) =>
        v?.toLowerCase().includes(q),
      ));
  const key = (c: CaseSummary): string | number => {
    switch (filter.sort) {
      case 'reference':
        return c.reference;
      case 'scheme':
        return c.scheme ?? '';
      case 'applicant':
        return c.applicant?.toLowerCase() ?? '';
      case 'amount':
        return c.amountRequested ?? -1;
      case 'findings':
        return c.errors * 1000 + c.warnings;
      case 'status':
        return c.status;
      case 'assignee':
        return c.assignee ?? '';
      case 'waiting':
        return waitingMs(c, now, stepSince);
      default:
        return c.receivedAt?.getTime() ?? 0;
    }
  };
  const sign = filter.dir === 'desc' ? -1 : 1;
  return cases.filter(matches).sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return sign * (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'nb'));
  });
}

/** One list per queue the user may see, with sorting, filtering and search. */
const queueRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/', { schema: { querystring: QueueQuerySchema } }, async (request, reply) => {
    const user = request.user!;
    const filter: QueueFilter = request.query;
    const now = Date.now();
    const stepSince = await stepStarts(app);
    const cases = filterAndSort(await visibleCases(app, user), filter, now, stepSince);
    const present = presenter(app.web.schemes);
    const queues =
      user.role === 'admin'
        ? [
            ...new Set([
              ...app.web.schemes.flatMap((s) => [
                s.queue,
                ...s.categories.flatMap((c) => (c.earmark ? [`${s.queue}/${c.earmark}`] : [])),
              ]),
              'triage',
              ...cases.flatMap((c) => (c.queue ? [c.queue] : [])),
            ]),
          ].sort()
        : [...user.queues];
    const orphans = user.role === 'admin' ? await orphanQueues(app, queues) : new Set<string>();
    const sections: QueueSection[] = queues
      .filter((queue) => !filter.queue || queue === filter.queue)
      .map((queue) => ({
        queue,
        title: present.queue(queue),
        cases: cases.filter((c) => c.queue === queue),
        orphan: orphans.has(queue),
      }));
    if (user.role === 'admin') {
      const unqueued = cases.filter((c) => !c.queue);
      if (unqueued.length)
        sections.push({ queue: '', title: 'Uten kø (leses, kunne ikke leses, e-post)', cases: unqueued });
    }
    return reply.type('text/html; charset=utf-8').send(
      queuesPage(request, reply, {
        sections,
        filter,
        schemes: app.web.schemes,
        now,
        stepSince,
        flash: takeFlash(request),
      }),
    );
  });
};

export default queueRoutes;
