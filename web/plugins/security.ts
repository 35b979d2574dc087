import { hkdfSync } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrfProtection from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySecureSession from '@fastify/secure-session';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '../users.ts';

/** A message shown once on the next page (after a redirect): a refusal, or what was done. */
export interface Flash {
  kind: 'ok' | 'error';
  text: string;
}

declare module '@fastify/secure-session' {
  interface SessionData {
    username: string;
    /** The role the user signed in with (`auth.ts` ends the session when it changes). */
    role: Role;
    /** The user's session stamp when they signed in (`users.ts`): removed, changed or signed out, it differs. */
    stamp: string;
    flash: Flash;
  }
}

export interface SecurityOptions {
  /** The secret session cookies are sealed with (`web/secrets.ts`): the same on every instance. */
  sessionSecret: string;
  secureCookies: 'auto' | boolean;
  /** Session lifetime (sliding: `auth.ts` renews a signed-in session on each request). */
  sessionMaxAgeMs?: number;
}

export const sessionCookieName = 'grant_intake_session';

/**
 * The session cookie's 32-byte key, derived from the configured secret. HKDF suffices because the secret is itself
 * random (generated, or 32+ characters from configuration); secure-session's own `secret` option would run Argon2 with
 * 256 MiB at every start.
 */
const sessionKey = (secret: string) => Buffer.from(hkdfSync('sha256', secret, '', 'grant-intake session cookie', 32));

/**
 * The Content-Security-Policy: only this app's own scripts, styles and images; no plugins, frames, base or foreign
 * forms. */
export const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
};

/**
 * Headers (CSP and the rest of helmet's), form bodies, cookies, sessions, CSRF tokens checked on every state-changing
 * request, and the rate limiter (used by the sign-in route).
 *
 * The session is the cookie itself, encrypted and authenticated (libsodium's secretbox through
 * `@fastify/secure-session`; its sodium-native ships prebuilt binaries, no install script): nothing is kept in the
 * process, so a restarted app and every instance with the same secret read the same sessions. A cookie cannot be taken
 * back, so what ends a session early is in the users file: the user's session stamp (`users.ts`, checked by
 * `auth.ts`).
 */
export default fp(
  async function security(app: FastifyInstance, options: SecurityOptions) {
    const maxAge = options.sessionMaxAgeMs ?? 8 * 3_600_000;
    await app.register(fastifyHelmet, {
      contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy },
      crossOriginEmbedderPolicy: false,
      referrerPolicy: { policy: 'same-origin' },
    });
    await app.register(fastifyFormbody, { bodyLimit: 256 * 1024 });
    await app.register(fastifyCookie);
    // A Secure cookie over plain http would be dropped by the browser: none is sent (as without TLS in front).
    if (options.secureCookies === true)
      app.addHook('onSend', async (request, _reply, payload) => {
        if (request.protocol !== 'https') request.session.changed = false;
        return payload;
      });
    await app.register(fastifySecureSession, {
      key: sessionKey(options.sessionSecret),
      cookieName: sessionCookieName,
      expiry: maxAge / 1000,
      cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secureCookies, maxAge: maxAge / 1000 },
    });
    await app.register(fastifyCsrfProtection, {
      sessionPlugin: '@fastify/secure-session',
      getToken: (request) => {
        const body = request.body as { _csrf?: unknown } | undefined;
        const header = request.headers['x-csrf-token'];
        return typeof body?._csrf === 'string' ? body._csrf : typeof header === 'string' ? header : '';
      },
    });
    await app.register(fastifyRateLimit, { global: false });

    // Every request that changes something carries the session's CSRF token (forms: a hidden `_csrf` field); checked
    // before the body is validated, so a forged request is refused as such.
    app.addHook('preValidation', (request, reply, done) => {
      if (['GET', 'HEAD', 'OPTIONS'].includes(request.method) || request.routeOptions.config.crossOrigin) return done();
      app.csrfProtection(request, reply, done);
    });
  },
  { name: 'security', fastify: '5.x' },
);
