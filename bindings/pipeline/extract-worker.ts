/**
 * Worker body for extractFiles: its own wasm engine (the module loads one per thread), chunks of
 * paths in, features out with their buffers transferred rather than copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { extractHere, type ResolvedExtract } from './extract.ts';

const o = workerData as ResolvedExtract;
parentPort!.on('message', (msg: { from: number; paths: string[] } | null) => {
  if (msg === null) { parentPort!.close(); return; }
  try {
    const r = extractHere(msg.paths, o, () => parentPort!.postMessage({ kind: 'file' }));
    parentPort!.postMessage({ kind: 'chunk', from: msg.from, ...r }, r.results.map((x) => x.data.buffer as ArrayBuffer));
  } catch (e) {
    const err = e as Error;
    parentPort!.postMessage({ kind: 'error', name: err.name, message: err.message });
  }
});
