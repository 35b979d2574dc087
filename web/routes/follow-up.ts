import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { CasePhase } from '../../schemas/case-phase.ts';
import type { FollowUpState } from '../../schemas/follow-up/state.ts';
import { appealsWaiting, toApprove, toAttest } from '../follow-up.ts';
import { mayAccessQueue } from '../users.ts';
import { takeFlash } from '../views/layout.ts';
import { followUpQueuesPage, type FollowUpItem, type FollowUpSection } from '../views/follow-up-queues.ts';

/** The phases in which something may wait for the office after the letter. */
const followUpPhases: CasePhase[] = ['letter-sent', 'accepted', 'paid', 'report-due', 'report-received', 'appeal'];

const partNames = { 'on-acceptance': 'Utbetaling ved aksept', 'after-report': 'Utbetaling etter rapport' } as const;

/** Who may start a payment run: whoever may approve payments (budget authority), and admins. */
const mayRunPayments = (request: FastifyRequest) => request.user!.budgetAuthority || request.user!.role === 'admin';

/**
 * The follow-up queues (one visibility query by `CasePhase` for the user's queues, then each case's state for what
 * waits in it) and the payment run's file for the accounting system.
 */
const followUpRoutes: FastifyPluginAsyncZod = async (app) => {
  const { cases } = app.web;

  app.get('/oppfolging', async (request, reply) => {
    const user = request.user!;
    const queues = user.role === 'admin' ? 'all' : user.queues;
    const now = new Date();
    const [listed, overdue] = await Promise.all([
      cases.listInPhases(queues, followUpPhases),
      cases.overdueReports(queues, now),
    ]);
    const open = await Promise.all(
      listed
        .filter((summary) => summary.running && mayAccessQueue(user, summary.queue))
        .map(async (summary) => ({ summary, followUp: (await cases.stateOf(summary))?.followUp })),
    );
    const known = open.filter((c): c is { summary: (typeof c)['summary']; followUp: FollowUpState } =>
      Boolean(c.followUp),
    );
    const items = (pick: (c: (typeof known)[number]) => FollowUpItem[]) =>
      known.flatMap(pick).sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''));
    const sections: FollowUpSection[] = [
      {
        list: 'aksepter',
        title: 'Aksepter å sjekke',
        dateLabel: 'Akseptfrist',
        items: items(({ summary, followUp }) => {
          if (followUp.phase !== 'letter-sent' || followUp.amountGranted <= 0) return [];
          const date = followUp.deadlines.acceptance?.deadlineDay;
          const unread = followUp.rejectedAcceptances.map((r) => ({
            summary,
            what: `Akseptskjema som ikke kunne brukes: ${r.document.fileName}`,
            amount: followUp.amountGranted,
            date,
            anchor: 'oppfolging',
          }));
          return followUp.acceptanceEscalated
            ? [
                ...unread,
                {
                  summary,
                  what: 'Ingen aksept etter påminnelsen',
                  amount: followUp.amountGranted,
                  date,
                  overdue: 'frist passert',
                  anchor: 'oppfolging',
                },
              ]
            : unread;
        }),
      },
      {
        list: 'attestering',
        title: 'Utbetalinger å attestere',
        dateLabel: 'Klargjort',
        items: items(({ summary, followUp }) =>
          toAttest(followUp).map((p) => ({
            summary,
            what: partNames[p.part],
            amount: p.amount,
            date: p.prepared.at,
            anchor: 'skjema-utbetaling',
          })),
        ),
      },
      {
        list: 'godkjenning',
        title: 'Utbetalinger å godkjenne',
        dateLabel: 'Attestert',
        note: user.budgetAuthority
          ? 'Du kan godkjenne utbetalinger som en annen har attestert.'
          : 'Godkjenning krever budsjettdisponeringsmyndighet, og aldri den som attesterte.',
        items: items(({ summary, followUp }) =>
          toApprove(followUp).map((p) => ({
            summary,
            what: partNames[p.part],
            amount: p.amount,
            date: p.attested!.at,
            by: p.attested!.by,
            anchor: 'skjema-utbetaling',
          })),
        ),
      },
      {
        list: 'rapporter',
        title: 'Rapporter å vurdere',
        dateLabel: 'Rapporteringsfrist',
        items: items(({ summary, followUp }) => {
          const date = followUp.deadlines.report?.deadlineDay;
          if (followUp.phase === 'report-received')
            return [{ summary, what: 'Rapport mottatt', date, anchor: 'skjema-rapport' }];
          if (overdue.has(summary.reference) || followUp.reportOverdue)
            return [{ summary, what: 'Venter på rapport', date, overdue: 'forfalt', anchor: 'tidslinje' }];
          return [];
        }),
      },
      {
        list: 'klager',
        title: 'Klager',
        dateLabel: 'Mottatt',
        items: items(({ summary, followUp }) =>
          appealsWaiting(followUp).map((a) => ({
            summary,
            what: `Klage ${a.number}`,
            date: a.document.receivedAt,
            ...(!a.onTime && { overdue: 'for sent' }),
            anchor: 'skjema-klage',
          })),
        ),
      },
    ];
    const flash = takeFlash(request);
    return reply.type('text/html; charset=utf-8').send(
      followUpQueuesPage(request, reply, {
        sections,
        mayRunPayments: mayRunPayments(request),
        ...(flash && { flash }),
      }),
    );
  });

  // The payment run: the approved payments not yet exported, as one file for the accounting system (kept in the
  // records bucket by the run itself); the file is the answer.
  app.post('/utbetalinger/kjoring', async (request, reply) => {
    if (!mayRunPayments(request))
      throw app.httpErrors.forbidden('Utbetalingskjøring krever budsjettdisponeringsmyndighet.');
    const run = await app.web.paymentRuns.run(request.user!.username);
    if (!run.csv) {
      request.session.flash = { kind: 'ok', text: 'Ingen godkjente utbetalinger venter på utbetalingskjøring.' };
      return reply.redirect('/oppfolging', 303);
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="utbetalinger-${run.runId}.csv"`)
      .header('cache-control', 'private, no-store')
      .send(run.csv);
  });
};

export default followUpRoutes;
