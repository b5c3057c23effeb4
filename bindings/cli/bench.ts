/**
 * `speechcore bench [fft|features|all] --json OUT [--quick] [--data DIR]`: runs benchmark suites
 * (bench/), prints their tables and writes the DESIGN §5 JSON.
 */
import { cpus } from 'node:os';
import { suites } from '../../bench/index.ts';
import type { BenchReport, BenchResult } from '../../bench/schema.ts';
import { parse, UsageError } from './args.ts';
import { writeAtomic } from './extract.ts';

export const benchUsage = `speechcore bench [${Object.keys(suites).join('|')}|all] --json OUT [--quick] [--data DIR]`;

export async function runBench(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, { json: { type: 'string' }, quick: { type: 'boolean' }, data: { type: 'string' } });
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
  if (values.json) writeAtomic(values.json, JSON.stringify(report, null, 2) + '\n');
}
