import type { FastifyReply, FastifyRequest } from 'fastify';
import { html } from '../html.ts';
import { csrfField, layout } from './layout.ts';

export function loginPage(
  request: FastifyRequest,
  reply: FastifyReply,
  { next, error, username }: { next: string; error?: string; username?: string },
): string {
  return layout(
    request,
    reply,
    'Logg inn',
    html`<section class="login">
      <h1>Logg inn</h1>
      ${error ? html`<p class="flash flash-error" role="alert">${error}</p>` : ''}
      <form method="post" action="/logg-inn">
        ${csrfField(reply)}
        <input type="hidden" name="neste" value="${next}" />
        <label
          >Brukernavn <input name="username" autocomplete="username" required value="${username ?? ''}" autofocus
        /></label>
        <label>Passord <input name="password" type="password" autocomplete="current-password" required /></label>
        <button type="submit" class="primary">Logg inn</button>
      </form>
    </section>`,
  );
}
