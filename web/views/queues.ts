import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, seg, type SafeHtml } from '../html.ts';
import type { CaseSummary } from '../../client/cases.ts';
import { formatDateTime, formatDuration, formatNok, statusLabel, statusLabels } from '../format.ts';
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
  ['waiting', 'Ventetid'],
];

function query(filter: QueueFilter, change: Partial<QueueFilter>): string {
  const merged = { ...filter, ...change };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(merged)) if (value) params.set(key, String(value));
  return `/?${params}`;
}

export const waitingMs = (c: CaseSummary, now: number) => (c.receivedAt ? (c.closedAt?.getTime() ?? now) - c.receivedAt.getTime() : 0);

export function queuesPage(
  request: FastifyRequest,
  reply: FastifyReply,
  { sections, filter, schemes, now, flash }: { sections: QueueSection[]; filter: QueueFilter; schemes: Scheme[]; now: number; flash: ReturnType<typeof takeFlash> },
): string {
  const schemeName = (id: string | undefined) => schemes.find((s) => s.id === id)?.name ?? id ?? '';
  const header = (sort: string, label: string): SafeHtml => {
    const active = filter.sort === sort;
    const dir = active && filter.dir === 'asc' ? 'desc' : 'asc';
    return html`<th scope="col" ${active ? html`aria-sort="${filter.dir === 'asc' ? 'ascending' : 'descending'}"` : ''}><a href="${query(filter, { sort, dir })}">${label}${active ? (filter.dir === 'asc' ? ' ▲' : ' ▼') : ''}</a></th>`;
  };
  const row = (c: CaseSummary) => html`<tr class="${c.late ? 'late' : ''}" data-reference="${c.reference}">
    <td>${formatDateTime(c.receivedAt)}</td>
    <td><a href="/saker/${seg(c.reference)}">${c.reference}</a></td>
    <td>${schemeName(c.scheme)}</td>
    <td>${c.applicant ?? ''}${c.organisationNumber ? html`<br><small>${c.organisationNumber}</small>` : ''}</td>
    <td class="num">${formatNok(c.amountRequested)}</td>
    <td class="num">${c.errors ? html`<span class="badge error">${c.errors} feil</span>` : ''} ${c.warnings ? html`<span class="badge warning">${c.warnings} adv.</span>` : ''}</td>
    <td><span class="status status-${c.status}">${statusLabel(c.status)}</span>${c.late ? html` <span class="badge late">forsinket</span>` : ''}</td>
    <td>${c.assignee ?? ''}</td>
    <td class="num">${c.receivedAt ? formatDuration(waitingMs(c, now)) : ''}</td>
  </tr>`;
  const statusOptions: Array<[string, string]> = [
    ['open', 'Åpne saker'],
    ['all', 'Alle'],
    ['decided', 'Avgjorte'],
    ...Object.entries(statusLabels),
  ];
  const content = html`<h1>Køer</h1>
<form method="get" action="/" class="filters" role="search">
  <label>Søk <input type="search" name="q" value="${filter.q ?? ''}" placeholder="søker, org.nr., sak"></label>
  <label>Status <select name="status">${statusOptions.map(([value, label]) => html`<option value="${value}" ${filter.status === value ? 'selected' : ''}>${label}</option>`)}</select></label>
  <label>Ordning <select name="scheme"><option value="">Alle</option>${schemes.map((s) => html`<option value="${s.id}" ${filter.scheme === s.id ? 'selected' : ''}>${s.name}</option>`)}</select></label>
  <input type="hidden" name="sort" value="${filter.sort}"><input type="hidden" name="dir" value="${filter.dir}">
  <button type="submit">Filtrer</button>
</form>
${sections.length === 0 ? html`<p>Du har ingen køer. Be en administrator gi deg tilgang.</p>` : ''}
${sections.map(
  (section) => html`<section class="queue" data-queue="${section.queue}">
  <h2>${section.title} <small>${section.cases.length} ${section.cases.length === 1 ? 'sak' : 'saker'}</small></h2>
  ${section.cases.length === 0
    ? html`<p class="empty">Ingen saker.</p>`
    : html`<table class="cases">
    <thead><tr>${columns.map(([sort, label]) => header(sort, label))}</tr></thead>
    <tbody>${section.cases.map(row)}</tbody>
  </table>`}
</section>`,
)}`;
  return layout(request, reply, 'Køer', content, flash);
}
