/**
 * Leak tests (STYLE §12, tfjs's heap-reuse test): the arena's high-water mark does not move between
 * the 10th and the 10,000th mfcc + delta extraction of the same sizes, and a ParameterError thrown
 * inside an arena scope rewinds the arena instead of leaking what the scope had allocated.
 */

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createEngineSync, delta, getEngine, mfcc, mfsc, ParameterError, type Engine } from '../bindings/index.ts';
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
