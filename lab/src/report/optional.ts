/**
 * Optional parts of the report: the sequence models need TensorFlow.js (optional peers of
 * `speechcore/nn`); a section whose module or names are missing says "not available" instead of
 * failing the report.
 *
 * @module
 */

/** The sequence models (`speechcore/nn`), or null when TensorFlow.js is not installed. */
export async function nnModule(): Promise<Record<string, unknown> | null> {
  try {
    return await import('speechcore/nn');
  } catch (e) {
    if ((e as Error).name === 'MissingPeerError') return null;
    throw e;
  }
}

/** The named functions/classes of a module when it has them all, else null. */
export function pick<T>(mod: Record<string, unknown> | null, names: readonly string[]): T | null {
  if (!mod) return null;
  return names.every((n) => typeof mod[n] === 'function') ? (mod as T) : null;
}
