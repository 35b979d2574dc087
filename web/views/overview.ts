import type { FastifyReply, FastifyRequest } from 'fastify';
import { html } from '../html.ts';
import { fieldLabel, formatNok, statusLabel } from '../format.ts';
import type { Overview } from '../overview.ts';
import { layout } from './layout.ts';

const percent = (part: number, whole: number) => (whole ? `${Math.round((part / whole) * 1000) / 10} %` : '–');

export function overviewPage(request: FastifyRequest, reply: FastifyReply, overview: Overview): string {
  const { money, queues, corrections, statuses } = overview;
  return layout(
    request,
    reply,
    'Oversikt',
    html`<h1>Oversikt over søknadsrunden</h1>
<p class="exports"><a href="/oversikt/saker.csv" download>Eksporter saker (CSV)</a> · <a href="/oversikt/vedtak.csv" download>Eksporter vedtak (CSV)</a></p>
<section><h2>Per ordning og øremerking</h2>
<table class="overview">
<thead><tr><th scope="col">Ordning</th><th scope="col">Øremerking</th><th scope="col">Ramme</th><th scope="col">Saker</th><th scope="col">Søkt</th><th scope="col">Innvilget</th><th scope="col">Igjen av rammen</th><th scope="col">Kom for sent</th><th scope="col">Over behandlingstid</th>${statuses.map((s) => html`<th scope="col">${statusLabel(s)}</th>`)}</tr></thead>
<tbody>${money.map(
  (r) => html`<tr><td>${r.schemeName}</td><td>${r.earmarkName}</td><td class="num">${r.pot !== undefined ? formatNok(r.pot) : ''}</td><td class="num">${r.cases}</td><td class="num">${formatNok(r.requested)}</td><td class="num">${formatNok(r.granted)}</td><td class="num">${r.pot !== undefined ? formatNok(r.pot - r.granted) : ''}</td><td class="num">${r.late}</td><td class="num">${r.overdue}</td>${statuses.map((s) => html`<td class="num">${r.byStatus[s] ?? ''}</td>`)}</tr>`,
)}</tbody>
</table></section>
<section><h2>Per kø</h2>
<table class="overview"><thead><tr><th scope="col">Kø</th><th scope="col">Saker</th>${statuses.map((s) => html`<th scope="col">${statusLabel(s)}</th>`)}</tr></thead>
<tbody>${queues.map((q) => html`<tr><td>${q.queue}</td><td class="num">${q.total}</td>${statuses.map((s) => html`<td class="num">${q.byStatus[s] ?? ''}</td>`)}</tr>`)}</tbody></table></section>
<section><h2>Uttrekkskvalitet: hvor ofte saksbehandlere rettet et felt</h2>
<p>Andel saker i ordningen der feltet ble rettet. Rettelsene er fasiten virkelige dokumenter gir.</p>
${corrections.length === 0
  ? html`<p class="empty">Ingen rettelser ennå.</p>`
  : html`<table class="overview"><thead><tr><th scope="col">Ordning</th><th scope="col">Felt</th><th scope="col">Rettet</th><th scope="col">Saker</th><th scope="col">Andel</th></tr></thead>
<tbody>${corrections.map((c) => html`<tr><td>${c.schemeId}</td><td>${fieldLabel(c.field)}</td><td class="num">${c.corrected}</td><td class="num">${c.cases}</td><td class="num">${percent(c.corrected, c.cases)}</td></tr>`)}</tbody></table>`}
</section>`,
  );
}
