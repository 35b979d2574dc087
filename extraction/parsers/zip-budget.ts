import yauzl from 'yauzl';
import { UnreadableDocumentError } from '../unreadable.ts';

/**
 * Inflates every entry of a zip (a .docx or .odt) into nothing, counting: what the entries really inflate to, not what
 * they declare, must stay within `maxBytes`. A zip bomb is refused here, before a parser would hold it in memory.
 * Returns the entry names.
 */
export async function checkZipBudget(bytes: Uint8Array, maxBytes: number): Promise<string[]> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      { lazyEntries: true, validateEntrySizes: true },
      (error, file) => (error ? reject(damaged(error)) : resolve(file)),
    ),
  );
  const names: string[] = [];
  let total = 0;
  const tooLarge = () =>
    new UnreadableDocumentError(
      'too-large',
      `the document's parts inflate to more than ${maxBytes} bytes (a zip bomb?)`,
      `innholdet pakkes ut til mer enn ${Math.round(maxBytes / 1024 / 1024)} MB`,
    );
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (error: Error) => reject(damaged(error)));
      zip.on('end', resolve);
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        if (total + entry.uncompressedSize > maxBytes) return reject(tooLarge());
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (error, stream) => {
          if (error) return reject(damaged(error));
          stream.on('data', (chunk: Buffer) => {
            total += chunk.length;
            if (total > maxBytes) {
              stream.destroy();
              reject(tooLarge());
            }
          });
          stream.on('error', (streamError) => reject(damaged(streamError)));
          stream.on('end', () => zip.readEntry());
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return names;
}

function damaged(error: Error): UnreadableDocumentError {
  return new UnreadableDocumentError(
    'unreadable',
    `the zip container is damaged: ${error.message}`,
    'filen er skadet (zip-strukturen kan ikke leses)',
  );
}
