import { createServer } from 'node:net';
import { UserError } from '../config/user-error.ts';

/** Fails with one clear line when a port the local stack needs is taken by another program. */
export async function assertPortFree(port: number, variable: string, host = '127.0.0.1'): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
  if (!free) {
    throw new UserError(
      `port ${port} (${variable}) is already in use by another program: stop that program or set ${variable} to a free port`,
    );
  }
}

/** A port the operating system reports free right now (for tests and ephemeral servers). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host }, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
