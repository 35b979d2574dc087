import type { AddressInfo } from 'node:net';
import { buildApp, type WebDeps } from './app.ts';

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

/** Builds the review app and listens (host and port from the config: `WEB_HOST`, `WEB_PORT`; port 0 for a free one). */
export async function startWebServer(
  deps: WebDeps,
  { port = deps.config.web.port, host = deps.config.web.host } = {},
): Promise<WebServer> {
  const app = await buildApp(deps);
  await app.listen({ port, host });
  const address = app.server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const scheme = deps.config.web.tls ? 'https' : 'http';
  return { url: `${scheme}://${shown === '0.0.0.0' ? '127.0.0.1' : shown}:${address.port}`, close: () => app.close() };
}
