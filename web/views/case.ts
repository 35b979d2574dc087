import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FieldPath, Provenance } from '../../schemas/application.ts';
import type { AuditEntry } from '../../schemas/assessment.ts';
import type { Proposal } from '../../schemas/assessment/state.ts';
import { isGrant, type DecisionGrounds, type DecisionKind } from '../../schemas/decision-grounds.ts';
import type { PotBalance } from '../../schemas/ledger.ts';
import { valueAt } from '../../schemas/rules/fields.ts';
import type { Scheme } from '../../schemas/scheme.ts';
import { potFor } from '../../schemas/validate.ts';
import type { CaseDetail } from '../cases.ts';
import { locate, type DocumentView } from '../documents.ts';
import {
  decidedKindLabels,
  formatDate,
  formatDateTime,
  formatDuration,
  formatNok,
  methodLabels,
  severityLabels,
  valueText,
} from '../format.ts';
import {
  confirmStep,
  fieldError,
  invalidAttributes,
  keptChoices,
  keptFor,
  keptValue,
  type KeptForm,
} from '../forms.ts';
import { html, seg, trusted, type SafeHtml } from '../html.ts';
import type { Flash } from '../plugins/security.ts';
import { isTechnicalFinding, presenter, type Presenter } from '../present.ts';
import type { SignedInUser } from '../users.ts';
import { followUpActions, timelineSection } from './follow-up.ts';
import { csrfField, layout } from './layout.ts';

export interface CasePageInput {
  detail: CaseDetail;
  user: SignedInUser;
  schemes: Scheme[];
  /** The document shown, by its index in `detail.documents`. */
  documentIndex: number;
  view?: DocumentView;
  /** Every caseworker an admin can give the case to, and whether the case's queue is already theirs. */
  caseworkers: Array<{ username: string; hasQueue: boolean }>;
  /** What is left in the case's pot, live from its ledger (an open case with a pot). */
  potBalance?: PotBalance;
  temporalUiLink?: string;
  flash?: Flash;
  /** A form sent back as the user filled it in (refused, or waiting for confirmation). */
  kept?: KeptForm;
  now: number;
}

/** Audit events that start a new step of the case (what its waiting time counts from). */
const stepEvents = new Set([
  'claimed',
  'assigned',
  'conflict-declared',
  'information-requested',
  'document-added',
  'supplement-received',
  'proposed',
  'returned',
  'approved',
  'decided',
]);

/** Since when the case has waited in its current step: its last step in the audit log, else since it came in. */
export function stepSince(detail: CaseDetail): string | undefined {
  const last = [...detail.history].reverse().find((e) => stepEvents.has(e.event));
  return last?.at ?? detail.summary.startedAt?.toISOString() ?? detail.record?.recordedAt;
}

const roleLabels: Record<string, string> = {
  application: 'søknad',
  appendix: 'vedlegg',
  supplement: 'ettersendt',
  'e-mail': 'e-post',
  unrelated: 'fra en annen søker',
  letter: 'utgående brev',
};

export function casePage(request: FastifyRequest, reply: FastifyReply, input: CasePageInput): string {
  const { detail, user, schemes, documentIndex, view } = input;
  const present = presenter(schemes);
  const ref = detail.summary.reference;
  const base = `/saker/${seg(ref)}`;
  const schemeId = detail.application?.schemeId ?? detail.summary.scheme;
  const scheme = schemes.find((s) => s.id === schemeId);
  const asked = present.fields(schemeId);
  // Findings about fields the scheme does not ask are not the applicant's to answer; installation notes are for admins.
  const shownFindings = detail.findings.filter(
    (f) => (!f.field || asked.includes(f.field as FieldPath)) && (user.role === 'admin' || !isTechnicalFinding(f.code)),
  );
  const errors = shownFindings.filter((f) => f.severity === 'error').length;
  const pot = detail.pot ?? (scheme ? potFor(scheme, detail.application?.project?.category) : undefined);
  const since = stepSince(detail);
  const started = detail.summary.startedAt;
  const serviceDeadline =
    scheme && started && detail.open ? new Date(started.getTime() + scheme.serviceDays * 86_400_000) : undefined;
  const applicant = detail.application?.applicant?.name ?? detail.summary.applicant;
  const isAssignee = detail.assignee === user.username;
  const disqualified = detail.conflicts.some((c) => c.actor === user.username);
  const document = detail.documents[documentIndex];
  const documentBase = `${base}/dokumenter/${documentIndex}`;
  // A value was read from the document its provenance names (a supplement, a form that came after its appendix), else
  // from the application document; its source is marked when that document is the one shown.
  const applicationIndex = Math.max(
    0,
    detail.documents.findIndex((d) => d.role === 'application'),
  );
  const sourceIndex = (provenance: Provenance) =>
    provenance.document ? detail.documents.findIndex((d) => d.original.key === provenance.document) : applicationIndex;
  const pdfLayout = view?.kind === 'pdf' ? view.layout : undefined;

  const facts = html`<dl class="facts">
    <div>
      <dt>Status</dt>
      <dd>
        <span class="status status-${detail.status}">${present.status(detail.status, detail.open ? errors : 0)}</span
        >${detail.late ? html` <span class="badge late">forsinket</span>` : ''}
      </dd>
    </div>
    <div>
      <dt>Kø</dt>
      <dd>${present.queue(detail.route?.queue ?? detail.summary.queue)}</dd>
    </div>
    <div>
      <dt>Ordning</dt>
      <dd>${present.scheme(schemeId)}</dd>
    </div>
    <div>
      <dt>Mottatt</dt>
      <dd>${formatDate(detail.summary.receivedAt)}</dd>
    </div>
    ${
      detail.open && since
        ? html`<div class="waiting">
            <dt>I dette steget</dt>
            <dd>
              ${formatDuration(input.now - new Date(since).getTime())} <small>(siden ${formatDateTime(since)})</small>
            </dd>
          </div>`
        : ''
    }
    ${
      serviceDeadline
        ? html`<div class="service-deadline">
            <dt>Behandlingsfrist</dt>
            <dd>
              ${formatDate(serviceDeadline)}${serviceDeadline.getTime() < input.now ? html` <span class="badge late">passert</span>` : ''}
            </dd>
          </div>`
        : ''
    }
    <div>
      <dt>Saksbehandler</dt>
      <dd>${detail.assignee ?? 'ingen'}</dd>
    </div>
    ${
      detail.route
        ? html`<div>
            <dt>Prioritet</dt>
            <dd>
              ${{ high: 'høy', normal: 'normal', low: 'lav' }[detail.route.priority]}${detail.route.priorityReason ? html` <small>(${detail.route.priorityReason})</small>` : ''}
            </dd>
          </div>`
        : ''
    }
    ${
      pot
        ? html`<div>
            <dt>Ramme</dt>
            <dd>${formatNok(pot.amount)} <small>${pot.description}</small></dd>
          </div>`
        : ''
    }
    ${
      input.temporalUiLink
        ? html`<div>
            <dt>Arbeidsflyt</dt>
            <dd><a href="${input.temporalUiLink}" rel="noopener noreferrer" target="_blank">Åpne i Temporal UI</a></dd>
          </div>`
        : ''
    }
  </dl>`;

  const documentTabs = html`<nav class="doc-tabs" aria-label="Dokumenter">
    ${detail.documents.map(
      (d, i) =>
        html`<a
          href="${base}?dokument=${i}"
          class="${i === documentIndex ? 'active' : ''}"
          ${i === documentIndex ? html`aria-current="page"` : ''}
          >${d.fileName} <small>(${roleLabels[d.role] ?? d.role})</small></a
        >`,
    )}
  </nav>`;

  const documentPane = html`<section class="document-pane" aria-label="Dokument">
    ${documentTabs}
    ${
      document
        ? html`<p class="doc-meta">
              <span class="file-name">${document.fileName}</span> ·
              <a href="${documentBase}/original" download>Last ned originalen</a>
              <small>SHA-256 ${document.original.sha256.slice(0, 12)}…</small>
            </p>
            <p id="source-note" aria-live="polite"></p>
            ${renderView(view, documentBase)}`
        : html`<p>Ingen dokumenter ennå.</p>`
    }
  </section>`;

  const findingId = (i: number) => `funn-${i + 1}`;
  const findings = html`<section class="findings" id="funn">
    <h2>Funn <small>${shownFindings.length}</small></h2>
    ${
      shownFindings.length === 0
        ? html`<p class="empty">Ingen funn.</p>`
        : html`<ul>
            ${shownFindings.map(
              (f, i) =>
                html`<li
                  class="finding finding-${f.severity}"
                  id="${findingId(i)}"
                  data-code="${f.code}"
                  ${f.field ? html`data-field="${f.field}"` : ''}
                >
                  <span class="badge ${f.severity}">${severityLabels[f.severity] ?? f.severity}</span>
                  ${f.field ? html`<a href="#felt-${f.field}" class="finding-field" data-field="${f.field}">${present.field(f.field)}</a>: ` : ''}<span
                    class="message"
                    >${f.message}</span
                  >
                  ${isTechnicalFinding(f.code) ? html` <small class="admin-only">(teknisk merknad, vises bare for administratorer)</small>` : ''}
                </li>`,
            )}
          </ul>`
    }
    ${heldBackDocuments(reply, base, input, isAssignee)}
  </section>`;

  const canCorrect = detail.open && isAssignee && detail.application !== undefined;
  const fieldRows = asked.map((field) => {
    const value = detail.application ? valueAt(detail.application, field) : undefined;
    const provenance = detail.provenance[field];
    const fromIndex = provenance && provenance.method !== 'correction' ? sourceIndex(provenance) : -1;
    const shown = fromIndex === documentIndex;
    const boxes = shown && pdfLayout && provenance?.page ? locate(pdfLayout, provenance.page, provenance.source) : [];
    // A page without a text layer (a scan): the page's OCR words are asked for when the source is to be shown.
    const scanned =
      shown &&
      provenance?.source &&
      (view?.kind === 'image' || (pdfLayout && provenance.page && !pdfLayout.pages[provenance.page - 1]?.words.length));
    const ocrUrl = scanned
      ? `${documentBase}/kilde?side=${provenance?.page ?? 1}&tekst=${encodeURIComponent(provenance!.source!.slice(0, 500))}`
      : '';
    const fieldFindings = shownFindings.flatMap((f, i) =>
      f.field === field ? [{ finding: f, id: findingId(i) }] : [],
    );
    const text = present.value(field, value, schemeId);
    return html`<tr
      id="felt-${field}"
      class="field ${fieldFindings.length ? 'has-finding' : ''}"
      data-field="${field}"
      ${shown && provenance?.page ? html`data-page="${provenance.page}"` : ''}
      data-boxes="${boxes.map((b) => `${b.x},${b.y},${b.w},${b.h}`).join(';')}"
      data-source="${shown ? provenance?.source : ''}"
      ${ocrUrl ? html`data-ocr="${ocrUrl}"` : ''}
    >
      <th scope="row">
        ${present.field(field)}${fieldFindings.map(({ finding, id }) => html` <a href="#${id}" class="field-finding badge ${finding.severity}" title="${finding.message}">${severityLabels[finding.severity] ?? finding.severity}</a>`)}
      </th>
      <td class="value">${text === '' ? html`<span class="missing">mangler</span>` : text}</td>
      <td class="confidence">${provenance ? `${Math.round(provenance.confidence * 100)} %` : ''}</td>
      <td class="provenance">
        ${
          provenance
            ? html`<span class="method"
                  >${methodLabels[provenance.method] ?? provenance.method}${provenance.method === 'correction' ? html` (${provenance.source})` : provenance.page ? `, side ${provenance.page}` : ''}</span
                >
                ${
                  provenance.method !== 'correction' && provenance.source
                    ? shown
                      ? html`<button type="button" class="locate link" title="Vis i dokumentet">Vis kilde</button
                          ><q class="source">${provenance.source}</q>`
                      : fromIndex >= 0
                        ? html`<a class="link" href="${base}?dokument=${fromIndex}#felt-${field}"
                              >Vis kilde i ${detail.documents[fromIndex]!.fileName}</a
                            ><q class="source">${provenance.source}</q>`
                        : html`<q class="source">${provenance.source}</q>`
                    : ''
                }`
            : ''
        }
        ${canCorrect ? correctionForm(reply, base, field, value, scheme, present, keptFor(input.kept, 'rett')) : ''}
      </td>
    </tr>`;
  });

  const correctingHint =
    !detail.open || !detail.application
      ? ''
      : canCorrect
        ? html`<p class="hint">Rett et felt med «Rett» i raden; søknaden sjekkes på nytt med en gang.</p>`
        : !detail.assignee
          ? html`<p class="hint">Ta saken for å rette felter (se «Behandling» over).</p>`
          : html`<p class="hint">Bare saksbehandleren som har saken, kan rette felter.</p>`;
  const fields = html`<section class="fields" id="soknaden">
    <h2>Søknaden</h2>
    ${correctingHint}
    ${
      detail.application
        ? html`<table class="application">
            <thead>
              <tr>
                <th scope="col">Felt</th>
                <th scope="col">Verdi</th>
                <th scope="col">Sikkerhet</th>
                <th scope="col">Kilde</th>
              </tr>
            </thead>
            <tbody>
              ${fieldRows}
            </tbody>
          </table>`
        : html`<p class="empty">
            ${detail.reading ? 'Dokumentet leses fortsatt. Last siden på nytt om litt.' : 'Det ble ikke lest noen søknad fra dokumentet.'}
          </p>`
    }
  </section>`;

  return layout(
    request,
    reply,
    `Sak ${ref}`,
    html`<div class="case-head">
        <h1>Sak ${ref}${applicant ? html` <span class="applicant">${applicant}</span>` : ''}</h1>
        ${detail.application?.project?.title ? html`<p class="project-title">${detail.application.project.title}</p>` : ''}
        ${facts}
      </div>
      <div class="case">
        ${documentPane}
        <div class="application-pane">
          ${timelineSection(input)} ${actions(reply, base, input, isAssignee, disqualified, applicant, present)}
          ${followUpActions(reply, base, input)} ${findings} ${fields}
          ${journal(detail, present)} ${history(detail, present)}
        </div>
      </div>`,
    input.flash,
  );
}

function renderView(view: DocumentView | undefined, documentBase: string): SafeHtml {
  if (!view) return html`<p class="empty">Dokumentet kan ikke vises. Last det ned for å se det.</p>`;
  switch (view.kind) {
    case 'pdf':
      return html`<div class="pages">
          ${Array.from({ length: view.pages }, (_, i) => i + 1).map(
            (page) =>
              html`<figure class="page" id="side-${page}" data-page="${page}">
                <img src="${documentBase}/sider/${page}" alt="Side ${page}" loading="lazy" />
                <figcaption>Side ${page}</figcaption>
              </figure>`,
          )}
        </div>
        ${view.layout.pages.length > view.pages ? html`<p>Flere sider finnes i originalen.</p>` : ''}`;
    case 'html':
      // The sanitiser's output (allow-listed structure, no attributes but colspan/rowspan): the only markup from a
      // document.
      return html`<div class="docx-view" id="side-1" data-page="1">${trusted(view.html)}</div>`;
    case 'image':
      return html`<figure class="page" id="side-1" data-page="1">
        <img src="${documentBase}/bilde" alt="Skannet dokument" />
      </figure>`;
    case 'text':
      return view.text
        ? html`<div class="text-view">
            ${view.text.pages.map(
              (p) =>
                html`<section class="text-page" id="side-${p.number}" data-page="${p.number}">
                  <h3>Side ${p.number}</h3>
                  <pre>${p.text}</pre>
                </section>`,
            )}
          </div>`
        : html`<p class="empty">Dokumentet kan ikke vises her. Last det ned for å se det.</p>`;
  }
}

function correctionForm(
  reply: FastifyReply,
  base: string,
  field: FieldPath,
  value: unknown,
  scheme: Scheme | undefined,
  present: Presenter,
  kept: KeptForm | undefined,
): SafeHtml {
  const mine = kept?.values.field === field ? kept : undefined;
  const entered = mine?.values.value;
  const attributes = invalidAttributes(mine, 'value');
  let input: SafeHtml;
  if (field === 'project.category' && scheme) {
    const chosen = entered ?? (typeof value === 'string' ? value : '');
    input = html`<select name="value" ${attributes}>
      <option value="" ${scheme.categories.some((c) => c.id === chosen) ? '' : 'selected'}>Velg kategori …</option>
      ${scheme.categories.map((c) => html`<option value="${c.id}" ${c.id === chosen ? 'selected' : ''}>${present.category(scheme.id, c.id)}</option>`)}
    </select>`;
  } else if (field === 'hasOverarchingPlan') {
    const chosen = entered ?? (value === true ? 'true' : value === false ? 'false' : '');
    input = html`<select name="value" ${attributes}>
      <option value="" ${chosen === '' ? 'selected' : ''}>Velg …</option>
      <option value="true" ${chosen === 'true' ? 'selected' : ''}>Ja</option>
      <option value="false" ${chosen === 'false' ? 'selected' : ''}>Nei</option>
    </select>`;
  } else if (field === 'partners' || field === 'project.summary' || field === 'project.targetGroup') {
    input = html`<textarea name="value" rows="3" ${attributes}>
${entered ?? (Array.isArray(value) ? value.join('\n') : valueText(value))}</textarea>`;
  } else {
    input = html`<input name="value" value="${entered ?? present.value(field, value, scheme?.id)}" ${attributes} />`;
  }
  return html`<details class="correct" ${mine ? 'open' : ''}>
    <summary>Rett</summary>
    <form method="post" action="${base}/rett" data-keep-place>
      ${csrfField(reply)}<input type="hidden" name="field" value="${field}" />
      <label>Ny verdi for «${present.field(field)}» ${input}</label>
      ${fieldError(mine, 'value')}
      <button type="submit">Lagre rettelse</button>
    </form>
  </details>`;
}

function actions(
  reply: FastifyReply,
  base: string,
  input: CasePageInput,
  isAssignee: boolean,
  disqualified: boolean,
  applicant: string | undefined,
  present: Presenter,
): SafeHtml {
  const { detail, user } = input;
  if (detail.decision) {
    const d = detail.decision;
    return html`<section class="actions decided" id="behandling">
      <h2>Vedtak</h2>
      <p class="decision decision-${d.outcome}">
        ${d.kind ? decidedKindLabels[d.kind] : d.outcome === 'approved' ? 'Innvilget' : 'Avslått'}${d.amount !== undefined ? html` ${formatNok(d.amount)}` : ''}${d.outcome === 'rejected' && d.reason ? html`: ${d.reason}` : ''}
        <small
          >${d.proposedBy ? html`innstilt av ${d.proposedBy}, ` : ''}godkjent av ${d.decidedBy},
          ${formatDateTime(d.decidedAt)}</small
        >
      </p>
      ${letterStatus(detail)}
    </section>`;
  }
  if (!detail.open)
    return html`<section class="actions" id="behandling">
      <p>Saken kan ikke behandles her (${present.status(detail.status)}).</p>
    </section>`;
  const csrf = csrfField(reply);
  const parts: SafeHtml[] = [];
  const open = detail.informationRequests.find((r) => !r.answeredAt);
  if (disqualified) parts.push(html`<p class="notice">Du har meldt deg inhabil i denne saken.</p>`);
  if (!detail.assignee && !disqualified) {
    parts.push(
      html`<form method="post" action="${base}/ta" class="claim" data-keep-place>
        ${csrf}
        <label class="check"
          ><input type="checkbox" name="notDisqualified" value="true" required /> Jeg bekrefter at jeg ikke er inhabil
          overfor søkeren${applicant ? html` (${applicant})` : ''} eller noen i saken (forvaltningsloven § 6).</label
        >
        <button type="submit" class="primary">Ta saken</button>
        <p><small>Når du har tatt saken, kan du rette felter, be søkeren om opplysninger og fatte vedtak.</small></p>
      </form>`,
    );
  } else if (detail.assignee && !isAssignee) {
    parts.push(html`<p>Saken er tildelt <strong>${detail.assignee}</strong>.</p>`);
  }
  if (open) {
    parts.push(
      html`<p class="notice awaiting">
        Venter på svar fra søkeren (bedt om ${formatDateTime(open.at)}): «${open.message}»
      </p>`,
    );
  }
  const proposal = detail.proposals.find((p) => p.status === 'open');
  if (proposal) parts.push(proposalPanel(reply, base, proposal, input));
  if (isAssignee) {
    if (!proposal) parts.push(proposalForm(reply, base, input, present));
    if (!open) {
      const asking = keptFor(input.kept, 'opplysninger');
      parts.push(
        html`<details class="request-info" ${asking ? 'open' : ''}>
          <summary>Be om flere opplysninger</summary>
          <form method="post" action="${base}/opplysninger" id="skjema-opplysninger" data-keep-place>
            ${csrf}
            <label
              >Melding til søkeren
              <textarea name="message" rows="3" required ${invalidAttributes(asking, 'message')}>
${keptValue(asking, 'message', '')}</textarea>
            </label>
            ${fieldError(asking, 'message')}
            <label
              >Begrunnelse (intern)
              <input
                name="reason"
                required
                value="${keptValue(asking, 'reason', '')}"
                ${invalidAttributes(asking, 'reason')}
            /></label>
            ${fieldError(asking, 'reason')}
            <button type="submit">Send forespørsel</button>
          </form>
          ${confirmStep(reply, `${base}/opplysninger`, asking, 'Bekreft: send forespørselen')}
        </details>`,
      );
    }
  }
  if (!disqualified) {
    parts.push(
      html`<details class="conflict">
        <summary>Meld inhabilitet</summary>
        <form method="post" action="${base}/inhabil" data-keep-place>
          ${csrf}
          <label>Begrunnelse <input name="reason" required /></label>
          <button type="submit">Meld meg inhabil</button>
          <p><small>Saken frigis til andre, og du kan ikke ta den igjen.</small></p>
        </form>
      </details>`,
    );
  }
  if (user.role === 'admin') {
    const queue = present.queue(detail.route?.queue ?? detail.summary.queue);
    const assigning = keptFor(input.kept, 'tildel');
    parts.push(
      html`<form method="post" action="${base}/tildel" class="assign" data-keep-place>
        ${csrf}
        <label
          >Tildel saksbehandler
          <select name="assignee" required ${invalidAttributes(assigning, 'assignee')}>
            <option value="">Velg …</option>
            ${input.caseworkers.map(
              (c) =>
                html`<option
                  value="${c.username}"
                  ${c.username === keptValue(assigning, 'assignee', detail.assignee ?? '') ? 'selected' : ''}
                >
                  ${c.username}${c.hasQueue ? '' : ' – ikke i køen (får tilgang til den)'}
                </option>`,
            )}
          </select></label
        >
        ${fieldError(assigning, 'assignee')}
        ${input.caseworkers.length === 0 ? html`<p class="notice">Det finnes ingen saksbehandlere. Legg til en med <code>grant-intake user add</code>.</p>` : ''}
        ${input.caseworkers.some((c) => !c.hasQueue) ? html`<p><small>En saksbehandler utenfor køen «${queue}» får tilgang til køen når saken tildeles.</small></p>` : ''}
        <button type="submit">Tildel</button>
      </form>`,
    );
  }
  return html`<section class="actions" id="behandling">
    <h2>Behandling</h2>
    ${parts}
  </section>`;
}

// Proposal and approval (innstilling og vedtak): the caseworker's form, the open proposal with the approver's actions.

const decisionKinds: DecisionKind[] = ['approved-in-full', 'approved-in-part', 'rejected', 'dismissed'];

function potLine(balance: PotBalance | undefined): SafeHtml {
  if (!balance) return html``;
  return html`<p class="pot-balance">
    Igjen i rammen «${balance.name}»: <strong>${formatNok(balance.remaining)}</strong>
    <small
      >(ramme ${formatNok(balance.allocation)}, reservert ${formatNok(balance.reserved)}, innvilget
      ${formatNok(balance.committed)})</small
    >
  </p>`;
}

function proposalForm(reply: FastifyReply, base: string, input: CasePageInput, present: Presenter): SafeHtml {
  const { detail } = input;
  const scheme = input.schemes.find((s) => s.id === detail.application?.schemeId);
  const requested = detail.application?.budget?.amountRequested;
  const returned = detail.proposals.filter((p) => p.returned).at(-1);
  const kept = keptFor(input.kept, 'innstilling');
  const kind = keptValue(kept, 'kind', decisionKinds[0]!);
  const reasons = keptChoices(kept, 'reasons', []);
  const conditions = keptChoices(
    kept,
    'conditions',
    (scheme?.decisions.conditions ?? []).map((c) => c.id),
  );
  return html`<form method="post" action="${base}/innstilling" class="propose" id="skjema-innstilling" data-keep-place>
      ${csrfField(reply)}
      <h3>Innstilling</h3>
      ${returned ? html`<p class="notice returned">Sendt tilbake av ${returned.returned!.by} (${formatDateTime(returned.returned!.at)}): «${returned.returned!.comment}»</p>` : ''}
      ${potLine(input.potBalance)}
      <fieldset>
        <legend>Vedtak</legend>
        ${decisionKinds.map((k) => html`<label class="check"><input type="radio" name="kind" value="${k}" ${k === kind ? 'checked' : ''} /> ${present.decisionKind(k)}</label>`)}
      </fieldset>
      ${fieldError(kept, 'kind')}
      <label
        >Beløp (kr)
        <input
          name="amount"
          inputmode="numeric"
          value="${keptValue(kept, 'amount', requested === undefined ? '' : String(requested))}"
          ${invalidAttributes(kept, 'amount')}
      /></label>
      ${fieldError(kept, 'amount')}
      <fieldset>
        <legend>Begrunnelse</legend>
        ${(scheme?.decisions.reasons ?? []).map((r) => html`<label class="check"><input type="checkbox" name="reasons" value="${r.id}" ${reasons.includes(r.id) ? 'checked' : ''} /> ${r.text.nb}</label>`)}
        <label
          >Med egne ord
          <textarea name="explanation" rows="2" ${invalidAttributes(kept, 'explanation')}>
${keptValue(kept, 'explanation', '')}</textarea>
        </label>
        ${fieldError(kept, 'explanation')}
      </fieldset>
      <fieldset>
        <legend>Vilkår</legend>
        ${(scheme?.decisions.conditions ?? []).map((c) => html`<label class="check"><input type="checkbox" name="conditions" value="${c.id}" ${conditions.includes(c.id) ? 'checked' : ''} /> ${c.text.nb}</label>`)}
        <label
          >Andre vilkår (ett per linje)
          <textarea name="extraConditions" rows="2">${keptValue(kept, 'extraConditions', '')}</textarea>
        </label>
      </fieldset>
      <button type="submit" class="primary">Send til godkjenning</button>
    </form>
    ${confirmStep(reply, `${base}/innstilling`, kept, `Bekreft: send innstillingen (${present.decisionKind(kind).toLowerCase()})`)}`;
}

/** What a proposal says: its kind, amount, reasons and conditions by their names. */
export function proposalSummary(grounds: DecisionGrounds, scheme: Scheme | undefined): SafeHtml {
  const reasons =
    'reasonIds' in grounds
      ? grounds.reasonIds.map((id) => scheme?.decisions.reasons.find((r) => r.id === id)?.text.nb ?? id)
      : [];
  const conditions = isGrant(grounds)
    ? [
        ...grounds.conditionIds.map((id) => scheme?.decisions.conditions.find((c) => c.id === id)?.text.nb ?? id),
        ...grounds.extraConditions,
      ]
    : [];
  return html`<p class="proposal-kind">
      <strong>${decidedKindLabels[grounds.kind]}</strong
      >${isGrant(grounds) ? html` ${formatNok(grounds.amountGranted)}` : ''}
    </p>
    ${reasons.length ? html`<p>Begrunnelse: ${reasons.join('; ')}${'explanation' in grounds ? html` – ${grounds.explanation}` : ''}</p>` : ''}
    ${conditions.length ? html`<p>Vilkår: ${conditions.join('; ')}</p>` : ''}`;
}

function proposalPanel(reply: FastifyReply, base: string, proposal: Proposal, input: CasePageInput): SafeHtml {
  const { user, detail } = input;
  const scheme = input.schemes.find((s) => s.id === detail.application?.schemeId);
  const csrf = csrfField(reply);
  const mayApprove = user.role === 'approver' && user.username !== proposal.by;
  const approving = keptFor(input.kept, 'godkjenn');
  const returning = keptFor(input.kept, 'send-tilbake');
  return html`<div class="proposal" data-proposal="${proposal.seq}">
    <h3>Innstilling til godkjenning</h3>
    <p><small>av ${proposal.by}, ${formatDateTime(proposal.at)}</small></p>
    ${proposalSummary(proposal.grounds, scheme)} ${potLine(input.potBalance)}
    ${
      mayApprove
        ? html`<form method="post" action="${base}/godkjenn" class="approve" id="skjema-godkjenn" data-keep-place>
              ${csrf}<input type="hidden" name="proposal" value="${proposal.seq}" />
              <label class="check"
                ><input
                  type="checkbox"
                  name="notDisqualified"
                  value="true"
                  required
                  ${keptValue(approving, 'notDisqualified', '') === 'true' ? 'checked' : ''}
                  ${invalidAttributes(approving, 'notDisqualified')}
                />
                Jeg bekrefter at jeg ikke er inhabil i saken (forvaltningsloven § 6).</label
              >
              ${fieldError(approving, 'notDisqualified')}
              <button type="submit" class="primary">Godkjenn vedtaket</button>
            </form>
            ${confirmStep(reply, `${base}/godkjenn`, approving, 'Bekreft: godkjenn vedtaket')}
            <details class="send-back" ${returning ? 'open' : ''}>
              <summary>Send tilbake</summary>
              <form method="post" action="${base}/send-tilbake" id="skjema-send-tilbake" data-keep-place>
                ${csrf}<input type="hidden" name="proposal" value="${proposal.seq}" />
                <label
                  >Kommentar til saksbehandleren
                  <textarea name="comment" rows="2" required ${invalidAttributes(returning, 'comment')}>
${keptValue(returning, 'comment', '')}</textarea>
                </label>
                ${fieldError(returning, 'comment')}
                <button type="submit">Send tilbake</button>
              </form>
            </details>`
        : html`<p class="notice">Venter på godkjenning av en annen person.</p>`
    }
  </div>`;
}

/** Where the decision letter is: sent by e-mail, or waiting in the outbox (no SMTP configured). */
function letterStatus(detail: CaseDetail): SafeHtml {
  const [held] = detail.letters;
  if (!held) return html`<p class="letter-status">Vedtaksbrevet skrives og sendes.</p>`;
  const index = detail.documents.findIndex((d) => d.original.key === held.letter.pdf.key);
  const link = index >= 0 ? html` <a href="?dokument=${index}">Vis brevet</a>` : '';
  const delivery = held.delivery;
  if (!delivery) return html`<p class="letter-status">Vedtaksbrevet er skrevet${link}; det sendes.</p>`;
  if (delivery.via === 'outbox')
    return html`<p class="letter-status outbox">
      Vedtaksbrevet ligger i utboksen (${delivery.eml.key}): ingen e-posttjener er satt opp, så det er ikke
      sendt.${link}
    </p>`;
  return html`<p class="letter-status sent">
    Vedtaksbrevet er sendt til ${delivery.delivered.map((d) => d.address).join(', ')}.${link}
  </p>`;
}

/**
 * The documents held back as another applicant's, each with the caseworker's two ways out: take it into this case
 * after all, or open it as a case of its own. Each is irreversible, so it is confirmed first.
 */
function heldBackDocuments(reply: FastifyReply, base: string, input: CasePageInput, isAssignee: boolean): SafeHtml {
  const { detail } = input;
  const held = detail.documents.flatMap((d, index) => (d.role === 'unrelated' && !d.openedAs ? [{ d, index }] : []));
  if (!held.length || !detail.open) return html``;
  const kept = keptFor(input.kept, 'dokument-avklaring');
  // One form per choice: the page's script posts a form's inputs, not which button was pressed.
  const decisions = [
    ['take-in', 'Ta inn i saken'],
    ['own-case', 'Opprett egen sak'],
  ] as const;
  return html`<div class="held-back" id="skjema-dokument-avklaring">
    ${held.map(({ d, index }) => {
      const mine = kept?.values.document === d.original.key ? kept : undefined;
      return html`<div class="held-back-document" data-document="${d.original.key}">
        <p>
          <a href="${base}?dokument=${index}">${d.fileName}</a> er fra en annen søker og er ikke brukt i saken.
        </p>
        ${
          isAssignee
            ? html`${decisions.map(
                ([decision, label]) =>
                  html`<form method="post" action="${base}/dokument-avklaring" class="inline" data-keep-place>
                      ${csrfField(reply)}<input type="hidden" name="document" value="${d.original.key}" />
                      <input type="hidden" name="decision" value="${decision}" />
                      <button type="submit">${label}</button>
                    </form>`,
              )}
                ${fieldError(mine, 'decision')}
                ${confirmStep(
                  reply,
                  `${base}/dokument-avklaring`,
                  mine,
                  mine?.values.decision === 'take-in'
                    ? 'Bekreft: ta dokumentet inn i saken'
                    : 'Bekreft: opprett egen sak',
                )}`
            : html`<p class="hint">Saksbehandleren som har saken, avgjør hva som skal skje med dokumentet.</p>`
        }
      </div>`;
    })}
  </div>`;
}

/** One line of the case's history, from its audit entry, in Bokmål. */
function historyLine(entry: AuditEntry, present: Presenter, schemeId: string | undefined): SafeHtml {
  const who = entry.actor ?? 'Systemet';
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  switch (entry.event) {
    case 'claimed':
      return html`${who} tok saken og erklærte seg ikke inhabil`;
    case 'assigned':
      return html`${who} tildelte saken til ${text(entry.assignee)}`;
    case 'conflict-declared':
      return html`${who} meldte seg inhabil: ${text(entry.reason)}`;
    case 'field-corrected': {
      const field = text(entry.field);
      return html`${who} rettet «${present.field(field)}» fra «${present.value(field, entry.oldValue, schemeId)}» til
      «${present.value(field, entry.newValue, schemeId)}»`;
    }
    case 'information-requested':
      return html`${who} ba søkeren om opplysninger: «${text(entry.message)}»`;
    case 'information-reminder':
      return html`Søkeren ble minnet på forespørselen om opplysninger`;
    case 'document-added':
      return html`Dokument mottatt:
      ${text(entry.fileName)}${entry.request !== undefined ? ' (svar på forespørselen)' : ''}`;
    case 'unrelated-document-decided':
      return entry.decision === 'take-in'
        ? html`${who} tok dokumentet ${text(entry.fileName)} fra en annen søker inn i saken`
        : html`${who} opprettet dokumentet ${text(entry.fileName)} som egen sak ${text(entry.openedAs)}`;
    case 'reminded':
      return html`Behandlingstiden er passert: påminnelse sendt`;
    case 'escalated':
      return html`Saken er forsinket: meldt videre`;
    case 'proposed': {
      const amount = typeof entry.amountGranted === 'number' ? html` på ${formatNok(entry.amountGranted)}` : '';
      const explanation = text(entry.explanation) ? html` («${text(entry.explanation)}»)` : '';
      return html`${who} sendte innstilling til godkjenning:
      ${present.decisionKind(text(entry.kind)).toLowerCase()}${amount}${explanation}`;
    }
    case 'approved':
      return html`${who} godkjente innstillingen:
      ${entry.outcome === 'approved' ? html`innvilget ${formatNok(typeof entry.amount === 'number' ? entry.amount : undefined)}` : 'avslått'}`;
    case 'returned':
      return html`${who} sendte innstillingen tilbake: «${text(entry.comment)}»`;
    case 'letter-written':
      return html`Vedtaksbrevet er skrevet`;
    case 'letter-sent': {
      const delivered = Array.isArray(entry.delivered)
        ? entry.delivered.filter((a): a is string => typeof a === 'string')
        : [];
      return entry.via === 'outbox' || delivered.length === 0
        ? html`Vedtaksbrevet er lagt i utboksen (ikke sendt)`
        : html`Vedtaksbrevet er sendt til ${delivered.join(', ')}`;
    }
    case 'decided':
      return entry.outcome === 'approved'
        ? html`${who} fattet vedtak: innvilget ${formatNok(typeof entry.amount === 'number' ? entry.amount : undefined)}`
        : html`${who} fattet vedtak: avslått (${text(entry.reason)})`;
    default:
      return html`${who}: ${text(entry.message) || text(entry.reason) || 'hendelse i saken'}`;
  }
}

/** The case's entries in the office's journal: what came in and what went out, by running number. */
function journal(detail: CaseDetail, present: Presenter): SafeHtml {
  if (detail.journal.length === 0) return html``;
  return html`<section class="journal" id="journal">
    <h2>Journal</h2>
    <table>
      <thead>
        <tr>
          <th scope="col">Nr.</th>
          <th scope="col">Dato</th>
          <th scope="col">Inn/ut</th>
          <th scope="col">Avsender/mottaker</th>
          <th scope="col">Dokumenttype</th>
          <th scope="col">Tittel</th>
        </tr>
      </thead>
      <tbody>
        ${detail.journal.map(
          (entry) =>
            html`<tr data-journal="${entry.number}">
              <td class="num">${entry.caseId}/${entry.number}</td>
              <td><time datetime="${entry.date}">${formatDate(entry.date)}</time></td>
              <td>${present.journalDirection(entry.direction)}</td>
              <td>${entry.party.name}</td>
              <td>${present.journalKind(entry.kind)}</td>
              <td>${entry.title}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

function history(detail: CaseDetail, present: Presenter): SafeHtml {
  const schemeId = detail.application?.schemeId ?? detail.summary.scheme;
  if (detail.history.length === 0) return html``;
  return html`<section class="history" id="historikk">
    <h2>Historikk</h2>
    <ol>
      ${detail.history.map(
        (entry) =>
          html`<li data-event="${entry.event}">
            <time datetime="${entry.at}">${formatDateTime(entry.at)}</time> ${historyLine(entry, present, schemeId)}
          </li>`,
      )}
    </ol>
  </section>`;
}
