/**
 * The lab's figures as vega-lite specifications (data in, spec out; see render.ts for output):
 * waveform + spectrogram with pitch and formant tracks, histograms, matrix images (correlation,
 * confusion), 2-D scatter, 3-D scatter (an orthographic projected view with its bounding box, and
 * pairwise panels), cumulative explained variance, loss curves, accuracy bars.
 *
 * @module
 */
import type { TopLevelSpec } from './render.ts';

// Nine distinct filled markers plus a star (vega shape names or SVG paths in a unit square).
const STAR = 'M0,-1L0.24,-0.33L0.95,-0.31L0.38,0.12L0.59,0.81L0,0.4L-0.59,0.81L-0.38,0.12L-0.95,-0.31L-0.24,-0.33Z';
const SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'cross', 'triangle-down', 'triangle-right', 'triangle-left', STAR, 'M-1,-0.35H1V0.35H-1Z'];
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** A colour and a marker per class label (consistent across figures). */
function classScales(labels: readonly string[]) {
  return {
    color: { field: 'label', type: 'nominal' as const, title: 'digit', scale: { domain: [...labels], range: labels.map((_, i) => COLORS[i % COLORS.length]) } },
    shape: { field: 'label', type: 'nominal' as const, title: 'digit', scale: { domain: [...labels], range: labels.map((_, i) => SHAPES[i % SHAPES.length]) } },
  };
}

export interface WaveformOptions {
  title: string;
  sr: number;
  samples: Float32Array;
  /** Power spectrogram in dB, [frames][bins] with frame times and bin frequencies. */
  spectrogram: { db: number[][]; times: number[]; freqs: number[] };
  /** Pitch track [t, f0|null]. */
  pitch?: [number, number | null][];
  /** Formant tracks [t, F1, F2, F3]. */
  formants?: [number, ...(number | null)[]][];
  width?: number;
}

/** Step 1: waveform over a spectrogram (0 – max freq) with formant dots and the pitch contour. */
export function waveformSpectrogram(o: WaveformOptions): TopLevelSpec {
  const width = o.width ?? 720;
  // Min/max envelope: ~2 points per pixel column.
  const cols = Math.min(width, o.samples.length);
  const per = o.samples.length / cols;
  const wave: { t: number; lo: number; hi: number }[] = [];
  for (let c = 0; c < cols; c++) {
    let lo = Infinity, hi = -Infinity;
    for (let i = Math.floor(c * per); i < Math.floor((c + 1) * per); i++) { lo = Math.min(lo, o.samples[i]); hi = Math.max(hi, o.samples[i]); }
    if (lo <= hi) wave.push({ t: (c * per) / o.sr, lo, hi });
  }
  const { db, times, freqs } = o.spectrogram;
  const dt = times.length > 1 ? times[1] - times[0] : 0.01, df = freqs.length > 1 ? freqs[1] - freqs[0] : 1;
  const max = Math.max(...db.flat());
  const cells: { t0: number; t1: number; f0: number; f1: number; db: number }[] = [];
  db.forEach((row, i) => row.forEach((v, k) => cells.push({ t0: times[i] - dt / 2, t1: times[i] + dt / 2, f0: freqs[k] - df / 2, f1: freqs[k] + df / 2, db: Math.max(v, max - 70) })));
  const duration = o.samples.length / o.sr;
  const x = { type: 'quantitative' as const, scale: { domain: [0, duration], nice: false }, title: 'time (s)' };
  const layers: object[] = [{
    data: { values: cells }, mark: { type: 'rect' },
    encoding: {
      x: { field: 't0', ...x }, x2: { field: 't1' },
      y: { field: 'f0', type: 'quantitative', title: 'frequency (Hz)', scale: { domain: [0, freqs[freqs.length - 1]], nice: false } }, y2: { field: 'f1' },
      color: { field: 'db', type: 'quantitative', title: 'dB', scale: { scheme: 'greys' } },
    },
  }];
  if (o.formants?.length) {
    const pts: { t: number; f: number; formant: string }[] = [];
    for (const [t, ...fs] of o.formants) fs.forEach((f, i) => { if (f !== null && Number.isFinite(f)) pts.push({ t, f: f as number, formant: `F${i + 1}` }); });
    layers.push({ data: { values: pts }, mark: { type: 'point', filled: true, size: 8 }, encoding: { x: { field: 't', ...x }, y: { field: 'f', type: 'quantitative' }, fill: { field: 'formant', type: 'nominal', scale: { range: ['#d62728', '#ff7f0e', '#e377c2', '#9467bd', '#8c564b'] } } } });
  }
  const spec: { [k: string]: unknown } = { layer: layers, width, height: 220 };
  const panels: object[] = [
    { data: { values: wave }, mark: { type: 'area', color: '#1f77b4', opacity: 0.9 }, width, height: 110, encoding: { x: { field: 't', ...x, title: null }, y: { field: 'lo', type: 'quantitative', title: 'amplitude' }, y2: { field: 'hi' } } },
  ];
  if (o.pitch?.length) {
    const pts = o.pitch.filter(([, f]) => f !== null).map(([t, f]) => ({ t, f0: f }));
    panels.push({
      layer: [spec, { data: { values: pts }, mark: { type: 'point', filled: true, size: 10, color: '#1f9ad6' }, encoding: { x: { field: 't', ...x }, y: { field: 'f0', type: 'quantitative', title: 'pitch (Hz)', scale: { domain: [0, 500] }, axis: { orient: 'right', titleColor: '#1f9ad6' } } } }],
      resolve: { scale: { y: 'independent', fill: 'independent' } }, width, height: 220,
    });
  } else panels.push(spec);
  return { title: o.title, vconcat: panels, resolve: { scale: { color: 'independent' } } } as TopLevelSpec;
}

/** Step 4: overlaid histograms, one colour per series. */
export function histogram(o: { title: string; series: { name: string; values: number[] }[]; xTitle: string; bins?: number }): TopLevelSpec {
  const values = o.series.flatMap((s) => s.values.map((v) => ({ v, series: s.name })));
  return {
    title: o.title, width: 320, height: 200, data: { values },
    mark: { type: 'bar', opacity: 0.55, binSpacing: 0 },
    encoding: {
      x: { field: 'v', type: 'quantitative', bin: { maxbins: o.bins ?? 30 }, title: o.xTitle },
      y: { aggregate: 'count', type: 'quantitative', stack: null, title: 'frames' },
      color: { field: 'series', type: 'nominal', title: null, scale: { range: COLORS } },
    },
  } as TopLevelSpec;
}

/** A matrix as an image with a colour bar; `text` prints the values (confusion matrices). */
export function matrixImage(o: { title: string; matrix: number[][]; rowLabels?: string[]; colLabels?: string[]; xTitle?: string; yTitle?: string; domain?: [number, number]; scheme?: string; text?: boolean; size?: number }): TopLevelSpec {
  const rows = o.rowLabels ?? o.matrix.map((_, i) => String(i + 1));
  const cols = o.colLabels ?? o.matrix[0].map((_, j) => String(j + 1));
  const values = o.matrix.flatMap((row, i) => row.map((v, j) => ({ r: rows[i], c: cols[j], v, label: Number.isInteger(v) ? String(v) : v.toFixed(2) })));
  const size = o.size ?? 240;
  const rect = { mark: 'rect', encoding: { color: { field: 'v', type: 'quantitative', title: null, scale: { scheme: o.scheme ?? 'blueorange', ...(o.domain ? { domain: o.domain } : {}) } } } };
  const layer: object[] = [rect];
  if (o.text) layer.push({ mark: { type: 'text', fontSize: 10 }, encoding: { text: { field: 'label' }, color: { condition: { test: `datum.v > ${Math.max(...o.matrix.flat()) / 2}`, value: 'white' }, value: 'black' } } });
  return {
    title: o.title, width: size, height: size, data: { values },
    encoding: {
      x: { field: 'c', type: 'ordinal', sort: cols, title: o.xTitle ?? null },
      y: { field: 'r', type: 'ordinal', sort: rows, title: o.yTitle ?? null },
    },
    layer,
  } as TopLevelSpec;
}

/** Several specs side by side (wrapping after `columns`). */
export function grid(title: string, specs: TopLevelSpec[], columns = 4): TopLevelSpec {
  const strip = (s: TopLevelSpec) => { const { $schema: _, ...rest } = s as { $schema?: string }; return rest; };
  return { title, concat: specs.map(strip), columns, resolve: { scale: { color: 'independent' } } } as TopLevelSpec;
}

export interface LabelledPoints { labels: string[]; points: number[][]; label: string[] }

/** Steps 5–6: 2-D scatter, a colour and a marker per class. */
export function scatter2d(o: { title: string; x: number[]; y: number[]; label: string[]; xTitle: string; yTitle: string; labels: string[] }): TopLevelSpec {
  const values = o.x.map((x, i) => ({ x, y: o.y[i], label: o.label[i] }));
  return {
    title: o.title, width: 360, height: 300, data: { values },
    mark: { type: 'point', filled: true, size: 60, opacity: 0.85 },
    encoding: { x: { field: 'x', type: 'quantitative', title: o.xTitle, scale: { zero: false } }, y: { field: 'y', type: 'quantitative', title: o.yTitle, scale: { zero: false } }, ...classScales(o.labels) },
  } as TopLevelSpec;
}

/**
 * Step 6: a 3-D scatter as an orthographic projection (azimuth −60°, elevation 30°, matplotlib's
 * default view) inside its bounding box, points drawn far to near and sized by depth.
 */
export function scatter3d(o: { title: string; points: number[][]; label: string[]; labels: string[]; axisTitles: [string, string, string]; azimuth?: number; elevation?: number }): TopLevelSpec {
  const az = ((o.azimuth ?? -60) * Math.PI) / 180, el = ((o.elevation ?? 30) * Math.PI) / 180;
  const lo = [0, 1, 2].map((k) => Math.min(...o.points.map((p) => p[k]))), hi = [0, 1, 2].map((k) => Math.max(...o.points.map((p) => p[k])));
  const norm = (p: number[]) => p.map((v, k) => (hi[k] > lo[k] ? (2 * (v - lo[k])) / (hi[k] - lo[k]) - 1 : 0));
  const project = (p: number[]) => {
    const [x, y, z] = norm(p);
    const x1 = x * Math.cos(az) - y * Math.sin(az), y1 = x * Math.sin(az) + y * Math.cos(az);
    return { sx: x1, sy: z * Math.cos(el) + y1 * Math.sin(el), depth: y1 * Math.cos(el) - z * Math.sin(el) };
  };
  const pts = o.points.map((p, i) => ({ ...project(p), label: o.label[i] })).sort((a, b) => b.depth - a.depth);
  const dmin = Math.min(...pts.map((p) => p.depth)), dmax = Math.max(...pts.map((p) => p.depth));
  const values = pts.map((p, order) => ({ ...p, order, size: 30 + 70 * (dmax > dmin ? (dmax - p.depth) / (dmax - dmin) : 0.5) }));
  // Box edges, in data units so the projection matches.
  const corners = [0, 1, 2, 3, 4, 5, 6, 7].map((b) => [b & 1 ? hi[0] : lo[0], b & 2 ? hi[1] : lo[1], b & 4 ? hi[2] : lo[2]]);
  const edges: { sx: number; sy: number; edge: number }[] = [];
  let e = 0;
  for (let a = 0; a < 8; a++) for (let b = a + 1; b < 8; b++) {
    if ([1, 2, 4].includes(a ^ b)) { for (const c of [a, b]) edges.push({ ...project(corners[c]), edge: e }); e++; }
  }
  const ticks = [0, 1, 2].map((k) => {
    const from = [...lo], to = [...lo];
    to[k] = hi[k];
    const p = project(to), q = project(from);
    return { sx: p.sx + 0.12 * (p.sx - q.sx), sy: p.sy + 0.12 * (p.sy - q.sy), text: o.axisTitles[k] };
  });
  const axis = { axis: null, scale: { domain: [-1.8, 1.8] } };
  return {
    title: { text: o.title, subtitle: 'orthographic view, azimuth −60°, elevation 30°; marker size grows towards the viewer' },
    width: 380, height: 340,
    layer: [
      { data: { values: edges }, mark: { type: 'line', color: '#bbb', strokeWidth: 1 }, encoding: { x: { field: 'sx', type: 'quantitative', ...axis }, y: { field: 'sy', type: 'quantitative', ...axis }, detail: { field: 'edge' } } },
      { data: { values }, mark: { type: 'point', filled: true, opacity: 0.9, stroke: 'white', strokeWidth: 0.5 }, encoding: { x: { field: 'sx', type: 'quantitative', ...axis }, y: { field: 'sy', type: 'quantitative', ...axis }, size: { field: 'size', type: 'quantitative', legend: null, scale: null }, order: { field: 'order' }, ...classScales(o.labels) } },
      { data: { values: ticks }, mark: { type: 'text', fontSize: 12, fontWeight: 'bold' }, encoding: { x: { field: 'sx', type: 'quantitative', ...axis }, y: { field: 'sy', type: 'quantitative', ...axis }, text: { field: 'text' } } },
    ],
  } as TopLevelSpec;
}

/** Step 6: the three pairwise projections of a 3-D point set side by side. */
export function pairwisePanels(o: { title: string; points: number[][]; label: string[]; labels: string[]; axisTitles: [string, string, string] }): TopLevelSpec {
  const pairs: [number, number][] = [[0, 1], [0, 2], [1, 2]];
  return grid(o.title, pairs.map(([a, b]) => {
    const s = scatter2d({ title: `${o.axisTitles[a]} vs ${o.axisTitles[b]}`, x: o.points.map((p) => p[a]), y: o.points.map((p) => p[b]), label: o.label, labels: o.labels, xTitle: o.axisTitles[a], yTitle: o.axisTitles[b] }) as { width?: number; height?: number };
    s.width = 240; s.height = 220;
    return s as TopLevelSpec;
  }), 3);
}

/** Step 6: cumulative explained variance with the 95% line. */
export function cumulativeVariance(o: { title: string; series: { name: string; cumulative: number[] }[] }): TopLevelSpec {
  const values = o.series.flatMap((s) => s.cumulative.map((c, i) => ({ k: i + 1, c, series: s.name })));
  return {
    title: o.title, width: 420, height: 260,
    layer: [
      { data: { values }, mark: { type: 'line', point: true }, encoding: { x: { field: 'k', type: 'quantitative', title: 'components' }, y: { field: 'c', type: 'quantitative', title: 'cumulative explained variance', scale: { domain: [0, 1] } }, color: { field: 'series', type: 'nominal', title: null } } },
      { data: { values: [{ y: 0.95 }] }, mark: { type: 'rule', strokeDash: [4, 4], color: '#888' }, encoding: { y: { field: 'y', type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
}

/** Steps 8 and 14: loss per epoch, one line per series (e.g. train / validation). */
export function lossCurves(o: { title: string; series: { name: string; values: number[] }[]; yTitle?: string; logY?: boolean }): TopLevelSpec {
  const values = o.series.flatMap((s) => s.values.map((v, i) => ({ epoch: i + 1, v, series: s.name })));
  return {
    title: o.title, width: 420, height: 240, data: { values },
    mark: { type: 'line', point: { size: 15 } },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch' },
      y: { field: 'v', type: 'quantitative', title: o.yTitle ?? 'loss', scale: o.logY ? { type: 'log' } : { zero: false } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  } as TopLevelSpec;
}

/** Step 7: mean accuracy ± std per classifier and feature set. */
export function accuracyBars(o: { title: string; rows: { name: string; set: string; mean: number; std: number; target?: number }[] }): TopLevelSpec {
  const values = o.rows.map((r) => ({ ...r, lo: r.mean - r.std, hi: r.mean + r.std }));
  const targets = o.rows.filter((r) => r.target !== undefined);
  return {
    title: o.title, width: 420, height: 40 * new Set(o.rows.map((r) => r.name)).size,
    layer: [
      { data: { values }, mark: 'bar', encoding: { y: { field: 'name', type: 'nominal', title: null, sort: null, axis: { labelLimit: 260 } }, yOffset: { field: 'set' }, x: { field: 'mean', type: 'quantitative', title: 'test accuracy (mean ± std over splits)', scale: { domain: [0, 1] } }, color: { field: 'set', type: 'nominal', title: 'features' } } },
      { data: { values }, mark: 'rule', encoding: { y: { field: 'name', type: 'nominal', sort: null }, yOffset: { field: 'set' }, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
      { data: { values: targets }, mark: { type: 'tick', color: 'black', thickness: 2 }, encoding: { y: { field: 'name', type: 'nominal', sort: null }, x: { field: 'target', type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
}
