import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { Client as MinioClient } from 'minio';
import { temporalDataConverter } from './data-converter.ts';
import type { Config } from './env.ts';

/** The Temporal frontend: the configured cluster, or the local dev server of `npm start`. */
export const temporalAddress = (config: Config) => config.temporal.address ?? `127.0.0.1:${config.temporal.localPort}`;

/** The S3 endpoint: the configured one, or the local MinIO of `npm start`. */
export const storageEndpoint = (config: Config) => config.minio.endpoint ?? new URL(`http://127.0.0.1:${config.minio.localPort}`);

function temporalConnectionOptions(config: Config) {
  const { apiKey, tls } = config.temporal;
  return {
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
  };
}

export async function connectTemporalClient(config: Config): Promise<Client> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  return new Client({ connection, namespace: config.temporal.namespace, dataConverter: await temporalDataConverter(config) });
}

/** The worker's connection (the native one the SDK's core uses). */
export function connectWorkerConnection(config: Config): Promise<NativeConnection> {
  return NativeConnection.connect(temporalConnectionOptions(config));
}

export function createMinioClient(config: Config): MinioClient {
  const url = storageEndpoint(config);
  const useSSL = url.protocol === 'https:';
  return new MinioClient({
    endPoint: url.hostname,
    port: url.port ? Number(url.port) : useSSL ? 443 : 80,
    useSSL,
    accessKey: config.minio.accessKey,
    secretKey: config.minio.secretKey,
    region: config.minio.region,
  });
}
