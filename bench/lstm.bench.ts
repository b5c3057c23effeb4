/**
 * Suite `lstm`: training an LSTM digit classifier (6 MFCCs of FSDD, hidden 60, Adam) per batch,
 * packed vs padded, batch 64 and 512, uni- and bidirectional — the lab's timing question.
 *
 * Every configuration trains one epoch per round over the real training split (2160 sequences,
 * random batches, so batch maxima are the real ~64 / ~93 frames, not 153), and rounds rotate over
 * the configurations so load spikes on this shared machine hit all alike; one warm-up epoch each
 * is excluded. Per batch: `lstm.forward` (stack, output layer, loss), `lstm.backward` (all
 * gradients), `lstm.step` (Adam), `lstm.prep` (sort, layout and copy of the frames); per epoch:
 * `lstm.epoch` (s). impl `speechcore` is the fused wasm recurrence; `tfjs-ops` is the same network
 * in per-step tfjs ops (the simplest correct design), timed on a few batches only.
 * `lstm.predict` is inference latency per frame (µs) over the validation set.
 * `lstm.kernel.forward` / `lstm.kernel.backward` time the wasm recurrence alone (stackForward and
 * its backward, no tfjs) on the same kind of batches, and `lstm.rows` counts the rows the kernels
 * compute per batch (Σ lengths packed, B·T_max padded): where the time goes.
 *
 * The PyTorch figures printed beside are the anchor's (python-seed-stack.md: another run on this
 * kind of machine), so they are context, not same-run ratios.
 *
 * @module
 */
import { loadavg } from 'node:os';
import type { BenchResult, Suite } from './schema.ts';
import { fmt, loadNote, single, summarize, table } from './timing.ts';
import { loadLabData, type LabData } from '../bindings/cli/lstm.ts';
import { SequenceClassifier, type LabeledSequences, type RecurrentImpl } from '../bindings/nn/classifier.ts';
import type { TimingSamples } from '../bindings/nn/profile.ts';
import { fillRows, layoutBatch, type Batching } from '../bindings/nn/batch.ts';
import { stackForward } from '../bindings/nn/fused.ts';
import { featureDim, lstmParamShapes } from '../bindings/nn/stack.ts';
import { createEngineSync } from '../bindings/engine.ts';
import { Rng } from '../bindings/rng.ts';

interface Config {
  batching: Batching;
  batchSize: number;
  bidirectional: boolean;
  impl: RecurrentImpl;
}

/** PyTorch 1.13 CPU, hidden 60, ms per batch forward / backward (python-seed-stack.md). */
const PYTORCH: Record<string, [number, number]> = {
  'padded-64-uni': [13.9, 20.3], 'padded-64-bi': [27.1, 40.4], 'padded-512-uni': [282.9, 321.0], 'padded-512-bi': [463.1, 625.3],
  'packed-64-uni': [7.8, 23.1], 'packed-64-bi': [17.7, 55.3], 'packed-512-uni': [62.1, 321.6], 'packed-512-bi': [110.2, 540.7],
};

const params_ = (c: Config) => ({ batching: c.batching, batchSize: c.batchSize, bidirectional: c.bidirectional, hidden: 60 });

const key = (c: Config) => `${c.batching}-${c.batchSize}-${c.bidirectional ? 'bi' : 'uni'}`;

function subset(set: LabeledSequences, n: number): LabeledSequences {
  return { x: set.x.slice(0, n), y: Array.from(set.y).slice(0, n) };
}

export const lstmSuite: Suite = async (options) => {
  const log = options.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const quick = options.quick ?? false;
  const data: LabData = await loadLabData(options.data, undefined, 6);
  const lengths = data.train.x.map((m) => m.rows);
  log(`lstm: ${data.train.x.length} training sequences, frames mean ${(lengths.reduce((a, b) => a + b, 0) / lengths.length).toFixed(1)}, ` +
    `max ${Math.max(...lengths)}; hidden 60, 6 MFCC; ${loadNote()}`);

  const configs: Config[] = [];
  for (const batchSize of [64, 512]) {
    for (const bidirectional of [false, true]) {
      for (const batching of ['packed', 'padded'] as const) configs.push({ batching, batchSize, bidirectional, impl: 'fused' });
    }
  }
  const rounds = quick ? 1 : 3;
  const models = configs.map((c) => new SequenceClassifier({ inputDim: 6, hidden: 60, batchSize: c.batchSize, batching: c.batching, bidirectional: c.bidirectional, impl: c.impl, seed: 1 }));
  const samples: TimingSamples[] = configs.map(() => ({ forwardMs: [], backwardMs: [], stepMs: [], prepMs: [], epochSeconds: [] }));
  const loads: number[] = [];
  for (const m of models) await m.fit(data.train, null, { epochs: 1 }); // warm-up: JIT tiers, arena and Adam state
  for (let r = 0; r < rounds; r++) {
    const line: string[] = [];
    for (let j = 0; j < configs.length; j++) {
      const i = (j + r) % configs.length;
      const h = await models[i]!.fit(data.train, null, { epochs: 1, profile: true });
      const s = h.samples!;
      for (const k of Object.keys(s) as (keyof TimingSamples)[]) samples[i]![k].push(...s[k]);
      line.push(`${key(configs[i]!)} ${s.epochSeconds[0]!.toFixed(2)}s`);
    }
    loads.push(loadavg()[0]!);
    log(`  round ${r + 1}/${rounds}: ${line.join(', ')}`);
  }

  const results: BenchResult[] = [];
  // The recurrence alone, per batch: kernel time and rows computed.
  const engine = createEngineSync();
  for (const [i, c] of configs.entries()) {
    const spec = { inputDim: 6, hidden: 60, layers: 1, bidirectional: c.bidirectional };
    const params = models[i]!.getWeights().slice(0, lstmParamShapes(spec).length);
    const rng = new Rng(7);
    const fwd: number[] = [], bwd: number[] = [], rows: number[] = [];
    for (let r = 0; r < (quick ? 1 : 2); r++) {
      const perm = rng.shuffle(Array.from(data.train.x.keys()));
      for (let s = 0; s < perm.length; s += c.batchSize) {
        const seqs = perm.slice(s, s + c.batchSize).map((k) => data.train.x[k]!);
        const layout = layoutBatch(seqs.map((m) => m.rows), c.batching);
        const x = new Float32Array(layout.N * 6);
        fillRows(layout, seqs, 6, x);
        const dF = Float32Array.from({ length: layout.B * featureDim(spec) }, () => rng.normal());
        engine.arena.scope(() => {
          const t0 = performance.now();
          const pass = stackForward(engine, spec, layout, x, params);
          const t1 = performance.now();
          pass.backward(dF);
          const t2 = performance.now();
          if (r > 0 || quick) { fwd.push(t1 - t0); bwd.push(t2 - t1); rows.push(layout.N); }
        });
      }
    }
    results.push({ name: 'lstm.kernel.forward', impl: 'speechcore', params: params_(c), unit: 'ms', ...summarize(fwd) });
    results.push({ name: 'lstm.kernel.backward', impl: 'speechcore', params: params_(c), unit: 'ms', ...summarize(bwd) });
    results.push({ name: 'lstm.rows', impl: 'speechcore', params: params_(c), unit: 'rows', ...summarize(rows) });
  }

  // The per-step tfjs-ops baseline: a few batches of 64 (it takes ~0.1-0.5 s each).
  const baseline: Config[] = [
    { batching: 'packed', batchSize: 64, bidirectional: false, impl: 'tfjs-ops' },
    { batching: 'padded', batchSize: 64, bidirectional: false, impl: 'tfjs-ops' },
    ...(quick ? [] : [{ batching: 'packed', batchSize: 512, bidirectional: false, impl: 'tfjs-ops' } as Config]),
  ];
  const baseSamples: TimingSamples[] = [];
  for (const c of baseline) {
    const m = new SequenceClassifier({ inputDim: 6, hidden: 60, batchSize: c.batchSize, batching: c.batching, bidirectional: false, impl: 'tfjs-ops', seed: 1 });
    const few = subset(data.train, c.batchSize * (c.batchSize === 64 ? (quick ? 4 : 10) : 2));
    await m.fit(subset(data.train, c.batchSize), null, { epochs: 1 });
    const h = await m.fit(few, null, { epochs: 1, profile: true });
    baseSamples.push(h.samples!);
    m.dispose();
  }

  const params = params_;
  const push = (c: Config, s: TimingSamples, impl: string) => {
    for (const [name, xs, unit] of [['lstm.forward', s.forwardMs, 'ms'], ['lstm.backward', s.backwardMs, 'ms'], ['lstm.step', s.stepMs, 'ms'],
      ['lstm.prep', s.prepMs, 'ms'], ['lstm.epoch', s.epochSeconds, 's']] as const) {
      if (xs.length && !(impl === 'tfjs-ops' && name === 'lstm.epoch')) results.push({ name, impl, params: params(c), unit, ...summarize(xs) });
    }
  };
  configs.forEach((c, i) => push(c, samples[i]!, 'speechcore'));
  baseline.forEach((c, i) => push(c, baseSamples[i]!, 'tfjs-ops'));

  // Inference latency per frame over the validation set (batches of 256 sorted by length).
  for (const [i, c] of configs.entries()) {
    if (c.batchSize !== 64) continue;
    const frames = data.val.x.reduce((a, m) => a + m.rows, 0);
    const times: number[] = [];
    for (let r = 0; r < (quick ? 2 : 5); r++) {
      const t0 = performance.now();
      models[i]!.predict(data.val.x);
      times.push(((performance.now() - t0) * 1000) / frames);
    }
    results.push({ name: 'lstm.predict', impl: 'speechcore', params: { batching: c.batching, bidirectional: c.bidirectional, hidden: 60 }, unit: 'us', ...summarize(times) });
  }
  models.forEach((m) => m.dispose());
  results.push(single('lstm.load', 'speechcore', {}, 'load1', loads.reduce((a, b) => a + b, 0) / loads.length));

  console.log('\n' + table(results.filter((r) => r.name !== 'lstm.load'), { title: `lstm: per batch (ms) / per epoch (s), ${loadNote()}` }));

  // The targets: packed vs padded (same run) and against the PyTorch anchor (another run).
  const med = (name: string, c: Config, impl = 'speechcore') =>
    results.find((r) => r.name === name && r.impl === impl && r.params.batching === c.batching && r.params.batchSize === c.batchSize && r.params.bidirectional === c.bidirectional)?.median ?? NaN;
  const lines = ['', 'packed vs padded (same run) and vs PyTorch 1.13 anchor (other run):',
    'config          fwd ms  bwd ms  fwd+bwd  kernel fwd/bwd  padded/packed: rows  fwd    bwd  pytorch fwd/bwd  ours/pytorch (fwd+bwd)'];
  for (const c of configs) {
    const other = { ...c, batching: (c.batching === 'packed' ? 'padded' : 'packed') as Batching };
    const f = med('lstm.forward', c), b = med('lstm.backward', c);
    const pt = PYTORCH[key(c)]!;
    const ratioF = c.batching === 'packed' ? med('lstm.forward', other) / f : NaN;
    const ratioB = c.batching === 'packed' ? med('lstm.backward', other) / b : NaN;
    const ratioR = c.batching === 'packed' ? med('lstm.rows', other) / med('lstm.rows', c) : NaN;
    const x = (v: number) => (Number.isNaN(v) ? '' : v.toFixed(2) + 'x');
    lines.push(`${key(c).padEnd(15)} ${fmt(f).padStart(6)}  ${fmt(b).padStart(6)}  ${fmt(f + b).padStart(7)}  ` +
      `${`${fmt(med('lstm.kernel.forward', c))}/${fmt(med('lstm.kernel.backward', c))}`.padStart(14)}  ${x(ratioR).padStart(19)}  ${x(ratioF).padStart(5)}  ${x(ratioB).padStart(5)}  ` +
      `${`${pt[0]}/${pt[1]}`.padStart(15)}  ${((f + b) / (pt[0] + pt[1])).toFixed(2).padStart(22)}`);
  }
  console.log(lines.join('\n'));
  return results;
};
