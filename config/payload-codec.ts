import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
import { decode, encode } from '@temporalio/common/lib/encoding.js';
import proto from '@temporalio/proto';

const { temporal } = proto;

/** The encoding Temporal's samples and codec servers use for an encrypted payload. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256 keys by id; new payloads are encrypted with `current`, any listed key decrypts (rotation). */
export interface PayloadKeys {
  keys: ReadonlyMap<string, Buffer>;
  current: string;
}

/**
 * Encrypts every payload whole (data and metadata) with AES-256-GCM before it leaves the process, after Temporal's
 * samples (`encryption/`): what the Temporal server stores, and its UI shows without a codec server, is ciphertext.
 * Payloads written before encryption was turned on (plain histories) pass through decode as they are.
 */
export class PayloadEncryptionCodec implements PayloadCodec {
  constructor(private readonly payloadKeys: PayloadKeys) {
    for (const [id, key] of payloadKeys.keys)
      if (key.length !== 32) throw new ValueError(`payload key ${id} is not 32 bytes`);
    if (!payloadKeys.keys.has(payloadKeys.current))
      throw new ValueError(`the current payload key ${payloadKeys.current} is not among the keys`);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.payloadKeys.keys.get(this.payloadKeys.current)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: encode(ENCRYPTED_ENCODING),
          [KEY_ID_METADATA]: encode(this.payloadKeys.current),
        },
        data: Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || decode(encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
      if (!keyIdBytes) throw new ValueError('an encrypted payload without a key id');
      const keyId = decode(keyIdBytes);
      const key = this.payloadKeys.keys.get(keyId);
      if (!key)
        throw new ValueError(
          `an encrypted payload with the unknown key id ${keyId} (is PAYLOAD_KEYS missing a rotated key?)`,
        );
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES)
        throw new ValueError('an encrypted payload too short to hold its IV and tag');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}
