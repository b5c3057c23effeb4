/**
 * The sequence models' document format: a versioned JSON object whose parameters are
 * little-endian f32 in base64, with a CRC-32 over all parameter bytes. Decoding validates
 * everything before a single value is used — format name, version, configuration, the parameter
 * list against the shapes the configuration implies, base64 lengths, the checksum and finiteness —
 * and reports the first problem as a ModelFormatError naming the source. Objects in, objects out:
 * no file access here (checkpoint.ts reads and writes files), so browsers use it as is.
 *
 * @module
 */
import { ModelFormatError } from '../errors.ts';
import { crc32 } from '../io/crc32.ts';

export interface SavedParam {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface SavedModel<C> {
  format: string;
  version: number;
  config: C;
  meta?: Record<string, unknown>;
  params: SavedParam[];
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/** Bytes of a Float32Array, little-endian on every host. */
function f32Bytes(a: Float32Array): Uint8Array {
  const out = new Uint8Array(a.length * 4);
  const v = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) v.setFloat32(i * 4, a[i]!, true);
  return out;
}

export function base64Encode(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    s += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! +
      (i + 1 < bytes.length ? B64[(n >> 6) & 63]! : '=') + (i + 2 < bytes.length ? B64[n & 63]! : '=');
  }
  return s;
}

/** Decodes strict base64 (padding required); null on any invalid character or length. */
export function base64Decode(s: string): Uint8Array | null {
  if (s.length % 4 !== 0) return null;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  for (let i = 0, o = 0; i < s.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const c = s.charCodeAt(i + k);
      const isPad = c === 61 && i + 4 === s.length && k >= 4 - pad;
      const v = isPad ? 0 : c < 128 ? B64_INDEX[c]! : -1;
      if (v < 0) return null;
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

/** A model as a plain JSON object (what toJSON returns and a file holds, `format` first). */
export interface ModelDocument<C = unknown> {
  format: string;
  version: number;
  config: C;
  meta: Record<string, unknown>;
  params: { name: string; shape: number[]; data: string }[];
  crc32: number;
}

/** The JSON document of a model, as an object (JSON.stringify it to write a file). */
export function encodeModel<C>(m: SavedModel<C>): ModelDocument<C> {
  let crc = 0;
  const params = m.params.map((p) => {
    const bytes = f32Bytes(p.data);
    crc = crc32(bytes, crc);
    return { name: p.name, shape: p.shape, data: base64Encode(bytes) };
  });
  return { format: m.format, version: m.version, config: m.config, meta: m.meta ?? {}, params, crc32: crc };
}

/**
 * Parses the text of a model file into the document object decodeModel takes; `source` (a path or
 * URL) prefixes the message.
 * @throws ModelFormatError when the text is not JSON (truncated or corrupt).
 */
export function parseModelText(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ModelFormatError(`${source}: not valid JSON — truncated or corrupt? (${(e as Error).message})`);
  }
}

/**
 * Checks a model document (the parsed object). `expect(config)` validates the configuration
 * (throwing a ModelFormatError) and returns the parameter shapes it implies, in order.
 */
export function decodeModel<C>(json: unknown, source: string, format: string, maxVersion: number,
                               expect: (config: unknown, fail: (msg: string) => never) => { name: string; shape: number[] }[]): SavedModel<C> {
  const fail = (msg: string): never => { throw new ModelFormatError(`${source}: ${msg}`); };
  const doc = json as any;
  if (typeof doc === 'string') fail('not a JSON object but text: parse it first (parseModelText, or load a file with load())');
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail('not a JSON object');
  if (doc.format !== format) fail(`format is ${JSON.stringify(doc.format)}, expected "${format}"`);
  if (!Number.isInteger(doc.version) || doc.version < 1) fail(`version ${JSON.stringify(doc.version)} is not a positive integer`);
  if (doc.version > maxVersion) fail(`version ${doc.version} was written by a newer speechcore; this one reads up to ${maxVersion}`);
  const shapes = expect(doc.config, fail);
  if (!Array.isArray(doc.params)) fail('"params" is missing or not an array');
  if (doc.params.length !== shapes.length) fail(`has ${doc.params.length} parameter tensors; the configuration needs ${shapes.length}`);
  let crc = 0;
  const params: SavedParam[] = shapes.map((want, i) => {
    const p = doc.params[i];
    if (typeof p !== 'object' || p === null) fail(`params[${i}] is not an object`);
    if (p.name !== want.name) fail(`params[${i}] is ${JSON.stringify(p.name)}, expected "${want.name}"`);
    if (!Array.isArray(p.shape) || p.shape.length !== want.shape.length || p.shape.some((v: unknown, k: number) => v !== want.shape[k])) {
      fail(`${want.name} has shape ${JSON.stringify(p.shape)}, expected [${want.shape.join(', ')}]`);
    }
    const bytes = typeof p.data === 'string' ? base64Decode(p.data) : null;
    if (!bytes) fail(`${want.name}: data is not base64`);
    const n = want.shape.reduce((a, b) => a * b, 1);
    if (bytes!.length !== n * 4) fail(`${want.name}: ${bytes!.length} bytes of data, expected ${n * 4} (truncated?)`);
    crc = crc32(bytes!, crc);
    const v = new DataView(bytes!.buffer, bytes!.byteOffset, bytes!.byteLength);
    const data = new Float32Array(n);
    for (let k = 0; k < n; k++) {
      data[k] = v.getFloat32(k * 4, true);
      if (!Number.isFinite(data[k])) fail(`${want.name}[${k}] is ${data[k]}`);
    }
    return { name: want.name, shape: want.shape, data };
  });
  if (doc.crc32 !== crc) fail(`checksum mismatch (file says ${JSON.stringify(doc.crc32)}, data gives ${crc}): corrupt`);
  const meta = doc.meta === undefined ? {} : doc.meta;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) fail('"meta" is not an object');
  return { format, version: doc.version, config: doc.config as C, meta, params };
}

