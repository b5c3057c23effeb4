/**
 * `generateReport` / `speechcore report` end to end on small data: the shared isolated digits
 * (2 classifier splits) and a 100-file FSDD subset with its own split; every figure the page links
 * exists; missing data becomes "not available" (and, from the CLI, the hint to fetch it). When a
 * Chromium is installed the page is loaded headless and must render without console errors.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateReport } from '../lab/src/report/report.ts';
import { sharedDir } from './helpers/shared.ts';

const work = mkdtempSync(join(tmpdir(), 'speechcore-report-'));
const fsdd = join(work, 'fsdd');
const splitFile = join(work, 'split.json');

// 10 digits × 2 speakers × indices 0 (test), 5–8 (train), 9 (val).
{
  mkdirSync(join(fsdd, 'recordings'), { recursive: true });
  const split = { train: [] as string[], val: [] as string[], test: [] as string[] };
  for (let d = 0; d < 10; d++) for (const s of ['george', 'jackson']) for (const i of [0, 5, 6, 7, 8, 9]) {
    const f = `${d}_${s}_${i}.wav`;
    copyFileSync(join(sharedDir, 'data/fsdd/recordings', f), join(fsdd, 'recordings', f));
    (i === 0 ? split.test : i === 9 ? split.val : split.train).push(f);
  }
  writeFileSync(splitFile, JSON.stringify(split));
}

test.after(() => rmSync(work, { recursive: true, force: true }));

const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find((c) => spawnSync('which', [c]).status === 0);

test('report on both datasets: every section, every linked figure, timings', async () => {
  const out = join(work, 'out');
  const ticks: number[] = [];
  const r = await generateReport({ data: fsdd, part1Data: join(sharedDir, 'data/isolated-digits'), split: splitFile, out, quick: true, splits: 2, skipNn: true, onProgress: (d) => ticks.push(d) });
  const html = readFileSync(r.index, 'utf8');
  for (const id of ['step1', 'step2', 'step3', 'step4', 'step5', 'step6', 'step7', 'step9', 'step10-13']) assert.ok(html.includes(`id="${id}"`), id);
  const avail = Object.fromEntries(r.sections.map((s) => [s.id, s.available]));
  for (const id of ['step2', 'step3', 'step4', 'step5', 'step6', 'step7', 'step9', 'step10-13']) assert.ok(avail[id], `${id} available`);
  const linked = [...html.matchAll(/(?:src|href)="(figures\/[^"]+)"/g)].map((m) => m[1]);
  assert.ok(linked.length >= 2 * 14, `${linked.length} links`);
  for (const f of linked) assert.ok(existsSync(join(out, f)) && statSync(join(out, f)).size > 500, f);
  assert.is(r.figures, readdirSync(join(out, 'figures')).filter((f) => f.endsWith('.svg')).length);
  assert.match(html, /GaussianNB \(ours\)/);
  assert.match(html, /70\.7%/);
  assert.match(html, /Selected: \d states × \d Gaussians/);
  assert.ok(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).sections.length === r.sections.length);
  assert.is(ticks.at(-1), Math.max(...ticks));
  if (chromium) {
    const shot = join(work, 'page.png');
    const run = spawnSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--enable-logging=stderr', '--v=0', `--screenshot=${shot}`, '--window-size=1200,2400', `file://${r.index}`], { encoding: 'utf8', timeout: 60_000 });
    assert.is(run.status, 0, run.stderr);
    assert.ok(existsSync(shot), 'screenshot written');
    assert.not.match(run.stderr, /CONSOLE.*(error|Uncaught)|Failed to load resource/i);
  }
});

test('missing data: part 1 and FSDD "not available" on the page; the CLI says how to fetch FSDD', async () => {
  const r = await generateReport({ data: join(work, 'nowhere'), part1Data: null, out: join(work, 'out2'), quick: true, skipNn: true });
  const html = readFileSync(r.index, 'utf8');
  assert.match(html, /Part 1: not available/);
  assert.match(html, /Step 9 — FSDD split and features: not available<\/strong> — DatasetError: no dataset folder found/);
  const cwd = join(work, 'empty');
  mkdirSync(cwd);
  const env = { ...process.env };
  delete env.SPEECHCORE_DATA;
  const cli = spawnSync(process.execPath, ['--import', join(process.cwd(), 'node_modules/tsx/dist/loader.mjs'), join(process.cwd(), 'bindings/cli/main.ts'), 'report'], { cwd, env, encoding: 'utf8' });
  assert.is(cli.status, 1);
  assert.match(cli.stderr, /no dataset folder found .*\n.*speechcore data fetch/);
  assert.not.ok(existsSync(join(cwd, 'report')), 'nothing written');
});

test.run();
