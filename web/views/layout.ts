import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '../html.ts';
import type { Flash } from '../plugins/security.ts';

/** The page frame: header with the user and navigation, the one-time message, the content. Bokmål throughout. */
export function layout(
  request: FastifyRequest,
  reply: FastifyReply,
  title: string,
  content: SafeHtml,
  flash?: Flash,
): string {
  const user = request.user;
  const csrf = reply.generateCsrf();
  return html`<!doctype html>
    <html lang="nb">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="csrf-token" content="${csrf}" />
        <title>${title} – Tilskuddsbehandling</title>
        <link rel="stylesheet" href="/static/app.css" />
        <script src="/static/app.js" defer></script>
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">Tilskuddsbehandling</a>
          ${
            user
              ? html`<nav>
                    <a href="/">Køer</a>
                    <a href="/oppfolging">Oppfølging</a>
                    <a href="/oversikt">Oversikt</a>
                    ${user.role === 'approver' ? html`<a href="/godkjenning">Godkjenning</a>` : ''}
                    ${user.role === 'admin' ? html`<a href="/journal">Journal</a>` : ''}
                  </nav>
                  <div class="who">
                    <span class="user">${user.username}</span>
                    <span class="role"
                      >${{ admin: 'administrator', approver: 'godkjenner', caseworker: 'saksbehandler' }[user.role]}</span
                    >
                    <form method="post" action="/logg-ut" class="inline">
                      <input type="hidden" name="_csrf" value="${csrf}" /><button type="submit" class="link">
                        Logg ut
                      </button>
                    </form>
                  </div>`
              : ''
          }
        </header>
        <main>
          ${flash ? html`<p class="flash flash-${flash.kind}" role="${flash.kind === 'error' ? 'alert' : 'status'}">${flash.text}</p>` : ''}
          ${content}
        </main>
      </body>
    </html>`.value;
}

/** A hidden CSRF field for a form on the page. */
export const csrfField = (reply: FastifyReply) =>
  html`<input type="hidden" name="_csrf" value="${reply.generateCsrf()}" />`;

/** Takes the one-time message out of the session. */
export function takeFlash(request: FastifyRequest): Flash | undefined {
  const flash = request.session?.flash;
  if (flash) request.session.flash = undefined;
  return flash;
}

export function errorPage(request: FastifyRequest, reply: FastifyReply, statusCode: number, message: string): string {
  const titles: Record<number, string> = {
    400: 'Ugyldig forespørsel',
    401: 'Ikke innlogget',
    403: 'Ingen tilgang',
    404: 'Finnes ikke',
    429: 'For mange forsøk',
  };
  const title = titles[statusCode] ?? 'Noe gikk galt';
  return layout(
    request,
    reply,
    title,
    html`<section class="error-page">
      <h1>${title}</h1>
      <p>${message}</p>
      <p><a href="/">Til køene</a></p>
    </section>`,
  );
}
