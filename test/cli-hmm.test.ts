/**
 * `speechcore hmm grid|train|eval` through the built CLI (node dist/cli.js; build first with
 * `npm run build`), on the real FSDD split: a tiny grid's JSON shape, a train → eval round trip
 * (also through the deprecated 0.1 flags, and from a model file whose config has the 0.1 names),
 * and the one-line errors for bad model files and bad flags.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sharedDir } from './helpers/shared.ts';
import { HmmPool, gridConfigs, pickBest, runGrid, type PackedSet } from '../bindings/index.ts';
import { failsWith } from './helpers/cli.ts';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const WORKER = fileURLToPath(new URL('../dist/hmm-worker.js', import.meta.url));
const DATA = join(sharedDir, 'data/fsdd');
const SPLIT = join(sharedDir, 'data/fsdd-split.json');
const tmp = mkdtempSync(join(tmpdir(), 'speechcore-cli-hmm-'));

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 16 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}


const isNum = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

function checkConfusion(m: unknown, total: number): void {
  assert.ok(Array.isArray(m) && m.length === 10, 'confusion is 10 rows');
  for (const row of m as unknown[]) assert.ok(Array.isArray(row) && row.length === 10 && row.every((v) => Number.isInteger(v) && v >= 0), 'row of 10 counts');
  assert.is((m as number[][]).flat().reduce((a, b) => a + b, 0), total, 'confusion counts every utterance once');
}

test('dist/cli.js and dist/hmm-worker.js exist (npm run build)', () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build`);
  assert.ok(existsSync(WORKER), `${WORKER} is missing: run npm run build`);
});

test('hmm grid: a tiny grid writes the documented JSON (4 configs, a best tested once)', () => {
  const json = join(tmp, 'grid.json');
  const r = cli('hmm', 'grid', '--data', DATA, '--split', SPLIT, '--n-states', '1-2', '--n-mix', '1-2', '--covariance-type', 'diag', '--n-iter', '3', '--workers', '2', '--json', json);
  assert.is(r.status, 0, r.stderr);
  assert.not.match(r.stderr, /deprecated/, 'the new flags draw no note');
  assert.ok(/n-states\s+n-mix\s+covariance\s+fit s\s+score s\s+val acc/.test(r.stdout), 'table header printed');
  assert.ok(r.stdout.includes('test confusion'), 'confusion matrices printed');
  const j = JSON.parse(readFileSync(json, 'utf8'));
  assert.is(j.configs.length, 4);
  const seen = new Set<string>();
  for (const c of j.configs) {
    seen.add(`${c.nStates}x${c.nMix}`);
    assert.is(c.covarianceType, 'diag');
    for (const old of ['states', 'mixtures', 'covariance']) assert.not.ok(old in c, `no 0.1 name "${old}" in the JSON`);
    assert.ok(isNum(c.fitSeconds) && c.fitSeconds > 0, 'fitSeconds');
    assert.ok(isNum(c.scoreSeconds) && c.scoreSeconds > 0, 'scoreSeconds');
    assert.is(c.failed, undefined, `no failure expected: ${c.failed}`);
    assert.ok(isNum(c.valAccuracy) && c.valAccuracy > 0.3 && c.valAccuracy <= 1, `valAccuracy ${c.valAccuracy}`);
    assert.ok(Array.isArray(c.emIterations) && c.emIterations.length === 2 && c.emIterations[0] >= 1 && c.emIterations[0] <= c.emIterations[1] && c.emIterations[1] <= 3, 'emIterations [min,max] within --n-iter');
  }
  assert.equal([...seen].sort(), ['1x1', '1x2', '2x1', '2x2']);
  const b = j.best;
  assert.ok(j.configs.some((c: any) => c.nStates === b.nStates && c.nMix === b.nMix), 'best is one of the configs');
  assert.is(b.covarianceType, 'diag');
  assert.is(b.valAccuracy, Math.max(...j.configs.map((c: any) => c.valAccuracy)), 'best has the highest val accuracy');
  assert.ok(isNum(b.testAccuracy) && b.testAccuracy > 0.3, `testAccuracy ${b.testAccuracy}`);
  checkConfusion(b.confusionVal, 540);
  checkConfusion(b.confusionTest, 300);
  assert.is(b.confusionVal.reduce((s: number, row: number[], i: number) => s + row[i]!, 0) / 540, b.valAccuracy, 'val accuracy = confusion trace / n');
  assert.ok(isNum(j.wallSeconds) && j.wallSeconds > 0, 'wallSeconds');
});

test('hmm train -> eval round trip gives the val accuracy train reported (train through the deprecated 0.2 flags)', () => {
  const model = join(tmp, 'model.json'), trainJson = join(tmp, 'train.json'), evalJson = join(tmp, 'eval.json');
  const t = cli('hmm', 'train', '--data', DATA, '--split', SPLIT, '--states', '2', '--mixtures', '2', '--cov', 'full', '--n-iter', '3', '--out', model, '--json', trainJson);
  assert.is(t.status, 0, t.stderr);
  for (const [old, now] of [['states', 'n-states'], ['mixtures', 'n-mix'], ['cov', 'covariance-type']]) {
    assert.ok(t.stderr.includes(`--${old} is deprecated; use --${now}`), `one note for --${old}: ${t.stderr}`);
  }
  const m = JSON.parse(readFileSync(model, 'utf8'));
  assert.equal({ nStates: m.config.nStates, nMix: m.config.nMix, covarianceType: m.config.covarianceType }, { nStates: 2, nMix: 2, covarianceType: 'full' });
  assert.not.ok('states' in m.config || 'mixtures' in m.config || 'covariance' in m.config, 'the file uses the new names');
  assert.is(m.schema, 'speechcore-hmm-classifier');
  assert.is(m.version, 1);
  assert.equal(m.features, { nMfcc: 6, nFft: 240, hopLength: 120, nMels: 128, sampleRate: 8000 });
  assert.is(m.scaler.mean.length, 6);
  assert.is(m.scaler.scale.length, 6);
  assert.equal(m.labels, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.is(m.models.length, 10);
  const tj = JSON.parse(readFileSync(trainJson, 'utf8'));
  assert.equal([tj.nStates, tj.nMix, tj.covarianceType], [2, 2, 'full']);
  const e = cli('hmm', 'eval', '--model', model, '--data', DATA, '--split', SPLIT, '--subset', 'val', '--json', evalJson);
  assert.is(e.status, 0, e.stderr);
  const ej = JSON.parse(readFileSync(evalJson, 'utf8'));
  assert.is(ej.n, 540);
  assert.is(ej.accuracy, tj.valAccuracy, 'same val accuracy after save/load');
  assert.equal(ej.confusion, tj.confusionVal, 'same confusion matrix');
  assert.equal(ej.config, m.config, 'eval reports the configuration');
  const test300 = cli('hmm', 'eval', '--model', model, '--data', DATA, '--split', SPLIT, '--subset', 'test', '--json', evalJson);
  assert.is(test300.status, 0, test300.stderr);
  checkConfusion(JSON.parse(readFileSync(evalJson, 'utf8')).confusion, 300);

  // A file written by speechcore 0.2: config says states / mixtures / covariance. It loads, scores
  // the same, and reads back with the new names.
  const { nStates, nMix, covarianceType, ...rest } = m.config;
  const old = join(tmp, 'model-0.2.json');
  writeFileSync(old, JSON.stringify({ ...m, config: { states: nStates, mixtures: nMix, covariance: covarianceType, ...rest } }));
  const o = cli('hmm', 'eval', '--model', old, '--data', DATA, '--split', SPLIT, '--subset', 'val', '--json', evalJson);
  assert.is(o.status, 0, o.stderr);
  const oj = JSON.parse(readFileSync(evalJson, 'utf8'));
  assert.is(oj.accuracy, tj.valAccuracy, 'the 0.2 file scores as the new one');
  assert.equal(oj.config, m.config, 'its config reads with the new names');
});

test('hmm eval: a corrupt, wrong-version or missing model file is a one-line error naming it', () => {
  const corrupt = join(tmp, 'corrupt.json');
  writeFileSync(corrupt, '{"schema": "speechcore-hmm-classifier", "version": 1, "models": [');
  failsWith(cli('hmm', 'eval', '--model', corrupt, '--data', DATA, '--split', SPLIT), 'non-zero', corrupt, 'JSON');
  const good = JSON.parse(readFileSync(join(tmp, 'model.json'), 'utf8'));
  const future = join(tmp, 'future.json');
  writeFileSync(future, JSON.stringify({ ...good, version: 99 }));
  failsWith(cli('hmm', 'eval', '--model', future, '--data', DATA, '--split', SPLIT), 'non-zero', future, 'version 99');
  const broken = join(tmp, 'broken.json');
  good.models[3].transMat[0] = 7;
  writeFileSync(broken, JSON.stringify(good));
  failsWith(cli('hmm', 'eval', '--model', broken, '--data', DATA, '--split', SPLIT), 'non-zero', broken, 'models[3]');
  const missing = join(tmp, 'nope.json');
  failsWith(cli('hmm', 'eval', '--model', missing, '--data', DATA, '--split', SPLIT), 'non-zero', missing);
});

test('hmm: bad flags exit 2 with a one-line message', () => {
  failsWith(cli('hmm', 'grid', '--data', DATA, '--split', SPLIT, '--n-states', '0'), 2, '--n-states=0');
  failsWith(cli('hmm', 'grid', '--data', DATA, '--split', SPLIT, '--covariance-type', 'foo'), 2, '--covariance-type=foo');
  failsWith(cli('hmm', 'grid', '--data', DATA, '--split', SPLIT, '--n-mix', '2-1'), 2, '--n-mix=2-1');
  // The deprecated spellings: errors name the flag as typed; both spellings at once is an error.
  failsWith(cli('hmm', 'grid', '--data', DATA, '--split', SPLIT, '--states', '0'), 2, '--states=0');
  failsWith(cli('hmm', 'grid', '--data', DATA, '--split', SPLIT, '--cov', 'foo'), 2, '--cov=foo');
  failsWith(cli('hmm', 'train', '--data', DATA, '--split', SPLIT, '--mixtures', '0', '--states', '2', '--out', join(tmp, 'm.json')), 2, '--mixtures=0');
  failsWith(cli('hmm', 'grid', '--data', DATA, '--split', SPLIT, '--states', '2', '--n-states', '3'), 2, '--states', '--n-states');
  const usage = cli('hmm', 'grid', '--states', '0');
  assert.ok(usage.stderr.includes('--n-states') && !/--states\b/.test(usage.stderr.split('usage:')[1]!), 'usage names only the new flags');
  failsWith(cli('hmm', 'grid', '--data', DATA, '--split', SPLIT, '--algorithm', 'beam'), 2, '--algorithm=beam');
  failsWith(cli('hmm', 'grid', '--data', DATA, '--split', SPLIT, '--workers', '0'), 2, '--workers=0');
  failsWith(cli('hmm', 'train', '--data', DATA, '--split', SPLIT, '--n-states', '3', '--out', join(tmp, 'm.json')), 2, '--n-mix');
  failsWith(cli('hmm', 'frobnicate'), 2, 'frobnicate');
  // A dataset folder with no fsdd-split.json beside it and no --split.
  const lonely = join(tmp, 'elsewhere', 'fsdd', 'recordings');
  mkdirSync(lonely, { recursive: true });
  failsWith(cli('hmm', 'grid', '--data', join(tmp, 'elsewhere', 'fsdd')), 2, '--split');
  failsWith(cli('hmm', 'eval', '--model', join(tmp, 'model.json'), '--data', lonely), 2, '--split');
});

/** n sequences of `frames` frames × 2 features per label, deterministic. */
function synthetic(labels: number[], n: number, frames: number): PackedSet {
  const count = labels.length * n;
  const data = new Float32Array(count * frames * 2);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 12.9898) * 3 + (Math.floor(i / (n * frames * 2)) % 2) * 4;
  return {
    data, dims: 2, starts: Int32Array.from({ length: count + 1 }, (_, i) => i * frames),
    labels: Int32Array.from({ length: count }, (_, i) => labels[Math.floor(i / n)]!), files: Array.from({ length: count }, (_, i) => `s${i}.wav`),
  };
}

test('runGrid: a configuration whose training throws is reported failed and excluded (thread and pool)', async () => {
  // Every sequence has 3 frames: a 4-state left-right model cannot produce any of them -> NumericalError.
  const train = synthetic([0, 1], 6, 3), val = synthetic([0, 1], 2, 3);
  const configs = gridConfigs([1, 4], [1], { covarianceType: 'diag', nIter: 3, tol: 0, seed: 0 });
  const pool = await HmmPool.create(2);
  try {
    for (const entries of [await runGrid(train, val, configs), await runGrid(train, val, configs, { pool })]) {
      assert.is(entries.length, 2);
      assert.is(entries[0]!.row.failed, undefined);
      assert.ok(entries[1]!.row.failed?.startsWith('NumericalError: digit 0:') || entries[1]!.row.failed?.startsWith('NumericalError: digit 1:'), entries[1]!.row.failed);
      assert.is(entries[1]!.row.valAccuracy, null);
      assert.is(entries[1]!.row.emIterations, null);
      assert.is(pickBest(entries)!.row.nStates, 1, 'the failed configuration is never picked');
    }
  } finally {
    await pool.close();
  }
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
