/**
 * Streaming features against batch: createMfccStream / createMfscStream fed random chunkings
 * (seeded: SPEECHCORE_SEED) must return, concatenated, what mfcc / mfccWithDeltas / mfsc return on
 * the whole signal (topDb null), at 8 and 16 kHz, with empty and 1-sample chunks. The issue asks
 * for 1e-4; the kernels make a frame's arithmetic independent of its neighbours (stft.spec), so
 * the tests hold them to equality; the contract's
 * edges (flush twice, push after flush, bad samples); the running-max topDb rule.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  createMfccStream, createMfscStream, decodeWav, mfcc, mfccWithDeltas, mfsc, ParameterError, type FeatureStream, type Matrix,
} from '../bindings/index.ts';
import { rng, SEED } from './helpers/fixtures.ts';
import { sharedDir } from './helpers/shared.ts';

const note = `(SPEECHCORE_SEED=${SEED})`;
const fsdd = (name: string) => decodeWav(readFileSync(join(sharedDir, 'data/fsdd/recordings', name))).samples;
const digits16k = (name: string) => decodeWav(readFileSync(join(sharedDir, 'data/isolated-digits', name))).samples;

/** Feeds y in chunks whose sizes come from `sizes` and concatenates every frame returned. */
function streamed(s: FeatureStream, y: Float32Array, sizes: () => number): Matrix {
  const parts: Matrix[] = [];
  for (let i = 0; i < y.length;) {
    const k = Math.min(sizes(), y.length - i);
    parts.push(s.push(y.subarray(i, i + k)));
    i += k;
  }
  parts.push(s.flush());
  const rows = parts.reduce((a, p) => a + p.rows, 0);
  const data = new Float32Array(rows * s.cols);
  let o = 0;
  for (const p of parts) { assert.is(p.cols, s.cols); data.set(p.data, o); o += p.data.length; }
  return { data, rows, cols: s.cols };
}

function assertClose(got: Matrix, want: Matrix, tol: number, what: string): void {
  assert.is(got.rows, want.rows, `${what}: frames`);
  assert.is(got.cols, want.cols, `${what}: columns`);
  let err = 0;
  for (let i = 0; i < want.data.length; i++) err = Math.max(err, Math.abs(got.data[i]! - want.data[i]!));
  assert.ok(err <= tol, `${what}: max |stream − batch| = ${err} > ${tol} ${note}`);
}

/** Chunk sizes: a mix of 0, 1, small, AudioWorklet's 128 and large, from the seeded rng. */
function chunker(next: () => number): () => number {
  return () => {
    const u = next();
    if (u < 0.1) return 0;
    if (u < 0.25) return 1;
    if (u < 0.5) return 1 + Math.floor(next() * 40);
    if (u < 0.75) return 128;
    return 1 + Math.floor(next() * 3000);
  };
}

const Parity = suite('stream = batch (topDb null)');

const CASES = [
  { name: '8 kHz FSDD', y: () => fsdd('0_jackson_0.wav'), o: { sr: 8000, nMfcc: 13, nFft: 200, hopLength: 80, nMels: 40 } },
  { name: '16 kHz lab', y: () => digits16k('onetwothree1.wav'), o: { sr: 16000, nMfcc: 13, nFft: 400, hopLength: 160, nMels: 40 } },
  { name: 'librosa defaults at 8 kHz', y: () => fsdd('7_theo_3.wav'), o: { sr: 8000 } },
];

for (const c of CASES) {
  for (const deltas of [false, true]) {
    Parity(`${c.name}, ${deltas ? 'with' : 'without'} deltas: 20 random chunkings`, () => {
      const y = c.y();
      const o = { ...c.o, topDb: null };
      const want = deltas ? mfccWithDeltas(y, o) : mfcc(y, o);
      const next = rng(SEED + (deltas ? 1 : 0));
      for (let trial = 0; trial < 20; trial++) {
        assertClose(streamed(createMfccStream({ ...o, deltas }), y, chunker(next)), want, 0, `${c.name} trial ${trial}`);
      }
    });
  }
}

Parity('one sample at a time, and the whole signal at once', () => {
  const y = fsdd('3_nicolas_12.wav');
  const o = { sr: 8000, nMfcc: 13, nFft: 200, hopLength: 80, nMels: 40, topDb: null };
  const want = mfccWithDeltas(y, o);
  assertClose(streamed(createMfccStream({ ...o, deltas: true }), y, () => 1), want, 0, '1-sample chunks');
  assertClose(streamed(createMfccStream({ ...o, deltas: true }), y, () => y.length), want, 0, 'one chunk');
});

Parity('short signals: fewer frames than the delta width, shorter than one window', () => {
  const next = rng(SEED + 7);
  for (const n of [1, 50, 99, 100, 101, 400, 700]) {
    const y = new Float32Array(n).map(() => 2 * next() - 1);
    const o = { sr: 8000, nMfcc: 13, nFft: 200, hopLength: 80, nMels: 40, topDb: null };
    assertClose(streamed(createMfccStream({ ...o, deltas: true }), y, chunker(next)), mfccWithDeltas(y, o), 0, `n=${n} deltas`);
    assertClose(streamed(createMfccStream(o), y, chunker(next)), mfcc(y, o), 0, `n=${n}`);
    // 'reflect' on signals shorter than the pad: numpy's repeated reflection, known only at flush.
    const r = { ...o, padMode: 'reflect' as const };
    assertClose(streamed(createMfccStream({ ...r, deltas: true }), y, chunker(next)), mfccWithDeltas(y, r), 0, `n=${n} reflect`);
  }
});

Parity("padMode 'reflect', center false, odd nFft, a Hamming window", () => {
  const y = fsdd('5_lucas_20.wav');
  const next = rng(SEED + 11);
  const variants = [
    { padMode: 'reflect' as const },
    { center: false },
    { nFft: 241, hopLength: 77 },
    { window: 'hamming' as const, winLength: 160 },
  ];
  for (const v of variants) {
    const o = { sr: 8000, nMfcc: 13, nFft: 200, hopLength: 80, nMels: 40, topDb: null, ...v };
    assertClose(streamed(createMfccStream({ ...o, deltas: true }), y, chunker(next)), mfccWithDeltas(y, o), 0, JSON.stringify(v));
  }
});

Parity('mfsc stream', () => {
  const y = fsdd('9_yweweler_40.wav');
  const o = { sr: 8000, nFft: 200, hopLength: 80, topDb: null };
  assertClose(streamed(createMfscStream(o), y, chunker(rng(SEED + 3))), mfsc(y, o), 0, 'mfsc');
});

Parity('frames come out as soon as they are determined (the documented lookahead)', () => {
  const y = fsdd('1_george_5.wav');
  for (const deltas of [false, true]) {
    const s = createMfccStream({ sr: 8000, nMfcc: 13, nFft: 200, hopLength: 80, nMels: 40, deltas, topDb: null });
    assert.is(s.lookahead, 99 + (deltas ? 4 * 80 : 0), 'lookahead: right half of the window (+ 4 hops with deltas)');
    let out = 0;
    for (let i = 0; i < y.length; i++) {
      out += s.push(y.subarray(i, i + 1)).rows;
      // After sample i, frame t is out iff t·hop + lookahead ≤ i (and, with deltas, 9 frames exist).
      const byLookahead = Math.floor((i - s.lookahead) / 80) + 1;
      const expected = deltas && Math.floor((i - 99) / 80) + 1 < 9 ? 0 : Math.max(0, byLookahead);
      assert.is(out, expected, `after sample ${i} (deltas ${deltas})`);
    }
  }
});

const Contract = suite('stream contract');

Contract('flush twice; push after flush; bad samples name the sample', () => {
  const s = createMfccStream({ sr: 8000, nMfcc: 13, nFft: 200, hopLength: 80, nMels: 40, deltas: true });
  assert.is(s.push(new Float32Array(0)).rows, 0);
  s.push(new Float32Array(1000).fill(0.1));
  assert.ok(s.flush().rows > 0);
  assert.is(s.flush().rows, 0, 'second flush is empty');
  assert.throws(() => s.push(new Float32Array(1)), (e: unknown) => e instanceof ParameterError && /after flush/.test(e.message));
  const t = createMfccStream({ sr: 8000, nMfcc: 13 });
  t.push(new Float32Array(10));
  assert.throws(() => t.push(new Float32Array([0, NaN])), (e: unknown) => e instanceof ParameterError && /chunk\[1\].*sample 11/.test(e.message));
  assert.is(createMfccStream({ sr: 8000 }).flush().rows, 0, 'nothing pushed, nothing out');
  assert.throws(() => createMfccStream({ sr: 8000, nMfcc: 200, nMels: 40 }), (e: unknown) => e instanceof ParameterError);
});

const TopDb = suite('topDb: the running maximum');

TopDb('frames after the loudest one equal batch; before it, they are never above batch', () => {
  const y = fsdd('6_theo_1.wav');
  const o = { sr: 8000, nFft: 200, hopLength: 80, nMels: 40, topDb: 40 };
  const got = streamed(createMfscStream(o), y, chunker(rng(SEED + 5)));
  const want = mfsc(y, o);
  let loudest = 0, top = -Infinity;
  for (let i = 0; i < want.data.length; i++) if (want.data[i]! > top) { top = want.data[i]!; loudest = Math.floor(i / want.cols); }
  for (let t = 0; t < want.rows; t++) {
    for (let j = 0; j < want.cols; j++) {
      const g = got.data[t * want.cols + j]!, w = want.data[t * want.cols + j]!;
      if (t >= loudest) assert.ok(Math.abs(g - w) <= 1e-4, `frame ${t} after the loudest (${loudest})`);
      else assert.ok(g <= w + 1e-4, `frame ${t}: the running floor is never above batch's`);
    }
  }
});

Parity.run();
Contract.run();
TopDb.run();
