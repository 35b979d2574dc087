import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';

const files: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/** The app's own script and style sheet: a fixed list of files, nothing else from the folder. */
export default async function staticRoutes(app: FastifyInstance) {
  const contents = new Map<string, Buffer>();
  for (const name of Object.keys(files))
    contents.set(name, await readFile(new URL(`../public/${name}`, import.meta.url)));
  app.get<{ Params: { name: string } }>('/static/:name', { config: { public: true } }, async (request, reply) => {
    const body = contents.get(request.params.name);
    if (!body) return reply.callNotFound();
    return reply.type(files[request.params.name]!).header('cache-control', 'no-cache').send(body);
  });
}
