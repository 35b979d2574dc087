import type { FastifyReply } from 'fastify';
import { formatBankAccount } from '../../schemas/bank-account.ts';
import { casePhaseLabels, type CasePhase } from '../../schemas/case-phase.ts';
import type { Payment } from '../../schemas/payment.ts';
import {
  appealOutcomeLabels,
  appealsWaiting,
  reportOutcomeLabels,
  timelineOf,
  type AppealOutcome,
  type ReportOutcome,
} from '../follow-up.ts';
import type { FollowUpState } from '../../schemas/follow-up/state.ts';
import { formatDate, formatDateTime, formatNok } from '../format.ts';
import { confirmStep, fieldError, invalidAttributes, keptFor, keptValue, type KeptForm } from '../forms.ts';
import { html, type SafeHtml } from '../html.ts';
import type { CaseDetail } from '../cases.ts';
import type { SignedInUser } from '../users.ts';
import { csrfField } from './layout.ts';

/** What the case page's follow-up part is drawn from. */
export interface FollowUpPageInput {
  detail: CaseDetail;
  user: SignedInUser;
  kept?: KeptForm;
  now: number;
}

/** The phase the case is in: the workflow's state, else its search attribute, else where its decision left it. */
export function phaseOf(detail: CaseDetail): CasePhase {
  if (detail.followUp) return detail.followUp.phase;
  if (detail.summary.phase) return detail.summary.phase;
  if (detail.decision) return 'decided';
  if (detail.proposals.some((p) => p.status === 'open')) return 'proposed';
  return detail.assignee ? 'assessment' : 'received';
}

const partLabels: Record<Payment['part'], string> = {
  'on-acceptance': 'ved aksept',
  'after-report': 'etter rapport',
};

/** A deadline with «passert» once it is behind. */
function deadline(label: string, className: string, at: string | undefined, now: number, done: boolean): SafeHtml {
  if (!at) return html``;
  const passed = !done && new Date(at).getTime() < now;
  return html`<div class="${className}">
    <dt>${label}</dt>
    <dd>${formatDate(at)}${passed ? html` <span class="badge late">passert</span>` : ''}</dd>
  </div>`;
}

/**
 * The case's line from receipt to settlement: each step with its date and who, the appeals after it, the current
 * phase marked; and the deadlines it runs against (accept by, report by, appeal until).
 */
export function timelineSection(input: FollowUpPageInput): SafeHtml {
  const { detail, now } = input;
  const followUp = detail.followUp;
  const phase = phaseOf(detail);
  const steps = timelineOf(detail, followUp, phase);
  const deadlines = {
    acceptBy: followUp?.deadlines.acceptance?.deadlineDay,
    reportBy: followUp?.deadlines.report?.deadlineDay,
    appealUntil: followUp?.deadlines.appeal?.lastDay,
  };
  return html`<section class="timeline" id="tidslinje" aria-label="Tidslinje">
    <h2>Tidslinje <small class="phase phase-${phase}">${casePhaseLabels[phase]}</small></h2>
    <ol class="steps">
      ${steps.map(
        (s) =>
          html`<li
            class="step step-${s.key}${s.at ? ' done' : ''}${s.current ? ' current' : ''}"
            data-step="${s.key}"
            ${s.current ? html`aria-current="step"` : ''}
          >
            <span class="step-label">${s.label}</span>
            ${s.at ? html`<time datetime="${s.at}">${formatDate(s.at)}</time>` : html`<span class="pending">–</span>`}
            ${s.by ? html`<span class="step-by">${s.by}</span>` : ''}
            ${s.note ? html`<span class="step-note">${s.note}</span>` : ''}
          </li>`,
      )}
    </ol>
    ${
      deadlines.acceptBy || deadlines.reportBy || deadlines.appealUntil
        ? html`<dl class="deadlines">
            ${deadline('Akseptfrist', 'accept-by', deadlines.acceptBy, now, Boolean(followUp?.acceptance))}
            ${deadline('Rapporteringsfrist', 'report-by', deadlines.reportBy, now, Boolean(followUp?.reports.length))}
            ${deadline('Klagefrist', 'appeal-until', deadlines.appealUntil, now, true)}
          </dl>`
        : ''
    }
    ${
      followUp?.events.length
        ? html`<details class="events">
            <summary>Alle hendelser etter vedtaket (${followUp.events.length})</summary>
            <ol>
              ${followUp.events.map(
                (e) =>
                  html`<li data-phase="${e.phase}">
                    <time datetime="${e.at}">${formatDateTime(e.at)}</time> ${e.actor ?? 'Systemet'}: ${e.text}
                  </li>`,
              )}
            </ol>
          </details>`
        : ''
    }
  </section>`;
}

/**
 * The actions after the letter, each confirmed once and refused with the workflow's reason beside its input: record
 * an acceptance that came another way, attest a payment, approve one (budget authority, never one's own
 * attestation), assess the report, decide an appeal.
 */
export function followUpActions(reply: FastifyReply, base: string, input: FollowUpPageInput): SafeHtml {
  const { detail } = input;
  const followUp = detail.followUp;
  if (!followUp) return html``;
  const phase = followUp.phase;
  const parts: SafeHtml[] = [];
  if (phase === 'letter-sent' && followUp.amountGranted > 0 && !followUp.acceptance) {
    parts.push(acceptanceToCheck(followUp, input.now));
    parts.push(acceptanceForm(reply, base, input, followUp.rejectedAcceptances.length > 0));
  }
  if (followUp.acceptance) parts.push(acceptanceFacts(followUp.acceptance));
  if (followUp.payments.length) parts.push(paymentsPanel(reply, base, input, followUp.payments));
  const report = followUp.reports.at(-1);
  if (phase === 'report-received' && report && !report.assessment) parts.push(reportForm(reply, base, input));
  for (const appeal of appealsWaiting(followUp))
    parts.push(appealForm(reply, base, input, appeal.number, !appeal.onTime));
  if (!parts.length) return html``;
  return html`<section class="actions follow-up" id="oppfolging">
    <h2>Oppfølging</h2>
    ${parts}
  </section>`;
}

function acceptanceFacts(acceptance: NonNullable<FollowUpState['acceptance']>): SafeHtml {
  return html`<p class="acceptance">
    Akseptert ${formatDate(acceptance.receivedAt)}${acceptance.signedBy ? html`, signert av ${acceptance.signedBy}` : ''};
    kontonummer ${formatBankAccount(acceptance.bankAccount)}${acceptance.recordedBy ? html` <small>(registrert av ${acceptance.recordedBy})</small>` : ''}
  </p>`;
}

/** Why the case waits for its acceptance: documents that could not be taken as one, or no answer after the reminder. */
function acceptanceToCheck(followUp: FollowUpState, now: number): SafeHtml {
  const deadline = followUp.deadlines.acceptance;
  return html`${followUp.rejectedAcceptances.map(
    (r) =>
      html`<div class="notice rejected-acceptance">
          <p>
            ${r.document.fileName} (mottatt ${formatDate(r.document.receivedAt)}) ser ut som et akseptskjema, men kan
            ikke brukes som aksept:
          </p>
          <ul>
            ${r.findings.map((f) => html`<li>${f.message}</li>`)}
          </ul>
        </div>`,
  )}
    ${
      followUp.acceptanceEscalated
        ? html`<p class="notice">Ingen aksept kom innen fristen eller etter påminnelsen.</p>`
        : deadline && new Date(deadline.deadline).getTime() < now
          ? html`<p class="notice">Akseptfristen er passert.</p>`
          : ''
    }`;
}

function acceptanceForm(reply: FastifyReply, base: string, input: FollowUpPageInput, toCheck: boolean): SafeHtml {
  const kept = keptFor(input.kept, 'aksept');
  return html`<details class="record-acceptance" ${kept || toCheck ? 'open' : ''}>
    <summary>Registrer aksept som kom på annen måte</summary>
    <form method="post" action="${base}/aksept" id="skjema-aksept" data-keep-place>
      ${csrfField(reply)}
      <label
        >Kontonummer
        <input
          name="bankAccount"
          inputmode="numeric"
          required
          value="${keptValue(kept, 'bankAccount', '')}"
          placeholder="1234 56 78903"
          ${invalidAttributes(kept, 'bankAccount')}
      /></label>
      ${fieldError(kept, 'bankAccount')}
      <label
        >Signert av <input name="signedBy" value="${keptValue(kept, 'signedBy', '')}" ${invalidAttributes(kept, 'signedBy')}
      /></label>
      ${fieldError(kept, 'signedBy')}
      <label
        >Mottatt (dato)
        <input type="date" name="receivedAt" value="${keptValue(kept, 'receivedAt', '')}" ${invalidAttributes(kept, 'receivedAt')}
      /></label>
      ${fieldError(kept, 'receivedAt')}
      <label>Merknad (hvordan den kom) <input name="note" value="${keptValue(kept, 'note', '')}" /></label>
      <button type="submit">Registrer aksept</button>
    </form>
    ${confirmStep(reply, `${base}/aksept`, kept, 'Bekreft: registrer aksepten')}
  </details>`;
}

function paymentsPanel(reply: FastifyReply, base: string, input: FollowUpPageInput, payments: Payment[]): SafeHtml {
  const { user } = input;
  const attesting = keptFor(input.kept, 'attester');
  const approving = keptFor(input.kept, 'godkjenn-utbetaling');
  const mine = (kept: KeptForm | undefined, p: Payment) => (kept?.values.paymentId === p.paymentId ? kept : undefined);
  const row = (p: Payment) => {
    const attest = mine(attesting, p);
    const approve = mine(approving, p);
    let action: SafeHtml;
    if (p.approved) action = html`<span class="badge ok">godkjent</span>`;
    else if (!p.attested)
      action = html`<form method="post" action="${base}/attester" class="inline" data-keep-place>
          ${csrfField(reply)}<input type="hidden" name="paymentId" value="${p.paymentId}" />
          <button type="submit">Attester</button>
        </form>
        ${fieldError(attest, 'paymentId')} ${confirmStep(reply, `${base}/attester`, attest, 'Bekreft: attester utbetalingen')}`;
    else if (user.budgetAuthority)
      action = html`<form method="post" action="${base}/godkjenn-utbetaling" class="inline" data-keep-place>
          ${csrfField(reply)}<input type="hidden" name="paymentId" value="${p.paymentId}" />
          <button type="submit" class="primary">Godkjenn utbetalingen</button>
        </form>
        ${fieldError(approve, 'paymentId')}
        ${confirmStep(reply, `${base}/godkjenn-utbetaling`, approve, 'Bekreft: godkjenn utbetalingen')}`;
    else action = html`<small>Venter på godkjenning av en annen person med budsjettdisponeringsmyndighet.</small>`;
    return html`<tr data-payment="${p.paymentId}">
      <td>${partLabels[p.part]}</td>
      <td class="num">${formatNok(p.amount)}</td>
      <td>${formatBankAccount(p.bankAccount)}</td>
      <td>${p.attested ? html`${p.attested.by}<br /><small>${formatDateTime(p.attested.at)}</small>` : ''}</td>
      <td>${p.approved ? html`${p.approved.by}<br /><small>${formatDateTime(p.approved.at)}</small>` : ''}</td>
      <td>${p.runId ? html`${p.runId}` : ''}</td>
      <td>${action}</td>
    </tr>`;
  };
  return html`<div class="payments" id="skjema-utbetaling">
    <h3>Utbetalinger</h3>
    <table class="cases">
      <thead>
        <tr>
          <th scope="col">Del</th>
          <th scope="col">Beløp</th>
          <th scope="col">Konto</th>
          <th scope="col">Attestert</th>
          <th scope="col">Godkjent</th>
          <th scope="col">Kjøring</th>
          <th scope="col"></th>
        </tr>
      </thead>
      <tbody>
        ${payments.map(row)}
      </tbody>
    </table>
  </div>`;
}

const reportOutcomes: ReportOutcome[] = ['approve', 'ask-more', 'claim-back'];
const appealOutcomes: AppealOutcome[] = ['uphold', 'change'];

function reportForm(reply: FastifyReply, base: string, input: FollowUpPageInput): SafeHtml {
  const kept = keptFor(input.kept, 'rapport');
  const chosen = keptValue(kept, 'outcome', 'approve');
  return html`<form method="post" action="${base}/rapport" class="assess-report" id="skjema-rapport" data-keep-place>
      ${csrfField(reply)}
      <h3>Vurder rapporten</h3>
      <fieldset>
        <legend>Utfall</legend>
        ${reportOutcomes.map((o) => html`<label class="check"><input type="radio" name="outcome" value="${o}" ${o === chosen ? 'checked' : ''} /> ${reportOutcomeLabels[o]}</label>`)}
      </fieldset>
      ${fieldError(kept, 'outcome')}
      <label
        >Beløp som kreves tilbake (kr)
        <input name="amount" inputmode="numeric" value="${keptValue(kept, 'amount', '')}" ${invalidAttributes(kept, 'amount')}
      /></label>
      ${fieldError(kept, 'amount')}
      <label
        >Kommentar
        <textarea name="comment" rows="2" ${invalidAttributes(kept, 'comment')}>${keptValue(kept, 'comment', '')}</textarea>
      </label>
      ${fieldError(kept, 'comment')}
      <button type="submit" class="primary">Lagre vurderingen</button>
    </form>
    ${confirmStep(reply, `${base}/rapport`, kept, 'Bekreft: lagre vurderingen')}`;
}

function appealForm(
  reply: FastifyReply,
  base: string,
  input: FollowUpPageInput,
  appeal: number,
  late: boolean,
): SafeHtml {
  const all = keptFor(input.kept, 'klage');
  const kept = all?.values.appeal === String(appeal) ? all : undefined;
  const chosen = keptValue(kept, 'outcome', 'uphold');
  return html`<form method="post" action="${base}/klage" class="decide-appeal" data-appeal="${appeal}" id="skjema-klage" data-keep-place>
      ${csrfField(reply)}<input type="hidden" name="appeal" value="${appeal}" />
      <h3>Klage${late ? html` <span class="badge late">for sent</span>` : ''}</h3>
      <fieldset>
        <legend>Avgjørelse</legend>
        ${appealOutcomes.map((o) => html`<label class="check"><input type="radio" name="outcome" value="${o}" ${o === chosen ? 'checked' : ''} /> ${appealOutcomeLabels[o]}</label>`)}
      </fieldset>
      ${fieldError(kept, 'outcome')}
      <label
        >Nytt beløp (kr, når vedtaket endres)
        <input name="amountGranted" inputmode="numeric" value="${keptValue(kept, 'amountGranted', '')}" ${invalidAttributes(kept, 'amountGranted')}
      /></label>
      ${fieldError(kept, 'amountGranted')}
      <label
        >Begrunnelse
        <textarea name="comment" rows="2" ${invalidAttributes(kept, 'comment')}>${keptValue(kept, 'comment', '')}</textarea>
      </label>
      ${fieldError(kept, 'comment')}
      <button type="submit" class="primary">Avgjør klagen</button>
    </form>
    ${confirmStep(reply, `${base}/klage`, kept, 'Bekreft: avgjør klagen')}`;
}
