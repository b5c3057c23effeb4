/**
 * Parts built by other work (pitch/formants, the HMM grid runner, the nn models) are loaded when
 * present and reported "not available" when not. The imports are template literals so that
 * esbuild bundles every matching file of the folder (glob import) and a missing one fails at run
 * time, where it is caught, instead of failing the build.
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

/** bindings/features/<name>.ts, or null. */
export function featureModule(name: string): Promise<Record<string, unknown> | null> {
  return attempt(() => import(`../features/${name}.ts`));
}

/** bindings/pipeline/<name>.ts, or null. */
export function pipelineModule(name: string): Promise<Record<string, unknown> | null> {
  return attempt(() => import(`../pipeline/${name}.ts`));
}

/** bindings/nn/<name>.ts, or null. */
export function nnModule(name: string): Promise<Record<string, unknown> | null> {
  return attempt(() => import(`../nn/${name}.ts`));
}

/** The named functions/classes of a module when it has them all, else null. */
export function pick<T>(mod: Record<string, unknown> | null, names: readonly string[]): T | null {
  if (!mod) return null;
  return names.every((n) => typeof mod[n] === 'function') ? (mod as T) : null;
}
