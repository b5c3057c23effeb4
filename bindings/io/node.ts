/**
 * Node's `fs` and `path`, reached through `process.getBuiltinModule` when a file is actually read
 * or written (Node ≥ 20.16), never by a static `node:` import: modules that can touch files (model
 * checkpoints, atomic writes) then still bundle for browsers, where those paths are never taken.
 *
 * @module
 */
import type * as Fs from 'node:fs';
import type * as Path from 'node:path';

function builtin<T>(name: string): T {
  const proc = (globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== 'function') {
    throw new Error(`speechcore: reading or writing files needs Node.js ≥ 20.16 (node:${name} is not available here)`);
  }
  return proc.getBuiltinModule(name) as T;
}

/** node:fs, loaded on first use. */
export const nodeFs = (): typeof Fs => builtin<typeof Fs>('fs');

/** node:path, loaded on first use. */
export const nodePath = (): typeof Path => builtin<typeof Path>('path');

/**
 * The packages of `names` that cannot be resolved from here, found without loading any of them
 * (Node's synchronous `import.meta.resolve`). Empty outside Node, where a bundler has already
 * resolved, or failed to resolve, every import.
 */
export function unresolvable(names: readonly string[]): string[] {
  const resolveSync = (import.meta as { resolve?: (s: string) => string }).resolve;
  if (!(globalThis as any).process?.versions?.node || typeof resolveSync !== 'function') return [];
  return names.filter((name) => {
    try { resolveSync(name); return false; } catch { return true; }
  });
}
