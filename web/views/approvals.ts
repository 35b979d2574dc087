import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CaseSummary } from '../../client/cases.ts';
import type { Proposal } from '../../schemas/assessment/state.ts';
import type { Scheme } from '../../schemas/scheme.ts';
import { formatDateTime, formatNok } from '../format.ts';
import { html, seg } from '../html.ts';
import type { Flash } from '../plugins/security.ts';
import { csrfField, layout } from './layout.ts';
import { proposalSummary } from './case.ts';

/** An open proposal of the approver's queues, as the list shows it. */
export interface OpenProposal {
  summary: CaseSummary;
  proposal: Proposal;
}

/** What one approval of a bulk approval came to: decided, or refused with the workflow's reason. */
export interface ApprovalOutcome {
  reference: string;
  ok: boolean;
  text: string;
}

/**
 * The approver's list (the round's meeting): the open proposals of their queues, each with its letter's preview, and
 * approval of the ones ticked in one action; each goes through its own case's Update, and the outcome per case is
 * shown.
 */
export function approvalsPage(
  request: FastifyRequest,
  reply: FastifyReply,
  open: OpenProposal[],
  schemes: Scheme[],
  outcomes: ApprovalOutcome[],
  flash?: Flash,
): string {
  const user = request.user!;
  const rows = open.map(({ summary, proposal }) => {
    const own = proposal.by === user.username;
    const scheme = schemes.find((s) => s.id === summary.scheme);
    const ref = seg(summary.reference);
    return html`<tr data-reference="${summary.reference}">
      <td>
        ${own ? html`<small>egen</small>` : html`<input type="checkbox" name="valgt" value="${summary.reference}:${proposal.seq}" aria-label="Velg ${summary.reference}" />`}
      </td>
      <td><a href="/saker/${ref}">${summary.reference}</a></td>
      <td>${summary.applicant ?? ''}</td>
      <td class="num">${summary.amountRequested === undefined ? '' : formatNok(summary.amountRequested)}</td>
      <td>${proposalSummary(proposal.grounds, scheme)}</td>
      <td>${proposal.by}<br /><small>${formatDateTime(proposal.at)}</small></td>
      <td><a href="/godkjenning/${ref}/${proposal.seq}/brev.pdf" download>Forhåndsvis brevet</a></td>
    </tr>`;
  });
  const content = html`<h1>Godkjenning</h1>
    ${
      outcomes.length
        ? html`<section class="approval-outcomes">
            <h2>Resultat</h2>
            <ul>
              ${outcomes.map(
                (o) =>
                  html`<li class="${o.ok ? 'ok' : 'refused'}" data-reference="${o.reference}">
                    <a href="/saker/${seg(o.reference)}">${o.reference}</a>: ${o.text}
                  </li>`,
              )}
            </ul>
          </section>`
        : ''
    }
    ${
      open.length === 0
        ? html`<p class="empty">Ingen innstillinger venter på godkjenning i køene dine.</p>`
        : html`<form method="post" action="/godkjenning" class="bulk-approve">
            ${csrfField(reply)}
            <table class="cases">
              <thead>
                <tr>
                  <th></th>
                  <th>Sak</th>
                  <th>Søker</th>
                  <th>Søknadsbeløp</th>
                  <th>Innstilling</th>
                  <th>Saksbehandler</th>
                  <th>Brev</th>
                </tr>
              </thead>
              <tbody>
                ${rows}
              </tbody>
            </table>
            <label class="check"
              ><input type="checkbox" name="notDisqualified" value="true" required /> Jeg bekrefter at jeg ikke er
              inhabil i noen av de valgte sakene (forvaltningsloven § 6).</label
            >
            <button type="submit" class="primary">Godkjenn valgte</button>
          </form>`
    }`;
  return layout(request, reply, 'Godkjenning', content, flash);
}
