import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  normaliseAmount,
  normaliseDate,
  normaliseEmail,
  normaliseMunicipalityNumber,
  normaliseOrganisationNumber,
  normaliseParticipants,
  normalisePartners,
  normalisePhone,
  normaliseSubGoalNumbers,
  normaliseText,
  normaliseYesNo,
} from '../../extraction/normalise.ts';

import {
  assignUpdate,
  claimUpdate,
  correctFieldUpdate,
  declareConflictUpdate,
  proposeUpdate,
  requestInformationUpdate,
  returnProposalUpdate,
} from '../../workflows/messages.ts';
import { RefusedError, type CaseSummary } from '../../client/cases.ts';
import { DecisionKindSchema } from '../../schemas/decision-grounds.ts';
import { findPot } from '../../schemas/ledger.ts';
import { documentsOf, type CaseDetail } from '../cases.ts';
import { assertQueueAccess, HttpError } from '../plugins/auth.ts';
import { mayAccessQueue } from '../users.ts';
import { parseInput } from '../validate.ts';
import { casePage } from '../views/case.ts';
import { takeFlash } from '../views/layout.ts';

/** Case references as intake makes them (the case id, or `SAK-…`): nothing else reaches a visibility query. */
export const ReferenceSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'ugyldig saksreferanse');
const CaseParamsSchema = z.object({ reference: ReferenceSchema });
const DocumentParamsSchema = CaseParamsSchema.extend({ index: z.coerce.number().int().min(0).max(999) });
const PageParamsSchema = DocumentParamsSchema.extend({ page: z.coerce.number().int().min(1).max(500) });
const CasePageQuerySchema = z.object({ dokument: z.coerce.number().int().min(0).max(999).default(0) });

/** The case named in the URL, refused (403) unless the user may see its queue; 404 when there is no such case. */
export async function authorisedCase(app: FastifyInstance, request: FastifyRequest, reference: string): Promise<CaseSummary> {
  const summary = await app.web.cases.find(reference);
  if (!summary) throw new HttpError(404, 'Saken finnes ikke.');
  assertQueueAccess(request.user!, summary.queue);
  return summary;
}

/** The case as it stands, checked again against the queue its state names (a correction may have moved it). */
export async function authorisedDetail(app: FastifyInstance, request: FastifyRequest, reference: string): Promise<CaseDetail> {
  const detail = await app.web.cases.detail(await authorisedCase(app, request, reference));
  if (detail.route) assertQueueAccess(request.user!, detail.route.queue);
  return detail;
}

/**
 * A corrected value from a form's text, read the way the form reader reads the form (`kr 1 250 000,-`, `15.4.17`,
 * `964 964 998`, one partner per line) into the field's normal form. Text it cannot read is sent as it is, and the
 * workflow refuses it with its reason.
 */
export function parseFieldValue(field: string, text: string): unknown {
  const raw = text.trim();
  if (raw === '' && field === 'schemeId') return null;
  if (field === 'hasOverarchingPlan' && /^(true|false)$/.test(raw)) return raw === 'true';
  const normalisers: Record<string, (raw: string) => { value: unknown } | undefined> = {
    'applicant.organisationNumber': normaliseOrganisationNumber,
    'applicant.municipalityNumber': normaliseMunicipalityNumber,
    'applicant.postalCode': (t) => (/^\d{4}$/.test(t.replace(/\s/g, '')) ? { value: t.replace(/\s/g, '') } : undefined),
    'contact.phone': normalisePhone,
    'contact.email': (t) => normaliseEmail(t),
    'project.startDate': normaliseDate,
    'project.endDate': normaliseDate,
    'signature.date': normaliseDate,
    'project.participants': normaliseParticipants,
    'budget.totalCost': normaliseAmount,
    'budget.ownFunding': normaliseAmount,
    'budget.otherFunding': normaliseAmount,
    'budget.amountRequested': normaliseAmount,
    hasOverarchingPlan: normaliseYesNo,
    subGoals: normaliseSubGoalNumbers,
    partners: (t) => normalisePartners(t.split(/\r?\n/)),
  };
  const normalise = normalisers[field] ?? normaliseText;
  return normalise(raw)?.value ?? raw;
}

function parseAmount(text: string | undefined): number | string {
  return normaliseAmount((text ?? '').trim())?.value ?? (text ?? '');
}

const text = (max = 4000) => z.string().max(max).default('');
const ClaimSchema = z.object({ notDisqualified: z.string().optional() });
const ConflictSchema = z.object({ reason: text(1000) });
const AssignSchema = z.object({ assignee: z.string().max(64).default('') });
const CorrectSchema = z.object({ field: z.string().max(64), value: text(4000) });
const InformationSchema = z.object({ message: text(4000), reason: text(1000) });
const checked = z.union([z.string().max(100), z.array(z.string().max(100)).max(50)]).optional().transform((v) => (v === undefined ? [] : [v].flat()));
const ProposeSchema = z.object({
  kind: DecisionKindSchema,
  amount: z.string().max(40).optional(),
  reasons: checked,
  explanation: text(4000),
  conditions: checked,
  extraConditions: text(4000),
});
const ApproveSchema = z.object({ proposal: z.coerce.number().int().positive(), notDisqualified: z.string().optional() });
const ReturnSchema = z.object({ proposal: z.coerce.number().int().positive(), comment: text(2000) });

/** The proposal form as the workflow's grounds (the workflow checks them; what the form's kind does not use is dropped). */
export function groundsFromForm(body: z.infer<typeof ProposeSchema>) {
  return {
    kind: body.kind,
    amountGranted: parseAmount(body.amount),
    reasonIds: body.reasons,
    explanation: body.explanation,
    conditionIds: body.conditions,
    extraConditions: body.extraConditions.split(/\r?\n/).map((line) => line.trim()).filter(Boolean),
  };
}

/** Only an approver approves or sends back a proposal (and never their own: the workflow refuses that). */
function assertApprover(request: FastifyRequest): void {
  if (request.user!.role !== 'approver') throw new HttpError(403, 'Bare godkjennere kan godkjenne eller sende tilbake en innstilling.');
}

/**
 * The case page (the document beside the extracted application, findings, actions) and the actions: each one a
 * workflow Update with the signed-in user as actor, then back to the case page with what happened (or the refusal).
 */
export default async function caseRoutes(app: FastifyInstance) {
  const { cases, documents, users, config } = app.web;

  app.get('/saker/:reference', async (request, reply) => {
    const { reference } = parseInput(CaseParamsSchema, request.params);
    const { dokument } = parseInput(CasePageQuerySchema, request.query);
    const detail = await authorisedDetail(app, request, reference);
    const index = Math.min(dokument, Math.max(0, detail.documents.length - 1));
    const document = detail.documents[index];
    const view = document ? await documents.view(document).catch(() => undefined) : undefined;
    const queue = detail.route?.queue ?? detail.summary.queue;
    const caseworkers =
      request.user!.role === 'admin'
        ? (await users.list()).filter((u) => u.role === 'caseworker' && mayAccessQueue({ ...u }, queue)).map((u) => u.username)
        : [];
    const pot = detail.pot?.id ? findPot(app.web.schemes, detail.pot.id) : undefined;
    const balance = pot && detail.open ? await cases.potBalance(pot).catch(() => undefined) : undefined;
    const temporalUiLink =
      request.user!.role === 'admin' && app.web.temporalUiUrl
        ? `${app.web.temporalUiUrl}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(detail.summary.workflowId)}`
        : undefined;
    return reply.type('text/html; charset=utf-8').send(
      casePage(request, reply, {
        detail,
        user: request.user!,
        schemes: app.web.schemes,
        documentIndex: index,
        ...(view && { view }),
        caseworkers,
        ...(balance && { potBalance: balance }),
        ...(temporalUiLink && { temporalUiLink }),
        ...((() => {
          const flash = takeFlash(request);
          return flash ? { flash } : {};
        })()),
      }),
    );
  });

  /** Runs one action on an authorised, open case and goes back to its page with the outcome. */
  async function act(request: FastifyRequest, reply: FastifyReply, run: (summary: CaseSummary, detail: CaseDetail) => Promise<string>) {
    const { reference } = parseInput(CaseParamsSchema, request.params);
    const detail = await authorisedDetail(app, request, reference);
    try {
      const done = await run(detail.summary, detail);
      request.session.flash = { kind: 'ok', text: done };
    } catch (error) {
      if (!(error instanceof RefusedError)) throw error;
      request.session.flash = { kind: 'error', text: error.message };
    }
    return reply.redirect(`/saker/${encodeURIComponent(reference)}`, 303);
  }

  const actor = (request: FastifyRequest) => request.user!.username;

  app.post('/saker/:reference/ta', (request, reply) =>
    act(request, reply, async (summary) => {
      const body = parseInput(ClaimSchema, request.body);
      await cases.execute(summary, claimUpdate, { actor: actor(request), notDisqualified: (body.notDisqualified === 'true') as true });
      return 'Du har tatt saken.';
    }),
  );

  app.post('/saker/:reference/inhabil', (request, reply) =>
    act(request, reply, async (summary) => {
      const body = parseInput(ConflictSchema, request.body);
      await cases.execute(summary, declareConflictUpdate, { actor: actor(request), reason: body.reason });
      return 'Inhabiliteten er registrert. Saken er frigitt til andre.';
    }),
  );

  app.post('/saker/:reference/tildel', (request, reply) =>
    act(request, reply, async (summary, detail) => {
      if (request.user!.role !== 'admin') throw new HttpError(403, 'Bare administratorer kan tildele saker.');
      const { assignee } = parseInput(AssignSchema, request.body);
      const target = await users.get(assignee);
      if (!target || target.role !== 'caseworker' || !mayAccessQueue(target, detail.route?.queue ?? summary.queue)) {
        throw new RefusedError(`${assignee || 'Ingen'} er ikke saksbehandler i køen til saken.`);
      }
      await cases.execute(summary, assignUpdate, { actor: actor(request), assignee: target.username });
      return `Saken er tildelt ${target.username}.`;
    }),
  );

  app.post('/saker/:reference/rett', (request, reply) =>
    act(request, reply, async (summary) => {
      const { field, value } = parseInput(CorrectSchema, request.body);
      const state = await cases.execute(summary, correctFieldUpdate, { actor: actor(request), field, value: parseFieldValue(field, value) });
      const errors = state.findings.filter((f) => f.severity === 'error').length;
      return `Feltet er rettet og søknaden sjekket på nytt: ${errors} feil, ${state.findings.length - errors} andre funn.`;
    }),
  );

  app.post('/saker/:reference/opplysninger', (request, reply) =>
    act(request, reply, async (summary) => {
      const body = parseInput(InformationSchema, request.body);
      await cases.execute(summary, requestInformationUpdate, { actor: actor(request), message: body.message, reason: body.reason });
      return 'Forespørselen er sendt. Saken venter på søkeren.';
    }),
  );

  // Decisions: the caseworker's proposal, and the approver's approval or return (web/routes/approvals.ts approves many).
  app.post('/saker/:reference/innstilling', (request, reply) =>
    act(request, reply, async (summary) => {
      const body = parseInput(ProposeSchema, request.body);
      await cases.execute(summary, proposeUpdate, { actor: actor(request), grounds: groundsFromForm(body) });
      return 'Innstillingen er sendt til godkjenning.';
    }),
  );

  app.post('/saker/:reference/godkjenn', (request, reply) =>
    act(request, reply, async (summary) => {
      assertApprover(request);
      const body = parseInput(ApproveSchema, request.body);
      const state = await cases.approve(summary, { actor: actor(request), proposal: body.proposal, notDisqualified: (body.notDisqualified === 'true') as true });
      return `Vedtaket er fattet (${state.decision?.outcome === 'approved' ? 'innvilget' : 'avslått'}). Vedtaksbrevet skrives og sendes.`;
    }),
  );

  app.post('/saker/:reference/send-tilbake', (request, reply) =>
    act(request, reply, async (summary) => {
      assertApprover(request);
      const body = parseInput(ReturnSchema, request.body);
      await cases.execute(summary, returnProposalUpdate, { actor: actor(request), proposal: body.proposal, comment: body.comment });
      return 'Innstillingen er sendt tilbake til saksbehandleren.';
    }),
  );

  // The documents: the original only as a download; what the page shows, rendered so that nothing in it runs.
  async function authorisedDocument(request: FastifyRequest, params: unknown) {
    const { reference, index } = parseInput(DocumentParamsSchema, params);
    const summary = await authorisedCase(app, request, reference);
    const record = await cases.record(summary);
    if (record?.route) assertQueueAccess(request.user!, record.route.queue);
    const listed = record ? documentsOf(record) : [];
    const document = listed[index];
    if (!document) throw new HttpError(404, 'Dokumentet finnes ikke.');
    return document;
  }

  app.get('/saker/:reference/dokumenter/:index/original', async (request, reply) => {
    const document = await authorisedDocument(request, request.params);
    const bytes = await documents.original(document);
    const ascii = document.fileName.replace(/[^\x20-\x7e]|["\\<>;]/g, '_');
    return reply
      .header('content-type', 'application/octet-stream')
      .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(document.fileName)}`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .send(bytes);
  });

  app.get('/saker/:reference/dokumenter/:index/sider/:page', async (request, reply) => {
    const { page } = parseInput(PageParamsSchema, request.params);
    const document = await authorisedDocument(request, request.params);
    const view = await documents.view(document);
    if (view.kind !== 'pdf' || page > view.pages) throw new HttpError(404, 'Siden finnes ikke.');
    return reply.type('image/png').header('cache-control', 'private, max-age=300').send(await documents.page(document, page));
  });

  app.get('/saker/:reference/dokumenter/:index/bilde', async (request, reply) => {
    const document = await authorisedDocument(request, request.params);
    const view = await documents.view(document);
    if (view.kind !== 'image') throw new HttpError(404, 'Dokumentet er ikke et bilde.');
    return reply.type(view.contentType).header('cache-control', 'private, max-age=300').send(await documents.original(document));
  });
}
