/**
 * `speechcore report [--data DIR] [--part1-data DIR] [--out report] [--quick]`: the lab's results
 * (steps 1–14) as one HTML page plus SVG/PNG figures, with a progress bar. When no FSDD is found it
 * says how to get it (`speechcore data fetch`).
 */
import { resolve } from 'node:path';
import { resolveDataDir, DatasetError } from 'speechcore';
import { num, parse, progressBar, type Command } from 'speechcore/cli';
import { resolveDigitsDir } from '../analysis/digits.ts';

const usage = `speechcore report [--data DIR] [--part1-data DIR] [--split FILE] [--out ./report] [--quick] [--seed 0] [--splits N] [--no-nn]`;

async function runReport(argv: string[]): Promise<void> {
  const { values } = parse(argv, {
    data: { type: 'string' }, 'part1-data': { type: 'string' }, split: { type: 'string' }, out: { type: 'string' },
    quick: { type: 'boolean' }, seed: { type: 'string' }, splits: { type: 'string' }, 'no-nn': { type: 'boolean' },
  }, false);
  let data: string;
  try {
    data = resolveDataDir(values.data);
  } catch (e) {
    if (!(e instanceof DatasetError)) throw e;
    throw new DatasetError(`${e.message}\n  No FSDD here yet: run \`npx speechcore data fetch\` (downloads ~16 MB into ./data/fsdd), then \`npm start\` again; or pass --data DIR.`);
  }
  let part1: string | null = null;
  try { part1 = resolveDigitsDir(values['part1-data']); } catch (e) {
    if (values['part1-data']) throw e;
  }
  const out = resolve(values.out ?? 'report');
  const bar = progressBar(values.quick ? 'report (quick)' : 'report');
  // The figures' renderers (vega, resvg) load only when a report is made.
  const { generateReport } = await import('../report/report.ts');
  const r = await generateReport({
    data, part1Data: part1, split: values.split, out, quick: values.quick ?? false,
    seed: num(values, 'seed') ?? 0, splits: num(values, 'splits'), skipNn: values['no-nn'] ?? false, onProgress: (d, t) => bar.update(d, t),
  });
  bar.finish();
  const missing = r.sections.filter((s) => !s.available).map((s) => s.title);
  process.stderr.write(`report: ${r.index} (${r.figures} figures, ${r.seconds.toFixed(1)} s)` + (missing.length ? `; not available: ${missing.join('; ')}` : '') + '\n');
}

export const reportCommand: Command = {
  summary: 'every step of the lab as figures (SVG/PNG) and an HTML index',
  usage,
  run: runReport,
};
