/**
 * Forward-backward (twin of assembly/hmm/fb.ts) on wasm-side lattices. All pointers are f64 in
 * the current arena scope; a chain is the Markov part of a model: log start, log transitions,
 * log end-permission [S].
 */
import type { Engine } from '../engine.ts';
import type { Ptr } from '../abi.ts';

export interface ChainPtrs {
  logStart: Ptr; // [S]
  logTrans: Ptr; // [S][S]
  logEnd: Ptr; // [S]
}

/** Copies a chain's log-probabilities into the current scope. */
export function chainPtrs(engine: Engine, logStart: Float64Array, logTrans: Float64Array, logEnd: Float64Array): ChainPtrs {
  const a = engine.arena;
  return { logStart: a.f64In(logStart), logTrans: a.f64In(logTrans), logEnd: a.f64In(logEnd) };
}

/** log p(X) by the forward pass; alpha: [T][S] scratch. −Infinity when no path is allowed. */
export function forwardScore(engine: Engine, c: ChainPtrs, logB: Ptr, T: number, S: number, alpha: Ptr): number {
  return engine.exports.forwardLog(c.logStart, c.logTrans, c.logEnd, logB, T, S, alpha);
}

/**
 * Full E-step for one sequence: returns log p(X); when finite, gamma [T][S] holds the state
 * posteriors and xiSum [S][S] has the expected transition counts added. When −Infinity (no
 * allowed path) gamma is zeroed so the sequence contributes nothing.
 */
export function forwardBackward(engine: Engine, c: ChainPtrs, logB: Ptr, T: number, S: number,
  scratch: { alpha: Ptr; beta: Ptr }, gamma: Ptr, xiSum: Ptr): number {
  const x = engine.exports;
  const lp = x.forwardLog(c.logStart, c.logTrans, c.logEnd, logB, T, S, scratch.alpha);
  if (lp === -Infinity) {
    engine.arena.f64(gamma, T * S).fill(0);
    return lp;
  }
  x.backwardLog(c.logTrans, c.logEnd, logB, T, S, scratch.beta);
  x.posteriors(scratch.alpha, scratch.beta, c.logTrans, logB, T, S, lp, gamma, xiSum);
  return lp;
}
