/**
 * Figures are vega-lite specifications compiled by vega-lite, rendered to SVG by vega's headless
 * View (renderer 'none', `toSVG`), and rasterised to PNG by resvg. Nothing here writes SVG by hand.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export type { TopLevelSpec };

/** The house look: one sans font (DejaVu Sans ships with Debian; resvg falls back otherwise). */
export const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
const CONFIG = {
  font: FONT,
  view: { stroke: '#ccc' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eee' },
  title: { fontSize: 14, anchor: 'start' as const },
  legend: { labelFontSize: 11, titleFontSize: 12 },
};

/** Compiles a vega-lite spec (with the house config) and renders it to an SVG string. */
export async function toSvg(spec: TopLevelSpec): Promise<string> {
  const withConfig = { ...spec, config: { ...CONFIG, ...(spec as { config?: object }).config } } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(withConfig).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterises an SVG to PNG at `scale` × its size, on a white background. */
export function svgToPng(svg: string, scale = 2): Buffer {
  const r = new Resvg(svg, {
    background: 'white', fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return r.render().asPng();
}

export interface RenderedFigure {
  /** Paths written (basePath + '.svg' / '.png'). */
  svg: string;
  png: string;
  /** Milliseconds for SVG and PNG together. */
  ms: number;
}

/** Renders a spec to `basePath.svg` and `basePath.png`. */
export async function renderFigure(spec: TopLevelSpec, basePath: string, options: { png?: boolean } = {}): Promise<RenderedFigure> {
  const t0 = performance.now();
  mkdirSync(dirname(basePath), { recursive: true });
  const svg = await toSvg(spec);
  writeFileSync(`${basePath}.svg`, svg);
  if (options.png !== false) writeFileSync(`${basePath}.png`, svgToPng(svg));
  return { svg: `${basePath}.svg`, png: `${basePath}.png`, ms: performance.now() - t0 };
}
