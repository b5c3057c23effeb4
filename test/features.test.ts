/**
 * Feature functions against naive float64 oracles (test/reference/) and against each other:
 * rfft vs the DFT, mfcc's DCT vs DCT-II, SIMD vs scalar engines, delta on short inputs, degenerate
 * signals, the stft options librosa users reach for, powerToDb, the mel variants and the mel scale.
 * Random inputs come from the seeded rng (override with SPEECHCORE_SEED=<int>).
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  createEngineSync, delta, hostHasSimd, hzToMel, melFilterbank, melFrequencies, melSpectrogram, melToHz, mfcc, mfsc,
  powerToDb, rfft, spectrogram, stft, zeroCrossingRate, type Engine, type Matrix,
} from '../bindings/index.ts';
import { decodeWav } from '../bindings/audio/wav.ts';
import { randomSignal, rng, SEED } from './helpers/fixtures.ts';
import { sharedDir } from './helpers/shared.ts';
import { dct2Ortho, lifterWeight } from './reference/dct.ts';
import { naivePowerSpectrogram, rdft, type NaiveStftOptions } from './reference/dft.ts';
import { savgolInterp } from './reference/savgol.ts';

const seedNote = `(SPEECHCORE_SEED=${SEED})`;

/** max |a − b| and max |b| over two equally long arrays; NaN/Inf in a count as Infinity. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): { err: number; max: number; at: number } {
  assert.is(a.length, b.length, 'lengths');
  let err = 0, max = 0, at = -1;
  for (let i = 0; i < a.length; i++) {
    const e = Number.isFinite(a[i]!) ? Math.abs(a[i]! - b[i]!) : Infinity;
    if (e > err) [err, at] = [e, i];
    max = Math.max(max, Math.abs(b[i]!));
  }
  return { err, max, at };
}

function allFinite(x: ArrayLike<number>): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) return false;
  return true;
}

/** got within rel × max|ref| of ref, elementwise. */
function closeRel(got: ArrayLike<number>, ref: ArrayLike<number>, rel: number, label: string): void {
  const { err, max, at } = maxDiff(got, ref);
  assert.ok(err <= rel * max, `${label}: max abs error ${err} at ${at} > ${rel} × max ${max} ${seedNote}`);
}

/** got within abs of ref, elementwise. */
function closeAbs(got: ArrayLike<number>, ref: ArrayLike<number>, abs: number, label: string): void {
  const { err, at } = maxDiff(got, ref);
  assert.ok(err <= abs, `${label}: max abs error ${err} at ${at} > ${abs} ${seedNote}`);
}

const FSDD8K = { sr: 8000, nFft: 240, hopLength: 120 } as const;
/** MfccOptions types `sr` as required even on the S= path, where it is unused; pass one to typecheck. */
const SR_S = 8000;

// ---- rfft vs the naive DFT ------------------------------------------------------------------------

const Fft = suite('rfft vs DFT');
const FFT_SIZES = [...Array.from({ length: 63 }, (_, i) => i + 2), 240, 400, 441, 1000, 1024, 2048];
const engines: Array<[string, Engine]> = [['scalar', createEngineSync({ simd: false })]];
if (hostHasSimd()) engines.push(['simd', createEngineSync({ simd: true })]);

for (const n of FFT_SIZES) {
  Fft(`n=${n}`, () => {
    const x = randomSignal(n, rng(SEED + n));
    const ref = rdft(x);
    let peak = 0;
    for (let k = 0; k < ref.length; k += 2) peak = Math.max(peak, Math.hypot(ref[k]!, ref[k + 1]!));
    for (const [name, engine] of engines) {
      const got = rfft(x, { engine });
      assert.is(got.length, 2 * ((n >> 1) + 1), `n=${n} ${name}: output length`);
      const { err, at } = maxDiff(got, ref);
      assert.ok(err <= 2e-5 * peak, `n=${n} ${name}: max error ${err} at ${at} > 2e-5 × spectrum max ${peak} ${seedNote}`);
    }
  });
}

Fft('impulse and constant have the textbook spectra', () => {
  assert.equal(Array.from(rfft(new Float32Array([1, 0, 0, 0]))), [1, 0, 1, 0, 1, 0]);
  const c = rfft(new Float32Array(240).fill(0.5));
  closeAbs(c, [120, ...new Array(241).fill(0)], 1e-5, 'constant 240');
});

Fft.run();

// ---- mfcc's DCT vs the naive DCT-II ---------------------------------------------------------------

const Dct = suite('mfcc(S) vs DCT-II');

/** A random log-mel-like matrix [frames][nMels], values in [-100, 0) dB. */
function randomLogMel(frames: number, nMels: number, next: () => number): Matrix {
  const data = new Float32Array(frames * nMels);
  for (let i = 0; i < data.length; i++) data[i] = -100 * next();
  return { data, rows: frames, cols: nMels };
}

for (const [nMels, nMfcc, lifter] of [[1, 1, 0], [2, 2, 0], [13, 13, 0], [26, 13, 0], [40, 20, 0], [128, 13, 0], [128, 128, 0], [128, 13, 22], [40, 40, 7]] as const) {
  Dct(`nMels=${nMels} nMfcc=${nMfcc} lifter=${lifter}`, () => {
    const S = randomLogMel(7, nMels, rng(SEED + 1000 * nMels + nMfcc));
    const got = mfcc(null, { sr: SR_S, S, nMfcc, lifter });
    assert.is(got.rows, S.rows);
    assert.is(got.cols, nMfcc);
    for (let t = 0; t < S.rows; t++) {
      const ref = dct2Ortho(S.data.subarray(t * nMels, (t + 1) * nMels), nMfcc).map((v, k) => v * lifterWeight(k, lifter));
      // f32 basis and f32 sums over nMels terms of |x| ≤ 100: a few ulp of the sum's size.
      const bound = 4e-7 * 100 * Math.sqrt(nMels) * (1 + lifter / 2);
      closeAbs(got.data.subarray(t * nMfcc, (t + 1) * nMfcc), ref, bound, `frame ${t}`);
    }
  });
}

Dct.run();

// ---- SIMD vs scalar -------------------------------------------------------------------------------

const Simd = suite('SIMD vs scalar engines');
const RECORDINGS = join(sharedDir, 'data/fsdd/recordings');

/** Five FSDD files chosen by the seed (a different seed tests different files). */
function pickFsdd(k: number): string[] {
  const all = readdirSync(RECORDINGS).filter((f) => f.endsWith('.wav')).sort();
  const next = rng(SEED ^ 0x5eed);
  const picked = new Set<string>(['0_george_0.wav']);
  while (picked.size < k) picked.add(all[Math.floor(next() * all.length)]!);
  return [...picked];
}

Simd('the two builds are what they claim', () => {
  const scalar = createEngineSync({ simd: false });
  assert.is(scalar.simd, false);
  assert.is(scalar.exports.simdEnabled(), 0);
  if (!hostHasSimd()) return;
  const simd = createEngineSync({ simd: true });
  assert.is(simd.simd, true);
  assert.is(simd.exports.simdEnabled(), 1);
});

for (const file of pickFsdd(5)) {
  Simd(file, () => {
    if (!hostHasSimd()) return; // nothing to compare against; the scalar build is tested everywhere
    const y = decodeWav(readFileSync(join(RECORDINGS, file))).samples;
    const [scalar, simd] = [createEngineSync({ simd: false }), createEngineSync({ simd: true })];
    const run = (engine: Engine) => {
      const m = mfcc(y, { ...FSDD8K, nMfcc: 13, engine });
      return {
        mfcc: m.data,
        delta: delta(m, { engine }).data,
        delta2: delta(m, { order: 2, engine }).data,
        mfsc: mfsc(y, { ...FSDD8K, nMels: 40, engine }).data,
        power: spectrogram(y, { ...FSDD8K, engine }).data,
        zcr: zeroCrossingRate(y, { frameLength: 240, hopLength: 120, engine }),
      };
    };
    const a = run(scalar), b = run(simd);
    for (const key of ['mfcc', 'delta', 'delta2', 'mfsc', 'power'] as const) closeRel(b[key], a[key], 1e-5, `${file} ${key}`);
    assert.equal(Array.from(b.zcr), Array.from(a.zcr), `${file} zcr (integer counts: exact)`);
  });
}

Simd.run();

// ---- delta on short inputs ------------------------------------------------------------------------

const Delta = suite('delta: short inputs');

/** The documented rule (bindings/features/delta.ts): the largest odd width ≤ frames, capped at `width`. */
function effectiveWidth(T: number, width: number): number {
  return T >= width ? width : T % 2 === 1 ? T : T - 1;
}

for (const width of [9, 5]) {
  for (let T = 1; T <= 12; T++) {
    Delta(`frames=${T} width=${width}`, () => {
      const D = 5;
      const next = rng(SEED + 31 * T + width);
      const X: Matrix = { data: Float32Array.from({ length: T * D }, () => 2 * next() - 1), rows: T, cols: D };
      for (const order of [1, 2]) {
        const got = delta(X, { width, order });
        assert.is(got.rows, T);
        assert.is(got.cols, D);
        assert.ok(allFinite(got.data), `order ${order}: non-finite values`);
        const w = effectiveWidth(T, width);
        if (w <= order) {
          assert.ok(got.data.every((v) => v === 0), `order ${order}, effective width ${w} ≤ order: expected zeros`);
          continue;
        }
        for (let d = 0; d < D; d++) {
          const column = Array.from({ length: T }, (_, t) => X.data[t * D + d]!);
          const ref = savgolInterp(column, w, order, order);
          const col = Array.from({ length: T }, (_, t) => got.data[t * D + d]!);
          closeAbs(col, ref, 1e-5, `order ${order} width ${w} feature ${d}`);
        }
      }
    });
  }
}

Delta('long input matches the savgol oracle too (width 9, orders 1 and 2)', () => {
  const T = 40, D = 13;
  const next = rng(SEED + 77);
  const X: Matrix = { data: Float32Array.from({ length: T * D }, () => 50 * next() - 25), rows: T, cols: D };
  for (const order of [1, 2]) {
    const got = delta(X, { order });
    for (let d = 0; d < D; d++) {
      const ref = savgolInterp(Array.from({ length: T }, (_, t) => X.data[t * D + d]!), 9, order, order);
      closeAbs(Array.from({ length: T }, (_, t) => got.data[t * D + d]!), ref, 1e-4, `order ${order} feature ${d}`);
    }
  }
});

Delta.run();

// ---- degenerate signals ---------------------------------------------------------------------------

const Degenerate = suite('degenerate signals');

const SIGNALS: Array<[string, Float32Array]> = [
  ['silent 2400 samples', new Float32Array(2400)],
  ['1 sample', new Float32Array([0.25])],
  ['100 samples < nFft 240', randomSignal(100, rng(SEED + 100))],
  ['239 samples = nFft − 1', randomSignal(239, rng(SEED + 239))],
];

for (const [label, y] of SIGNALS) {
  for (const padMode of ['constant', 'reflect'] as const) {
    Degenerate(`${label}, padMode ${padMode}: every feature is finite and shaped`, () => {
      const o = { ...FSDD8K, padMode };
      const frames = 1 + Math.floor(y.length / o.hopLength);
      const shaped = (m: Matrix, cols: number, what: string) => {
        assert.is(m.rows, frames, `${what} rows`);
        assert.is(m.cols, cols, `${what} cols`);
        assert.is(m.data.length, frames * cols, `${what} data length`);
        assert.ok(allFinite(m.data), `${what}: non-finite values`);
      };
      shaped(stft(y, o), 2 * 121, 'stft');
      shaped(spectrogram(y, o), 121, 'spectrogram');
      shaped(spectrogram(y, { ...o, power: 1 }), 121, 'magnitude spectrogram');
      const mel = melSpectrogram(y, o);
      shaped(mel, 128, 'melSpectrogram');
      shaped(powerToDb(mel), 128, 'powerToDb');
      shaped(powerToDb(mel, { ref: 'max', topDb: null }), 128, 'powerToDb ref max');
      const m = mfcc(y, { ...o, nMfcc: 13 });
      shaped(m, 13, 'mfcc');
      shaped(mfcc(null, { sr: SR_S, S: powerToDb(mel), nMfcc: 13 }), 13, 'mfcc(S)');
      shaped(mfsc(y, o), 13, 'mfsc');
      shaped(delta(m), 13, 'delta');
      shaped(delta(m, { order: 2 }), 13, 'delta2');
      const z = zeroCrossingRate(y, { frameLength: 240, hopLength: 120 });
      assert.is(z.length, frames, 'zcr frames');
      assert.ok(allFinite(z) && z.every((v) => v >= 0 && v <= 1), 'zcr in [0, 1]');
      // Library defaults too (nFft 2048, hop 512): the signal is shorter than one frame.
      const d = 1 + Math.floor(y.length / 512);
      const md = mfcc(y, { sr: 8000 });
      assert.is(md.rows, d);
      assert.is(md.cols, 20);
      assert.ok(allFinite(md.data), 'mfcc with defaults');
      assert.is(zeroCrossingRate(y).length, d, 'zcr with defaults');
    });
  }
}

Degenerate('silence: −100 dB log-mel, zero ZCR, zero deltas', () => {
  const y = new Float32Array(2400);
  const s = mfsc(y, FSDD8K);
  assert.ok(s.data.every((v) => Math.abs(v + 100) < 1e-4), 'mfsc of silence is −100 dB');
  assert.ok(zeroCrossingRate(y, { frameLength: 240, hopLength: 120 }).every((v) => v === 0), 'zcr of silence');
  const m = mfcc(y, { ...FSDD8K, nMfcc: 13 });
  closeAbs([m.data[0]!], [-100 * Math.sqrt(128)], 1e-2, 'c0 of silence = −100·√nMels');
  assert.ok(delta(m).data.every((v) => Math.abs(v) < 1e-4), 'delta of a constant');
});

Degenerate.run();

// ---- stft options ---------------------------------------------------------------------------------

const Stft = suite('stft options vs the naive STFT');

function stftCase(label: string, y: Float32Array, o: NaiveStftOptions): void {
  Stft(label, () => {
    const ref = naivePowerSpectrogram(y, o);
    const got = spectrogram(y, o);
    assert.is(got.rows, ref.rows, 'frames');
    assert.is(got.cols, ref.cols, 'bins');
    closeRel(got.data, ref.data, 1e-5, label);
    // The complex STFT agrees with the power spectrogram.
    const c = stft(y, o);
    assert.is(c.rows, ref.rows);
    assert.is(c.cols, 2 * ref.cols);
    const p = new Float64Array(ref.data.length);
    for (let i = 0; i < p.length; i++) p[i] = c.data[2 * i]! ** 2 + c.data[2 * i + 1]! ** 2;
    closeRel(p, ref.data, 1e-5, `${label} complex`);
  });
}

{
  const y = randomSignal(2000, rng(SEED + 2000));
  stftCase('center=true, constant (librosa 0.10 default)', y, { nFft: 240, hopLength: 120 });
  stftCase('center=false', y, { nFft: 240, hopLength: 120, center: false });
  stftCase('center=false, 100 samples < nFft: one zero-padded frame', y.subarray(0, 100), { nFft: 240, hopLength: 120, center: false });
  stftCase('center=false, exactly nFft samples', y.subarray(0, 240), { nFft: 240, hopLength: 120, center: false });
  stftCase('winLength 200 < nFft 256', y, { nFft: 256, hopLength: 100, winLength: 200 });
  stftCase('winLength 199 < nFft 256 (odd difference)', y, { nFft: 256, hopLength: 64, winLength: 199 });
  stftCase('winLength 160 < nFft 400, center=false, reflect ignored', y, { nFft: 400, hopLength: 160, winLength: 160, center: false, padMode: 'reflect' });
  stftCase('hamming window', y, { nFft: 240, hopLength: 120, window: 'hamming' });
  stftCase('reflect padding', y, { nFft: 240, hopLength: 120, padMode: 'reflect' });
  stftCase('reflect, 50 samples < nFft/2 = 120 (padding reflects several times)', y.subarray(0, 50), { nFft: 240, hopLength: 60, padMode: 'reflect' });
  stftCase('reflect, 7 samples, nFft 400', y.subarray(0, 7), { nFft: 400, hopLength: 160, padMode: 'reflect' });
  stftCase('reflect, 2 samples', y.subarray(0, 2), { nFft: 240, hopLength: 120, padMode: 'reflect' });
  stftCase('reflect, 1 sample (numpy repeats a singleton)', y.subarray(0, 1), { nFft: 240, hopLength: 120, padMode: 'reflect' });
  stftCase('odd nFft 241', y, { nFft: 241, hopLength: 80 });
  stftCase('hop larger than nFft', y, { nFft: 128, hopLength: 300 });
}

Stft.run();

// ---- powerToDb ------------------------------------------------------------------------------------

const Db = suite('powerToDb');

/** The librosa formula in f64. */
function naiveDb(S: ArrayLike<number>, ref: number | 'max', amin: number, topDb: number | null): Float64Array {
  let mx = 0;
  for (let i = 0; i < S.length; i++) mx = Math.max(mx, S[i]!);
  const r = ref === 'max' ? mx : ref;
  const out = Float64Array.from(S, (s) => 10 * Math.log10(Math.max(amin, s)) - 10 * Math.log10(Math.max(amin, Math.abs(r))));
  if (topDb !== null) {
    const top = Math.max(...out);
    for (let i = 0; i < out.length; i++) out[i] = Math.max(out[i]!, top - topDb);
  }
  return out;
}

/** A power spectrogram with exact zeros and a 1e14 dynamic range. */
function powerWithZeros(): Matrix {
  const S = spectrogram(randomSignal(1200, rng(SEED + 5)), FSDD8K);
  for (let i = 0; i < S.data.length; i += 7) S.data[i] = 0;
  S.data[3] = 1e-13;
  return S;
}

Db("ref 'max', topDb null: 0 dB at the max, nothing clipped", () => {
  const S = powerWithZeros();
  const got = powerToDb(S, { ref: 'max', topDb: null });
  assert.is(got.rows, S.rows);
  assert.is(got.cols, S.cols);
  closeAbs(got.data, naiveDb(S.data, 'max', 1e-10, null), 1e-4, "ref 'max'");
  assert.ok(Math.abs(Math.max(...got.data)) < 1e-5, 'max is 0 dB');
  assert.ok(Math.min(...got.data) < -100, 'zeros reach amin, far below max − 80');
});

for (const [ref, amin, topDb] of [[1, 1e-10, 80], [1, 1e-10, null], [2.5, 1e-10, 80], ['max', 1e-10, 80], [1, 1e-5, 30], ['max', 1e-3, null]] as const) {
  Db(`ref ${ref}, amin ${amin}, topDb ${topDb}`, () => {
    const S = powerWithZeros();
    const got = powerToDb(S, { ref, amin, topDb });
    closeAbs(got.data, naiveDb(S.data, ref, amin, topDb), 1e-4, 'power_to_db');
    // A Float32Array in gives a Float32Array out, same values.
    const flat = powerToDb(S.data, { ref, amin, topDb });
    assert.instance(flat, Float32Array);
    assert.equal(Array.from(flat), Array.from(got.data));
  });
}

Db('mfsc (fused log-mel) equals powerToDb(melSpectrogram) for ref, amin, topDb variants', () => {
  const y = randomSignal(3000, rng(SEED + 3));
  for (const db of [{}, { ref: 'max' as const, topDb: null }, { ref: 3 }, { amin: 1e-6, topDb: 40 }]) {
    const a = mfsc(y, { ...FSDD8K, nMels: 40, ...db });
    const b = powerToDb(melSpectrogram(y, { ...FSDD8K, nMels: 40 }), db);
    closeAbs(a.data, b.data, 1e-3, `mfsc ${JSON.stringify(db)}`);
  }
});

Db('does not modify its input', () => {
  const S = powerWithZeros();
  const copy = S.data.slice();
  powerToDb(S, { ref: 'max' });
  assert.equal(Array.from(S.data), Array.from(copy));
});

Db.run();

// ---- mel variants and the mel scale ---------------------------------------------------------------

const Mel = suite('mel norm / htk / scale');

/** melFilterbank · |STFT|², f64, frame-major. */
function melProduct(fb: Matrix, S: Matrix): Float64Array {
  const out = new Float64Array(S.rows * fb.rows);
  for (let t = 0; t < S.rows; t++) {
    for (let m = 0; m < fb.rows; m++) {
      let s = 0;
      for (let k = 0; k < fb.cols; k++) s += fb.data[m * fb.cols + k]! * S.data[t * S.cols + k]!;
      out[t * fb.rows + m] = s;
    }
  }
  return out;
}

for (const [htk, norm] of [[false, 'slaney'], [false, 'none'], [true, 'slaney'], [true, 'none'], [false, null], [true, 2], [false, Infinity]] as const) {
  Mel(`melSpectrogram htk=${htk} norm=${String(norm)} = filterbank · power`, () => {
    const y = randomSignal(2400, rng(SEED + 11));
    const o = { ...FSDD8K, nMels: 64, htk, norm };
    const got = melSpectrogram(y, o);
    const fb = melFilterbank(o);
    const ref = melProduct(fb, spectrogram(y, FSDD8K));
    assert.is(got.rows, 21);
    assert.is(got.cols, 64);
    closeRel(got.data, ref, 1e-5, 'mel');
    if (typeof norm === 'number') {
      for (let m = 0; m < fb.rows; m++) {
        const row = Array.from(fb.data.subarray(m * fb.cols, (m + 1) * fb.cols));
        const len = norm === Infinity ? Math.max(...row) : Math.hypot(...row);
        if (len > 0) assert.ok(Math.abs(len - 1) < 1e-6, `band ${m}: ${norm}-norm ${len}`);
      }
    }
  });
}

Mel("norm 'none' is norm null; unnormalised triangles peak at ≤ 1", () => {
  for (const htk of [false, true]) {
    const a = melFilterbank({ sr: 16000, nFft: 400, htk, norm: 'none' });
    const b = melFilterbank({ sr: 16000, nFft: 400, htk, norm: null });
    assert.equal(Array.from(a.data), Array.from(b.data));
    assert.ok(Math.max(...a.data) <= 1 && Math.max(...a.data) > 0.9, `htk=${htk}: peak ${Math.max(...a.data)}`);
  }
});

Mel('htk + norm none at 8 kHz / nFft 240: the 7 empty bands give exactly zero', () => {
  const y = randomSignal(2400, rng(SEED + 12));
  const m = melSpectrogram(y, { ...FSDD8K, htk: true, norm: 'none' });
  for (const band of [0, 1, 4, 7, 12, 15, 22]) {
    for (let t = 0; t < m.rows; t++) assert.is(m.data[t * m.cols + band], 0, `band ${band} frame ${t}`);
  }
  // ...and their log-mel is the −100 dB floor clipped to max − 80, finite.
  assert.ok(allFinite(mfcc(y, { ...FSDD8K, htk: true, melNorm: 'none', nMfcc: 13 }).data));
});

Mel('hzToMel / melToHz round trip (Slaney and HTK) and known values', () => {
  const next = rng(SEED + 13);
  const freqs = [0, 1e-3, 1, 100, 200 / 3, 999.999, 1000, 1000.001, 4000, 8000, 11025, 22050, ...Array.from({ length: 200 }, () => 24000 * next())];
  for (const htk of [false, true]) {
    for (const f of freqs) {
      const back = melToHz(hzToMel(f, htk), htk);
      assert.ok(Math.abs(back - f) <= 1e-9 * Math.max(1, f), `htk=${htk}: ${f} Hz → ${hzToMel(f, htk)} mel → ${back} Hz`);
    }
    for (let m = 0; m <= 4000; m += 37.5) {
      const back = hzToMel(melToHz(m, htk), htk);
      assert.ok(Math.abs(back - m) <= 1e-9 * Math.max(1, m), `htk=${htk}: ${m} mel round trip → ${back}`);
    }
    const sorted = [...freqs].sort((a, b) => a - b).map((f) => hzToMel(f, htk));
    assert.ok(sorted.every((v, i) => i === 0 || v >= sorted[i - 1]!), `htk=${htk}: monotone`);
  }
  assert.is(hzToMel(1000), 1000 / (200 / 3)); // 14.999999999999998, as librosa's float64 computes it
  assert.is(hzToMel(100), 1.5);
  assert.ok(Math.abs(melToHz(15) - 1000) < 1e-9);
  assert.ok(Math.abs(hzToMel(700, true) - 2595 * Math.log10(2)) < 1e-9);
  const mf = melFrequencies(10, 50, 3800);
  assert.ok(Math.abs(mf[0]! - 50) < 1e-9 && Math.abs(mf[9]! - 3800) < 1e-9, 'melFrequencies spans fmin..fmax');
});

Mel.run();
