/**
 * Optional parts of the report: the sequence models need TensorFlow.js (optional peers of
 * `speechcore/nn`); a section whose module or names are missing says "not available" instead of
 * failing the report.
 *
 * @module
 */

const missing = (e: unknown): boolean => {
  const err = e as { code?: string; message?: string };
  return err?.code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module|Could not resolve|Unknown variable dynamic import|Failed to load/i.test(err?.message ?? '');
};

async function attempt<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (e) {
    if (missing(e)) return null;
    throw e;
  }
}

/** The engine's public API (`speechcore`), or null. */
export function engineModule(): Promise<Record<string, unknown> | null> {
  return attempt(() => import('speechcore'));
}

/** The sequence models (`speechcore/nn`), or null when TensorFlow.js is not installed. */
export function nnModule(): Promise<Record<string, unknown> | null> {
  return attempt(async () => {
    try {
      return await import('speechcore/nn');
    } catch (e) {
      if ((e as Error).name === 'MissingPeerError') return null;
      throw e;
    }
  });
}

/** The named functions/classes of a module when it has them all, else null. */
export function pick<T>(mod: Record<string, unknown> | null, names: readonly string[]): T | null {
  if (!mod) return null;
  return names.every((n) => typeof mod[n] === 'function') ? (mod as T) : null;
}
