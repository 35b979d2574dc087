import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { allSearchAttributes } from '../workflows/messages.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

export interface LocalTemporalOptions {
  binary: string;
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  /** The codec server the UI decodes payloads with (the review app's, for signed-in admins). */
  uiCodecEndpoint?: string;
}

/** The `--search-attribute Name=Type` flags that register our custom search attributes at start. */
export function searchAttributeFlags(): string[] {
  const typeNames: Record<string, string> = {
    KEYWORD: 'Keyword',
    INT: 'Int',
    DATETIME: 'Datetime',
    TEXT: 'Text',
    BOOL: 'Bool',
    DOUBLE: 'Double',
    KEYWORD_LIST: 'KeywordList',
  };
  return allSearchAttributes.flatMap((key) => ['--search-attribute', `${key.name}=${typeNames[key.type]}`]);
}

/** The Temporal CLI's dev server with its Web UI, keeping every workflow in a database file under the data folder. */
export async function startLocalTemporal(options: LocalTemporalOptions): Promise<ServerProcess> {
  const address = `127.0.0.1:${options.port}`;
  return startServerProcess({
    name: 'temporal',
    command: options.binary,
    args: [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(options.port),
      '--ui-port',
      String(options.uiPort),
      '--db-filename',
      join(options.dataDir, 'temporal.db'),
      '--namespace',
      options.namespace,
      '--log-level',
      'warn',
      ...(options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
      ...searchAttributeFlags(),
    ],
    runDir: join(options.dataDir, 'run'),
    isReady: async () => {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: options.namespace });
        const ui = await fetch(`http://127.0.0.1:${options.uiPort}/`, { signal: AbortSignal.timeout(1000) });
        return ui.ok;
      } finally {
        await connection.close();
      }
    },
  });
}
