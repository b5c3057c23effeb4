/**
 * Worker body for HmmPool: an engine instantiated from the module the parent posted; extraction
 * chunks (features transferred back), then the standardised train/val sets once (shared memory),
 * then (configuration, digit) fit jobs, each answered with the model, its timings and the
 * validation scores. A job that throws is answered with 'failed', never kills the worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { init } from '../engine.ts';
import type { Matrix } from '../matrix.ts';
import { extractHere } from './extract.ts';
import { fitDigit } from './hmm-fit.ts';
import type { HmmWorkerReply, HmmWorkerRequest } from './hmm-pool.ts';
import { sequencesOf, type PackedSet } from './packed-set.ts';

const port = parentPort!;
const reply = (m: HmmWorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

let data: { train: Matrix[]; labels: Int32Array; val: Matrix[] } | null = null;

function setData(train: PackedSet, val: PackedSet): void {
  data = { train: sequencesOf(train), labels: train.labels, val: sequencesOf(val) };
}

try {
  await init({ module: workerData.module, simd: workerData.simd });
  port.on('message', (msg: HmmWorkerRequest) => {
    if (msg === null) { port.close(); return; }
    switch (msg.kind) {
      case 'data':
        setData(msg.train, msg.val);
        return;
      case 'extract':
        try {
          const r = extractHere(msg.paths, msg.options);
          reply({ kind: 'extracted', id: msg.id, results: r.results }, r.results.map((x) => x.data.buffer as ArrayBuffer));
        } catch (e) {
          reply({ kind: 'error', name: (e as Error).name, message: (e as Error).message });
        }
        return;
      case 'fit': {
        const t0 = performance.now();
        try {
          if (!data) throw new Error('hmm worker: fit before data');
          const r = fitDigit(data.train, data.labels, data.val, msg.job.config, msg.job.digit);
          reply({ kind: 'fitted', id: msg.job.id, result: r }, [r.forward.buffer as ArrayBuffer, r.viterbi.buffer as ArrayBuffer]);
        } catch (e) {
          reply({ kind: 'failed', id: msg.job.id, name: (e as Error).name, message: (e as Error).message, seconds: (performance.now() - t0) / 1000 });
        }
        return;
      }
    }
  });
  reply({ kind: 'ready' });
} catch (e) {
  reply({ kind: 'error', name: (e as Error).name, message: (e as Error).message });
}
