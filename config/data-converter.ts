import { fileURLToPath } from 'node:url';
import type { DataConverter, PayloadCodec } from '@temporalio/common';
import type { Config } from './env.ts';
import { payloadCodec } from './payload-keys.ts';

/** The failure converter that puts failures' messages and stack traces into (encrypted) payloads. */
export const failureConverterPath = fileURLToPath(new URL('./failure-converter.cjs', import.meta.url));

/** What every Temporal client and worker of the project sends and reads payloads with: encrypted, failures too. */
export function dataConverterWith(codec: PayloadCodec): DataConverter {
  return { payloadCodecs: [codec], failureConverterPath };
}

export async function temporalDataConverter(config: Config): Promise<DataConverter> {
  return dataConverterWith(await payloadCodec(config));
}
