import type { FastifyReply, FastifyRequest } from 'fastify';
import { html } from '../html.ts';
import { formatNok, formatShare } from '../format.ts';
import type { Overview } from '../overview.ts';
import type { Presenter } from '../present.ts';
import { layout } from './layout.ts';

export function overviewPage(
  request: FastifyRequest,
  reply: FastifyReply,
  overview: Overview,
  present: Presenter,
  /** Queues no caseworker has (shown to admins). */
  orphans: string[],
): string {
  const { money, queues, corrections, statuses } = overview;
  const statusHeading = (s: string) => html`<th scope="col">${present.status(s)} <small>(saker)</small></th>`;
  return layout(
    request,
    reply,
    'Oversikt',
    html`<h1>Oversikt over søknadsrunden</h1>
      ${
        orphans.length
          ? html`<section class="orphans">
              <h2>Køer uten saksbehandler</h2>
              <p class="notice orphan">
                Ingen saksbehandler har disse køene, så sakene i dem venter på ingen. Tildel sakene, eller gi en
                saksbehandler køen.
              </p>
              <ul>
                ${orphans.map((q) => html`<li><a href="/?queue=${encodeURIComponent(q)}&amp;status=open">${present.queue(q)}</a></li>`)}
              </ul>
            </section>`
          : ''
      }
      <p class="exports">
        <a href="/oversikt/rammer.csv" download>Eksporter rammer (CSV)</a> ·
        <a href="/oversikt/saker.csv" download>Eksporter saker (CSV)</a> ·
        <a href="/oversikt/vedtak.csv" download>Eksporter vedtak (CSV)</a>
      </p>
      <section>
        <h2>Per ordning og øremerking</h2>
        <p>Pengene er rammenes regnskap slik det står nå: foreslått er reservert av innstillinger, innvilget er vedtatt, og krevd tilbake er ført tilbake til rammen.</p>
        <table class="overview">
          <thead>
            <tr>
              <th scope="col">Ordning</th>
              <th scope="col">Øremerking</th>
              <th scope="col">Ramme</th>
              <th scope="col">Foreslått (kr)</th>
              <th scope="col">Innvilget (kr)</th>
              <th scope="col">Utbetalt (kr)</th>
              <th scope="col">Krevd tilbake (kr)</th>
              <th scope="col">Igjen av rammen</th>
              <th scope="col">Saker</th>
              <th scope="col">Søkt beløp</th>
              <th scope="col">Kom for sent</th>
              <th scope="col">Over behandlingstid</th>
              ${statuses.map(statusHeading)}
            </tr>
          </thead>
          <tbody>
            ${money.map(
              (r) =>
                html`<tr data-pot="${r.balance?.potId ?? ''}">
                  <td>${r.schemeName}</td>
                  <td>${r.earmarkName}</td>
                  <td class="num" data-money="allocation">${formatNok(r.balance?.allocation)}</td>
                  <td class="num" data-money="reserved">${formatNok(r.balance?.reserved)}</td>
                  <td class="num" data-money="committed">${formatNok(r.balance?.committed)}</td>
                  <td class="num" data-money="paid">${formatNok(r.balance?.paid)}</td>
                  <td class="num" data-money="claimedBack">${formatNok(r.balance?.claimedBack)}</td>
                  <td class="num" data-money="remaining">${formatNok(r.balance?.remaining)}</td>
                  <td class="num">${r.cases}</td>
                  <td class="num">${formatNok(r.requested)}</td>
                  <td class="num">${r.late}</td>
                  <td class="num">${r.overdue}</td>
                  ${statuses.map((s) => html`<td class="num">${r.byStatus[s] ?? ''}</td>`)}
                </tr>`,
            )}
          </tbody>
        </table>
      </section>
      <section>
        <h2>Per kø</h2>
        <table class="overview">
          <thead>
            <tr>
              <th scope="col">Kø</th>
              <th scope="col">Saker</th>
              ${statuses.map(statusHeading)}
            </tr>
          </thead>
          <tbody>
            ${queues.map(
              (q) =>
                html`<tr>
                  <td>
                    ${present.queue(q.queue)}${orphans.includes(q.queue) ? html` <span class="badge error">uten saksbehandler</span>` : ''}
                  </td>
                  <td class="num">${q.total}</td>
                  ${statuses.map((s) => html`<td class="num">${q.byStatus[s] ?? ''}</td>`)}
                </tr>`,
            )}
          </tbody>
        </table>
      </section>
      <section>
        <h2>Uttrekkskvalitet: hvor ofte saksbehandlere rettet et felt</h2>
        <p>Andel saker i ordningen der feltet ble rettet. Rettelsene er fasiten virkelige dokumenter gir.</p>
        ${
          corrections.length === 0
            ? html`<p class="empty">Ingen rettelser ennå.</p>`
            : html`<table class="overview">
                <thead>
                  <tr>
                    <th scope="col">Ordning</th>
                    <th scope="col">Felt</th>
                    <th scope="col">Rettet</th>
                    <th scope="col">Saker</th>
                    <th scope="col">Andel</th>
                  </tr>
                </thead>
                <tbody>
                  ${corrections.map(
                    (c) =>
                      html`<tr>
                        <td>${present.scheme(c.schemeId)}</td>
                        <td>${present.field(c.field)}</td>
                        <td class="num">${c.corrected}</td>
                        <td class="num">${c.cases}</td>
                        <td class="num">${formatShare(c.corrected, c.cases)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
        }
      </section>`,
  );
}
