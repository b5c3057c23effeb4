/**
 * `speechcore bench [fft|features|all] --json OUT [--quick] [--data DIR]`: runs benchmark suites
 * (bench/), prints their tables and writes the DESIGN §5 JSON.
 */
import { cpus } from 'node:os';
import type { BenchReport, BenchResult } from '../../bench/schema.ts';
import { parse, UsageError } from './args.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import type { Command } from './kit.ts';

/** The peers the suites compare against: devDependencies of the repository, not of the package. */
const PEERS = ['fft.js', 'meyda', '@echogarden/pffft-wasm'];

/** The suites, imported only when `bench` runs: they load the peers at the top. */
async function loadSuites(): Promise<typeof import('../../bench/index.ts').suites> {
  try {
    return (await import('../../bench/index.ts')).suites;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND') throw e;
    throw new UsageError(`speechcore bench compares against peer implementations that are not installed: npm install --no-save ${PEERS.join(' ')} ` +
      `(and @tensorflow/tfjs-core @tensorflow/tfjs-backend-wasm for the lstm suite), or run it from a clone of the repository (${(e as Error).message.split('\n')[0]})`);
  }
}

export const benchCommand: Command = {
  summary: 'benchmark suites (medians, ratios against peers measured in the same run); needs the peers installed',
  usage: 'speechcore bench [fft|features|hmm|lstm|all] --json OUT [--quick] [--data DIR]',
  run: runBench,
};

async function runBench(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, { json: { type: 'string' }, quick: { type: 'boolean' }, data: { type: 'string' } });
  const suites = await loadSuites();
  const which = positionals[0] ?? 'all';
  const names = which === 'all' ? Object.keys(suites) : [which];
  for (const n of names) if (!(n in suites)) throw new UsageError(`unknown suite '${n}'; one of ${Object.keys(suites).join(', ')}, all`);
  const results: BenchResult[] = [];
  for (const n of names) {
    process.stderr.write(`== bench ${n} ==\n`);
    results.push(...await suites[n]({ quick: values.quick, data: values.data, log: (l) => process.stderr.write(l + '\n') }));
  }
  const report: BenchReport = {
    suite: which, node: process.version, cpu: cpus()[0]?.model ?? 'unknown', date: new Date().toISOString(), results,
  };
  if (values.json) writeFileAtomic(values.json, JSON.stringify(report, null, 2) + '\n');
}
