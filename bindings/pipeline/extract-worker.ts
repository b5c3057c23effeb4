/**
 * Worker body for ExtractPool: an engine instantiated from the module the parent posted, chunks of
 * paths in, features out with their buffers transferred rather than copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { init } from '../engine.ts';
import { extractHere, type WorkerReply, type WorkerRequest } from './extract.ts';

const port = parentPort!;
const reply = (m: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

try {
  await init({ module: workerData.module, simd: workerData.simd });
  port.on('message', (msg: WorkerRequest) => {
    if (msg === null) { port.close(); return; }
    try {
      const r = extractHere(msg.paths, msg.options);
      reply({ kind: 'chunk', from: msg.from, ...r }, r.results.map((x) => x.data.buffer as ArrayBuffer));
    } catch (e) {
      const err = e as Error;
      reply({ kind: 'error', name: err.name, message: err.message });
    }
  });
  reply({ kind: 'ready' });
} catch (e) {
  reply({ kind: 'error', name: (e as Error).name, message: (e as Error).message });
}
