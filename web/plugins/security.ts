import fastifyCookie from '@fastify/cookie';
import fastifyCsrfProtection from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySession, { type SessionStore } from '@fastify/session';
import type { FastifyInstance, Session } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '../users.ts';

/** A message shown once on the next page (after a redirect): a refusal, or what was done. */
export interface Flash {
  kind: 'ok' | 'error';
  text: string;
}

declare module 'fastify' {
  interface Session {
    username?: string;
    /** The role the user signed in with (`auth.ts` ends the session when it changes). */
    role?: Role;
    flash?: Flash;
  }
}

export interface SecurityOptions {
  sessionSecret: string;
  secureCookies: 'auto' | boolean;
  /** Session lifetime (sliding). */
  sessionMaxAgeMs?: number;
}

/** Sessions held in memory (they end with the process), expired and capped so they cannot grow without bound. */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, { session: Session; expires: number }>();
  constructor(
    private readonly maxAgeMs: number,
    private readonly maxSessions = 10_000,
  ) {}

  set(sessionId: string, session: Session, callback: (error?: unknown) => void): void {
    this.sessions.delete(sessionId);
    this.sessions.set(sessionId, { session, expires: Date.now() + this.maxAgeMs });
    while (this.sessions.size > this.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
    callback();
  }

  get(sessionId: string, callback: (error: unknown, session?: Session | null) => void): void {
    const entry = this.sessions.get(sessionId);
    if (entry && entry.expires < Date.now()) this.sessions.delete(sessionId);
    callback(null, entry && entry.expires >= Date.now() ? entry.session : null);
  }

  destroy(sessionId: string, callback: (error?: unknown) => void): void {
    this.sessions.delete(sessionId);
    callback();
  }

  get size(): number {
    return this.sessions.size;
  }
}

export const sessionCookieName = 'grant_intake_session';

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
 * Headers (CSP and the rest of helmet's), form bodies, cookies, server-side sessions in httpOnly SameSite cookies,
 * CSRF tokens checked on every state-changing request, and the rate limiter (used by the sign-in route).
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
    await app.register(fastifySession, {
      secret: options.sessionSecret,
      cookieName: sessionCookieName,
      store: new MemorySessionStore(maxAge),
      saveUninitialized: false,
      rolling: true,
      cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secureCookies, maxAge },
    });
    await app.register(fastifyCsrfProtection, {
      sessionPlugin: '@fastify/session',
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
