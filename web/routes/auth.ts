import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loginPage } from '../views/login.ts';

const LoginSchema = z.object({
  username: z.string().max(200).default(''),
  password: z.string().max(1000).default(''),
  neste: z.string().max(2000).optional(),
  _csrf: z.string().optional(),
});

/** Only a path on this site (never `//host` or `/\host`): where to go after signing in. */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])/.test(next) ? next : '/';
}

/**
 * Failed sign-ins per user name: after `max` within the window, that name is refused until the window has passed.
 * Our own, as @fastify/rate-limit counts every request by key, not the failed ones, and cannot forget them on success.
 */
class FailedSignIns {
  private readonly failures = new Map<string, number[]>();
  constructor(private readonly max: number, private readonly windowMs: number) {}
  private recent(name: string): number[] {
    const now = Date.now();
    const kept = (this.failures.get(name) ?? []).filter((at) => now - at < this.windowMs);
    if (kept.length) this.failures.set(name, kept);
    else this.failures.delete(name);
    return kept;
  }
  blocked(name: string): boolean {
    return this.recent(name).length >= this.max;
  }
  fail(name: string): void {
    this.failures.set(name, [...this.recent(name), Date.now()]);
    if (this.failures.size > 100_000) this.failures.delete(this.failures.keys().next().value!);
  }
  clear(name: string): void {
    this.failures.delete(name);
  }
}

/**
 * Sign-in with a user name and password (argon2id, from the users file), rate-limited per client address and per user
 * name; the session gets a new id on sign-in (no session fixation). With a trusted header there is no sign-in page:
 * the proxy signs people in.
 */
const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { users, config, signInLimit } = app.web;
  const failed = new FailedSignIns(signInLimit.max, signInLimit.timeWindowMs);

  // A `neste` that is not one path (repeated, too long) is ignored rather than refused: the page still signs in.
  const querystring = z.object({ neste: z.string().max(2000).optional().catch(undefined) });
  app.get('/logg-inn', { config: { public: true }, schema: { querystring } }, async (request, reply) => {
    const next = safeNext(request.query.neste);
    if (request.user || config.web.trustedHeader) return reply.redirect(next, 303);
    return reply.type('text/html; charset=utf-8').send(loginPage(request, reply, { next }));
  });

  app.post(
    '/logg-inn',
    { config: { public: true, rateLimit: { max: signInLimit.max, timeWindow: signInLimit.timeWindowMs } }, schema: { body: LoginSchema } },
    async (request, reply) => {
      if (config.web.trustedHeader) return reply.redirect('/', 303);
      const { body } = request;
      const next = safeNext(body.neste);
      const name = body.username.trim().toLowerCase();
      const refuse = (status: number, error: string) =>
        reply.code(status).type('text/html; charset=utf-8').send(loginPage(request, reply, { next, error, username: body.username }));
      if (failed.blocked(name)) return refuse(429, 'For mange mislykkede forsøk for denne brukeren. Vent noen minutter og prøv igjen.');
      const user = await users.verifyPassword(name, body.password);
      if (!user) {
        failed.fail(name);
        request.log.info({ username: name }, 'sign-in refused');
        return refuse(401, 'Feil brukernavn eller passord.');
      }
      failed.clear(name);
      await request.session.regenerate();
      request.session.username = user.username;
      request.log.info({ username: user.username }, 'signed in');
      return reply.redirect(next, 303);
    },
  );

  app.post('/logg-ut', async (request, reply) => {
    await request.session.destroy();
    return reply.redirect(config.web.trustedHeader ? '/' : '/logg-inn', 303);
  });
};

export default authRoutes;
