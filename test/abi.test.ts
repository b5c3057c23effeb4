/**
 * The wasm boundary (STYLE §4, §6): the module exports exactly what `Exports` declares, an engine
 * refuses a module whose ABI version, mirrored constants or SIMD flag disagree with bindings/abi.ts,
 * and (at compile time, `npm run typecheck`) plans cannot be swapped for buffers or for each other.
 */

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ABI_VERSION, MIRRORED, PAD_MODE, type Exports, type MelPlan, type PitchPlan, type Ptr, type RfftPlan } from '../bindings/abi.ts';
import { createEngineSync, Engine, hostHasSimd } from '../bindings/engine.ts';

/** Every member of `Exports`, once: tsc rejects this object if a member is missing or extra. */
const DECLARED: Record<keyof Exports, true> = {
  memory: true, abiVersion: true, padConstant: true, padReflect: true, padEdge: true, simdEnabled: true, heapBase: true,
  rfftPlanBytes: true, rfftPlanInit: true, rfft: true, rfft4: true,
  padSignal: true, spectrogram: true, spectrogramWorkBytes: true,
  powerToDbInPlace: true, clipBelow: true, melPlanBytes: true, melGroupInit: true, dctFrames: true, dct2Frames: true, savgolFrames: true, zeroCrossings: true,
  gmmLogProbDiag: true, gmmLogProbFull: true, stateLogProb: true, forwardLog: true, backwardLog: true, posteriors: true,
  viterbiLog: true, accumulateGmm: true, lstmForward: true, lstmBackward: true, lstmWorkBytes: true,
  resampleSinc: true, resamplePoly: true,
  pitchPlanBytes: true, pitchPlanInit: true, pitchWorkBytes: true, pitchFrames: true, pitchPath: true,
  gaussianWindow: true, formantWorkBytes: true, formantFrames: true,
};

const builds: Array<[string, Engine]> = [['scalar', createEngineSync({ simd: false })]];
if (hostHasSimd()) builds.push(['simd', createEngineSync({ simd: true })]);

/** A copy of an engine's exports with some members replaced (or removed, with undefined). */
function patched(e: Engine, changes: Partial<Record<keyof Exports, unknown>>): Exports {
  const x: Record<string, unknown> = { ...e.exports, ...changes };
  for (const [k, v] of Object.entries(changes)) if (v === undefined) delete x[k];
  return x as unknown as Exports;
}

const Abi = suite('abi');

for (const [name, engine] of builds) {
  Abi(`${name}: the module exports exactly the Exports interface`, () => {
    const exported = WebAssembly.Module.exports(engine.module).map((d) => d.name).sort();
    assert.equal(exported, Object.keys(DECLARED).sort());
  });

  Abi(`${name}: the module's constants are the mirrored ones`, () => {
    assert.is(engine.exports.abiVersion(), ABI_VERSION);
    for (const [constant, getter, ours] of MIRRORED) assert.is(engine.exports[getter](), ours, constant);
    assert.equal(MIRRORED.map((row) => row[2]).sort(), Object.values(PAD_MODE).sort(), 'every PAD_MODE value is checked');
    assert.is(engine.exports.simdEnabled(), name === 'simd' ? 1 : 0);
  });

  Abi(`${name}: a module whose mirrored constant differs is refused, naming it and both values`, () => {
    assert.throws(() => new Engine(patched(engine, { padReflect: () => 7 }), engine.simd, engine.module),
      (e: unknown) => e instanceof Error && e.message.includes('PAD_REFLECT is 7 (padReflect())') && e.message.includes('bindings/abi.ts has 1'));
    assert.throws(() => new Engine(patched(engine, { padEdge: undefined }), engine.simd, engine.module),
      (e: unknown) => e instanceof Error && e.message.includes('PAD_EDGE is missing (padEdge())'));
    assert.throws(() => new Engine(patched(engine, { abiVersion: () => ABI_VERSION - 1 }), engine.simd, engine.module),
      (e: unknown) => e instanceof Error && e.message.includes(`wasm ABI ${ABI_VERSION - 1} does not match bindings ABI ${ABI_VERSION}`));
  });

  Abi(`${name}: the other build's flag is refused`, () => {
    const other = !engine.simd;
    assert.throws(() => new Engine(engine.exports, other, engine.module),
      (e: unknown) => e instanceof Error && e.message.includes(`simdEnabled() is ${engine.simd ? 1 : 0}`) && e.message.includes(`simd: ${other}`));
    // Through the public loader: a compiled module handed over with the wrong simd option.
    assert.throws(() => createEngineSync({ module: engine.module, simd: other }), /simdEnabled\(\)/);
    assert.is(createEngineSync({ module: engine.module, simd: engine.simd }).simd, engine.simd);
  });
}

Abi.run();

/**
 * Compile-time only (never called): each @ts-expect-error fails `npm run typecheck` if the line
 * becomes legal, i.e. if a plain pointer or another kind of plan is accepted where a plan is due.
 */
export function planBrandsHold(x: Exports, p: Ptr, fft: RfftPlan, mel: MelPlan, pitch: PitchPlan): void {
  // @ts-expect-error a buffer pointer is not an FFT plan
  x.rfft(p, p, p, p, 0);
  // @ts-expect-error a pitch plan is not an FFT plan
  x.rfft(pitch, p, p, p, 0);
  // @ts-expect-error a buffer pointer is not a mel plan
  x.spectrogram(fft, p, 1, p, 1, 1, p, 2, 0, p, p);
  // @ts-expect-error an FFT plan is not a pitch plan
  x.pitchPlanInit(400, 0, 200, fft);
  x.rfft(fft, fft, p, p, 0); // a plan is still a pointer (views, offsets)
  x.spectrogram(fft, mel, 1, p, 1, 1, p, 2, 0, p, p);
  x.spectrogram(fft, 0, 0, p, 1, 1, p, 2, 0, p, p);
}
