import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local server that speaks the Chat Completions protocol (`POST /v1/chat/completions`), so the tests run the real
 * openai client over HTTP. Each test scripts its replies and reads back what the client sent.
 */
export interface FakeOpenAiServer {
  /** What to give the client as its base URL: `http://127.0.0.1:<port>/v1`. */
  baseUrl: string;
  /** Every request to the completions endpoint, in order. */
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The JSON body, parsed. */
  body: Record<string, unknown>;
}

/** What the server does with one request: answer with a status, headers and a JSON body, or never answer. */
export type Reply = { status: number; headers?: Record<string, string>; body: unknown } | 'hang';

/**
 * A chat completion whose message says `content` (an object is sent as its JSON text, as structured outputs send it).
 */
export function completion(
  content: unknown,
  { refusal = null, finishReason = 'stop' }: { refusal?: string | null; finishReason?: string } = {},
): Reply {
  return {
    status: 200,
    body: {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: 'fake-model',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: content === null || typeof content === 'string' ? content : JSON.stringify(content),
            refusal,
            annotations: [],
          },
          logprobs: null,
          finish_reason: finishReason,
        },
      ],
      usage: { prompt_tokens: 1200, completion_tokens: 300, total_tokens: 1500 },
    },
  };
}

/** The model declines: no content, a refusal message. */
export function refusal(message: string): Reply {
  return completion(null, { refusal: message });
}

/** An API error in OpenAI's shape. */
export function apiError(status: number, message: string, headers: Record<string, string> = {}): Reply {
  return { status, headers, body: { error: { message, type: 'fake_error', param: null, code: null } } };
}

/** Serves `replies` in order; the last one answers every request after it. */
export async function startFakeOpenAiServer(replies: readonly Reply[]): Promise<FakeOpenAiServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: 'not found' } }));
        return;
      }
      requests.push({
        method: req.method,
        path: req.url,
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
      });
      const reply = replies[Math.min(requests.length, replies.length) - 1];
      if (reply === undefined || reply === 'hang') return;
      res
        .writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
        .end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    async close() {
      // A request left hanging keeps its connection open; close would wait for it forever.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
