import { Client as MinioClient } from 'minio';
import type { Config } from '../config/env.ts';

/** The S3 endpoint: the configured one, or the local MinIO of `npm start`. */
export const storageEndpoint = (config: Config) =>
  config.minio.endpoint ?? new URL(`http://127.0.0.1:${config.minio.localPort}`);

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
