import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError } from '@fastify/sensible';
import { RefusedError } from '../../client/cases.ts';
import { renderLetterPdf } from '../../letters/pdf.ts';
import { decisionLetterFacts } from '../../schemas/assessment/case-assessment.ts';
import { composeDecisionLetter } from '../../schemas/decision-letter.ts';
import { formatNok } from '../format.ts';
import { mayAccessQueue } from '../users.ts';
import { approvalsPage, type ApprovalOutcome, type OpenProposal } from '../views/approvals.ts';
import { authorisedCase, ReferenceSchema } from './cases.ts';

const LetterParamsSchema = z.object({ reference: ReferenceSchema, seq: z.coerce.number().int().positive() });
const selection = z.string().regex(/^[A-Za-z0-9-]{1,64}:\d{1,6}$/, 'ugyldig valg');
const BulkSchema = z.object({
  valgt: z
    .union([selection, z.array(selection).max(500)])
    .optional()
    .transform((v) => (v === undefined ? [] : [v].flat())),
  notDisqualified: z.string().optional(),
});

/**
 * The approver's list of open proposals in their queues, the preview of each one's letter, and approval of many in one
 * action. Each approval names its proposal (case and seq) and goes through that case's own Update, so sending the
 * form again after a crash of the browser or the server does nothing twice: an approved proposal answers as approved.
 */
const approvalRoutes: FastifyPluginAsyncZod = async (app) => {
  const { cases, schemes, config } = app.web;

  function approver(request: FastifyRequest) {
    const user = request.user!;
    if (user.role !== 'approver') throw app.httpErrors.forbidden('Siden er for godkjennere.');
    return user;
  }

  async function openProposals(request: FastifyRequest): Promise<OpenProposal[]> {
    const user = approver(request);
    const waiting = (await cases.list(user.queues)).filter(
      (c) => c.running && c.status === 'proposed' && mayAccessQueue(user, c.queue),
    );
    const open = await Promise.all(
      waiting.map(async (summary) => {
        const proposal = (await cases.stateOf(summary))?.proposals.find((p) => p.status === 'open');
        return proposal && { summary, proposal };
      }),
    );
    return open
      .filter((o): o is OpenProposal => o !== undefined)
      .sort((a, b) => a.summary.reference.localeCompare(b.summary.reference));
  }

  app.get('/godkjenning', async (request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send(approvalsPage(request, reply, await openProposals(request), schemes, [])),
  );

  app.get(
    '/godkjenning/:reference/:seq/brev.pdf',
    { schema: { params: LetterParamsSchema } },
    async (request, reply) => {
      const user = approver(request);
      const { reference, seq } = request.params;
      const summary = await authorisedCase(app, request, reference);
      const state = await cases.stateOf(summary);
      const proposal = state?.proposals.find((p) => p.seq === seq);
      const scheme = schemes.find((s) => s.id === state?.terms?.schemeId);
      if (!state || !proposal || !scheme) throw app.httpErrors.notFound('Innstillingen finnes ikke.');
      const facts = decisionLetterFacts(state, {
        caseworker: proposal.by,
        approver: user.username,
        date: new Date().toISOString().slice(0, 10),
      });
      const pdf = await renderLetterPdf(
        composeDecisionLetter(scheme, proposal.grounds, { ...facts, reference: state.caseId }),
      );
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${state.caseId}-utkast-vedtak.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );

  app.post('/godkjenning', { schema: { body: BulkSchema } }, async (request, reply) => {
    const user = approver(request);
    const { body } = request;
    const outcomes: ApprovalOutcome[] = [];
    // One at a time, each its own case's Update: what was done before a crash answers as done when sent again.
    for (const selected of body.valgt) {
      const [reference, seq] = selected.split(':') as [string, string];
      try {
        const summary = await authorisedCase(app, request, reference);
        const state = await cases.approve(summary, {
          actor: user.username,
          proposal: Number(seq),
          notDisqualified: (body.notDisqualified === 'true') as true,
        });
        const decision = state.decision!;
        const letter = config.mail.smtp
          ? 'Vedtaksbrevet sendes på e-post.'
          : 'Vedtaksbrevet legges i utboksen (ingen e-posttjener er satt opp).';
        outcomes.push({
          reference,
          ok: true,
          text: `Godkjent: ${decision.outcome === 'approved' ? `innvilget ${formatNok(decision.amount)}` : 'avslått'}. ${letter}`,
        });
      } catch (error) {
        if (!(error instanceof RefusedError) && !(error instanceof HttpError)) throw error;
        outcomes.push({ reference, ok: false, text: `Ikke godkjent: ${error.message}` });
      }
    }
    return reply
      .type('text/html; charset=utf-8')
      .send(approvalsPage(request, reply, await openProposals(request), schemes, outcomes));
  });
};

export default approvalRoutes;
