import { after, before } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildApp, type WebDeps } from '../../web/app.ts';
import type { WebServer } from '../../web/server.ts';
import type { UserStore } from '../../web/users.ts';
import type { IntakeService } from '../../worker/intake-service.ts';
import { freePort } from '../../stack/ports.ts';
import { CODEC_PREFIX } from '../../web/plugins/codec-server.ts';
import { launchChromium, signIn, startWebServerOn, webDeps } from './browser.ts';
import { startTestSmtp, type TestSmtp } from './smtp.ts';
import { startTestStack, startWorkers, type TestStack } from './stack.ts';

/** What a test file runs against; each part starts only when asked for, after the parts it needs. */
export interface TestStackOptions {
  /**
   * The dev server's Web UI with the review app (`web.serve: 'port'`) as its codec server, as `npm start` runs it; its
   * address is the app's `temporalUiUrl`.
   */
  temporalUi?: boolean;
  /** An SMTP server in this process that the workers and the review app send their letters to. */
  smtp?: boolean;
  /** The workers of `npm start`, with the intake webhook or without it (`startWorkers`). */
  workers?: { webhook: boolean };
  /**
   * The review app on a free port (`serve: 'port'`, for Chromium) or as a fastify instance for `app.inject`; with a
   * fresh users file and what `deps` adds to its dependencies.
   */
  web?: { serve: 'port' | 'inject'; deps?: (stack: TestStack) => Partial<WebDeps> | Promise<Partial<WebDeps>> };
  /** Debian's Chromium through playwright-core. */
  browser?: boolean;
}

/**
 * The running parts, usable by name at the top of a test file (`const { stack } = useTestStack()`) although they
 * start only in its `before` hook: each stands for the part once it runs, and says so when it is used before, or was
 * not asked for.
 */
export interface TestStackHandles {
  stack: TestStack;
  smtp: TestSmtp;
  workers: IntakeService;
  /** What the review app was built from: its users file, schemes, secrets. */
  deps: WebDeps;
  users: UserStore;
  /** The review app listening on a port (`web.serve: 'port'`). */
  web: WebServer;
  /** The review app for `app.inject` (`web.serve: 'inject'`). */
  app: FastifyInstance;
  browser: Browser;
  /** A user signed in to the review app in a fresh browser context. */
  signIn(name: string, password: string): Promise<Page>;
  /**
   * Runs `prepare` once the parts run, before the file's tests: what they read (cases, users). Not a `before` hook of
   * the file's own: node:test (Node 20) runs a file's top-level `before` hooks side by side.
   */
  prepare(prepare: () => Promise<void>): void;
  /** Stops the workers (if they run): for tests that need them away, or another worker in their place. */
  stopWorkers(): Promise<void>;
  /**
   * Stops the workers (if they run) and starts them again, as asked of useTestStack or otherwise: letters to the test's
   * SMTP server or to none, with the intake webhook or without it.
   */
  restartWorkers(change?: { smtp?: boolean; webhook?: boolean }): Promise<void>;
}

type Running = {
  -readonly [
    K in keyof Omit<TestStackHandles, 'signIn' | 'prepare' | 'stopWorkers' | 'restartWorkers'>
  ]?: TestStackHandles[K];
};

/**
 * Starts what the test file asks for in a `before` hook and stops all of it in an `after` hook, which node:test runs
 * even when a start failed: every part that started is stopped, in reverse order, whatever the others do.
 */
export function useTestStack(options: TestStackOptions = {}): TestStackHandles {
  const running: Running = {};
  const preparations: Array<() => Promise<void>> = [];
  const configFor = (stack: TestStack, { smtp }: { smtp: boolean }) => ({
    ...stack,
    config: { ...stack.config, ...(smtp && running.smtp && { mail: { smtp: { url: running.smtp.url } } }) },
  });
  const startWorkersOf = (stack: TestStack, { smtp = true, webhook }: { smtp?: boolean; webhook?: boolean } = {}) =>
    startWorkers(configFor(stack, { smtp }), {
      webhook: webhook ?? (options.workers ?? notRunning('workers')).webhook,
    });
  const stopWorkers = async () => {
    const workers = running.workers;
    running.workers = undefined;
    await workers?.stop();
  };

  before(async () => {
    // The Web UI is told the codec server's address when it starts, before the app listens.
    const webPort = options.temporalUi ? await freePort() : 0;
    const temporalUi = options.temporalUi
      ? { port: await freePort(), codecEndpoint: `http://127.0.0.1:${webPort}${CODEC_PREFIX}` }
      : undefined;
    const stack = (running.stack = await startTestStack({ temporalUi }));
    if (options.smtp) running.smtp = await startTestSmtp();
    if (options.workers) running.workers = await startWorkersOf(stack);
    if (options.web) {
      const deps = (running.deps = await webDeps(configFor(stack, { smtp: true }), {
        ...(temporalUi && { temporalUiUrl: `http://127.0.0.1:${temporalUi.port}` }),
        ...(await options.web.deps?.(stack)),
      }));
      running.users = deps.users;
      if (options.web.serve === 'port') running.web = await startWebServerOn(deps, webPort);
      else running.app = await buildApp(deps);
    }
    if (options.browser) running.browser = await launchChromium();
    for (const prepare of preparations) await prepare();
  });

  after(async () => {
    const stops = [
      () => running.browser?.close(),
      () => running.web?.close(),
      () => running.app?.close(),
      () => running.workers?.stop(),
      () => running.smtp?.close(),
      () => running.stack?.stop(),
    ];
    const failures: unknown[] = [];
    for (const stop of stops) {
      try {
        await stop();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length) throw new AggregateError(failures, 'the test stack did not stop cleanly');
  });

  return {
    stack: startedLater('stack', () => running.stack),
    smtp: startedLater('smtp', () => running.smtp),
    workers: startedLater('workers', () => running.workers),
    deps: startedLater('deps', () => running.deps),
    users: startedLater('users', () => running.users),
    web: startedLater('web', () => running.web),
    app: startedLater('app', () => running.app),
    browser: startedLater('browser', () => running.browser),
    signIn: (name, password) =>
      signIn(running.browser ?? notRunning('browser'), (running.web ?? notRunning('web')).url, name, password),
    prepare: (prepare) => void preparations.push(prepare),
    stopWorkers,
    async restartWorkers(change) {
      await stopWorkers();
      running.workers = await startWorkersOf(running.stack ?? notRunning('stack'), change);
    },
  };
}

function notRunning(name: string): never {
  throw new Error(`the test stack's ${name} is not running: not asked of useTestStack, or its before hook failed`);
}

/**
 * Stands for the object `current` gives once it is there. Methods are bound to it (class instances with private fields
 * see themselves), and spreading copies its own properties.
 */
function startedLater<T extends object>(name: string, current: () => T | undefined): T {
  const target = (): T => current() ?? notRunning(name);
  return new Proxy({} as T, {
    get(_, key) {
      const object = target();
      const value: unknown = Reflect.get(object, key, object);
      return typeof value === 'function' ? value.bind(object) : value;
    },
    set: (_, key, value) => Reflect.set(target(), key, value),
    has: (_, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor(_, key) {
      const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
      // A proxy may only report as its own what its (empty) target could still get: configurable properties.
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}
