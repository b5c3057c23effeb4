/**
 * Per-batch timing of training: forward, backward and optimiser step (ms), batch preparation
 * (sorting, laying out and copying the frames, ms) and epoch time (s), summarised as median and
 * 90th percentile.
 *
 * @module
 */

export interface Quantiles {
  median: number;
  p90: number;
  n: number;
}

export interface TrainingTiming {
  /** Forward pass per batch: recurrent stack, output layer and loss, ms. */
  forwardMs: Quantiles;
  /** Backward pass per batch: every gradient, ms. */
  backwardMs: Quantiles;
  /** Optimiser (Adam) step per batch, ms. */
  stepMs: Quantiles;
  /** Batch preparation (sort by length, layout, copy of the frames), ms. */
  prepMs: Quantiles;
  /** Training pass over the whole training set per epoch (batches only, no validation), s. */
  epochSeconds: Quantiles;
}

/** Raw per-batch samples, kept when `profile` is on. */
export interface TimingSamples {
  forwardMs: number[];
  backwardMs: number[];
  stepMs: number[];
  prepMs: number[];
  epochSeconds: number[];
}

/** Linear-interpolated quantile q ∈ [0, 1] of xs (NaN when empty). */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * q, lo = Math.floor(h), hi = Math.min(s.length - 1, lo + 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (h - lo);
}

export const quantiles = (xs: readonly number[]): Quantiles => ({ median: quantile(xs, 0.5), p90: quantile(xs, 0.9), n: xs.length });

export function emptySamples(): TimingSamples {
  return { forwardMs: [], backwardMs: [], stepMs: [], prepMs: [], epochSeconds: [] };
}

export function summarizeTiming(s: TimingSamples): TrainingTiming {
  return {
    forwardMs: quantiles(s.forwardMs), backwardMs: quantiles(s.backwardMs), stepMs: quantiles(s.stepMs),
    prepMs: quantiles(s.prepMs), epochSeconds: quantiles(s.epochSeconds),
  };
}

/** One line per quantity: "forward  12.3 ms median, 15.1 p90 (n=340)". */
export function formatTiming(t: TrainingTiming): string {
  const row = (label: string, q: Quantiles, unit: string) =>
    `${label.padEnd(9)} ${q.median.toFixed(unit === 's' ? 3 : 2).padStart(9)} ${unit} median, ${q.p90.toFixed(unit === 's' ? 3 : 2)} p90 (n=${q.n})`;
  return [row('forward', t.forwardMs, 'ms'), row('backward', t.backwardMs, 'ms'), row('step', t.stepMs, 'ms'),
    row('prep', t.prepMs, 'ms'), row('epoch', t.epochSeconds, 's')].join('\n');
}
