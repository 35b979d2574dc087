import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { temporalDataConverter } from '../config/data-converter.ts';
import type { Config } from '../config/env.ts';

/** The Temporal frontend: the configured cluster, or the local dev server of `npm start`. */
export const temporalAddress = (config: Config) => config.temporal.address ?? `127.0.0.1:${config.temporal.localPort}`;

/**
 * How the project talks to Temporal, for the client and the workers alike: the connection (address, API key, TLS)
 * and the payload conversion: every payload encrypted with the project's keys (`config/data-converter.ts`; the review
 * app's codec server decodes them for admins), for every client and worker at once.
 */
export async function clientOptions(config: Config) {
  const { apiKey, tls } = config.temporal;
  return {
    connection: {
      address: temporalAddress(config),
      apiKey,
      tls: tls
        ? {
            clientCertPair:
              tls.clientCertPath && tls.clientKeyPath
                ? { crt: readFileSync(tls.clientCertPath), key: readFileSync(tls.clientKeyPath) }
                : undefined,
            serverRootCACertificate: tls.serverCaCertPath ? readFileSync(tls.serverCaCertPath) : undefined,
          }
        : undefined,
    },
    namespace: config.temporal.namespace,
    dataConverter: await temporalDataConverter(config),
  };
}

export async function connectTemporalClient(config: Config): Promise<Client> {
  const { connection, namespace, dataConverter } = await clientOptions(config);
  return new Client({ connection: await Connection.connect(connection), namespace, dataConverter });
}

/**
 * The workers' connection (the native one the SDK's core uses); the workers take `clientOptions(config).dataConverter`.
 * */
export async function connectWorkerConnection(config: Config): Promise<NativeConnection> {
  return NativeConnection.connect((await clientOptions(config)).connection);
}
