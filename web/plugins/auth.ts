import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { httpErrors } from '@fastify/sensible';
import fp from 'fastify-plugin';
import { safeRedirectTarget } from '../redirect-target.ts';
import { mayAccessQueue, publicUser, sessionStamp, type SignedInUser, type User, type UserStore } from '../users.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user; set on every route that is not public. */
    user?: SignedInUser;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in (the sign-in page, static files). */
    public?: boolean;
  }
}

export interface AuthOptions {
  users: UserStore;
  /** Lower-case header name set by the organisation's reverse proxy (OIDC) to the signed-in user's name. */
  trustedHeader?: string;
}

export const isApi = (request: FastifyRequest) => request.url.startsWith('/api/');

/** Refuses (403) unless the user may see this queue's cases. */
export function assertQueueAccess(user: SignedInUser, queue: string | undefined): void {
  if (!mayAccessQueue(user, queue)) throw httpErrors.forbidden('Du har ikke tilgang til denne saken.');
}

/**
 * Who is signed in: with a trusted header, the user the proxy names (their role and queues from the users file);
 * otherwise the session's user. Looked up on every request, so a removed user or a changed queue applies at once; a
 * session whose stamp or role is no longer the user's (removed, written again by `user add`, signed out) is over, on
 * every instance. A session in use is renewed (sliding expiry).
 * Routes that are not public need a user: a page redirects to the sign-in, the API answers 401.
 */
export default fp(
  async function auth(app: FastifyInstance, options: AuthOptions) {
    app.decorateRequest('user', undefined);

    // Before validation, so that a request from no one is refused as such whatever it sends.
    app.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
      const { session } = request;
      const username = options.trustedHeader ? headerValue(request, options.trustedHeader) : session.username;
      const found = username ? await options.users.get(username) : undefined;
      const user = found && (options.trustedHeader || sessionIsTheUsers(session, found)) ? found : undefined;
      if (user) request.user = publicUser(user);
      if (!options.trustedHeader) {
        if (user) session.touch();
        else if (session.username) session.regenerate(['_csrf']);
      }
      if (request.user || request.routeOptions.config.public) return;
      if (options.trustedHeader)
        throw httpErrors.forbidden(
          username ? `Brukeren ${username} er ikke registrert i saksbehandlingen.` : 'Du er ikke logget inn.',
        );
      if (isApi(request) || request.method !== 'GET') throw httpErrors.unauthorized('Du må logge inn.');
      const next = safeRedirectTarget(request.url);
      return reply.redirect(`/logg-inn?neste=${encodeURIComponent(next)}`, 303);
    });
  },
  { name: 'auth', fastify: '5.x', dependencies: ['security'] },
);

const sessionIsTheUsers = (session: FastifyRequest['session'], user: User) =>
  session.stamp === sessionStamp(user) && session.role === user.role;

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text?.trim() || undefined;
}
