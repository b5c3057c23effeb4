/**
 * Figures: every spec builder compiles through vega-lite, renders to SVG with vega's headless view
 * and to PNG with resvg; the SVGs carry the titles and marks the data asked for.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as F from '../lab/src/plots/figures.ts';
import { renderFigure, svgToPng, toSvg } from '../lab/src/plots/render.ts';
import { Rng } from 'speechcore';

const rng = new Rng(2);
const pts = Array.from({ length: 30 }, (_, i) => [rng.normal() + (i % 3), rng.normal(), rng.normal() - (i % 3)]);
const label = pts.map((_, i) => String(1 + (i % 3)));
const labels = ['1', '2', '3'];
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

const specs: [string, ReturnType<typeof F.histogram>, string[]][] = [
  ['histogram', F.histogram({ title: 'Hist T', xTitle: 'MFCC 1', series: [{ name: 'three', values: pts.map((p) => p[0]) }, { name: 'eight', values: pts.map((p) => p[1]) }] }), ['Hist T', 'MFCC 1', 'three', 'eight']],
  ['matrix', F.matrixImage({ title: 'Conf T', matrix: [[5, 1], [0, 7]], text: true, xTitle: 'predicted', yTitle: 'true' }), ['Conf T', 'predicted', '>7<']],
  ['scatter2d', F.scatter2d({ title: 'S2 T', x: pts.map((p) => p[0]), y: pts.map((p) => p[1]), label, labels, xTitle: 'PC1', yTitle: 'PC2' }), ['S2 T', 'PC1', 'digit']],
  ['scatter3d', F.scatter3d({ title: 'S3 T', points: pts, label, labels, axisTitles: ['PC1', 'PC2', 'PC3'] }), ['S3 T', 'PC3', 'orthographic']],
  ['pairs', F.pairwisePanels({ title: 'Pairs T', points: pts, label, labels, axisTitles: ['A', 'B', 'C'] }), ['Pairs T', 'A vs B', 'B vs C']],
  ['cumulative', F.cumulativeVariance({ title: 'Cum T', series: [{ name: 'raw', cumulative: [0.5, 0.8, 1] }] }), ['Cum T', 'cumulative explained variance']],
  ['loss', F.lossCurves({ title: 'Loss T', series: [{ name: 'train', values: [1, 0.5] }, { name: 'validation', values: [1.2, 0.7] }] }), ['Loss T', 'validation']],
  ['bars', F.accuracyBars({ title: 'Acc T', rows: [{ name: 'GNB', set: 'mfcc', mean: 0.6, std: 0.05, target: 0.72 }, { name: 'GNB', set: 'mfcc+zcr', mean: 0.65, std: 0.04 }] }), ['Acc T', 'GNB', 'mfcc+zcr']],
  ['waveform', F.waveformSpectrogram({ title: 'Wave T', sr: 100, samples: Float32Array.from({ length: 200 }, (_, i) => Math.sin(i / 3)), spectrogram: { db: [[0, -10, -20], [-5, -15, -30]], times: [0.5, 1.5], freqs: [0, 25, 50] }, pitch: [[0.5, 120], [1.5, null]], formants: [[0.5, 500, 1500, null]] }), ['Wave T', 'pitch (Hz)', 'F1', 'frequency (Hz)']],
];

for (const [name, spec, texts] of specs) {
  test(`${name}: vega-lite → SVG → PNG`, async () => {
    const svg = await toSvg(spec);
    assert.ok(svg.startsWith('<svg'), name);
    for (const t of texts) assert.ok(svg.includes(t), `${name}: "${t}" in the SVG`);
    const png = svgToPng(svg, 1);
    assert.equal(png.subarray(0, 4), PNG);
  });
}

test('renderFigure writes both files; the grid lays panels out', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'speechcore-plots-'));
  try {
    const r = await renderFigure(F.grid('Grid T', [specs[0][1], specs[1][1]], 2), join(dir, 'sub', 'fig'));
    assert.ok(existsSync(r.svg) && existsSync(r.png));
    assert.ok(readFileSync(r.svg, 'utf8').includes('Grid T'));
    assert.ok(r.ms > 0);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test.run();
