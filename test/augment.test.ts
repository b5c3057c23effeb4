/**
 * Training augmentation, each transform on a signal whose answer is known: speed perturbation
 * scales duration and pitch by the factor; noise lands at the asked SNR (white, and pink with a
 * falling spectrum); the synthetic room's tail decays 60 dB in rt60 and sits at the asked
 * direct-to-reverberant ratio; VTLP's warp keeps 0 and fmax and moves the bands; CMVN; and every
 * draw is deterministic for a seed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { init } from '../bindings/engine.ts';
import { speedPerturb } from '../bindings/augment/speed.ts';
import { addNoise, noise } from '../bindings/augment/noise.ts';
import { reverberate, reverbTail } from '../bindings/augment/reverb.ts';
import { melFilterbank, vtlpWarp } from '../bindings/features/mel.ts';
import { cmvn } from '../bindings/features/cmvn.ts';
import { rfft } from '../bindings/features/fft.ts';
import { ParameterError } from '../bindings/errors.ts';
import { Rng } from '../bindings/rng.ts';
import { augmentedFrames, resolveRecipe } from '../bindings/recognizer/recipe.ts';
import { RECOGNIZER_FEATURES } from '../bindings/recognizer/front-end.ts';

await init();

const sine = (hz: number, n: number, sr: number) => Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / sr));
const energy = (y: ArrayLike<number>, from = 0, to = y.length) => { let s = 0; for (let i = from; i < to; i++) s += y[i]! * y[i]!; return s; };

/** Frequency of the strongest bin of a zero-padded 2^16-point spectrum, Hz. */
function peakHz(y: Float32Array, sr: number): number {
  const n = 1 << 16, x = new Float32Array(n);
  x.set(y.subarray(0, Math.min(y.length, n)));
  const spec = rfft(x);
  let best = 0, bestP = -1;
  for (let k = 1; k < n / 2; k++) {
    const p = spec[2 * k]! ** 2 + spec[2 * k + 1]! ** 2;
    if (p > bestP) { bestP = p; best = k; }
  }
  return (best * sr) / n;
}

test('speedPerturb: duration divides and pitch multiplies by the factor', () => {
  const sr = 8000, y = sine(200, sr, sr);
  for (const factor of [0.9, 1.1]) {
    const z = speedPerturb(y, { sr, factor });
    assert.is(z.length, Math.round(sr / factor), `length at ${factor}`);
    const hz = peakHz(z, sr);
    assert.ok(Math.abs(hz - 200 * factor) < 0.5, `pitch at ${factor}: ${hz} Hz, expected ${200 * factor}`);
  }
  assert.equal(speedPerturb(y, { sr, factor: 1 }), y);
  assert.throws(() => speedPerturb(y, { sr, factor: 3 }), (e: Error) => e instanceof ParameterError && /factor/.test(e.message));
});

test('addNoise: the SNR asked for, white and pink; deterministic for a seed', () => {
  const y = sine(300, 8000, 8000);
  for (const color of ['white', 'pink'] as const) {
    for (const snrDb of [10, 20, 30]) {
      const z = addNoise(y, { snrDb, color, rng: 7 });
      const n = z.map((v, i) => v - y[i]!);
      const measured = 10 * Math.log10(energy(y) / energy(n));
      assert.ok(Math.abs(measured - snrDb) < 0.01, `${color} at ${snrDb} dB measured ${measured}`);
    }
    assert.equal(addNoise(y, { snrDb: 20, color, rng: 3 }), addNoise(y, { snrDb: 20, color, rng: 3 }));
    assert.not.equal(addNoise(y, { snrDb: 20, color, rng: 3 }), addNoise(y, { snrDb: 20, color, rng: 4 }));
  }
  assert.throws(() => addNoise(new Float32Array(100), { snrDb: 20 }), (e: Error) => e instanceof ParameterError && /silent/.test(e.message));
});

test('noise: pink falls with frequency, white is flat', () => {
  const n = 1 << 16, sr = 8000;
  const band = (y: Float32Array, lo: number, hi: number) => {
    const s = rfft(y);
    let p = 0;
    for (let k = Math.round((lo * n) / sr); k < Math.round((hi * n) / sr); k++) p += s[2 * k]! ** 2 + s[2 * k + 1]! ** 2;
    return p / (hi - lo);
  };
  const pink = noise(n, 'pink', new Rng(1)), white = noise(n, 'white', new Rng(1));
  const pinkRatio = band(pink, 50, 200) / band(pink, 2000, 3500);
  const whiteRatio = band(white, 50, 200) / band(white, 2000, 3500);
  assert.ok(pinkRatio > 5, `pink low/high power per Hz ${pinkRatio}`);
  assert.ok(whiteRatio > 0.7 && whiteRatio < 1.4, `white low/high ${whiteRatio}`);
});

test('reverberate: the tail decays 60 dB in rt60 (Schroeder T30) at the asked direct-to-reverberant ratio', () => {
  const sr = 8000;
  for (const rt60 of [0.3, 0.6]) {
    const imp = new Float32Array(2 * rt60 * sr + 4000);
    imp[0] = 1;
    const h = reverbTail(imp, sr, rt60, new Rng(2));
    // Backward-integrated energy decay; T30 = 2 × the time from −5 to −35 dB.
    const edc = new Float64Array(h.length);
    for (let i = h.length - 1, acc = 0; i >= 0; i--) { acc += h[i]! * h[i]!; edc[i] = acc; }
    const db = (i: number) => 10 * Math.log10(edc[i]! / edc[0]!);
    const at = (level: number) => { let i = 0; while (db(i) > level) i++; return i / sr; };
    const t30 = 2 * (at(-35) - at(-5));
    assert.ok(Math.abs(t30 - rt60) / rt60 < 0.15, `rt60 ${rt60}: measured T30 ${t30.toFixed(3)} s`);
  }
  const y = sine(250, 8000, sr);
  const z = reverberate(y, { sr, rt60: 0.4, drrDb: 6, rng: 5 });
  const tail = z.map((v, i) => v - y[i]!);
  const drr = 10 * Math.log10(energy(y) / energy(tail));
  assert.ok(Math.abs(drr - 6) < 0.01, `DRR ${drr}`);
  assert.equal(reverberate(y, { sr, rt60: 0.4, rng: 5 }), reverberate(y, { sr, rt60: 0.4, rng: 5 }));
  assert.throws(() => reverberate(new Float32Array(10), { sr, rt60: 0.4 }), (e: Error) => e instanceof ParameterError && /silent/.test(e.message));
});

test('vtlpWarp: identity at 1, fixed 0 and fmax, continuous and increasing; bands move by α below the boundary', () => {
  for (const alpha of [0.9, 1, 1.1]) {
    assert.is(vtlpWarp(0, alpha, 4000), 0);
    assert.ok(Math.abs(vtlpWarp(4000, alpha, 4000) - 4000) < 1e-9);
    let prev = -1;
    for (let f = 0; f <= 4000; f += 1) {
      const w = vtlpWarp(f, alpha, 4000);
      assert.ok(w > prev, `increasing at ${f} Hz (α ${alpha})`);
      if (f > 0) assert.ok(Math.abs(w - prev) < 1.2, `continuous at ${f} Hz (α ${alpha})`);
      prev = w;
    }
  }
  assert.is(vtlpWarp(1000, 1.1, 4000), 1100);
  const centre = (fb: { data: Float32Array; cols: number }, m: number) => {
    let s = 0, w = 0;
    for (let k = 0; k < fb.cols; k++) { s += k * fb.data[m * fb.cols + k]!; w += fb.data[m * fb.cols + k]!; }
    return s / w;
  };
  const plain = melFilterbank({ sr: 8000, nFft: 512, nMels: 40 }), warped = melFilterbank({ sr: 8000, nFft: 512, nMels: 40, vtlpAlpha: 1.1 });
  assert.ok(centre(warped, 10) / centre(plain, 10) > 1.08, 'a low band moves up by about α');
  assert.equal(melFilterbank({ sr: 8000, nFft: 512, nMels: 40, vtlpAlpha: 1 }), plain);
});

test('cmvn: zero mean and unit variance per column; mean-only leaves the spread', () => {
  const rng = new Rng(3), T = 50, D = 4;
  const X = { data: Float32Array.from({ length: T * D }, (_, k) => 5 * (k % D) + (k % D + 1) * rng.normal()), rows: T, cols: D };
  const Y = cmvn(X), M = cmvn(X, { variance: false });
  for (let d = 0; d < D; d++) {
    let s = 0, s2 = 0, m2 = 0, x2 = 0, xm = 0;
    for (let t = 0; t < T; t++) { s += Y.data[t * D + d]!; s2 += Y.data[t * D + d]! ** 2; m2 += M.data[t * D + d]! ** 2; xm += X.data[t * D + d]!; }
    xm /= T;
    for (let t = 0; t < T; t++) x2 += (X.data[t * D + d]! - xm) ** 2;
    assert.ok(Math.abs(s / T) < 1e-5 && Math.abs(s2 / T - 1) < 1e-4, `column ${d}`);
    assert.ok(Math.abs(m2 - x2) / x2 < 1e-5, `mean-only column ${d} keeps its variance`);
  }
  assert.throws(() => cmvn({ data: new Float32Array(0), rows: 0, cols: 3 }), (e: Error) => e instanceof ParameterError && /cmvn/.test(e.message));
});

test('augmentedFrames: one copy per speed plus noisy and reverberant copies, the same for the same seed', () => {
  const y = Float32Array.from({ length: 8000 }, (_, i) => Math.sin(i / 9) * Math.sin(i / 700) + 0.01 * Math.sin(i));
  const recipe = resolveRecipe({ speeds: [0.9, 1, 1.1], vtlp: 0.1, noiseCopies: 1, reverbCopies: 1 });
  const u = { samples: y, sampleRate: 8000, digit: 3 };
  const a = augmentedFrames(u, recipe, RECOGNIZER_FEATURES, new Rng(9));
  const b = augmentedFrames(u, recipe, RECOGNIZER_FEATURES, new Rng(9));
  assert.is(a.length, 5);
  a.forEach((m, i) => assert.equal(m.data, b[i]!.data, `copy ${i} is deterministic`));
  assert.ok(a[0]!.rows > a[1]!.rows && a[1]!.rows > a[2]!.rows, 'slower copies have more frames');
  const c = augmentedFrames(u, recipe, RECOGNIZER_FEATURES, new Rng(10));
  assert.ok(c.some((m, i) => m.rows !== a[i]!.rows || m.data.some((v, k) => v !== a[i]!.data[k])), 'another seed draws other copies');
  assert.throws(() => resolveRecipe({ speeds: [] }), (e: Error) => /speeds/.test(e.message));
  assert.throws(() => resolveRecipe({ snrDb: [30, 10] }), (e: Error) => /snrDb/.test(e.message));
});

test.run();
