/**
 * createResampleStream against batch resample(): the same samples for every chunking wherever the
 * two grids coincide (n·targetSr/origSr an integer), bit for bit on exact ratios; the same
 * samples for every chunking on other lengths; the anchored grid against the ideal signal; each
 * output returned as soon as its support has arrived; the history and arena bounded; the
 * edge cases and the ParameterErrors. Chunkings come from a seeded Rng (SPEECHCORE_SEED overrides).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createEngineSync, createResampleStream, ParameterError, resample, Rng } from '../bindings/index.ts';
import { kaiserDesign, resampleGeometry } from '../bindings/features/resample.ts';
import type { ResampleStream, StreamResType } from '../bindings/features/resample-stream.ts';

const SEED = Number(process.env.SPEECHCORE_SEED ?? 20240607);

/** Rate pairs: the microphone ones, 8 ↔ 16 kHz both ways, and two without an exact table (Q > 1024). */
const PAIRS: ReadonlyArray<readonly [number, number]> = [
  [44100, 8000], [48000, 16000], [44100, 16000], [16000, 8000], [8000, 16000], [44100, 7999], [48000, 11025.5],
];
const exact = (o: number, t: number) => kaiserDesign(o, t, 'kaiser_best').ratio !== null;

function noise(n: number, rng: Rng): Float32Array {
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = 0.3 * rng.normal();
  return y;
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** Chunk lengths: AudioWorklet blocks, socket-like sizes, empty and single samples mixed in. */
function chunking(n: number, rng: Rng): number[] {
  const sizes: number[] = [];
  for (let left = n; left > 0;) {
    const kind = rng.int(5);
    const c = kind === 0 ? 0 : kind === 1 ? 1 : kind === 2 ? 128 : kind === 3 ? rng.int(3000) : rng.int(200);
    sizes.push(Math.min(c, left));
    left -= Math.min(c, left);
  }
  return sizes;
}

function streamed(y: Float32Array, sizes: number[], o: number, t: number, resType: StreamResType = 'kaiser_best'): Float32Array {
  const s = createResampleStream({ origSr: o, targetSr: t, resType });
  const parts: Float32Array[] = [];
  let i = 0;
  for (const c of sizes) { parts.push(s.push(y.subarray(i, i + c))); i += c; }
  parts.push(s.flush());
  return concat(parts);
}

function maxAbs(a: Float32Array, b: Float32Array): number {
  let e = 0;
  for (let k = 0; k < a.length; k++) e = Math.max(e, Math.abs(a[k]! - b[k]!));
  return e;
}

/** Lengths n with n·t/o an integer: multiples of the reduced o (of its numerator for fractional rates). */
function gridLengths(o: number, t: number): number[] {
  let step = 1;
  while (!Number.isInteger((step * t) / o)) step++;
  return [step, 3 * step, Math.ceil(20000 / step) * step + step].filter((n) => resampleGeometry(n, o, t).length >= 1);
}

const rows: string[] = [];
const Parity = suite('stream = batch where the grids coincide');

for (const [o, t] of PAIRS) {
  for (const resType of ['kaiser_best', 'kaiser_fast'] as const) {
    if (resType === 'kaiser_fast' && o !== 48000) continue;
    Parity(`${resType} ${o} → ${t} Hz, random chunkings: ${exact(o, t) ? 'bit for bit' : '≤ 1e-6'}`, () => {
      const rng = new Rng(SEED + o + t);
      let worst = 0, cases = 0;
      for (const n of gridLengths(o, t)) {
        const y = noise(n, rng);
        const batch = resample(y, { origSr: o, targetSr: t, resType });
        for (let r = 0; r < 4; r++) {
          const s = streamed(y, chunking(n, rng), o, t, resType);
          assert.is(s.length, batch.length, `length for n=${n}`);
          const e = maxAbs(s, batch);
          worst = Math.max(worst, e);
          cases++;
          if (exact(o, t)) assert.ok(e === 0, `n=${n}: max |stream − batch| ${e}`);
          else assert.ok(e <= 1e-6, `n=${n}: max |stream − batch| ${e}`);
        }
      }
      rows.push(`${resType.padEnd(11)} ${String(o).padStart(5)} → ${String(t).padEnd(7)} max |stream − batch| ${worst.toExponential(1)} over ${cases} chunkings`);
    });
  }
}

Parity.after(() => {
  process.stdout.write(`\n  stream vs batch (noise, σ 0.3):\n${rows.map((r) => '    ' + r).join('\n')}\n`);
});
Parity.run();

const Chunks = suite('any chunking = one chunk, on every length');

Chunks('other lengths: random chunkings, all 1-sample chunks and one chunk agree; count = batch length', () => {
  const rng = new Rng(SEED);
  for (const [o, t] of PAIRS) {
    for (const n of [1, 2, 7, 129, 1001, 4801, 12345]) {
      const y = noise(n, rng);
      const one = streamed(y, [n], o, t);
      const want = resampleGeometry(n, o, t).length;
      assert.is(one.length, want, `${o} → ${t}, n=${n}: count`);
      if (want >= 1) assert.is(resample(y, { origSr: o, targetSr: t, resType: 'kaiser_best' }).length, want);
      const tol = exact(o, t) ? 0 : 1e-6;
      const chunkings = [chunking(n, rng), chunking(n, rng), n <= 4801 ? new Array<number>(n).fill(1) : [n >> 1, 0, n - (n >> 1)]];
      for (const sizes of chunkings) {
        const e = maxAbs(streamed(y, sizes, o, t), one);
        assert.ok(e <= tol, `${o} → ${t}, n=${n}: max |chunked − one chunk| ${e}`);
      }
    }
  }
});

Chunks('the anchored grid: output k at (k + ½)/targetSr matches the ideal tone, whatever n', () => {
  // A 440 Hz tone, well inside every passband; the edges (where the zero padding rings) skipped.
  for (const [o, t] of PAIRS) {
    const n = 9001, f = 440;
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) y[i] = Math.sin(2 * Math.PI * f * (i + 0.5) / o);
    const out = streamed(y, chunking(n, new Rng(SEED)), o, t);
    const trim = Math.ceil((kaiserDesign(o, t, 'kaiser_best').halfTaps / o) * t) + 2;
    let e = 0;
    for (let k = trim; k < out.length - trim; k++) e = Math.max(e, Math.abs(out[k]! - Math.sin(2 * Math.PI * f * (k + 0.5) / t)));
    assert.ok(e < 1e-4, `${o} → ${t}: max error ${e}`);
  }
});

Chunks('push returns an output as soon as input ⌊p⌋ + lookaheadSamples has arrived, not later', () => {
  for (const [o, t] of PAIRS.filter(([a, b]) => exact(a, b))) {
    const { P, Q } = kaiserDesign(o, t, 'kaiser_best').ratio!;
    const s = createResampleStream({ origSr: o, targetSr: t });
    assert.is(s.lookaheadSamples, kaiserDesign(o, t, 'kaiser_best').halfTaps);
    // Output k is ready once ⌊(2kP + P − Q)/(2Q)⌋ + W ≤ received − 1.
    const ready = (received: number) => {
      let k = 0;
      while (Math.floor((2 * k * P + P - Q) / (2 * Q)) + s.lookaheadSamples <= received - 1) k++;
      return k;
    };
    const rng = new Rng(SEED);
    let got = 0, received = 0;
    for (let r = 0; r < 200; r++) {
      const c = rng.int(130);
      got += s.push(new Float32Array(c).fill(0.1)).length;
      received += c;
      assert.is(got, ready(received), `${o} → ${t} after ${received} samples`);
    }
  }
});

Chunks('interpolated ratios: also on time, give or take a rounding at a phase boundary', () => {
  const [o, t] = [44100, 7999];
  const s = createResampleStream({ origSr: o, targetSr: t });
  let got = 0;
  for (let received = 128; received <= 12800; received += 128) {
    got += s.push(new Float32Array(128)).length;
    let k = 0;
    while (Math.floor((k + 0.5) * (o / t) - 0.5) + s.lookaheadSamples <= received - 1) k++;
    assert.ok(Math.abs(got - k) <= 1, `after ${received}: ${got} vs ${k}`);
  }
});

Chunks.run();

const Edges = suite('resample stream: edges, memory, errors');

Edges('empty chunks return empty; a stream flushed at once or too short gives nothing', () => {
  const s = createResampleStream({ origSr: 48000, targetSr: 16000 });
  assert.is(s.push(new Float32Array(0)).length, 0);
  assert.is(s.flush().length, 0);
  const short = createResampleStream({ origSr: 44100, targetSr: 8000 });
  assert.is(short.push(Float32Array.of(0.5, 0.5)).length, 0);
  assert.is(short.flush().length, resampleGeometry(2, 44100, 8000).length); // 0; resample() would throw
});

Edges('flush twice: the second is empty; push after flush throws a ParameterError saying so', () => {
  for (const [o, t] of [[48000, 16000], [16000, 16000]] as const) {
    const s = createResampleStream({ origSr: o, targetSr: t });
    s.push(new Float32Array(1000).fill(0.25));
    s.flush();
    assert.is(s.flush().length, 0);
    assert.throws(() => s.push(new Float32Array(10)), (e: Error) => e instanceof ParameterError && /flushed/.test(e.message));
    assert.throws(() => s.push(new Float32Array(0)), (e: Error) => e instanceof ParameterError && /flushed/.test(e.message));
  }
});

Edges('equal rates pass the samples through (copies)', () => {
  const s = createResampleStream({ origSr: 16000, targetSr: 16000 });
  assert.is(s.lookaheadSamples, 0);
  const a = Float32Array.of(1, -2, 3);
  const out = s.push(a);
  assert.equal(out, a);
  assert.ok(out !== a);
  assert.is(s.push(new Float32Array(0)).length, 0);
  assert.is(s.flush().length, 0);
});

Edges('bad chunks and options: ParameterErrors naming the chunk index, the input sample or the option', () => {
  const s = createResampleStream({ origSr: 48000, targetSr: 16000 });
  s.push(new Float32Array(128));
  const bad = Float32Array.of(0, 0, NaN);
  assert.throws(() => s.push(bad), (e: Error) => e instanceof ParameterError && /chunk\[2\]=NaN \(input sample 130\) is not finite/.test(e.message));
  assert.throws(() => s.push(Float32Array.of(Infinity)), (e: Error) => e instanceof ParameterError && /chunk\[0\]=Infinity/.test(e.message));
  assert.throws(() => s.push([0.1, 0.2] as unknown as Float32Array), (e: Error) => e instanceof ParameterError && /chunk must be a Float32Array, got Array/.test(e.message));
  // A rejected chunk leaves the stream as it was.
  const a = createResampleStream({ origSr: 48000, targetSr: 16000 });
  const y = noise(3000, new Rng(SEED));
  const ref = streamed(y, [128, 2872], 48000, 16000);
  const got = [a.push(y.subarray(0, 128))];
  assert.throws(() => a.push(bad));
  got.push(a.push(y.subarray(128)), a.flush());
  assert.equal(concat(got), ref);
  const opt = (o: object, re: RegExp) => assert.throws(() => createResampleStream(o as never), (e: Error) => e instanceof ParameterError && re.test(e.message));
  opt({ origSr: 0, targetSr: 8000 }, /origSr=0/);
  opt({ origSr: 48000, targetSr: NaN }, /targetSr=NaN/);
  opt({ origSr: 48000, targetSr: 8000, resType: 'sinc_hann' }, /resType=sinc_hann must be one of kaiser_best, kaiser_fast/);
});

Edges('memory: the history stays ~2·halfTaps, the arena high-water mark flat over 2000 blocks', () => {
  const engine = createEngineSync();
  const s = createResampleStream({ origSr: 44100, targetSr: 8000, engine });
  const block = noise(128, new Rng(SEED));
  for (let r = 0; r < 100; r++) s.push(block);
  const mark = engine.arena.highWater;
  for (let r = 0; r < 2000; r++) s.push(block);
  assert.is(engine.arena.highWater, mark);
  const held = s.bufferedSamples;
  assert.ok(held <= 2 * s.lookaheadSamples + 128 + 8, `history ${held} samples`);
});

Edges('SIMD and scalar engines give the same bits', () => {
  const y = noise(5000, new Rng(SEED));
  const run = (simd: boolean, o: number, t: number) => {
    const s: ResampleStream = createResampleStream({ origSr: o, targetSr: t, engine: createEngineSync({ simd }) });
    return concat([s.push(y.subarray(0, 1234)), s.push(y.subarray(1234)), s.flush()]);
  };
  for (const [o, t] of [[44100, 8000], [44100, 7999]] as const) assert.equal(run(true, o, t), run(false, o, t));
});

Edges.run();
