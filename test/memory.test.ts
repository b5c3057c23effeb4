/**
 * Leak tests (STYLE §12, tfjs's heap-reuse test): the arena's high-water mark does not move between
 * the 10th and the 10,000th mfcc + delta extraction of the same sizes, and a ParameterError thrown
 * inside an arena scope rewinds the arena instead of leaking what the scope had allocated.
 * Growth tests (STYLE §3): growing wasm memory detaches every view of the old buffer, so results
 * computed after a growth, or across one inside a call, must equal those computed without it.
 */

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createEngineSync, delta, getEngine, mfcc, mfccWithDeltas, mfsc, ParameterError, stft, type Engine, type Matrix } from '../bindings/index.ts';
import { randomSignal, rng, SEED } from './helpers/fixtures.ts';

const B = { sr: 8000, nFft: 240, hopLength: 120, nMfcc: 13 } as const;

/** Where the next scoped allocation would land: the arena's current top, read through the public API. */
function top(engine: Engine): number {
  return engine.arena.scope(() => engine.arena.alloc(16));
}

/** Memory footprint the tests compare. */
function snapshot(engine: Engine) {
  return { highWater: engine.arena.highWater, bytes: engine.exports.memory.buffer.byteLength, plans: engine.plans.size, top: top(engine) };
}

const isParameterError = (e: unknown) => e instanceof ParameterError;

const Memory = suite('arena');

Memory('high-water mark: 10,000 mfcc + delta extractions leave it where 10 left it', () => {
  const engine = getEngine();
  const y = randomSignal(2400, rng(SEED)); // 0.3 s at 8 kHz, FSDD-sized
  const extract = () => {
    const m = mfcc(y, B);
    const d1 = delta(m);
    const d2 = delta(m, { order: 2 });
    return m.data[0]! + d1.data[0]! + d2.data[0]!;
  };
  let check = 0;
  for (let i = 0; i < 10; i++) check += extract();
  const after10 = snapshot(engine);
  for (let i = 10; i < 10_000; i++) check += extract();
  const after10k = snapshot(engine);
  assert.ok(Number.isFinite(check));
  assert.equal(after10k, after10, 'arena high-water, memory size, plan count and top after 10 vs 10,000 extractions');
});

Memory('same on a private engine, whose numbers are this test\'s alone', () => {
  const engine = createEngineSync();
  const y = randomSignal(2400, rng(SEED + 1));
  const base = snapshot(engine);
  for (let i = 0; i < 10; i++) delta(mfcc(y, { ...B, engine }), { engine });
  const after10 = snapshot(engine);
  assert.ok(after10.highWater > base.highWater, 'extraction uses the arena');
  assert.ok(after10.plans > base.plans && after10.top > base.top, 'plans are persistent: the scope floor rises once');
  for (let i = 10; i < 1_000; i++) delta(mfcc(y, { ...B, engine }), { engine });
  assert.equal(snapshot(engine), after10);
});

Memory('a ParameterError thrown inside a scope does not leak the arena', () => {
  const engine = getEngine();
  const y = randomSignal(2400, rng(SEED + 2));
  mfsc(y, { sr: 8000, nFft: 240, hopLength: 120 }); // plans built
  const before = snapshot(engine);
  // mfsc validates power_to_db's options inside its arena scope, after allocating the signal.
  for (let i = 0; i < 100; i++) {
    assert.throws(() => mfsc(y, { sr: 8000, nFft: 240, hopLength: 120, amin: 0 }), (e: unknown) => e instanceof ParameterError && /amin=0/.test((e as Error).message));
  }
  assert.equal(snapshot(engine), before, 'arena after 100 errors thrown mid-scope');

  // A caller's own scope: allocate, then a feature call throws inside it.
  assert.throws(() => engine.arena.scope(() => {
    engine.arena.alloc(1 << 20);
    mfcc(y, { ...B, nMfcc: 0 });
  }), isParameterError);
  assert.throws(() => engine.arena.scope(() => {
    engine.arena.alloc(1 << 20);
    mfsc(y, { sr: 8000, nFft: 240, hopLength: 120, topDb: -1 });
  }), isParameterError);
  assert.is(top(engine), before.top, 'outer scope rewound');

  // Not left inside a scope either: building a new plan (persistent allocation) still works.
  const fresh = mfcc(y, { sr: 8000, nFft: 256, hopLength: 128, nMfcc: 13 });
  assert.ok(fresh.data.every(Number.isFinite));
  assert.is(fresh.rows, 1 + Math.floor(y.length / 128));
});

Memory.run();

/** a and b hold the same f32 bits (NaN-safe, -0 ≠ 0), with the same shape. */
function assertSameBits(a: Matrix, b: Matrix, what: string): void {
  assert.equal([a.rows, a.cols], [b.rows, b.cols], `${what}: shape`);
  const x = new Uint32Array(a.data.buffer, a.data.byteOffset, a.data.length);
  const y = new Uint32Array(b.data.buffer, b.data.byteOffset, b.data.length);
  const i = x.findIndex((v, k) => v !== y[k]);
  assert.is(i, -1, `${what}: first differing value at ${i} (${a.data[i]} vs ${b.data[i]})`);
}

/**
 * Runs fn and reports each memory.grow it caused, as the number of arena allocations made so far
 * in fn (the growing one included). Instruments the engine's own objects for the call's duration.
 */
function growthsDuring<R>(engine: Engine, fn: () => R): { result: R; growAfterAllocs: number[] } {
  const { arena } = engine, memory = engine.exports.memory;
  const alloc = arena.alloc, grow = memory.grow;
  let allocs = 0;
  const growAfterAllocs: number[] = [];
  arena.alloc = function (this: typeof arena, bytes: number) { allocs++; return alloc.call(this, bytes); };
  memory.grow = function (this: WebAssembly.Memory, pages: number) { growAfterAllocs.push(allocs); return grow.call(this, pages); };
  try {
    return { result: fn(), growAfterAllocs };
  } finally {
    delete (arena as { alloc?: unknown }).alloc;
    delete (memory as { grow?: unknown }).grow;
  }
}

const Growth = suite('memory growth');

Growth('growing memory between two calls leaves results (and the plans in wasm memory) right', () => {
  const engine = createEngineSync();
  const y = randomSignal(8000, rng(SEED + 3));
  const o = { ...B, engine };
  const m1 = mfccWithDeltas(y, o), s1 = stft(y, { nFft: 240, hopLength: 120, engine });
  const old = engine.exports.memory.buffer, bytes = old.byteLength;
  // Through the public arena: a scoped block four times the current memory, released at once.
  engine.arena.scope(() => engine.arena.alloc(4 * bytes));
  assert.ok(engine.exports.memory.buffer.byteLength > 4 * bytes, `memory grew: ${bytes} → ${engine.exports.memory.buffer.byteLength} bytes`);
  assert.is(old.byteLength, 0, 'the old buffer is detached: a view taken before the growth is stale');
  assertSameBits(mfccWithDeltas(y, o), m1, 'mfcc + deltas after the growth');
  assertSameBits(stft(y, { nFft: 240, hopLength: 120, engine }), s1, 'stft after the growth');
});

Growth('growing memory in the middle of one call leaves its result right', () => {
  // Reference: an engine grown beforehand, so the call runs without growing.
  const roomy = createEngineSync();
  roomy.arena.scope(() => roomy.arena.alloc(16 << 20));
  // Subject: plans built by a short warm-up, then a signal sized so that its copy and its padded
  // copy fit in the free memory but the mel, MFCC and delta outputs do not.
  const engine = createEngineSync();
  mfccWithDeltas(randomSignal(4000, rng(SEED + 4)), { ...B, engine });
  const free = engine.exports.memory.buffer.byteLength - top(engine);
  const n = Math.floor((free - 4096) / 8);
  const y = randomSignal(n, rng(SEED + 5));
  const plans = engine.plans.size, bytes = engine.exports.memory.buffer.byteLength;

  const want = growthsDuring(roomy, () => mfccWithDeltas(y, { ...B, engine: roomy }));
  assert.equal(want.growAfterAllocs, [], 'the reference call does not grow memory');
  const got = growthsDuring(engine, () => mfccWithDeltas(y, { ...B, engine }));
  assert.ok(engine.exports.memory.buffer.byteLength > bytes, 'memory grew during the call');
  assert.ok(got.growAfterAllocs.length > 0 && got.growAfterAllocs[0]! > 2,
    `memory grew after the signal and its padded copy were in wasm memory (grows after allocations ${got.growAfterAllocs})`);
  assert.is(engine.plans.size, plans, 'no plan was built during the call');
  assertSameBits(got.result, want.result, `mfcc + deltas of ${n} samples, grown mid-call vs not`);
});

Growth.run();
