/**
 * The shape of a stacked (bi)LSTM and its parameters, shared by the fused kernels (fused.ts), the
 * per-step tfjs reference (ops.ts) and the model format (format.ts).
 *
 * Per layer l and direction d (0 forward, 1 reverse), in this order: W [Din_l][4H], U [H][4H],
 * b [4H], gates i, f, g, o (PyTorch's order). Din_0 = inputDim, Din_l = H·dirs after.
 *
 * @module
 */
import type { Rng } from '../rng.ts';

export interface LstmSpec {
  inputDim: number;
  hidden: number;
  layers: number;
  bidirectional: boolean;
  /**
   * What the stack outputs per sequence: 'last' (default, the lab's) — each direction's final state
   * (forward at the last frame, reverse at frame 0); 'mean' — the top layer's outputs averaged over
   * the sequence's frames.
   */
  pooling?: Pooling;
}

export type Pooling = 'last' | 'mean';

export interface ParamShape {
  name: string;
  shape: number[];
}

export const dirsOf = (s: LstmSpec): number => (s.bidirectional ? 2 : 1);

/** Width of the stack's output: H·dirs. */
export const featureDim = (s: LstmSpec): number => s.hidden * dirsOf(s);

/** Input width of layer l. */
export const layerInputDim = (s: LstmSpec, l: number): number => (l === 0 ? s.inputDim : featureDim(s));

/** Names and shapes of the recurrent parameters, in kernel order (3 per layer per direction). */
export function lstmParamShapes(s: LstmSpec): ParamShape[] {
  const out: ParamShape[] = [];
  const G = 4 * s.hidden;
  for (let l = 0; l < s.layers; l++) {
    for (let d = 0; d < dirsOf(s); d++) {
      const p = `lstm.l${l}.${d === 0 ? 'fwd' : 'rev'}`;
      out.push({ name: `${p}.W`, shape: [layerInputDim(s, l), G] });
      out.push({ name: `${p}.U`, shape: [s.hidden, G] });
      out.push({ name: `${p}.b`, shape: [G] });
    }
  }
  return out;
}

/** PyTorch's LSTM initialisation: every weight and both biases U(−1/√H, 1/√H) (b = b_ih + b_hh). */
export function initLstmParams(s: LstmSpec, rng: Rng): Float32Array[] {
  const k = 1 / Math.sqrt(s.hidden);
  const u = () => (2 * rng.next() - 1) * k;
  return lstmParamShapes(s).map(({ name, shape }) => {
    const a = new Float32Array(shape.reduce((x, y) => x * y, 1));
    for (let i = 0; i < a.length; i++) a[i] = name.endsWith('.b') ? u() + u() : u();
    return a;
  });
}
