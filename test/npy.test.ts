/**
 * .npy/.npz writers: header bytes (magic, version, length, 64-byte alignment, exact dict text),
 * dtype strings, shapes, errors, CRC-32, a ZIP read back by an independent parser here, and the
 * real proof — numpy loading both formats (and np.save producing the identical .npy bytes) when
 * python3 with numpy is available.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeNpy, encodeNpz, type NpyArray, type NpyEntry } from '../bindings/io/npy.ts';
import { crc32 } from '../bindings/io/crc32.ts';
import { ParameterError } from '../bindings/errors.ts';

const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
const hex = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
const u16 = (b: Uint8Array, p: number) => b[p] | (b[p + 1] << 8);
const u32 = (b: Uint8Array, p: number) => (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;

/** Minimal independent .npy reader: dict text and raw data bytes. */
function readNpy(b: Uint8Array) {
  assert.is(ascii(b, 0, 6), '\x93NUMPY');
  const major = b[6];
  const len = major === 1 ? u16(b, 8) : u32(b, 8);
  const start = major === 1 ? 10 : 12;
  const header = ascii(b, start, start + len);
  const m = /^\{'descr': '([<|][a-z]\d)', 'fortran_order': False, 'shape': \(([\d, ]*)\), \} *\n$/.exec(header);
  assert.ok(m, `header parses: ${JSON.stringify(header.slice(0, 80))}`);
  const shape = m![2].split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  return { major, descr: m![1], shape, dataStart: start + len, data: b.subarray(start + len) };
}

/** Minimal independent .npz reader: walks the central directory, checks local headers and CRCs. */
function readNpz(z: Uint8Array) {
  const eocd = z.length - 22;
  assert.is(u32(z, eocd), 0x06054b50);
  const n = u16(z, eocd + 10);
  assert.is(u16(z, eocd + 8), n);
  const cdSize = u32(z, eocd + 12);
  const cdOffset = u32(z, eocd + 16);
  assert.is(cdOffset + cdSize, eocd);
  const out: { name: string; method: number; npy: Uint8Array; date: number; time: number }[] = [];
  let p = cdOffset;
  for (let i = 0; i < n; i++) {
    assert.is(u32(z, p), 0x02014b50);
    const flags = u16(z, p + 8);
    const method = u16(z, p + 10);
    const crc = u32(z, p + 16);
    const csize = u32(z, p + 20);
    const usize = u32(z, p + 24);
    const nameLen = u16(z, p + 28);
    const skip = u16(z, p + 30) + u16(z, p + 32);
    const local = u32(z, p + 42);
    const nameBytes = z.subarray(p + 46, p + 46 + nameLen);
    const name = new TextDecoder().decode(nameBytes);
    assert.is((flags & 0x0800) !== 0, nameBytes.some((b) => b >= 0x80), 'UTF-8 flag iff non-ASCII name');
    // the local header must repeat the central record
    assert.is(u32(z, local), 0x04034b50);
    assert.is(u16(z, local + 8), method);
    assert.is(u32(z, local + 14), crc);
    assert.is(u32(z, local + 18), csize);
    assert.is(u32(z, local + 22), usize);
    assert.is(u16(z, local + 26), nameLen);
    assert.equal([...z.subarray(local + 30, local + 30 + nameLen)], [...nameBytes]);
    const start = local + 30 + nameLen + u16(z, local + 28);
    const body = z.subarray(start, start + csize);
    const npy = method === 0 ? body : new Uint8Array(inflateRawSync(body));
    assert.is(npy.length, usize);
    assert.is(crc32(npy), crc, `CRC of ${name}`);
    out.push({ name, method, npy, date: u16(z, p + 14), time: u16(z, p + 12) });
    p += 46 + nameLen + skip;
  }
  return out;
}

const throwsParam = (fn: () => unknown, re: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof ParameterError && re.test((e as Error).message));

test('2-D f4 header: magic, version 1.0, length, 64-byte alignment, exact dict text', () => {
  const a = Float32Array.from([1, 2, 3, 4, 5, 6]);
  const b = encodeNpy(a, [2, 3]);
  assert.equal([...b.subarray(0, 8)], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const hlen = u16(b, 8);
  assert.is((10 + hlen) % 64, 0);
  assert.is(hlen, 118); // numpy's 128-byte preamble for this array
  const dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  assert.is(ascii(b, 10, 10 + hlen), dict.padEnd(hlen - 1, ' ') + '\n');
  assert.is(b.length, 128 + 24);
  assert.is(hex(b.subarray(128)), hex(a));
});

test('1-D and 0-D shapes use Python tuple syntax; 0-D has no growth padding', () => {
  const one = readNpy(encodeNpy(new Float64Array(5), [5]));
  assert.match(ascii(encodeNpy(new Float64Array(5), [5]), 10, 80), "'shape': (5,), }");
  assert.equal(one.shape, [5]);
  const s = encodeNpy(Float64Array.of(2.5), []);
  assert.is(u16(s, 8), 118);
  assert.is(ascii(s, 10, 128), "{'descr': '<f8', 'fortran_order': False, 'shape': (), }".padEnd(117, ' ') + '\n');
  assert.is(s.length, 128 + 8);
  assert.is(new DataView(s.buffer).getFloat64(128, true), 2.5);
  const e = encodeNpy(new Int32Array(0), [0, 3]);
  assert.is(e.length, 128);
  assert.match(ascii(e, 10, 128), "'shape': (0, 3), }");
});

test('dtype strings follow the typed array', () => {
  const cases: [NpyArray, string][] = [
    [new Float32Array(1), '<f4'],
    [new Float64Array(1), '<f8'],
    [new Int8Array(1), '|i1'],
    [new Uint8Array(1), '|u1'],
    [new Uint8ClampedArray(1), '|u1'],
    [new Int16Array(1), '<i2'],
    [new Uint16Array(1), '<u2'],
    [new Int32Array(1), '<i4'],
    [new Uint32Array(1), '<u4'],
    [new BigInt64Array(1), '<i8'],
    [new BigUint64Array(1), '<u8'],
  ];
  for (const [a, d] of cases) {
    const r = readNpy(encodeNpy(a, [1]));
    assert.is(r.descr, d, a.constructor.name);
    assert.is(r.data.length, a.BYTES_PER_ELEMENT);
    assert.is(r.dataStart % 64, 0);
  }
  // a view into a larger buffer writes only its own elements
  const big = Int16Array.from([9, 1, 2, 3, 9]);
  assert.is(hex(readNpy(encodeNpy(big.subarray(1, 4), [3])).data), hex(Int16Array.of(1, 2, 3)));
});

test('headers over 65535 bytes fall back to format 2.0 with a uint32 length', () => {
  const shape = [0, ...new Array<number>(25000).fill(1)];
  const b = encodeNpy(new Float32Array(0), shape);
  assert.is(b[6], 2);
  assert.is(b[7], 0);
  const len = u32(b, 8);
  assert.ok(len > 0xffff);
  assert.is((12 + len) % 64, 0);
  assert.is(b.length, 12 + len);
  assert.equal(readNpy(b).shape, shape);
});

test('bad arrays, shapes and options throw ParameterError naming the parameter and numbers', () => {
  throwsParam(() => encodeNpy(new Float32Array(5), [2, 3]), /shape \[2, 3\] holds 6 elements but array\.length is 5/);
  throwsParam(() => encodeNpy(new Float32Array(0), [-1]), /shape\[0\] must be a non-negative integer, got -1/);
  throwsParam(() => encodeNpy(new Float32Array(3), [1.5, 2]), /shape\[0\].*1\.5/);
  throwsParam(() => encodeNpy(new Float32Array(1), [NaN]), /shape\[0\].*NaN/);
  throwsParam(() => encodeNpy([1, 2] as any, [2]), /array must be a numeric typed array/);
  throwsParam(() => encodeNpy(new Float32Array(1), [1], { fortranOrder: true } as any), /fortranOrder/);
  throwsParam(() => encodeNpy(new Float32Array(2), []), /shape \[\] holds 1 elements but array\.length is 2/);
});

test('bad entry names throw ParameterError', () => {
  const e: NpyEntry = { data: new Float32Array(1), shape: [1] };
  throwsParam(() => encodeNpz({ '': e }), /entry name "" must be non-empty/);
  throwsParam(() => encodeNpz({ 'a/b': e }), /"a\/b".*'\/'/);
  throwsParam(() => encodeNpz({ 'a\\b': e }), /must be non-empty without/);
  throwsParam(() => encodeNpz([['x', e], ['x', e]]), /"x" appears twice/);
  throwsParam(() => encodeNpz({ m: { data: new Float32Array(2), shape: [3] } }), /entry "m": encodeNpy: shape \[3\] holds 3 elements but array\.length is 2/);
});

test('CRC-32 matches the standard check value and continues across chunks', () => {
  const b = new TextEncoder().encode('123456789');
  assert.is(crc32(b), 0xcbf43926);
  assert.is(crc32(b.subarray(4), crc32(b.subarray(0, 4))), 0xcbf43926);
  assert.is(crc32(new Uint8Array(0)), 0);
});

// Shared by the independent reader and the numpy round trip.
const f4 = Float32Array.from([1.5, -0, NaN, Infinity, -Infinity, 1e-45, 3.4028234663852886e38, Math.PI, -2, 0.1, 7, 8]);
const entries: [string, NpyEntry][] = [
  ['mfcc', { data: f4, shape: [3, 4] }],
  ['f8', { data: Float64Array.from([Math.E, -1e-300, 5e-324]), shape: [3] }],
  ['labels', { data: Int32Array.from([-2147483648, 0, 2147483647, 42, -7, 9]), shape: [2, 1, 3] }],
  ['mask', { data: Uint8Array.from([0, 255, 1]), shape: [3] }],
  ['big', { data: BigInt64Array.from([-(2n ** 63n), 2n ** 53n + 1n]), shape: [2] }],
  ['sr', { data: Int32Array.of(16000), shape: [] }],
  ['empty', { data: new Float32Array(0), shape: [0, 13] }],
  ['mël', { data: Uint16Array.from([1, 65535]), shape: [1, 2] }],
];
const DESCRS: Record<string, string> = { mfcc: '<f4', f8: '<f8', labels: '<i4', mask: '|u1', big: '<i8', sr: '<i4', empty: '<f4', mël: '<u2' };

test('npz members read back with an independent ZIP parser (stored and deflated)', () => {
  for (const compress of [false, true]) {
    const z = encodeNpz(entries, { compress });
    const members = readNpz(z);
    assert.equal(members.map((m) => m.name), entries.map(([k]) => `${k}.npy`));
    for (const [i, m] of members.entries()) {
      const [key, e] = entries[i];
      assert.is(m.method, compress ? 8 : 0);
      assert.is(m.date, 33); // 1980-01-01
      assert.is(m.time, 0);
      assert.equal([...m.npy], [...encodeNpy(e.data, e.shape)], key);
      const r = readNpy(m.npy);
      assert.is(r.descr, DESCRS[key]);
      assert.equal(r.shape, [...e.shape]);
      assert.is(hex(r.data), hex(e.data));
    }
  }
  // the record form writes the same archive as the pairs form (keys here are not integer-like)
  assert.equal([...encodeNpz(Object.fromEntries(entries))], [...encodeNpz(entries)]);
  // an empty archive is just the end record
  assert.is(encodeNpz([]).length, 22);
});

const PY = String.raw`
import io, json, os, sys, zipfile
import numpy as np
d = sys.argv[1]
def info(a):
    buf = io.BytesIO(); np.save(buf, a)
    return {'dtype': a.dtype.str, 'shape': list(a.shape), 'hex': a.tobytes().hex(),
            'c': bool(a.flags.c_contiguous), 'resaved': buf.getvalue().hex()}
out = {'numpy': np.__version__, 'npy': info(np.load(os.path.join(d, 'a.npy'))), 'npz': {}}
for name in ('stored', 'compressed'):
    p = os.path.join(d, name + '.npz')
    with zipfile.ZipFile(p) as z:
        bad = z.testzip()
        types = [i.compress_type for i in z.infolist()]
    with np.load(p) as f:
        out['npz'][name] = {'testzip': bad, 'types': types, 'files': list(f.files),
                            'arrays': {k: info(f[k]) for k in f.files}}
print(json.dumps(out))
`;

test('numpy loads the .npy and both .npz kinds; np.save writes identical .npy bytes', () => {
  const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.log('  [npy.test] SKIPPED numpy round trip: `python3 -c "import numpy"` failed (python3 or numpy missing)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'npy-test-'));
  try {
    const npy = encodeNpy(f4, [3, 4]);
    writeFileSync(join(dir, 'a.npy'), npy);
    writeFileSync(join(dir, 'stored.npz'), encodeNpz(entries));
    writeFileSync(join(dir, 'compressed.npz'), encodeNpz(entries, { compress: true }));
    const r = spawnSync('python3', ['-c', PY, dir], { encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    console.log(`  [npy.test] numpy ${out.numpy} round trip`);
    assert.equal(out.npy, { dtype: '<f4', shape: [3, 4], hex: hex(f4), c: true, resaved: hex(npy) });
    for (const [kind, method] of [['stored', 0], ['compressed', 8]] as const) {
      const got = out.npz[kind];
      assert.is(got.testzip, null, `${kind}: CRCs`);
      assert.equal(got.types, entries.map(() => method));
      assert.equal(got.files, entries.map(([k]) => k));
      for (const [key, e] of entries) {
        assert.equal(
          got.arrays[key],
          { dtype: DESCRS[key], shape: [...e.shape], hex: hex(e.data), c: true, resaved: hex(encodeNpy(e.data, e.shape)) },
          `${kind}/${key}`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
