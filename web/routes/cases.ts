import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
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
  decideUnrelatedDocumentUpdate,
  declareConflictUpdate,
  proposeUpdate,
  requestInformationUpdate,
  returnProposalUpdate,
} from '../../workflows/messages.ts';
import {
  approvePayment as approveCasePayment,
  assessReport,
  attestPayment as attestCasePayment,
  decideAppeal,
  recordAcceptance,
  RefusedError,
  type CaseSummary,
} from '../../client/cases.ts';
import { formatBankAccount, isValidBankAccount } from '../../schemas/bank-account.ts';
import { approvePayment, attestPayment, type Payment } from '../../schemas/payment.ts';
import { DecisionKindSchema } from '../../schemas/decision-grounds.ts';
import { findPot } from '../../schemas/ledger.ts';
import { documentsOf, type CaseDetail } from '../cases.ts';
import { formatNok } from '../format.ts';
import { CONFIRMED, enteredValues, isConfirmed, type KeptForm } from '../forms.ts';
import { html } from '../html.ts';
import type { Flash } from '../plugins/security.ts';
import { presenter } from '../present.ts';
import { assertQueueAccess } from '../plugins/auth.ts';
import { mayAccessQueue } from '../users.ts';
import { casePage } from '../views/case.ts';
import { takeFlash } from '../views/layout.ts';

/** Case references as intake makes them (the case id, or `SAK-…`): nothing else reaches a visibility query. */
export const ReferenceSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'ugyldig saksreferanse');
const CaseParamsSchema = z.object({ reference: ReferenceSchema });
const DocumentParamsSchema = CaseParamsSchema.extend({ index: z.coerce.number().int().min(0).max(999) });
const PageParamsSchema = DocumentParamsSchema.extend({ page: z.coerce.number().int().min(1).max(500) });
const SourceQuerySchema = z.object({
  side: z.coerce.number().int().min(1).max(500).default(1),
  tekst: z.string().min(1).max(500),
});
const CasePageQuerySchema = z.object({ dokument: z.coerce.number().int().min(0).max(999).default(0) });

/** The case named in the URL, refused (403) unless the user may see its queue; 404 when there is no such case. */
export async function authorisedCase(
  app: FastifyInstance,
  request: FastifyRequest,
  reference: string,
): Promise<CaseSummary> {
  const summary = await app.web.cases.find(reference);
  if (!summary) throw app.httpErrors.notFound('Saken finnes ikke.');
  assertQueueAccess(request.user!, summary.queue);
  return summary;
}

/** The case as it stands, checked again against the queue its state names (a correction may have moved it). */
export async function authorisedDetail(
  app: FastifyInstance,
  request: FastifyRequest,
  reference: string,
): Promise<CaseDetail> {
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
  return readFieldValue(field, raw)?.value ?? raw;
}

/** How each kind of field is written, for the caseworker whose value could not be read. */
const writtenAs: Record<string, string> = {
  'applicant.organisationNumber': 'ni siffer, f.eks. 964 964 998',
  'applicant.municipalityNumber': 'fire siffer, f.eks. 0806',
  'applicant.postalCode': 'fire siffer, f.eks. 3700',
  'contact.phone': 'et telefonnummer, f.eks. 35 58 60 00',
  'contact.email': 'en e-postadresse, f.eks. navn@kommune.no',
  'project.startDate': 'en dato som dd.mm.åååå, f.eks. 15.04.2017',
  'project.endDate': 'en dato som dd.mm.åååå, f.eks. 15.04.2017',
  'signature.date': 'en dato som dd.mm.åååå, f.eks. 15.04.2017',
  'project.participants': 'et antall, f.eks. 25',
  'budget.totalCost': 'et beløp i kroner, f.eks. 1 250 000',
  'budget.ownFunding': 'et beløp i kroner, f.eks. 1 250 000',
  'budget.otherFunding': 'et beløp i kroner, f.eks. 1 250 000',
  'budget.amountRequested': 'et beløp i kroner, f.eks. 1 250 000',
  hasOverarchingPlan: 'ja eller nei',
  subGoals: 'delmålenes numre, f.eks. 1, 3',
};

/** Why a corrected value cannot be read, in Bokmål (undefined when it can be, or the field takes any text). */
export function unreadableFieldValue(field: string, text: string): string | undefined {
  const raw = text.trim();
  if (raw === '' || !Object.hasOwn(writtenAs, field)) return undefined;
  if (field === 'hasOverarchingPlan' && /^(true|false)$/.test(raw)) return undefined;
  return readFieldValue(field, raw) ? undefined : `Verdien kan ikke leses. Skriv ${writtenAs[field]}.`;
}

function readFieldValue(field: string, raw: string): { value: unknown } | undefined {
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
  return normalise(raw);
}

function parseAmount(text: string | undefined): number | string {
  return normaliseAmount((text ?? '').trim())?.value ?? text ?? '';
}

const text = (max = 4000) => z.string().max(max).default('');
const ClaimSchema = z.object({ notDisqualified: z.string().optional() });
const ConflictSchema = z.object({ reason: text(1000) });
const AssignSchema = z.object({ assignee: z.string().max(64).default('') });
const CorrectSchema = z.object({ field: z.string().max(64), value: text(4000) });
const InformationSchema = z.object({ message: text(4000), reason: text(1000) });
const HeldBackSchema = z.object({
  document: z.string().min(1).max(1024),
  decision: z.enum(['take-in', 'own-case']),
});
const checked = z
  .union([z.string().max(100), z.array(z.string().max(100)).max(50)])
  .optional()
  .transform((v) => (v === undefined ? [] : [v].flat()));
const ProposeSchema = z.object({
  kind: DecisionKindSchema,
  amount: z.string().max(40).optional(),
  reasons: checked,
  explanation: text(4000),
  conditions: checked,
  extraConditions: text(4000),
});
const ApproveSchema = z.object({
  proposal: z.coerce.number().int().positive(),
  notDisqualified: z.string().optional(),
});
/** The confirmation of an irreversible action (`web/forms.ts` `confirmStep`), on every action's body. */
const ConfirmationSchema = z.object({ [CONFIRMED]: z.literal('ja').optional() });
const ReturnSchema = z.object({ proposal: z.coerce.number().int().positive(), comment: text(2000) });
const AcceptanceSchema = z.object({
  bankAccount: z.string().max(40).default(''),
  signedBy: text(200),
  receivedAt: z.string().max(10).default(''),
  note: text(1000),
});
const PaymentSchema = z.object({ paymentId: z.string().min(1).max(200) });
const ReportSchema = z.object({
  outcome: z.enum(['approve', 'ask-more', 'claim-back']),
  amount: z.string().max(40).default(''),
  comment: text(4000),
});
const AppealSchema = z.object({
  appeal: z.coerce.number().int().positive(),
  outcome: z.enum(['uphold', 'change']),
  amountGranted: z.string().max(40).default(''),
  comment: text(4000),
});

/**
 * The proposal form as the workflow's grounds (the workflow checks them; what the form's kind does not use is
 * dropped).
 */
export function groundsFromForm(body: z.infer<typeof ProposeSchema>) {
  return {
    kind: body.kind,
    amountGranted: parseAmount(body.amount),
    reasonIds: body.reasons,
    explanation: body.explanation,
    conditionIds: body.conditions,
    extraConditions: body.extraConditions
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean),
  };
}

/**
 * The case page (the document beside the extracted application, findings, actions) and the actions: each one a
 * workflow Update with the signed-in user as actor, then back to the case page with what happened (or the refusal).
 */
const caseRoutes: FastifyPluginAsyncZod = async (app) => {
  const { cases, documents, users, config } = app.web;

  /**
   * The case page; after a refused or unconfirmed action, with that form as the user filled it in (`KeptForm`),
   * answered to the post itself so nothing entered is lost.
   */
  async function showCase(
    request: FastifyRequest,
    reply: FastifyReply,
    reference: string,
    dokument: number,
    extra: { kept?: KeptForm; flash?: Flash } = {},
  ) {
    const detail = await authorisedDetail(app, request, reference);
    const index = Math.min(dokument, Math.max(0, detail.documents.length - 1));
    const document = detail.documents[index];
    const view = document ? await documents.view(document).catch(() => undefined) : undefined;
    const queue = detail.route?.queue ?? detail.summary.queue;
    const caseworkers =
      request.user!.role === 'admin'
        ? (await users.list())
            .filter((u) => u.role === 'caseworker')
            .map((u) => ({ username: u.username, hasQueue: mayAccessQueue({ ...u }, queue) }))
        : [];
    const pot = detail.pot?.id ? findPot(app.web.schemes, detail.pot.id) : undefined;
    const balance = pot && detail.open ? await cases.potBalance(pot).catch(() => undefined) : undefined;
    const temporalUiLink =
      request.user!.role === 'admin' && app.web.temporalUiUrl
        ? `${app.web.temporalUiUrl}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(detail.summary.workflowId)}`
        : undefined;
    const flash = extra.flash ?? takeFlash(request);
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
        ...(flash && { flash }),
        ...(extra.kept && { kept: extra.kept }),
        now: Date.now(),
      }),
    );
  }

  app.get(
    '/saker/:reference',
    { schema: { params: CaseParamsSchema, querystring: CasePageQuerySchema } },
    async (request, reply) => {
      const { reference } = request.params;
      const { dokument } = request.query;
      return showCase(request, reply, reference, dokument);
    },
  );

  const present = presenter(app.web.schemes);

  /** A refusal that concerns one input of the form (shown beside it), or the form as a whole. */
  class FieldRefusal extends RefusedError {
    constructor(
      readonly input: string,
      message: string,
    ) {
      super(message);
    }
  }

  /**
   * Runs one action on an authorised, open case. Done: back to the case page at `anchor` (the field or section the
   * form is in). Refused: the page with the form as it was filled in and the reason beside the input it concerns
   * (`refusedInput` names it for a refusal from the workflow). An irreversible action first answers with what it will
   * do (`confirm`), and runs only when that is posted back.
   */
  async function act(
    request: FastifyRequest,
    reply: FastifyReply,
    form: {
      name: string;
      anchor: string;
      refusedInput?: (body: KeptForm['values']) => string;
      confirm?: (detail: CaseDetail, body: KeptForm['values']) => ReturnType<typeof html>;
    },
    run: (summary: CaseSummary, detail: CaseDetail) => Promise<string>,
  ) {
    // Each action's route declares its params (`action`), so the reference is checked before this runs.
    const { reference } = request.params as z.infer<typeof CaseParamsSchema>;
    const detail = await authorisedDetail(app, request, reference);
    const values = enteredValues(request.body);
    try {
      if (form.confirm && !isConfirmed(request.body)) {
        const confirm = form.confirm(detail, values);
        return await showCase(request, reply, reference, 0, { kept: { form: form.name, values, errors: {}, confirm } });
      }
      const done = await run(detail.summary, detail);
      request.session.flash = { kind: 'ok', text: done };
    } catch (error) {
      if (!(error instanceof RefusedError)) throw error;
      const input = error instanceof FieldRefusal ? error.input : (form.refusedInput?.(values) ?? '');
      const reason = present.message(error.message);
      reply.code(422);
      return showCase(request, reply, reference, 0, {
        kept: { form: form.name, values, errors: { [input]: reason } },
        flash: { kind: 'error', text: reason },
      });
    }
    return reply.redirect(`/saker/${encodeURIComponent(reference)}#${form.anchor}`, 303);
  }

  const actor = (request: FastifyRequest) => request.user!.username;

  /** Only an approver approves or sends back a proposal (and never their own: the workflow refuses that). */
  function assertApprover(request: FastifyRequest): void {
    if (request.user!.role !== 'approver')
      throw app.httpErrors.forbidden('Bare godkjennere kan godkjenne eller sende tilbake en innstilling.');
  }
  // The body schema's output replaces the posted body, so the confirmation an irreversible action asks for must be
  // part of it (else it is stripped, and the confirmed form asks again).
  const action = <Shape extends z.ZodRawShape>(body: z.ZodObject<Shape>) => ({
    schema: { params: CaseParamsSchema, body: body.extend(ConfirmationSchema.shape) },
  });

  app.post('/saker/:reference/ta', action(ClaimSchema), (request, reply) =>
    act(
      request,
      reply,
      { name: 'ta', anchor: 'behandling', refusedInput: () => 'notDisqualified' },
      async (summary) => {
        const { body } = request;
        await cases.execute(summary, claimUpdate, {
          actor: actor(request),
          notDisqualified: (body.notDisqualified === 'true') as true,
        });
        return 'Du har tatt saken.';
      },
    ),
  );

  app.post('/saker/:reference/inhabil', action(ConflictSchema), (request, reply) =>
    act(request, reply, { name: 'inhabil', anchor: 'behandling', refusedInput: () => 'reason' }, async (summary) => {
      const { body } = request;
      await cases.execute(summary, declareConflictUpdate, { actor: actor(request), reason: body.reason });
      return 'Inhabiliteten er registrert. Saken er frigitt til andre.';
    }),
  );

  app.post('/saker/:reference/tildel', action(AssignSchema), (request, reply) =>
    act(
      request,
      reply,
      { name: 'tildel', anchor: 'behandling', refusedInput: () => 'assignee' },
      async (summary, detail) => {
        if (request.user!.role !== 'admin') throw app.httpErrors.forbidden('Bare administratorer kan tildele saker.');
        const { assignee } = request.body;
        const target = await users.get(assignee);
        if (!target || target.role !== 'caseworker')
          throw new RefusedError(`${assignee || 'Ingen'} er ikke saksbehandler.`);
        // A queue nobody works on is fixed by giving the chosen caseworker that queue (the page says so before).
        const queue = detail.route?.queue ?? summary.queue;
        const granted = queue && !mayAccessQueue(target, queue);
        if (granted) await users.grantQueue(target.username, queue);
        await cases.execute(summary, assignUpdate, { actor: actor(request), assignee: target.username });
        return granted
          ? `Saken er tildelt ${target.username}, som har fått tilgang til køen «${present.queue(queue)}».`
          : `Saken er tildelt ${target.username}.`;
      },
    ),
  );

  app.post('/saker/:reference/rett', action(CorrectSchema), (request, reply) => {
    const field = (request.body as { field?: unknown } | undefined)?.field;
    return act(
      request,
      reply,
      { name: 'rett', anchor: typeof field === 'string' ? `felt-${field}` : 'soknaden', refusedInput: () => 'value' },
      async (summary) => {
        const { field, value } = request.body;
        const unreadable = unreadableFieldValue(field, value);
        if (unreadable) throw new FieldRefusal('value', unreadable);
        const state = await cases.execute(summary, correctFieldUpdate, {
          actor: actor(request),
          field,
          value: parseFieldValue(field, value),
        });
        const errors = state.findings.filter((f) => f.severity === 'error').length;
        return `Feltet er rettet («${present.field(field)}») og søknaden sjekket på nytt: ${errors} feil, ${state.findings.length - errors} andre funn.`;
      },
    );
  });

  app.post('/saker/:reference/opplysninger', action(InformationSchema), (request, reply) =>
    act(
      request,
      reply,
      {
        name: 'opplysninger',
        anchor: 'behandling',
        refusedInput: () => 'message',
        confirm: (_detail, body) =>
          html`Søkeren får denne meldingen: «${body.message ?? ''}». Saken venter på svar før vedtak.`,
      },
      async (summary) => {
        const { body } = request;
        if (!body.message.trim()) throw new FieldRefusal('message', 'Skriv hva søkeren skal sende.');
        await cases.execute(summary, requestInformationUpdate, {
          actor: actor(request),
          message: body.message,
          reason: body.reason,
        });
        return 'Forespørselen er sendt. Saken venter på søkeren.';
      },
    ),
  );

  // A document held back as another applicant's: taken into this case after all, or opened as a case of its own.
  app.post('/saker/:reference/dokument-avklaring', action(HeldBackSchema), (request, reply) =>
    act(
      request,
      reply,
      {
        name: 'dokument-avklaring',
        anchor: 'funn',
        refusedInput: () => 'decision',
        confirm: (detail, body) => {
          const fileName = detail.documents.find((d) => d.original.key === body.document)?.fileName ?? 'Dokumentet';
          const applicant = detail.application?.applicant?.name ?? detail.summary.applicant ?? 'søkeren';
          return body.decision === 'own-case'
            ? html`Dokumentet «${fileName}» blir en egen sak for søkeren som sendte det. Denne saken (${applicant})
              endres ikke.`
            : html`Dokumentet «${fileName}» tas inn i denne saken: det som står i det, også søkeren, erstatter det saken
              har fra ${applicant}, og søknaden sjekkes på nytt.`;
        },
      },
      async (summary) => {
        const { document, decision } = request.body;
        const state = await cases.execute(summary, decideUnrelatedDocumentUpdate, {
          actor: actor(request),
          document,
          decision,
        });
        if (decision === 'take-in') return 'Dokumentet er tatt inn i saken, og søknaden er sjekket på nytt.';
        const openedAs = state.documents?.find((d) => d.original.key === document)?.openedAs;
        return openedAs ? `Dokumentet er opprettet som egen sak ${openedAs}.` : 'Dokumentet er opprettet som egen sak.';
      },
    ),
  );

  const kindNames = (kind: string | string[] | undefined) =>
    present.decisionKind(typeof kind === 'string' ? kind : undefined).toLowerCase();
  const grants = (kind: unknown) => kind === 'approved-in-full' || kind === 'approved-in-part';

  /** What the page can tell at once about a proposal, before it asks to confirm (the workflow checks the rest). */
  function checkProposal(body: KeptForm['values'] | z.infer<typeof ProposeSchema>): void {
    const amount = typeof body.amount === 'string' ? body.amount : undefined;
    const explanation = typeof body.explanation === 'string' ? body.explanation : '';
    if (grants(body.kind) && typeof parseAmount(amount) !== 'number')
      throw new FieldRefusal('amount', 'Skriv beløpet i hele kroner, f.eks. 150 000.');
    if (!grants(body.kind) && !explanation.trim())
      throw new FieldRefusal('explanation', 'Skriv en begrunnelse med egne ord.');
  }

  // Decisions: the caseworker's proposal, and the approver's approval or return (web/routes/approvals.ts approves
  // many).
  app.post('/saker/:reference/innstilling', action(ProposeSchema), (request, reply) =>
    act(
      request,
      reply,
      {
        name: 'innstilling',
        anchor: 'behandling',
        refusedInput: (body) => (grants(body.kind) ? 'amount' : 'explanation'),
        confirm: (detail, body) => {
          checkProposal(body);
          const applicant = detail.application?.applicant?.name ?? detail.summary.applicant ?? 'søkeren';
          const amount = grants(body.kind)
            ? html` med ${formatNok(Number(parseAmount(String(body.amount ?? ''))) || undefined)}`
            : '';
          const pending = detail.informationRequests.some((r) => !r.answeredAt)
            ? ' Søkeren har ennå ikke svart på forespørselen om opplysninger; svaret blir ikke vurdert.'
            : '';
          return html`Du innstiller på ${kindNames(body.kind)} for søknaden fra ${applicant}${amount}. Innstillingen går
          til godkjenning hos en annen person.${pending}`;
        },
      },
      async (summary) => {
        const { body } = request;
        checkProposal(body);
        await cases.execute(summary, proposeUpdate, { actor: actor(request), grounds: groundsFromForm(body) });
        return 'Innstillingen er sendt til godkjenning.';
      },
    ),
  );

  app.post('/saker/:reference/godkjenn', action(ApproveSchema), (request, reply) =>
    act(
      request,
      reply,
      {
        name: 'godkjenn',
        anchor: 'behandling',
        refusedInput: () => 'notDisqualified',
        confirm: (detail) => {
          const proposal = detail.proposals.find((p) => p.seq === request.body.proposal);
          return html`Du godkjenner innstillingen fra ${proposal?.by ?? 'saksbehandleren'}
          (${kindNames(proposal?.grounds.kind)}). Vedtaket fattes, og vedtaksbrevet skrives og sendes.`;
        },
      },
      async (summary) => {
        assertApprover(request);
        const { body } = request;
        const state = await cases.approve(summary, {
          actor: actor(request),
          proposal: body.proposal,
          notDisqualified: (body.notDisqualified === 'true') as true,
        });
        return `Vedtaket er fattet (${state.decision?.outcome === 'approved' ? 'innvilget' : 'avslått'}). Vedtaksbrevet skrives og sendes.`;
      },
    ),
  );

  app.post('/saker/:reference/send-tilbake', action(ReturnSchema), (request, reply) =>
    act(
      request,
      reply,
      { name: 'send-tilbake', anchor: 'behandling', refusedInput: () => 'comment' },
      async (summary) => {
        assertApprover(request);
        const { body } = request;
        await cases.execute(summary, returnProposalUpdate, {
          actor: actor(request),
          proposal: body.proposal,
          comment: body.comment,
        });
        return 'Innstillingen er sendt tilbake til saksbehandleren.';
      },
    ),
  );

  // After the letter (SPEC §6): an acceptance that came another way, the payment's two persons, the report, appeals.
  // The page says at once what the domain's own rules refuse (`schemas/payment.ts`); the workflow checks it again.

  /** The case's payment the form names, or a refusal beside the form. */
  function paymentOf(detail: CaseDetail, paymentId: unknown): Payment {
    const payment = detail.followUp?.payments.find((p) => p.paymentId === paymentId);
    if (!payment) throw new FieldRefusal('paymentId', 'Utbetalingen finnes ikke i saken.');
    return payment;
  }
  const paymentLine = (p: Payment) =>
    html`${formatNok(p.amount)} til konto ${formatBankAccount(p.bankAccount)} (org.nr. ${p.organisationNumber})`;

  function checkAcceptance(body: KeptForm['values']): void {
    const digits = String(body.bankAccount ?? '').replace(/[\s.]/g, '');
    if (!/^\d{11}$/.test(digits) || !isValidBankAccount(digits))
      throw new FieldRefusal('bankAccount', 'Kontonummeret er ikke gyldig: skriv 11 siffer, f.eks. 1234 56 78903.');
    if (body.receivedAt && !/^\d{4}-\d{2}-\d{2}$/.test(String(body.receivedAt)))
      throw new FieldRefusal('receivedAt', 'Skriv datoen som dd.mm.åååå.');
  }

  app.post('/saker/:reference/aksept', action(AcceptanceSchema), (request, reply) =>
    act(
      request,
      reply,
      {
        name: 'aksept',
        anchor: 'oppfolging',
        refusedInput: () => 'bankAccount',
        confirm: (detail, body) => {
          checkAcceptance(body);
          const applicant = detail.application?.applicant?.name ?? detail.summary.applicant ?? 'søkeren';
          return html`Du registrerer aksepten fra ${applicant} med kontonummer
          ${formatBankAccount(String(body.bankAccount).replace(/[\s.]/g, ''))}. Utbetalingen klargjøres.`;
        },
      },
      async (summary) => {
        const { body } = request;
        checkAcceptance(body);
        await cases.followUp(summary, recordAcceptance, {
          actor: actor(request),
          bankAccount: body.bankAccount,
          ...(body.signedBy.trim() && { signedBy: body.signedBy.trim() }),
          ...(body.receivedAt && { receivedAt: new Date(`${body.receivedAt}T12:00:00Z`).toISOString() }),
          ...(body.note.trim() && { note: body.note.trim() }),
        });
        return 'Aksepten er registrert. Utbetalingen er klargjort for attestering.';
      },
    ),
  );

  app.post('/saker/:reference/attester', action(PaymentSchema), (request, reply) =>
    act(
      request,
      reply,
      {
        name: 'attester',
        anchor: 'skjema-utbetaling',
        refusedInput: () => 'paymentId',
        confirm: (detail, body) => {
          const payment = paymentOf(detail, body.paymentId);
          const attested = attestPayment(payment, actor(request), new Date().toISOString());
          if (!attested.ok) throw new FieldRefusal('paymentId', attested.refusal);
          return html`Du attesterer utbetalingen av ${paymentLine(payment)}: beløp, konto og vilkår er riktige. En annen
          person med budsjettdisponeringsmyndighet må godkjenne den.`;
        },
      },
      async (summary) => {
        await cases.followUp(summary, attestCasePayment, {
          actor: actor(request),
          paymentId: request.body.paymentId,
        });
        return 'Utbetalingen er attestert. Den venter på godkjenning av en annen person.';
      },
    ),
  );

  app.post('/saker/:reference/godkjenn-utbetaling', action(PaymentSchema), (request, reply) =>
    act(
      request,
      reply,
      {
        name: 'godkjenn-utbetaling',
        anchor: 'skjema-utbetaling',
        refusedInput: () => 'paymentId',
        confirm: (detail, body) => {
          const payment = paymentOf(detail, body.paymentId);
          const user = request.user!;
          const approved = approvePayment(
            payment,
            { by: user.username, hasBudgetAuthority: user.budgetAuthority },
            new Date().toISOString(),
          );
          if (!approved.ok) throw new FieldRefusal('paymentId', approved.refusal);
          return html`Du godkjenner utbetalingen av ${paymentLine(payment)}, attestert av ${payment.attested?.by}. Den
          går med i neste utbetalingskjøring.`;
        },
      },
      async (summary) => {
        await cases.followUp(summary, approveCasePayment, {
          actor: actor(request),
          paymentId: request.body.paymentId,
          hasBudgetAuthority: request.user!.budgetAuthority,
        });
        return 'Utbetalingen er godkjent og går med i neste utbetalingskjøring.';
      },
    ),
  );

  /** The report's assessment as the workflow takes it, or a refusal beside the input it concerns. */
  function reportAssessment(body: KeptForm['values'] | z.infer<typeof ReportSchema>) {
    const outcome = ReportSchema.shape.outcome.parse(body.outcome);
    const comment = typeof body.comment === 'string' ? body.comment.trim() : '';
    const amount = parseAmount(typeof body.amount === 'string' ? body.amount : '');
    if (outcome === 'claim-back' && (typeof amount !== 'number' || amount <= 0))
      throw new FieldRefusal('amount', 'Skriv beløpet som kreves tilbake, i hele kroner, f.eks. 50 000.');
    if (!comment) throw new FieldRefusal('comment', 'Skriv en begrunnelse.');
    return { outcome, comment, ...(outcome === 'claim-back' && { amount: amount as number }) };
  }

  app.post('/saker/:reference/rapport', action(ReportSchema), (request, reply) =>
    act(
      request,
      reply,
      {
        name: 'rapport',
        anchor: 'oppfolging',
        refusedInput: () => 'comment',
        confirm: (_detail, body) => {
          const assessment = reportAssessment(body);
          return {
            approve: html`Du godkjenner rapporten. Saken avsluttes, og en eventuell tilbakeholdt del utbetales.`,
            'ask-more': html`Søkeren får brev om å sende mer. Saken venter på en ny rapport.`,
            'claim-back': html`Søkeren får brev med krav om å betale tilbake ${formatNok(assessment.amount)}. Beløpet
            går tilbake til rammen.`,
          }[assessment.outcome];
        },
      },
      async (summary) => {
        await cases.followUp(summary, assessReport, { actor: actor(request), ...reportAssessment(request.body) });
        return 'Vurderingen av rapporten er lagret.';
      },
    ),
  );

  /** The appeal's decision as the workflow takes it, or a refusal beside the input it concerns. */
  function appealDecision(body: KeptForm['values'] | z.infer<typeof AppealSchema>) {
    const outcome = AppealSchema.shape.outcome.parse(body.outcome);
    const comment = typeof body.comment === 'string' ? body.comment.trim() : '';
    const amount = parseAmount(typeof body.amountGranted === 'string' ? body.amountGranted : '');
    if (outcome === 'change' && (typeof amount !== 'number' || amount < 0))
      throw new FieldRefusal('amountGranted', 'Skriv det nye innvilgede beløpet i hele kroner, f.eks. 150 000.');
    if (!comment) throw new FieldRefusal('comment', 'Skriv en begrunnelse.');
    return {
      appeal: Number(body.appeal),
      outcome,
      comment,
      ...(outcome === 'change' && { amountGranted: amount as number }),
    };
  }

  app.post('/saker/:reference/klage', action(AppealSchema), (request, reply) =>
    act(
      request,
      reply,
      {
        name: 'klage',
        anchor: 'oppfolging',
        refusedInput: () => 'comment',
        confirm: (_detail, body) => {
          const decision = appealDecision(body);
          return decision.outcome === 'change'
            ? html`Du endrer vedtaket (forvaltningsloven § 33): nytt beløp ${formatNok(decision.amountGranted)}. Søkeren
              får nytt vedtaksbrev, og rammen justeres.`
            : html`Du opprettholder vedtaket. Klagen sendes til klageinstansen.`;
        },
      },
      async (summary) => {
        await cases.followUp(summary, decideAppeal, { actor: actor(request), ...appealDecision(request.body) });
        return 'Klagen er avgjort.';
      },
    ),
  );

  // The documents: the original only as a download; what the page shows, rendered so that nothing in it runs.
  async function authorisedDocument(
    request: FastifyRequest,
    { reference, index }: z.infer<typeof DocumentParamsSchema>,
  ) {
    const summary = await authorisedCase(app, request, reference);
    const record = await cases.record(summary);
    if (record?.route) assertQueueAccess(request.user!, record.route.queue);
    const listed = record ? documentsOf(record) : [];
    const document = listed[index];
    if (!document) throw app.httpErrors.notFound('Dokumentet finnes ikke.');
    return document;
  }

  app.get(
    '/saker/:reference/dokumenter/:index/original',
    { schema: { params: DocumentParamsSchema } },
    async (request, reply) => {
      const document = await authorisedDocument(request, request.params);
      const bytes = await documents.original(document);
      const ascii = document.fileName.replace(/[^\x20-\x7e]|["\\<>;]/g, '_');
      return reply
        .header('content-type', 'application/octet-stream')
        .header(
          'content-disposition',
          `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(document.fileName)}`,
        )
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(bytes);
    },
  );

  app.get(
    '/saker/:reference/dokumenter/:index/sider/:page',
    { schema: { params: PageParamsSchema } },
    async (request, reply) => {
      const { page } = request.params;
      const document = await authorisedDocument(request, request.params);
      const view = await documents.view(document);
      if (view.kind !== 'pdf' || page > view.pages) throw app.httpErrors.notFound('Siden finnes ikke.');
      return reply
        .type('image/png')
        .header('cache-control', 'private, max-age=300')
        .send(await documents.page(document, page));
    },
  );

  // Where a field's source stands on a scanned page: OCR word boxes, read when «Vis kilde» asks for them.
  app.get(
    '/saker/:reference/dokumenter/:index/kilde',
    { schema: { params: DocumentParamsSchema, querystring: SourceQuerySchema } },
    async (request) => {
      const { side, tekst } = request.query;
      const document = await authorisedDocument(request, request.params);
      const view = await documents.view(document);
      if (view.kind !== 'pdf' && view.kind !== 'image')
        throw app.httpErrors.notFound('Dokumentet har ingen sider å lese.');
      if (view.kind === 'pdf' && side > view.pages) throw app.httpErrors.notFound('Siden finnes ikke.');
      return { boxes: await documents.locateByOcr(document, view, view.kind === 'pdf' ? side : 1, tekst) };
    },
  );

  app.get(
    '/saker/:reference/dokumenter/:index/bilde',
    { schema: { params: DocumentParamsSchema } },
    async (request, reply) => {
      const document = await authorisedDocument(request, request.params);
      const view = await documents.view(document);
      if (view.kind !== 'image') throw app.httpErrors.notFound('Dokumentet er ikke et bilde.');
      return reply
        .type(view.contentType)
        .header('cache-control', 'private, max-age=300')
        .send(await documents.original(document));
    },
  );
};

export default caseRoutes;
