/**
 * `speechcore bench [fft|features|all] --json OUT [--quick] [--data DIR]`: runs benchmark suites
 * (bench/), prints their tables and writes the DESIGN §5 JSON.
 */
import { cpus } from 'node:os';
import type { BenchReport, BenchResult } from '../../bench/schema.ts';
import { parse, UsageError } from './args.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { unresolvable } from '../io/node.ts';
import type { Command } from './kit.ts';

/**
 * What each suite compares against: devDependencies of the repository, absent from an installed
 * speechcore. The suites import them only when they run; this table lets `bench` say what to
 * install before it starts, instead of failing half-way.
 */
const PEERS: Record<string, readonly string[]> = {
  fft: ['fft.js', '@echogarden/pffft-wasm'],
  features: ['meyda', '@echogarden/pffft-wasm'],
  lstm: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm'],
  hmm: [],
  recognition: [],
};

export const benchCommand: Command = {
  summary: 'benchmark suites (medians, ratios against peers measured in the same run); needs the peers installed',
  usage: 'speechcore bench [fft|features|hmm|lstm|recognition|digits|streaming|all] --json OUT [--quick] [--data DIR] [--tts auto|none]',
  run: runBench,
};

async function runBench(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, { json: { type: 'string' }, quick: { type: 'boolean' }, data: { type: 'string' }, tts: { type: 'string' } });
  if (values.tts !== undefined && values.tts !== 'auto' && values.tts !== 'none') throw new UsageError(`--tts=${values.tts} must be auto or none`);
  const { suites } = await import('../../bench/index.ts');
  const which = positionals[0] ?? 'all';
  const names = which === 'all' ? Object.keys(suites) : [which];
  for (const n of names) if (!(n in suites)) throw new UsageError(`unknown suite '${n}'; one of ${Object.keys(suites).join(', ')}, all`);
  const missing = [...new Set(unresolvable(names.flatMap((n) => PEERS[n] ?? [])))];
  if (missing.length) {
    throw new UsageError(`speechcore bench ${which} compares against implementations that are not installed: npm install --no-save ${missing.join(' ')} ` +
      '(or run it from a clone of the repository)');
  }
  const results: BenchResult[] = [];
  for (const n of names) {
    process.stderr.write(`== bench ${n} ==\n`);
    results.push(...await suites[n]({ quick: values.quick, data: values.data, tts: values.tts as 'auto' | 'none' | undefined, log: (l) => process.stderr.write(l + '\n') }));
  }
  const report: BenchReport = {
    suite: which, node: process.version, cpu: cpus()[0]?.model ?? 'unknown', date: new Date().toISOString(), results,
  };
  if (values.json) writeFileAtomic(values.json, JSON.stringify(report, null, 2) + '\n');
}
