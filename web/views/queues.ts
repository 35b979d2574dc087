import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, seg, type SafeHtml } from '../html.ts';
import type { CaseSummary } from '../../client/cases.ts';
import { formatDate, formatDuration, formatNok, statusLabels } from '../format.ts';
import { presenter } from '../present.ts';
import type { Scheme } from '../../schemas/scheme.ts';
import { layout, type takeFlash } from './layout.ts';

export interface QueueFilter {
  q?: string;
  status: string;
  scheme?: string;
  queue?: string;
  sort: string;
  dir: 'asc' | 'desc';
}

export interface QueueSection {
  queue: string;
  title: string;
  cases: CaseSummary[];
  /** No caseworker has this queue: its cases wait for nobody (shown to admins). */
  orphan?: boolean;
}

const columns: Array<[sort: string, label: string]> = [
  ['received', 'Mottatt'],
  ['reference', 'Sak'],
  ['scheme', 'Ordning'],
  ['applicant', 'Søker'],
  ['amount', 'Søknadsbeløp'],
  ['findings', 'Funn'],
  ['status', 'Status'],
  ['assignee', 'Saksbehandler'],
  ['waiting', 'I steget'],
];

function query(filter: QueueFilter, change: Partial<QueueFilter>): string {
  const merged = { ...filter, ...change };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(merged)) if (value) params.set(key, String(value));
  return `/?${params}`;
}

/**
 * How long the case has waited in its current step: since its record was last written (every step writes it), else
 * since its workflow started; never since a document's own received date (a 2017 round's «3514 d»).
 */
export const waitingMs = (c: CaseSummary, now: number, stepSince?: Map<string, number>) => {
  const since = stepSince?.get(c.reference) ?? c.startedAt?.getTime();
  return since === undefined ? 0 : (c.closedAt?.getTime() ?? now) - since;
};

export function queuesPage(
  request: FastifyRequest,
  reply: FastifyReply,
  {
    sections,
    filter,
    schemes,
    now,
    stepSince,
    flash,
  }: {
    sections: QueueSection[];
    filter: QueueFilter;
    schemes: Scheme[];
    now: number;
    stepSince: Map<string, number>;
    flash: ReturnType<typeof takeFlash>;
  },
): string {
  const present = presenter(schemes);
  const header = (sort: string, label: string): SafeHtml => {
    const active = filter.sort === sort;
    const dir = active && filter.dir === 'asc' ? 'desc' : 'asc';
    return html`<th scope="col" ${active ? html`aria-sort="${filter.dir === 'asc' ? 'ascending' : 'descending'}"` : ''}>
      <a href="${query(filter, { sort, dir })}">${label}${active ? (filter.dir === 'asc' ? ' ▲' : ' ▼') : ''}</a>
    </th>`;
  };
  const row = (c: CaseSummary) =>
    html`<tr class="${c.late ? 'late' : ''}" data-reference="${c.reference}">
      <td>${formatDate(c.receivedAt)}</td>
      <td><a href="/saker/${seg(c.reference)}">${c.reference}</a></td>
      <td>${c.scheme ? present.scheme(c.scheme) : ''}</td>
      <td>${c.applicant ?? ''}${c.organisationNumber ? html`<br /><small>${c.organisationNumber}</small>` : ''}</td>
      <td class="num">${formatNok(c.amountRequested)}</td>
      <td class="num">
        ${c.errors ? html`<span class="badge error">${c.errors} feil</span>` : ''}
        ${c.warnings ? html`<span class="badge warning">${c.warnings} adv.</span>` : ''}
      </td>
      <td>
        <span class="status status-${c.status}">${present.status(c.status, c.errors)}</span
        >${c.late ? html` <span class="badge late">forsinket</span>` : ''}
      </td>
      <td>${c.assignee ?? ''}</td>
      <td class="num">${waitingMs(c, now, stepSince) ? formatDuration(waitingMs(c, now, stepSince)) : ''}</td>
    </tr>`;
  const statusOptions: Array<[string, string]> = [
    ['open', 'Åpne saker'],
    ['all', 'Alle'],
    ['decided', 'Avgjorte'],
    ...Object.entries(statusLabels),
  ];
  const content = html`<h1>Køer</h1>
    <form method="get" action="/" class="filters" role="search">
      <label>Søk <input type="search" name="q" value="${filter.q ?? ''}" placeholder="søker, org.nr., sak" /></label>
      <label
        >Status
        <select name="status">
          ${statusOptions.map(([value, label]) => html`<option value="${value}" ${filter.status === value ? 'selected' : ''}>${label}</option>`)}
        </select></label
      >
      <label
        >Ordning
        <select name="scheme">
          <option value="">Alle</option>
          ${schemes.map((s) => html`<option value="${s.id}" ${filter.scheme === s.id ? 'selected' : ''}>${s.name}</option>`)}
        </select></label
      >
      <input type="hidden" name="sort" value="${filter.sort}" /><input type="hidden" name="dir" value="${filter.dir}" />
      <button type="submit">Filtrer</button>
    </form>
    ${sections.length === 0 ? html`<p>Du har ingen køer. Be en administrator gi deg tilgang.</p>` : ''}
    ${sections.map(
      (section) =>
        html`<section class="queue" data-queue="${section.queue}">
          <h2>
            ${section.title} <small>${section.cases.length} ${section.cases.length === 1 ? 'sak' : 'saker'}</small>
          </h2>
          ${section.orphan ? html`<p class="notice orphan">Ingen saksbehandler har denne køen: sakene her venter på ingen. Tildel dem, eller gi en saksbehandler køen.</p>` : ''}
          ${
            section.cases.length === 0
              ? html`<p class="empty">Ingen saker.</p>`
              : html`<table class="cases">
                  <thead>
                    <tr>
                      ${columns.map(([sort, label]) => header(sort, label))}
                    </tr>
                  </thead>
                  <tbody>
                    ${section.cases.map(row)}
                  </tbody>
                </table>`
          }
        </section>`,
    )}`;
  return layout(request, reply, 'Køer', content, flash);
}
