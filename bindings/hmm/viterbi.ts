/**
 * Viterbi decoding (twin of assembly/hmm/viterbi.ts).
 */
import type { Engine } from '../engine.ts';
import type { Ptr } from '../abi.ts';
import type { ChainPtrs } from './fb.ts';

/** Best path [T] (−1s when none) and its log-probability (−Infinity when none). */
export function viterbiDecode(engine: Engine, c: ChainPtrs, logB: Ptr, T: number, S: number,
  scratch: { delta: Ptr; psi: Ptr; path: Ptr }): { logProb: number; path: Int32Array } {
  const lp = engine.exports.viterbiLog(c.logStart, c.logTrans, c.logEnd, logB, T, S, scratch.delta, scratch.psi, scratch.path);
  return { logProb: lp, path: engine.arena.i32(scratch.path, T).slice() };
}
