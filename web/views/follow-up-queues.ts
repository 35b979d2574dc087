import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CaseSummary } from '../../client/cases.ts';
import { formatDate, formatNok } from '../format.ts';
import { html, seg } from '../html.ts';
import type { Flash } from '../plugins/security.ts';
import { csrfField, layout } from './layout.ts';

/** One thing waiting in a follow-up queue: a case, what waits in it, since when, and whether it is overdue. */
export interface FollowUpItem {
  summary: CaseSummary;
  /** What waits, in Bokmål («Utbetaling ved aksept», «Klage 1»). */
  what: string;
  amount?: number;
  /** Since when it has waited, or the deadline it runs against (ISO). */
  date?: string;
  /** Why it is overdue or needs a look, when it does («frist passert»). */
  overdue?: string;
  /** Who did the step before (the attester of a payment waiting for approval). */
  by?: string;
  /** Where on the case page the action is. */
  anchor: string;
}

export interface FollowUpSection {
  /** The section's id (its anchor, and the `data-list` tests find it by). */
  list: 'aksepter' | 'attestering' | 'godkjenning' | 'rapporter' | 'klager';
  title: string;
  /** What the date column shows. */
  dateLabel: string;
  items: FollowUpItem[];
  /** A note above the list (who may act on it). */
  note?: string;
}

/**
 * The follow-up queues of the user's queues (the grant's life after the letter): acceptances to check, payments to
 * attest and to approve, reports to assess (overdue ones marked), appeals. Each row leads to the case page's action.
 */
export function followUpQueuesPage(
  request: FastifyRequest,
  reply: FastifyReply,
  { sections, mayRunPayments, flash }: { sections: FollowUpSection[]; mayRunPayments: boolean; flash?: Flash },
): string {
  const row = (item: FollowUpItem) =>
    html`<tr class="${item.overdue ? 'late' : ''}" data-reference="${item.summary.reference}">
      <td><a href="/saker/${seg(item.summary.reference)}#${item.anchor}">${item.summary.reference}</a></td>
      <td>${item.summary.applicant ?? ''}</td>
      <td>${item.what}${item.overdue ? html` <span class="badge late">${item.overdue}</span>` : ''}</td>
      <td class="num">${formatNok(item.amount)}</td>
      <td>${formatDate(item.date)}</td>
      <td>${item.by ?? ''}</td>
      <td>${item.summary.assignee ?? ''}</td>
    </tr>`;
  const content = html`<h1>Oppfølging</h1>
    <nav class="follow-up-lists" aria-label="Lister">
      ${sections.map((s) => html`<a href="#${s.list}">${s.title} <small>(${s.items.length})</small></a>`)}
    </nav>
    ${
      mayRunPayments
        ? html`<form method="post" action="/utbetalinger/kjoring" class="payment-run">
            ${csrfField(reply)}
            <button type="submit">Start utbetalingskjøring og last ned fila (CSV)</button>
            <small>Alle godkjente utbetalinger som ikke er kjørt ennå, går til regnskapssystemet i én fil.</small>
          </form>`
        : ''
    }
    ${sections.map(
      (section) =>
        html`<section class="queue follow-up-queue" id="${section.list}" data-list="${section.list}">
          <h2>
            ${section.title} <small>${section.items.length} ${section.items.length === 1 ? 'sak' : 'saker'}</small>
          </h2>
          ${section.note ? html`<p class="hint">${section.note}</p>` : ''}
          ${
            section.items.length === 0
              ? html`<p class="empty">Ingen saker.</p>`
              : html`<table class="cases">
                  <thead>
                    <tr>
                      <th scope="col">Sak</th>
                      <th scope="col">Søker</th>
                      <th scope="col">Hva</th>
                      <th scope="col">Beløp</th>
                      <th scope="col">${section.dateLabel}</th>
                      <th scope="col">Forrige steg av</th>
                      <th scope="col">Saksbehandler</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${section.items.map(row)}
                  </tbody>
                </table>`
          }
        </section>`,
    )}`;
  return layout(request, reply, 'Oppfølging', content, flash);
}
