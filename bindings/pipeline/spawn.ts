/**
 * Starts a worker script that sits next to this module: `<stem>.js` in dist/ (esbuild inlines this
 * module into the entry, which sits beside the worker bundles), or `<stem>.ts` when running from
 * source under tsx — then tsx's loader is registered inside the worker before the import.
 */
import { Worker } from 'node:worker_threads';

/** A worker running ./<stem>.(js|ts) with the given workerData (e.g. the compiled wasm module). */
export function spawnWorker(stem: string, workerData: unknown): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL(`./${stem}.js`, here), { workerData });
  const url = new URL(`./${stem}.ts`, here).href;
  const shim = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url)}); })`;
  return new Worker(shim, { eval: true, workerData });
}
