import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../config/env.ts';

/** The Temporal frontend: the configured cluster, or the local dev server of `npm start`. */
export const temporalAddress = (config: Config) => config.temporal.address ?? `127.0.0.1:${config.temporal.localPort}`;

/** Payloads as JSON (the SDK's default converter), unencrypted for now. */
const dataConverter: DataConverter = {};

/**
 * How the project talks to Temporal, for the client and the workers alike: the connection (address, API key, TLS)
 * and the payload conversion. A payload codec (encryption, with a codec server for the UI) is added here, in
 * `dataConverter`, and reaches every client and worker at once.
 */
export function clientOptions(config: Config) {
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
    dataConverter,
  };
}

export async function connectTemporalClient(config: Config): Promise<Client> {
  const { connection, namespace, dataConverter } = clientOptions(config);
  return new Client({ connection: await Connection.connect(connection), namespace, dataConverter });
}

/** The workers' connection (the native one the SDK's core uses); the workers take `clientOptions(config).dataConverter`. */
export function connectWorkerConnection(config: Config): Promise<NativeConnection> {
  return NativeConnection.connect(clientOptions(config).connection);
}
