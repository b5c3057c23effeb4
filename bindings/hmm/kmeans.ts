/**
 * Seeded k-means (k-means++ seeding, then Lloyd iterations) for initialising mixture components.
 * Deterministic for a given Rng state. Degenerate inputs are fine: with fewer distinct points than
 * k, some centres coincide and their clusters stay empty (count 0).
 */
import type { Rng } from '../rng.ts';

export interface KMeansResult {
  centers: Float64Array; // [k][D]
  labels: Int32Array; // [n]
  counts: Int32Array; // [k]
}

/** Clusters n points of dimension D (points [n][D]) into k groups. */
export function kmeans(points: Float64Array, n: number, D: number, k: number, rng: Rng, maxIter = 50): KMeansResult {
  const centers = new Float64Array(k * D);
  const labels = new Int32Array(n);
  const counts = new Int32Array(k);
  if (n === 0) return { centers, labels, counts };
  const dist = new Float64Array(n).fill(Infinity);
  const sq = (i: number, c: number) => {
    let s = 0;
    for (let d = 0; d < D; d++) { const v = points[i * D + d] - centers[c * D + d]; s += v * v; }
    return s;
  };
  // k-means++: each new centre drawn with probability ∝ squared distance to the nearest chosen one.
  let first = rng.int(n);
  for (let c = 0; c < k; c++) {
    if (c > 0) {
      let total = 0;
      for (let i = 0; i < n; i++) total += dist[i];
      if (total > 0) {
        let r = rng.next() * total;
        first = n - 1;
        for (let i = 0; i < n; i++) { r -= dist[i]; if (r < 0) { first = i; break; } }
      } else first = rng.int(n); // all points coincide with a centre already
    }
    centers.set(points.subarray(first * D, first * D + D), c * D);
    for (let i = 0; i < n; i++) dist[i] = Math.min(dist[i], sq(i, c));
  }
  for (let it = 0; it < maxIter; it++) {
    let changed = it === 0;
    for (let i = 0; i < n; i++) {
      let best = 0, bestD = Infinity;
      for (let c = 0; c < k; c++) { const d = sq(i, c); if (d < bestD) { bestD = d; best = c; } }
      if (labels[i] !== best) { labels[i] = best; changed = true; }
    }
    if (!changed) break;
    const sums = new Float64Array(k * D);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i];
      counts[c]++;
      for (let d = 0; d < D; d++) sums[c * D + d] += points[i * D + d];
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) continue; // an empty cluster keeps its centre
      for (let d = 0; d < D; d++) centers[c * D + d] = sums[c * D + d] / counts[c];
    }
  }
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[labels[i]]++;
  return { centers, labels, counts };
}
