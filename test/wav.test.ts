/**
 * decodeWav / encodeWav: bit-exact parity with librosa.load on the shared fixtures, every sample
 * layout built by hand, chunk-layout quirks, and every WavFormatError.
 */

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeWav, encodeWav } from '../bindings/audio/wav.ts';
import { ParameterError, WavFormatError } from '../bindings/errors.ts';
import { sharedDir } from './helpers/shared.ts';

const FIXTURES = join(sharedDir, 'reference/librosa-0.10.1');
const FILE = 'probe.wav';

// ---- hand-built RIFF files -------------------------------------------------------------------

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const u16 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff];
const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

/** A chunk with its pad byte; `size` overrides the size field (to lie about it). */
function chunk(id: string, body: ArrayLike<number>, size = body.length): number[] {
  const out = [...ascii(id), ...u32(size), ...Array.from(body)];
  if (body.length & 1) out.push(0);
  return out;
}

/** RIFF/WAVE around `chunks`; `riffSize` overrides the RIFF size field. */
function riff(chunks: number[][], riffSize?: number): Uint8Array {
  const body = chunks.flat();
  return Uint8Array.from([...ascii('RIFF'), ...u32(riffSize ?? 4 + body.length), ...ascii('WAVE'), ...body]);
}

interface Fmt {
  tag?: number;
  channels?: number;
  rate?: number;
  bits?: number;
  blockAlign?: number;
  /** Wrap as WAVE_FORMAT_EXTENSIBLE with this sub-format codec. */
  sub?: number;
}

function fmt({ tag = 1, channels = 1, rate = 8000, bits = 16, blockAlign, sub }: Fmt = {}): number[] {
  const align = blockAlign ?? (channels * bits) / 8;
  const base = [...u16(sub === undefined ? tag : 0xfffe), ...u16(channels), ...u32(rate), ...u32(rate * align), ...u16(align), ...u16(bits)];
  if (sub === undefined) return chunk('fmt ', base);
  // cbSize 22, valid bits, channel mask, KSDATAFORMAT_SUBTYPE_{PCM,IEEE_FLOAT} GUID.
  const guid = [...u16(sub), 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
  return chunk('fmt ', [...base, ...u16(22), ...u16(bits), ...u32(channels === 1 ? 4 : 3), ...guid]);
}

const int16Bytes = (xs: number[]): number[] => xs.flatMap(u16);
const float32Bytes = (xs: number[]): number[] => [...new Uint8Array(Float32Array.from(xs).buffer)];
const float64Bytes = (xs: number[]): number[] => [...new Uint8Array(Float64Array.from(xs).buffer)];

const decode = (bytes: Uint8Array | ArrayBuffer) => decodeWav(bytes, { file: FILE });
const equalSamples = (got: Float32Array, want: ArrayLike<number>, label = '') => {
  assert.is(got.length, want.length, `${label} length`);
  for (let i = 0; i < want.length; i++) {
    if (got[i] !== Math.fround(want[i]!)) {
      assert.unreachable(`${label} sample ${i}: got ${got[i]}, want ${Math.fround(want[i]!)}`);
    }
  }
};

/** Expect a WavFormatError whose message names FILE and contains every `parts`. */
function rejects(bytes: Uint8Array | ArrayBuffer, ...parts: string[]): void {
  try {
    decode(bytes);
  } catch (e) {
    assert.instance(e, WavFormatError);
    const msg = (e as Error).message;
    assert.ok(msg.startsWith(`${FILE}: `), `message names the file: ${msg}`);
    for (const p of parts) assert.ok(msg.includes(p), `"${msg}" should mention "${p}"`);
    assert.is((e as WavFormatError).file, FILE);
    return;
  }
  assert.unreachable(`expected WavFormatError mentioning ${parts.join(', ')}`);
}

// ---- parity with librosa.load ----------------------------------------------------------------

interface Fixture {
  input: { path: string; sr: number; n_samples: number };
  y: number[];
}

const fixtureFiles = readdirSync(FIXTURES).filter((f) => /\.(fsdd-seed|lab-16k)\.json$/.test(f));

test('fixtures: there are PCM16 fixtures at 8 and 16 kHz to compare against', () => {
  assert.ok(fixtureFiles.filter((f) => f.endsWith('.fsdd-seed.json')).length >= 10);
  assert.ok(fixtureFiles.filter((f) => f.endsWith('.lab-16k.json')).length >= 5);
});

for (const name of fixtureFiles) {
  test(`parity: ${name} decodes bit-exactly to librosa's y`, () => {
    const fx = JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Fixture;
    const path = join(sharedDir, fx.input.path);
    const wav = decodeWav(readFileSync(path), { file: path });
    assert.is(wav.sampleRate, fx.input.sr);
    assert.is(wav.channels, 1);
    assert.is(wav.bitsPerSample, 16);
    assert.is(wav.encoding, 'pcm');
    assert.is(wav.samples.length, fx.input.n_samples);
    assert.is(fx.y.length, fx.input.n_samples);
    for (let i = 0; i < fx.y.length; i++) {
      if (Math.fround(fx.y[i]!) !== wav.samples[i]) {
        assert.unreachable(`${name} sample ${i}: got ${wav.samples[i]}, librosa ${fx.y[i]}`);
      }
    }
  });
}

test('every shared wav (FSDD + isolated digits) decodes as 16-bit mono on the int16/32768 grid', () => {
  const dirs = ['data/fsdd/recordings', 'data/isolated-digits/digits', 'data/isolated-digits'];
  let n = 0;
  for (const d of dirs) {
    for (const f of readdirSync(join(sharedDir, d)).filter((x) => x.endsWith('.wav'))) {
      const path = join(sharedDir, d, f);
      const wav = decodeWav(readFileSync(path), { file: path });
      assert.is(wav.channels, 1, path);
      assert.is(wav.bitsPerSample, 16, path);
      assert.ok(wav.sampleRate === 8000 || wav.sampleRate === 16000, path);
      assert.ok(wav.samples.length > 1000, path);
      const s = wav.samples;
      for (let i = 0; i < s.length; i++) {
        if (s[i]! * 32768 !== Math.trunc(s[i]! * 32768)) assert.unreachable(`${path}[${i}] off grid`);
      }
      n++;
    }
  }
  assert.is(n, 3000 + 133 + 2);
});

test('input forms: Buffer views with a byteOffset and bare ArrayBuffers decode alike', () => {
  const y = Float32Array.from([0.5, -0.25, 1 / 32768, -1]);
  const bytes = encodeWav(y, 8000);
  const backing = new Uint8Array(bytes.length + 7);
  backing.set(bytes, 7);
  const offsetView = backing.subarray(7); // odd offset: DataView must not assume alignment
  equalSamples(decode(offsetView).samples, y, 'offset view');
  equalSamples(decode(bytes.slice().buffer).samples, y, 'ArrayBuffer');
  equalSamples(decode(Buffer.from(bytes)).samples, y, 'Buffer');
});

// ---- every sample layout -----------------------------------------------------------------------

test('PCM16 via encodeWav round-trips the whole int16 range, including the clipping edges', () => {
  const ints = [-32768, -32767, -12345, -1, 0, 1, 255, 256, 12345, 32766, 32767];
  const y = Float32Array.from(ints, (v) => v / 32768);
  const wav = decode(encodeWav(y, 16000));
  assert.equal([wav.sampleRate, wav.channels, wav.bitsPerSample, wav.encoding], [16000, 1, 16, 'pcm']);
  equalSamples(wav.samples, y);
  // Out-of-range input clips to the int16 ends instead of wrapping.
  equalSamples(decode(encodeWav(Float32Array.from([1.5, 1, -2]), 8000)).samples, [32767 / 32768, 32767 / 32768, -1]);
});

test('PCM32: int32 / 2^31 rounded once to float32, and encodeWav(32) round-trips it', () => {
  const ints = [-2147483648, -2147483647, -16777217, -1, 0, 1, 16777217, 123456789, 2147483647];
  const wav = decode(riff([fmt({ bits: 32 }), chunk('data', ints.flatMap(u32))]));
  assert.is(wav.bitsPerSample, 32);
  equalSamples(wav.samples, ints.map((v) => v / 2147483648));
  assert.is(wav.samples[8], 1); // 2147483647 rounds up to 2^31 in float32, as in libsndfile
  const again = decode(encodeWav(wav.samples, 8000, { bitsPerSample: 32 }));
  equalSamples(again.samples, wav.samples, 'round trip');
});

test('PCM8 is unsigned: (u - 128) / 128', () => {
  const us = [0, 1, 64, 127, 128, 129, 200, 255];
  const wav = decode(riff([fmt({ bits: 8 }), chunk('data', us)]));
  assert.is(wav.bitsPerSample, 8);
  equalSamples(wav.samples, us.map((u) => (u - 128) / 128));
  // Odd data size: the pad byte after it must not be read as a sample.
  const odd = decode(riff([fmt({ bits: 8 }), chunk('data', [255, 0, 128]), chunk('LIST', [1, 2])]));
  equalSamples(odd.samples, [127 / 128, -1, 0]);
});

test('PCM24: sign-extended int24 / 2^23 (exact in float32)', () => {
  const ints = [-8388608, -8388607, -1193046, -1, 0, 1, 1193046, 8388607];
  const bytes = ints.flatMap((v) => u32(v).slice(0, 3));
  const wav = decode(riff([fmt({ bits: 24 }), chunk('data', bytes)]));
  assert.is(wav.bitsPerSample, 24);
  equalSamples(wav.samples, ints.map((v) => v / 8388608));
});

test('IEEE float32 passes through unchanged (values beyond ±1 included)', () => {
  const y = Float32Array.from([0, -0.5, 0.1, 1.5, -3, 1e-30, -1]);
  const wav = decode(encodeWav(y, 22050, { float: true, bitsPerSample: 32 }));
  assert.equal([wav.sampleRate, wav.bitsPerSample, wav.encoding], [22050, 32, 'float']);
  equalSamples(wav.samples, y);
});

test('IEEE float64 is rounded to float32 (subnormals and ties included)', () => {
  const xs = [0.1, -1 / 3, 2.5, 1e-40, 1 + 2 ** -24, -1e-300];
  const wav = decode(riff([fmt({ tag: 3, bits: 64 }), chunk('data', float64Bytes(xs))]));
  assert.equal([wav.bitsPerSample, wav.encoding], [64, 'float']);
  equalSamples(wav.samples, xs.map(Math.fround));
  assert.is(wav.samples[4], 1); // tie rounds to even
});

// ---- channel averaging ---------------------------------------------------------------------------

test('stereo PCM16 averages the channels per frame', () => {
  const l = [0.5, -1, 0.25, 32767 / 32768];
  const r = [0.25, -1, -0.25, 1 / 32768];
  const inter = Float32Array.from(l.flatMap((v, i) => [v, r[i]!]));
  const wav = decode(encodeWav(inter, 8000, { channels: 2 }));
  assert.is(wav.channels, 2);
  equalSamples(wav.samples, l.map((v, i) => (v + r[i]!) / 2));
});

test('several channels: float32 mean in numpy order (values computed with np.mean)', () => {
  // Each frame's numpy result differs from the float64 mean; the 9-channel one also differs from
  // a plain in-order float32 sum, because numpy sums 8+ elements pairwise.
  const three = [-0.590961754322052, -0.3924046754837036, -0.34511610865592957];
  const nine = [
    -4.835778781853151e-7, 0.5063850283622742, -0.16533589363098145, -0.01017539668828249, -0.9332239031791687,
    -0.08582579344511032, -8.057849640863424e-7, 0.3678807318210602, 0.6657161116600037,
  ];
  const w3 = decode(riff([fmt({ tag: 3, bits: 32, channels: 3 }), chunk('data', float32Bytes([...three, 1, 2 ** -24, 2 ** -24]))]));
  equalSamples(w3.samples, [-0.4428274929523468, 0.3333333432674408], '3 channels');
  const w9 = decode(riff([fmt({ tag: 3, bits: 32, channels: 9 }), chunk('data', float32Bytes(nine))]));
  equalSamples(w9.samples, [0.038379959762096405], '9 channels');
});

test('many channels (130, past numpy\'s 128-element pairwise block) stay finite and close to the mean', () => {
  const C = 130;
  const xs = Array.from({ length: 2 * C }, (_, i) => Math.fround(Math.sin(i * 0.37)));
  const wav = decode(riff([fmt({ tag: 3, bits: 32, channels: C }), chunk('data', float32Bytes(xs))]));
  for (let fr = 0; fr < 2; fr++) {
    const mean = xs.slice(fr * C, fr * C + C).reduce((a, b) => a + b, 0) / C;
    assert.ok(Math.abs(wav.samples[fr]! - mean) < 1e-6);
  }
});

// ---- chunk layout -------------------------------------------------------------------------------

test('WAVE_FORMAT_EXTENSIBLE: the sub-format GUID picks PCM or float', () => {
  const ints = [-32768, -1, 0, 1, 32767];
  const pcm = decode(riff([fmt({ sub: 1, bits: 16 }), chunk('data', int16Bytes(ints))]));
  assert.equal([pcm.encoding, pcm.bitsPerSample], ['pcm', 16]);
  equalSamples(pcm.samples, ints.map((v) => v / 32768));
  const flt = decode(riff([fmt({ sub: 3, bits: 32, channels: 2 }), chunk('data', float32Bytes([0.5, 0.25, -1, 1]))]));
  assert.equal([flt.encoding, flt.channels], ['float', 2]);
  equalSamples(flt.samples, [0.375, 0]);
  const s24 = decode(riff([fmt({ sub: 1, bits: 24 }), chunk('data', [0, 0, 0x80, 0xff, 0xff, 0x7f])]));
  equalSamples(s24.samples, [-1, 8388607 / 8388608]);
});

test('odd-size unknown chunk (with pad byte) before data is skipped', () => {
  const wav = decode(riff([fmt(), chunk('LIST', [1, 2, 3]), chunk('data', int16Bytes([100, -100]))]));
  equalSamples(wav.samples, [100 / 32768, -100 / 32768]);
});

test('fmt after data, junk before fmt, and zero-size chunks are all found', () => {
  const data = chunk('data', int16Bytes([7, 8, 9]));
  const wav = decode(riff([chunk('JUNK', []), chunk('junk', [0, 0, 0, 0, 0]), data, chunk('fact', u32(3)), fmt()]));
  equalSamples(wav.samples, [7 / 32768, 8 / 32768, 9 / 32768]);
  // An 18-byte fmt (cbSize = 0) is a plain fmt.
  const fmt18 = chunk('fmt ', [...fmt().slice(8), 0, 0]);
  equalSamples(decode(riff([fmt18, data])).samples, [7 / 32768, 8 / 32768, 9 / 32768]);
});

test('the RIFF size field is not trusted (streaming writers leave 0 or 0xFFFFFFFF)', () => {
  const good = [fmt(), chunk('data', int16Bytes([1, 2]))];
  for (const size of [0, 0xffffffff, 3]) equalSamples(decode(riff(good, size)).samples, [1 / 32768, 2 / 32768]);
});

test('truncated data chunk yields the whole frames present; a partial last frame is dropped', () => {
  const head = [...fmt({ channels: 2 })];
  // Claims 400 bytes, 9 present: two whole stereo frames (8 bytes), one stray byte.
  const cut = riff([head, [...ascii('data'), ...u32(400), ...int16Bytes([2, 4, -2, -4]), 0x55]]);
  equalSamples(decode(cut).samples, [3 / 32768, -3 / 32768]);
  // Claims 0xFFFFFFFF (unknown length).
  const open = riff([head, [...ascii('data'), ...u32(0xffffffff), ...int16Bytes([2, 4])]]);
  equalSamples(decode(open).samples, [3 / 32768]);
  // Data size not a multiple of blockAlign: 6 bytes of 4-byte frames → 1 frame.
  const ragged = riff([head, chunk('data', int16Bytes([2, 4, 6]))]);
  equalSamples(decode(ragged).samples, [3 / 32768]);
  // Empty data chunk: an empty signal, not an error.
  assert.is(decode(riff([fmt(), chunk('data', [])])).samples.length, 0);
});

// ---- G.711 (telephone audio: A-law, mu-law) ---------------------------------------------------------

/**
 * Every byte's 16-bit expansion from an independent implementation: CPython's audioop (alaw2lin /
 * ulaw2lin, ITU-T G.711), when this Python still has it; else the ITU table's end points.
 */
function g711Reference(law: 'alaw' | 'ulaw'): number[] | null {
  const py = `import sys, warnings\nwarnings.simplefilter('ignore')\nimport audioop\nb = audioop.${law}2lin(bytes(range(256)), 2)\nprint(','.join(str(int.from_bytes(b[2*i:2*i+2], 'little', signed=True)) for i in range(256)))`;
  const r = spawnSync('python3', ['-c', py], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split(',').map(Number) : null;
}

test('G.711 A-law and mu-law: every byte as ITU-T G.711 expands it, / 2^15; channels averaged; resampled on request', () => {
  const bytes = Array.from({ length: 256 }, (_, i) => i);
  for (const [law, tag] of [['alaw', 6], ['ulaw', 7]] as const) {
    const w = decode(riff([fmt({ tag, bits: 8 }), chunk('data', bytes)]));
    assert.equal([w.encoding, w.bitsPerSample, w.samples.length], [law, 8, 256]);
    const ref = g711Reference(law);
    if (ref) equalSamples(w.samples, ref.map((v) => v / 32768), `${law} vs audioop`);
    else console.log(`  [wav.test] python3 audioop not available: ${law} checked at the ITU table's end points only`);
    // End points every G.711 table agrees on: A-law 0x55 ↔ -8, 0xD5 ↔ +8, 0x2A ↔ -32256; mu-law 0xFF ↔ 0, 0x00 ↔ -32124, 0x80 ↔ +32124.
    const at = (b: number) => w.samples[b]! * 32768;
    if (law === 'alaw') assert.equal([at(0x55), at(0xd5), at(0x2a), at(0xaa)], [-8, 8, -32256, 32256]);
    else assert.equal([at(0xff), at(0x7f), at(0x00), at(0x80)], [0, 0, -32124, 32124]);
    // WAVE_FORMAT_EXTENSIBLE with the G.711 sub-format reads the same.
    equalSamples(decode(riff([fmt({ sub: tag, bits: 8 }), chunk('data', bytes)])).samples, w.samples, `${law} extensible`);
  }
  // Stereo: the mean of the two channels' expansions.
  const st = decode(riff([fmt({ tag: 7, bits: 8, channels: 2 }), chunk('data', [0x00, 0x80, 0x10, 0x10])]));
  equalSamples(st.samples, [0, Math.fround(Math.fround(2 * decode(riff([fmt({ tag: 7, bits: 8 }), chunk('data', [0x10])])).samples[0]!) / 2)]);
  // 8 kHz telephone audio to 16 kHz, through the same resampler as PCM.
  const up = decodeWav(riff([fmt({ tag: 6, bits: 8 }), chunk('data', Array.from({ length: 800 }, (_, i) => (i * 7) & 255))]), { sr: 16000 });
  assert.equal([up.sampleRate, up.samples.length, up.encoding], [16000, 1600, 'alaw']);
});

// ---- malformed input: every WavFormatError -------------------------------------------------------

const pcm = (n = 4) => chunk('data', int16Bytes(Array.from({ length: n }, (_, i) => i)));

const malformed: [string, () => Uint8Array | ArrayBuffer, string[]][] = [
  ['empty input', () => new Uint8Array(0), ['empty']],
  ['empty ArrayBuffer', () => new ArrayBuffer(0), ['empty']],
  ['truncated header', () => Uint8Array.from(ascii('RIFF\0\0\0\0WA')), ['truncated header', '10 bytes']],
  ['wrong RIFF magic', () => Uint8Array.from([...ascii('RIFX'), ...riff([fmt(), pcm()]).slice(4)]), ['not a RIFF', 'RIFX']],
  ['wrong WAVE magic', () => Uint8Array.from([...riff([fmt(), pcm()]).slice(0, 8), ...ascii('AVI '), ...riff([fmt(), pcm()]).slice(12)]), ['not a WAVE', 'AVI ']],
  ['missing fmt chunk', () => riff([pcm()]), ['missing fmt chunk']],
  ['missing data chunk', () => riff([fmt(), chunk('LIST', [1, 2, 3])]), ['missing data chunk']],
  ['header only', () => riff([]), ['missing fmt chunk']],
  ['unknown chunk past the end hides data', () => riff([fmt(), [...ascii('LIST'), ...u32(1000), 1, 2]]), ['missing data chunk', "'LIST'", '1000']],
  ['zero channels', () => riff([fmt({ channels: 0, blockAlign: 2 }), pcm()]), ['zero channels']],
  ['zero sample rate', () => riff([fmt({ rate: 0 }), pcm()]), ['zero sample rate']],
  ['MP3 codec', () => riff([fmt({ tag: 0x55 }), pcm()]), ['unsupported codec', '0x0055', 'MPEG Layer 3']],
  ['mu-law at 16 bits', () => riff([fmt({ tag: 7 }), pcm()]), ['unsupported bit depth 16', 'G.711 mu-law']],
  ['A-law at 16 bits', () => riff([fmt({ tag: 6 }), pcm()]), ['unsupported bit depth 16', 'G.711 A-law']],
  ['unnamed codec', () => riff([fmt({ tag: 0x1234 }), pcm()]), ['unsupported codec', '0x1234']],
  ['extensible with ADPCM sub-format', () => riff([fmt({ sub: 2 }), pcm()]), ['unsupported codec', '0x0002', 'EXTENSIBLE']],
  ['extensible fmt too short', () => riff([fmt({ tag: 0xfffe }), pcm()]), ['EXTENSIBLE', 'too short', '16 bytes']],
  ['PCM 12-bit', () => riff([fmt({ bits: 12, blockAlign: 2 }), pcm()]), ['unsupported bit depth 12', 'PCM']],
  ['PCM 0-bit', () => riff([fmt({ bits: 0, blockAlign: 2 }), pcm()]), ['unsupported bit depth 0']],
  ['float 16-bit', () => riff([fmt({ tag: 3, bits: 16 }), pcm()]), ['unsupported bit depth 16', 'float']],
  ['block align inconsistent', () => riff([fmt({ channels: 2, blockAlign: 2 }), pcm()]), ['block align inconsistent', '2 bytes', 'need 4']],
  ['block align zero', () => riff([fmt({ blockAlign: 0 }), pcm()]), ['block align inconsistent']],
  ['fmt chunk larger than the file', () => riff([[...ascii('fmt '), ...u32(5000), ...fmt().slice(8)]]), ['fmt chunk', '5000', 'remain']],
  ['fmt chunk too short', () => riff([chunk('fmt ', fmt().slice(8, 20)), pcm()]), ['fmt chunk too short', '12 bytes']],
  ['NaN in float32', () => riff([fmt({ tag: 3, bits: 32 }), chunk('data', float32Bytes([0, 0.5, NaN, 1]))]), ['NaN', 'sample index 2']],
  ['Inf in float32 stereo', () => riff([fmt({ tag: 3, bits: 32, channels: 2 }), chunk('data', float32Bytes([0, 0, 0, -Infinity]))]), ['-Infinity', 'sample index 3', 'frame 1', 'channel 1']],
  ['Inf in float64', () => riff([fmt({ tag: 3, bits: 64 }), chunk('data', float64Bytes([0.25, Infinity]))]), ['Infinity', 'sample index 1']],
  ['float64 beyond float32 range', () => riff([fmt({ tag: 3, bits: 64 }), chunk('data', float64Bytes([1e300]))]), ['outside float32 range', 'sample index 0']],
];

for (const [name, build, parts] of malformed) {
  test(`rejects: ${name}`, () => rejects(build(), ...parts));
}

test('NaN written by encodeWav(float) is caught on decode; PCM encode refuses it', () => {
  rejects(encodeWav(Float32Array.from([0, NaN]), 8000, { float: true, bitsPerSample: 32 }), 'NaN', 'sample index 1');
  assert.throws(() => encodeWav(Float32Array.from([NaN]), 8000), (e: unknown) => e instanceof ParameterError && /samples\[0\]/.test(String(e)));
});

test('a long run of zero-size chunks terminates (no hang) and reports the missing data', () => {
  const chunks = Array.from({ length: 20000 }, () => chunk('JUNK', []));
  rejects(riff([fmt(), ...chunks]), 'missing data chunk');
});

test('fuzz: every truncation and random byte damage either decodes finite samples or throws WavFormatError', () => {
  let seed = Number(process.env['SPEECHCORE_SEED'] ?? 12345) >>> 0;
  const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const bases = [
    encodeWav(Float32Array.from({ length: 40 }, (_, i) => Math.sin(i) * 0.9), 8000),
    encodeWav(Float32Array.from({ length: 40 }, (_, i) => Math.sin(i) * 0.9), 8000, { float: true, bitsPerSample: 32, channels: 2 }),
    riff([chunk('LIST', [1, 2, 3]), fmt({ sub: 1, bits: 24, channels: 3 }), chunk('data', Array.from({ length: 45 }, (_, i) => i * 5))]),
  ];
  const check = (bytes: Uint8Array) => {
    try {
      const wav = decodeWav(bytes, { file: 'fuzz.wav' });
      for (const s of wav.samples) if (!Number.isFinite(s)) assert.unreachable('non-finite sample returned');
    } catch (e) {
      if (!(e instanceof WavFormatError)) throw e;
      assert.ok(e.message.startsWith('fuzz.wav: '));
    }
  };
  for (const base of bases) {
    for (let len = 0; len <= base.length; len++) check(base.subarray(0, len));
    for (let k = 0; k < 3000; k++) {
      const b = base.slice();
      const hits = 1 + Math.floor(rand() * 4);
      for (let h = 0; h < hits; h++) b[Math.floor(rand() * Math.min(b.length, 80))] = Math.floor(rand() * 256);
      check(b);
    }
  }
});

test('encodeWav validates its parameters with ParameterError', () => {
  const y = new Float32Array(4);
  const bad: [number, object][] = [
    [0, {}],
    [8000.5, {}],
    [8000, { bitsPerSample: 24 }],
    [8000, { float: true }],
    [8000, { channels: 3 }],
    [8000, { channels: 0 }],
  ];
  for (const [sr, opts] of bad) assert.throws(() => encodeWav(y, sr, opts), (e: unknown) => e instanceof ParameterError);
  const bytes = encodeWav(y, 8000, { channels: 2 });
  assert.is(bytes.length, 44 + 8);
  assert.is(new TextDecoder().decode(bytes.subarray(0, 4)), 'RIFF');
});

test.run();
