/**
 * NumPy `.npy` / `.npz` writers, so features extracted here open with `numpy.load` (what librosa
 * users reach for). Output is byte-identical to `np.save` for the header layout (format 1.0, the
 * 64-byte-aligned preamble and numpy's growth-axis padding), so files diff cleanly against
 * Python-written ones. No Node imports at module load: everything except `compress: true` runs
 * in browsers too.
 */
import { ParameterError } from '../errors.ts';
import { crc32 } from './crc32.ts';

/** Typed arrays with a fixed NumPy dtype; their elements are written as-is (little-endian). */
export type NpyArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** One array of an archive: row-major `data` with `shape` (product of `shape` = `data.length`). */
export interface NpyEntry {
  data: NpyArray;
  shape: readonly number[];
}

// Keyed by Symbol.toStringTag rather than instanceof so arrays from another realm (worker, vm) work.
const DESCR: Record<string, string> = {
  Float32Array: '<f4',
  Float64Array: '<f8',
  Int8Array: '|i1',
  Uint8Array: '|u1',
  Uint8ClampedArray: '|u1',
  Int16Array: '<i2',
  Uint16Array: '<u2',
  Int32Array: '<i4',
  Uint32Array: '<u4',
  BigInt64Array: '<i8',
  BigUint64Array: '<u8',
};

// numpy pads the header so the first axis can grow to this many digits in place (format.py).
const GROWTH_AXIS_MAX_DIGITS = 21;
// numpy aligns the data start to 64 bytes so any dtype can be memory-mapped; the spec's minimum is 16.
const ARRAY_ALIGN = 64;
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function pythonTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * A NumPy `.npy` file (format 1.0; 2.0 only when the header would exceed 65535 bytes) holding
 * `array` in C (row-major) order with the given `shape`; `[]` writes a 0-d scalar. The dtype follows
 * the typed array (Float32Array → `<f4`, Float64Array → `<f8`, Int32Array → `<i4`, Uint8Array →
 * `|u1`, BigInt64Array → `<i8`, …). Fortran order is not supported: transpose first.
 */
export function encodeNpy(array: NpyArray, shape: readonly number[], options?: { fortranOrder?: false }): Uint8Array {
  const tag = ArrayBuffer.isView(array) ? (array as any)[Symbol.toStringTag] : undefined;
  const descr = typeof tag === 'string' ? DESCR[tag] : undefined;
  if (descr === undefined) {
    throw new ParameterError(`encodeNpy: array must be a numeric typed array, got ${tag ?? typeof array}`);
  }
  if (options?.fortranOrder) {
    throw new ParameterError('encodeNpy: fortranOrder: only C order is written; transpose the data instead');
  }
  if (!Array.isArray(shape)) throw new ParameterError(`encodeNpy: shape must be an array of dimensions, got ${typeof shape}`);
  let count = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new ParameterError(`encodeNpy: shape[${i}] must be a non-negative integer, got ${d}`);
    }
    count *= d;
  }
  if (count !== array.length) {
    throw new ParameterError(
      `encodeNpy: shape [${shape.join(', ')}] holds ${count} elements but array.length is ${array.length}`,
    );
  }

  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${pythonTuple(shape)}, }`;
  if (shape.length > 0) header += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length));
  const headerLen = header.length + 1; // + the terminating '\n'
  let major = 1;
  let prefixLen = 10; // magic (6) + version (2) + uint16 length
  let padLen = ARRAY_ALIGN - ((prefixLen + headerLen) % ARRAY_ALIGN);
  if (headerLen + padLen > 0xffff) {
    major = 2;
    prefixLen = 12; // uint32 length
    padLen = ARRAY_ALIGN - ((prefixLen + headerLen) % ARRAY_ALIGN);
  }
  const preamble = prefixLen + headerLen + padLen;
  const out = new Uint8Array(preamble + array.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]); // \x93NUMPY
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, headerLen + padLen, true);
  else view.setUint32(8, headerLen + padLen, true);
  for (let i = 0; i < header.length; i++) out[prefixLen + i] = header.charCodeAt(i); // ASCII only
  out.fill(0x20, prefixLen + header.length, preamble - 1);
  out[preamble - 1] = 0x0a;

  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  const size = array.BYTES_PER_ELEMENT;
  if (HOST_LITTLE_ENDIAN || size === 1) {
    out.set(bytes, preamble);
  } else {
    for (let i = 0; i < bytes.length; i += size) {
      for (let j = 0; j < size; j++) out[preamble + i + j] = bytes[i + size - 1 - j];
    }
  }
  return out;
}

// Without ZIP64 every size and offset field is 32-bit, and 0xFFFFFFFF means "see ZIP64".
const ZIP_MAX = 0xfffffffe;
// 1980-01-01 00:00:00, the earliest DOS date: a fixed stamp makes archives reproducible byte for byte.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const UNIX_REGULAR_644 = (0o100644 << 16) >>> 0;

function deflateRaw(bytes: Uint8Array): Uint8Array {
  // Looked up at call time, not imported, so the module still loads in browsers.
  const zlib = (globalThis as any).process?.getBuiltinModule?.('node:zlib');
  if (!zlib) {
    throw new ParameterError('encodeNpz: compress: true needs node:zlib (Node >= 20.16); write uncompressed here');
  }
  return zlib.deflateRawSync(bytes);
}

/**
 * A NumPy `.npz` archive (a plain ZIP, one `<name>.npy` member per entry) that `np.load` opens as
 * `f[name]`. Stored like `np.savez` by default; `compress: true` deflates like `np.savez_compressed`
 * and needs Node (node:zlib, looked up lazily). Pass `[name, entry]` pairs when order matters: object
 * keys that look like integers are enumerated first. Names must be non-empty, unique and free of
 * '/', '\\' and NUL. Members carry a fixed 1980-01-01 00:00 timestamp. No ZIP64: each member,
 * and the archive, must stay under 4 GiB.
 */
export function encodeNpz(
  entries: Record<string, NpyEntry> | Iterable<readonly [string, NpyEntry]>,
  options?: { compress?: boolean },
): Uint8Array {
  const list: (readonly [string, NpyEntry])[] =
    entries != null && typeof (entries as any)[Symbol.iterator] === 'function'
      ? [...(entries as Iterable<readonly [string, NpyEntry]>)]
      : Object.entries(entries as Record<string, NpyEntry>);
  const compress = options?.compress === true;
  if (list.length > 0xffff) throw new ParameterError(`encodeNpz: entries: at most 65535 arrays without ZIP64, got ${list.length}`);

  const utf8 = new TextEncoder();
  const seen = new Set<string>();
  const members: { name: Uint8Array; crc: number; rawSize: number; body: Uint8Array; offset: number }[] = [];
  let offset = 0;
  for (const [key, entry] of list) {
    if (typeof key !== 'string' || key.length === 0 || /[/\\\0]/.test(key)) {
      throw new ParameterError(`encodeNpz: entry name ${JSON.stringify(key)} must be non-empty without '/', '\\' or NUL`);
    }
    if (seen.has(key)) throw new ParameterError(`encodeNpz: entry name ${JSON.stringify(key)} appears twice`);
    seen.add(key);
    if (entry == null || typeof entry !== 'object') throw new ParameterError(`encodeNpz: entry ${JSON.stringify(key)} must be { data, shape }`);
    const name = utf8.encode(`${key}.npy`);
    if (name.length > 0xffff) throw new ParameterError(`encodeNpz: entry name ${JSON.stringify(key.slice(0, 40))}… exceeds 65535 bytes`);
    let npy: Uint8Array;
    try {
      npy = encodeNpy(entry.data, entry.shape);
    } catch (e) {
      if (e instanceof ParameterError) throw new ParameterError(`encodeNpz: entry ${JSON.stringify(key)}: ${e.message}`);
      throw e;
    }
    if (npy.length > ZIP_MAX) throw new ParameterError(`encodeNpz: entry ${JSON.stringify(key)} is ${npy.length} bytes, over the 4 GiB ZIP limit`);
    const body = compress ? deflateRaw(npy) : npy;
    members.push({ name, crc: crc32(npy), rawSize: npy.length, body, offset });
    offset += 30 + name.length + body.length;
  }
  const cdOffset = offset;
  let cdSize = 0;
  for (const m of members) cdSize += 46 + m.name.length;
  const total = cdOffset + cdSize + 22;
  if (cdOffset > ZIP_MAX || total > ZIP_MAX) {
    throw new ParameterError(`encodeNpz: archive would be ${total} bytes, over the 4 GiB ZIP limit (no ZIP64)`);
  }

  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  const method = compress ? 8 : 0;
  for (const m of members) {
    const flags = m.name.some((b) => b >= 0x80) ? 0x0800 : 0; // bit 11: name is UTF-8
    let p = m.offset;
    v.setUint32(p, 0x04034b50, true);
    v.setUint16(p + 4, 20, true); // version 2.0 covers deflate
    v.setUint16(p + 6, flags, true);
    v.setUint16(p + 8, method, true);
    v.setUint16(p + 10, DOS_TIME, true);
    v.setUint16(p + 12, DOS_DATE, true);
    v.setUint32(p + 14, m.crc, true);
    v.setUint32(p + 18, m.body.length, true);
    v.setUint32(p + 22, m.rawSize, true);
    v.setUint16(p + 26, m.name.length, true);
    v.setUint16(p + 28, 0, true);
    out.set(m.name, p + 30);
    out.set(m.body, p + 30 + m.name.length);
  }
  let p = cdOffset;
  for (const m of members) {
    const flags = m.name.some((b) => b >= 0x80) ? 0x0800 : 0;
    v.setUint32(p, 0x02014b50, true);
    v.setUint16(p + 4, (3 << 8) | 20, true); // made by Unix so the attributes below are honoured
    v.setUint16(p + 6, 20, true);
    v.setUint16(p + 8, flags, true);
    v.setUint16(p + 10, method, true);
    v.setUint16(p + 12, DOS_TIME, true);
    v.setUint16(p + 14, DOS_DATE, true);
    v.setUint32(p + 16, m.crc, true);
    v.setUint32(p + 20, m.body.length, true);
    v.setUint32(p + 24, m.rawSize, true);
    v.setUint16(p + 28, m.name.length, true);
    // extra, comment, disk number, internal attributes: all zero
    v.setUint32(p + 38, UNIX_REGULAR_644, true);
    v.setUint32(p + 42, m.offset, true);
    out.set(m.name, p + 46);
    p += 46 + m.name.length;
  }
  v.setUint32(p, 0x06054b50, true);
  v.setUint16(p + 8, members.length, true);
  v.setUint16(p + 10, members.length, true);
  v.setUint32(p + 12, cdSize, true);
  v.setUint32(p + 16, cdOffset, true);
  return out;
}
