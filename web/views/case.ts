import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FieldPath, Provenance } from '../../schemas/application.ts';
import { fieldLabels, valueAt } from '../../schemas/rules/fields.ts';
import type { Proposal } from '../../schemas/assessment/state.ts';
import { isGrant, type DecisionGrounds, type DecisionKind } from '../../schemas/decision-grounds.ts';
import type { PotBalance } from '../../schemas/ledger.ts';
import type { Scheme } from '../../schemas/scheme.ts';
import type { CaseDetail } from '../cases.ts';
import { locate, type DocumentView } from '../documents.ts';
import { fieldLabel, formatDateTime, formatNok, methodLabels, severityLabels, statusLabel, valueText } from '../format.ts';
import { html, seg, trusted, type SafeHtml } from '../html.ts';
import type { Flash } from '../plugins/security.ts';
import type { SignedInUser } from '../users.ts';
import { csrfField, layout } from './layout.ts';

export interface CasePageInput {
  detail: CaseDetail;
  user: SignedInUser;
  schemes: Scheme[];
  /** The document shown, by its index in `detail.documents`. */
  documentIndex: number;
  view?: DocumentView;
  /** Caseworkers an admin can give the case to (allowed its queue). */
  caseworkers: string[];
  /** What is left in the case's pot, live from its ledger (an open case with a pot). */
  potBalance?: PotBalance;
  temporalUiLink?: string;
  flash?: Flash;
}

const roleLabels: Record<string, string> = { application: 'søknad', appendix: 'vedlegg', supplement: 'ettersendt', 'e-mail': 'e-post', unrelated: 'fra en annen søker', letter: 'utgående brev' };

export function casePage(request: FastifyRequest, reply: FastifyReply, input: CasePageInput): string {
  const { detail, user, schemes, documentIndex, view } = input;
  const ref = detail.summary.reference;
  const base = `/saker/${seg(ref)}`;
  const scheme = schemes.find((s) => s.id === (detail.application?.schemeId ?? detail.summary.scheme));
  const applicant = detail.application?.applicant?.name ?? detail.summary.applicant;
  const isAssignee = detail.assignee === user.username;
  const disqualified = detail.conflicts.some((c) => c.actor === user.username);
  const document = detail.documents[documentIndex];
  const documentBase = `${base}/dokumenter/${documentIndex}`;
  // A value was read from the document its provenance names (a supplement, a form that came after its appendix), else
  // from the application document; its source is marked when that document is the one shown.
  const applicationIndex = Math.max(0, detail.documents.findIndex((d) => d.role === 'application'));
  const sourceIndex = (provenance: Provenance) =>
    provenance.document ? detail.documents.findIndex((d) => d.original.key === provenance.document) : applicationIndex;
  const pdfLayout = view?.kind === 'pdf' ? view.layout : undefined;

  const facts = html`<dl class="facts">
    <div><dt>Status</dt><dd><span class="status status-${detail.status}">${statusLabel(detail.status)}</span>${detail.late ? html` <span class="badge late">forsinket</span>` : ''}</dd></div>
    <div><dt>Kø</dt><dd>${detail.route?.queue ?? detail.summary.queue ?? '–'}</dd></div>
    <div><dt>Ordning</dt><dd>${scheme?.name ?? detail.summary.scheme ?? 'ukjent'}</dd></div>
    <div><dt>Mottatt</dt><dd>${formatDateTime(detail.summary.receivedAt)}</dd></div>
    <div><dt>Saksbehandler</dt><dd>${detail.assignee ?? 'ingen'}</dd></div>
    ${detail.route ? html`<div><dt>Prioritet</dt><dd>${{ high: 'høy', normal: 'normal', low: 'lav' }[detail.route.priority]}${detail.route.priorityReason ? html` <small>(${detail.route.priorityReason})</small>` : ''}</dd></div>` : ''}
    ${detail.pot ? html`<div><dt>Ramme</dt><dd>${formatNok(detail.pot.amount)} <small>${detail.pot.description}</small></dd></div>` : ''}
    ${input.temporalUiLink ? html`<div><dt>Arbeidsflyt</dt><dd><a href="${input.temporalUiLink}" rel="noopener noreferrer" target="_blank">Åpne i Temporal UI</a></dd></div>` : ''}
  </dl>`;

  const documentTabs = html`<nav class="doc-tabs" aria-label="Dokumenter">${detail.documents.map(
    (d, i) => html`<a href="${base}?dokument=${i}" class="${i === documentIndex ? 'active' : ''}" ${i === documentIndex ? html`aria-current="page"` : ''}>${d.fileName} <small>(${roleLabels[d.role] ?? d.role})</small></a>`,
  )}</nav>`;

  const documentPane = html`<section class="document-pane" aria-label="Dokument">
  ${documentTabs}
  ${document
    ? html`<p class="doc-meta"><span class="file-name">${document.fileName}</span> · <a href="${documentBase}/original" download>Last ned originalen</a> <small>SHA-256 ${document.original.sha256.slice(0, 12)}…</small></p>
  <p id="source-note" aria-live="polite"></p>
  ${renderView(view, documentBase)}`
    : html`<p>Ingen dokumenter ennå.</p>`}
</section>`;

  const findings = html`<section class="findings">
  <h2>Funn <small>${detail.findings.length}</small></h2>
  ${detail.findings.length === 0
    ? html`<p class="empty">Ingen funn.</p>`
    : html`<ul>${detail.findings.map(
        (f) => html`<li class="finding finding-${f.severity}" data-code="${f.code}" ${f.field ? html`data-field="${f.field}"` : ''}>
      <span class="badge ${f.severity}">${severityLabels[f.severity] ?? f.severity}</span>
      ${f.field ? html`<a href="#felt-${f.field}" class="finding-field" data-field="${f.field}">${fieldLabel(f.field)}</a>: ` : ''}<span class="message">${f.message}</span>
    </li>`,
      )}</ul>`}
</section>`;

  const canCorrect = detail.open && isAssignee && detail.application !== undefined;
  const fieldRows = (Object.keys(fieldLabels) as FieldPath[]).map((field) => {
    const value = detail.application ? valueAt(detail.application, field) : undefined;
    const provenance = detail.provenance[field];
    const fromIndex = provenance && provenance.method !== 'correction' ? sourceIndex(provenance) : -1;
    const shown = fromIndex === documentIndex;
    const boxes = shown && pdfLayout && provenance?.page ? locate(pdfLayout, provenance.page, provenance.source) : [];
    const hasFinding = detail.findings.some((f) => f.field === field);
    const text = valueText(value);
    return html`<tr id="felt-${field}" class="field ${hasFinding ? 'has-finding' : ''}" data-field="${field}"
      ${shown && provenance?.page ? html`data-page="${provenance.page}"` : ''} data-boxes="${boxes.map((b) => `${b.x},${b.y},${b.w},${b.h}`).join(';')}"
      data-source="${shown ? provenance?.source : ''}">
    <th scope="row">${fieldLabels[field]}</th>
    <td class="value">${text === '' ? html`<span class="missing">mangler</span>` : text}</td>
    <td class="confidence">${provenance ? `${Math.round(provenance.confidence * 100)} %` : ''}</td>
    <td class="provenance">${provenance
      ? html`<span class="method">${methodLabels[provenance.method] ?? provenance.method}${provenance.method === 'correction' ? html` (${provenance.source})` : provenance.page ? `, side ${provenance.page}` : ''}</span>
        ${provenance.method !== 'correction' && provenance.source
          ? shown
            ? html`<button type="button" class="locate link" title="Vis i dokumentet">Vis kilde</button><q class="source">${provenance.source}</q>`
            : fromIndex >= 0
              ? html`<a class="link" href="${base}?dokument=${fromIndex}#felt-${field}">Vis kilde i ${detail.documents[fromIndex]!.fileName}</a><q class="source">${provenance.source}</q>`
              : html`<q class="source">${provenance.source}</q>`
          : ''}`
      : ''}
      ${canCorrect ? correctionForm(reply, base, field, value, scheme) : ''}</td>
  </tr>`;
  });

  const fields = html`<section class="fields">
  <h2>Søknaden</h2>
  ${detail.application
    ? html`<table class="application"><thead><tr><th scope="col">Felt</th><th scope="col">Verdi</th><th scope="col">Sikkerhet</th><th scope="col">Kilde</th></tr></thead><tbody>${fieldRows}</tbody></table>`
    : html`<p class="empty">${detail.reading ? 'Dokumentet leses fortsatt. Last siden på nytt om litt.' : 'Det ble ikke lest noen søknad fra dokumentet.'}</p>`}
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
    ${actions(reply, base, input, isAssignee, disqualified, applicant)}
    ${findings}
    ${fields}
    ${history(detail)}
  </div>
</div>`,
    input.flash,
  );
}

function renderView(view: DocumentView | undefined, documentBase: string): SafeHtml {
  if (!view) return html`<p class="empty">Dokumentet kan ikke vises. Last det ned for å se det.</p>`;
  switch (view.kind) {
    case 'pdf':
      return html`<div class="pages">${Array.from({ length: view.pages }, (_, i) => i + 1).map(
        (page) => html`<figure class="page" id="side-${page}" data-page="${page}"><img src="${documentBase}/sider/${page}" alt="Side ${page}" loading="lazy"><figcaption>Side ${page}</figcaption></figure>`,
      )}</div>${view.layout.pages.length > view.pages ? html`<p>Flere sider finnes i originalen.</p>` : ''}`;
    case 'html':
      // The sanitiser's output (allow-listed structure, no attributes but colspan/rowspan): the only markup from a document.
      return html`<div class="docx-view" id="side-1" data-page="1">${trusted(view.html)}</div>`;
    case 'image':
      return html`<figure class="page" id="side-1" data-page="1"><img src="${documentBase}/bilde" alt="Skannet dokument"></figure>`;
    case 'text':
      return view.text
        ? html`<div class="text-view">${view.text.pages.map((p) => html`<section class="text-page" id="side-${p.number}" data-page="${p.number}"><h3>Side ${p.number}</h3><pre>${p.text}</pre></section>`)}</div>`
        : html`<p class="empty">Dokumentet kan ikke vises her. Last det ned for å se det.</p>`;
  }
}

function correctionForm(reply: FastifyReply, base: string, field: FieldPath, value: unknown, scheme: Scheme | undefined): SafeHtml {
  let input: SafeHtml;
  if (field === 'project.category' && scheme) {
    input = html`<select name="value">${scheme.categories.map((c) => html`<option value="${c.id}" ${c.id === value ? 'selected' : ''}>${c.id}</option>`)}</select>`;
  } else if (field === 'hasOverarchingPlan') {
    input = html`<select name="value"><option value="true" ${value === true ? 'selected' : ''}>Ja</option><option value="false" ${value === false ? 'selected' : ''}>Nei</option></select>`;
  } else if (field === 'partners' || field === 'project.summary' || field === 'project.targetGroup') {
    input = html`<textarea name="value" rows="3">${Array.isArray(value) ? value.join('\n') : valueText(value)}</textarea>`;
  } else {
    input = html`<input name="value" value="${valueText(value)}">`;
  }
  return html`<details class="correct"><summary>Rett</summary>
    <form method="post" action="${base}/rett">${csrfField(reply)}<input type="hidden" name="field" value="${field}">
      <label>Ny verdi for «${fieldLabels[field]}» ${input}</label>
      <button type="submit">Lagre rettelse</button>
    </form></details>`;
}

function actions(reply: FastifyReply, base: string, input: CasePageInput, isAssignee: boolean, disqualified: boolean, applicant: string | undefined): SafeHtml {
  const { detail, user } = input;
  if (detail.decision) {
    const d = detail.decision;
    return html`<section class="actions decided"><h2>Vedtak</h2><p class="decision decision-${d.outcome}">${d.kind ? kindLabels[d.kind] : d.outcome === 'approved' ? 'Innvilget' : 'Avslått'}${d.amount !== undefined ? html` ${formatNok(d.amount)}` : ''}${d.outcome === 'rejected' && d.reason ? html`: ${d.reason}` : ''} <small>${d.proposedBy ? html`innstilt av ${d.proposedBy}, ` : ''}godkjent av ${d.decidedBy}, ${formatDateTime(d.decidedAt)}</small></p>${letterStatus(detail)}</section>`;
  }
  if (!detail.open) return html`<section class="actions"><p>Saken kan ikke behandles her (${statusLabel(detail.status)}).</p></section>`;
  const csrf = csrfField(reply);
  const parts: SafeHtml[] = [];
  if (disqualified) parts.push(html`<p class="notice">Du har meldt deg inhabil i denne saken.</p>`);
  if (!detail.assignee && !disqualified) {
    parts.push(html`<form method="post" action="${base}/ta" class="claim">${csrf}
      <label class="check"><input type="checkbox" name="notDisqualified" value="true" required>
        Jeg bekrefter at jeg ikke er inhabil overfor søkeren${applicant ? html` (${applicant})` : ''} eller noen i saken (forvaltningsloven § 6).</label>
      <button type="submit" class="primary">Ta saken</button>
    </form>`);
  } else if (detail.assignee && !isAssignee) {
    parts.push(html`<p>Saken er tildelt <strong>${detail.assignee}</strong>.</p>`);
  }
  const proposal = detail.proposals.find((p) => p.status === 'open');
  if (proposal) parts.push(proposalPanel(reply, base, proposal, input));
  if (isAssignee) {
    const open = detail.informationRequests.find((r) => !r.answeredAt);
    if (!proposal) parts.push(proposalForm(reply, base, input));
    parts.push(
      open
        ? html`<p class="notice">Venter på opplysninger fra søkeren (bedt om ${formatDateTime(open.at)}).</p>`
        : html`<details class="request-info"><summary>Be om flere opplysninger</summary>
      <form method="post" action="${base}/opplysninger">${csrf}
        <label>Melding til søkeren <textarea name="message" rows="3" required></textarea></label>
        <label>Begrunnelse (intern) <input name="reason" required></label>
        <button type="submit">Send forespørsel</button>
      </form></details>`,
    );
  }
  if (!disqualified) {
    parts.push(html`<details class="conflict"><summary>Meld inhabilitet</summary>
      <form method="post" action="${base}/inhabil">${csrf}
        <label>Begrunnelse <input name="reason" required></label>
        <button type="submit">Meld meg inhabil</button>
        <p><small>Saken frigis til andre, og du kan ikke ta den igjen.</small></p>
      </form></details>`);
  }
  if (user.role === 'admin') {
    parts.push(html`<form method="post" action="${base}/tildel" class="assign">${csrf}
      <label>Tildel saksbehandler <select name="assignee" required><option value="">Velg …</option>${input.caseworkers.map((name) => html`<option value="${name}" ${name === detail.assignee ? 'selected' : ''}>${name}</option>`)}</select></label>
      <button type="submit">Tildel</button>
    </form>`);
  }
  return html`<section class="actions"><h2>Behandling</h2>${parts}</section>`;
}

// Proposal and approval (innstilling og vedtak): the caseworker's form, the open proposal with the approver's actions.

const kindLabels: Record<DecisionKind, string> = {
  'approved-in-full': 'Innvilget i sin helhet',
  'approved-in-part': 'Delvis innvilget',
  rejected: 'Avslått',
  dismissed: 'Avvist',
};

function potLine(balance: PotBalance | undefined): SafeHtml {
  if (!balance) return html``;
  return html`<p class="pot-balance">Igjen i rammen «${balance.name}»: <strong>${formatNok(balance.remaining)}</strong> <small>(ramme ${formatNok(balance.allocation)}, reservert ${formatNok(balance.reserved)}, innvilget ${formatNok(balance.committed)})</small></p>`;
}

function proposalForm(reply: FastifyReply, base: string, input: CasePageInput): SafeHtml {
  const { detail } = input;
  const scheme = input.schemes.find((s) => s.id === detail.application?.schemeId);
  const requested = detail.application?.budget?.amountRequested;
  const returned = detail.proposals.filter((p) => p.returned).at(-1);
  return html`<form method="post" action="${base}/innstilling" class="propose">${csrfField(reply)}
      <h3>Innstilling</h3>
      ${returned ? html`<p class="notice returned">Sendt tilbake av ${returned.returned!.by} (${formatDateTime(returned.returned!.at)}): «${returned.returned!.comment}»</p>` : ''}
      ${potLine(input.potBalance)}
      <fieldset><legend>Vedtak</legend>
        ${(Object.keys(kindLabels) as DecisionKind[]).map((kind, i) => html`<label class="check"><input type="radio" name="kind" value="${kind}" ${i === 0 ? 'checked' : ''}> ${kindLabels[kind]}</label>`)}
      </fieldset>
      <label>Beløp (kr) <input name="amount" inputmode="numeric" value="${requested ?? ''}"></label>
      <fieldset><legend>Begrunnelse</legend>
        ${(scheme?.decisions.reasons ?? []).map((r) => html`<label class="check"><input type="checkbox" name="reasons" value="${r.id}"> ${r.text.nb}</label>`)}
        <label>Med egne ord <textarea name="explanation" rows="2"></textarea></label>
      </fieldset>
      <fieldset><legend>Vilkår</legend>
        ${(scheme?.decisions.conditions ?? []).map((c) => html`<label class="check"><input type="checkbox" name="conditions" value="${c.id}" checked> ${c.text.nb}</label>`)}
        <label>Andre vilkår (ett per linje) <textarea name="extraConditions" rows="2"></textarea></label>
      </fieldset>
      <button type="submit" class="primary">Send til godkjenning</button>
    </form>`;
}

/** What a proposal says: its kind, amount, reasons and conditions by their names. */
export function proposalSummary(grounds: DecisionGrounds, scheme: Scheme | undefined): SafeHtml {
  const reasons = 'reasonIds' in grounds ? grounds.reasonIds.map((id) => scheme?.decisions.reasons.find((r) => r.id === id)?.text.nb ?? id) : [];
  const conditions = isGrant(grounds) ? [...grounds.conditionIds.map((id) => scheme?.decisions.conditions.find((c) => c.id === id)?.text.nb ?? id), ...grounds.extraConditions] : [];
  return html`<p class="proposal-kind"><strong>${kindLabels[grounds.kind]}</strong>${isGrant(grounds) ? html` ${formatNok(grounds.amountGranted)}` : ''}</p>
    ${reasons.length ? html`<p>Begrunnelse: ${reasons.join('; ')}${'explanation' in grounds ? html` – ${grounds.explanation}` : ''}</p>` : ''}
    ${conditions.length ? html`<p>Vilkår: ${conditions.join('; ')}</p>` : ''}`;
}

function proposalPanel(reply: FastifyReply, base: string, proposal: Proposal, input: CasePageInput): SafeHtml {
  const { user, detail } = input;
  const scheme = input.schemes.find((s) => s.id === detail.application?.schemeId);
  const csrf = csrfField(reply);
  const mayApprove = user.role === 'approver' && user.username !== proposal.by;
  return html`<div class="proposal" data-proposal="${proposal.seq}">
    <h3>Innstilling til godkjenning</h3>
    <p><small>av ${proposal.by}, ${formatDateTime(proposal.at)}</small></p>
    ${proposalSummary(proposal.grounds, scheme)}
    ${potLine(input.potBalance)}
    ${mayApprove
      ? html`<form method="post" action="${base}/godkjenn" class="approve">${csrf}<input type="hidden" name="proposal" value="${proposal.seq}">
        <label class="check"><input type="checkbox" name="notDisqualified" value="true" required> Jeg bekrefter at jeg ikke er inhabil i saken (forvaltningsloven § 6).</label>
        <button type="submit" class="primary">Godkjenn vedtaket</button>
      </form>
      <details class="send-back"><summary>Send tilbake</summary>
        <form method="post" action="${base}/send-tilbake">${csrf}<input type="hidden" name="proposal" value="${proposal.seq}">
          <label>Kommentar til saksbehandleren <textarea name="comment" rows="2" required></textarea></label>
          <button type="submit">Send tilbake</button>
        </form></details>`
      : html`<p class="notice">Venter på godkjenning av en annen person.</p>`}
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
  if (delivery.via === 'outbox') return html`<p class="letter-status outbox">Vedtaksbrevet ligger i utboksen (${delivery.eml.key}): ingen e-posttjener er satt opp, så det er ikke sendt.${link}</p>`;
  return html`<p class="letter-status sent">Vedtaksbrevet er sendt til ${delivery.delivered.map((d) => d.address).join(', ')}.${link}</p>`;
}

function history(detail: CaseDetail): SafeHtml {
  const items = [
    ...detail.corrections.map((c) => ({ at: c.at, text: html`${c.by} rettet «${fieldLabel(c.field)}» fra «${valueText(c.oldValue)}» til «${valueText(c.newValue)}»` })),
    ...detail.conflicts.map((c) => ({ at: c.at, text: html`${c.actor} meldte seg inhabil: ${c.reason}` })),
    ...detail.informationRequests.map((r) => ({ at: r.at, text: html`${r.by} ba om opplysninger: ${r.message}${r.answeredAt ? html` (svar mottatt ${formatDateTime(r.answeredAt)})` : ''}` })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  if (items.length === 0) return html``;
  return html`<section class="history"><h2>Historikk</h2><ol>${items.map((i) => html`<li><time>${formatDateTime(i.at)}</time> ${i.text}</li>`)}</ol></section>`;
}
