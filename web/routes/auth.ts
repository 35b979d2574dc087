import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { safeRedirectTarget as safeNext } from '../redirect-target.ts';
import { SignInThrottle } from '../sign-in-throttle.ts';
import { sessionStamp } from '../users.ts';
import { loginPage } from '../views/login.ts';

const LoginSchema = z.object({
  username: z.string().max(200).default(''),
  password: z.string().max(1000).default(''),
  neste: z.string().max(2000).optional(),
  _csrf: z.string().optional(),
});

/**
 * Sign-in with a user name and password (argon2id, from the users file); failures slow down per user name and client
 * address (`SignInThrottle`), and a flood from one address meets a ceiling far above an office's sign-ins. The session
 * starts afresh on sign-in (a new cookie; the one from before stays signed out: no session fixation). Signing out ends
 * every session of the user (`UserStore.endSessions`): a cookie cannot be taken back, so a copy of it must be worth
 * nothing. With a trusted header there is no sign-in page: the proxy signs people in.
 */
const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { users, config, signInLimit } = app.web;
  const throttle = new SignInThrottle({
    freeFailures: signInLimit.max,
    baseDelayMs: 5_000,
    maxDelayMs: 15 * 60_000,
    windowMs: signInLimit.timeWindowMs,
    addressFailures: signInLimit.max * 10,
  });

  // A `neste` that is not one path (repeated, too long) is ignored rather than refused: the page still signs in.
  const querystring = z.object({ neste: z.string().max(2000).optional().catch(undefined) });
  app.get('/logg-inn', { config: { public: true }, schema: { querystring } }, async (request, reply) => {
    const next = safeNext(request.query.neste);
    if (request.user || config.web.trustedHeader) return reply.redirect(next, 303);
    return reply.type('text/html; charset=utf-8').send(loginPage(request, reply, { next }));
  });

  app.post(
    '/logg-inn',
    {
      config: { public: true, rateLimit: { max: signInLimit.max * 30, timeWindow: signInLimit.timeWindowMs } },
      schema: { body: LoginSchema },
    },
    async (request, reply) => {
      if (config.web.trustedHeader) return reply.redirect('/', 303);
      const { body } = request;
      const next = safeNext(body.neste);
      const name = body.username.trim().toLowerCase();
      const refuse = (status: number, error: string) =>
        reply
          .code(status)
          .type('text/html; charset=utf-8')
          .send(loginPage(request, reply, { next, error, username: body.username }));
      const waitMs = throttle.waitMs(name, request.ip);
      if (waitMs > 0) {
        reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
        return refuse(429, `For mange mislykkede forsøk. Vent ${Math.ceil(waitMs / 1000)} sekunder og prøv igjen.`);
      }
      const user = await users.verifyPassword(name, body.password);
      if (!user) {
        throttle.failed(name, request.ip);
        request.log.info({ username: name }, 'sign-in refused');
        return refuse(401, 'Feil brukernavn eller passord.');
      }
      throttle.succeeded(name, request.ip);
      request.session.regenerate();
      request.session.username = user.username;
      request.session.role = user.role;
      request.session.stamp = sessionStamp(user);
      request.log.info({ username: user.username }, 'signed in');
      return reply.redirect(next, 303);
    },
  );

  app.post('/logg-ut', async (request, reply) => {
    if (!config.web.trustedHeader && request.user) await users.endSessions(request.user.username);
    request.session.delete();
    return reply.redirect(config.web.trustedHeader ? '/' : '/logg-inn', 303);
  });
};

export default authRoutes;
