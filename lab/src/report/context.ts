/**
 * What every report section gets: where figures go, quick or full settings, a figure helper that
 * renders (vega-lite → SVG → PNG) and records time, and a progress callback.
 *
 * @module
 */
import { join } from 'node:path';
import { renderFigure, type TopLevelSpec } from '../plots/render.ts';
import type { Block, Section } from './html.ts';

export interface ReportContext {
  out: string;
  quick: boolean;
  seed: number;
  /** Classifier splits (default 5 quick, 20 full). */
  splits?: number;
  /** Figures rendered so far and their milliseconds. */
  figures: { file: string; ms: number }[];
  /** Marks one unit of work done (progress bar). */
  tick(label?: string): void;
  /** Renders `spec` to out/figures/<name>.{svg,png}; returns the figure block. */
  figure(name: string, spec: TopLevelSpec, caption: string): Promise<Block>;
}

export function makeContext(o: { out: string; quick: boolean; seed?: number; splits?: number; tick: (label?: string) => void }): ReportContext {
  const ctx: ReportContext = {
    out: o.out, quick: o.quick, seed: o.seed ?? 0, splits: o.splits, figures: [], tick: o.tick,
    async figure(name, spec, caption) {
      const r = await renderFigure(spec, join(o.out, 'figures', name));
      ctx.figures.push({ file: `figures/${name}`, ms: r.ms });
      return { kind: 'figure', file: `figures/${name}`, caption };
    },
  };
  return ctx;
}

/** Runs a section builder; an error becomes a "not available" block naming the cause. */
export async function guarded(id: string, title: string, build: () => Promise<Block[]>): Promise<Section> {
  const t0 = performance.now();
  let blocks: Block[];
  try {
    blocks = await build();
  } catch (e) {
    blocks = [{ kind: 'missing', what: title, why: `${(e as Error).name ?? 'Error'}: ${(e as Error).message}` }];
  }
  return { id, title, blocks, seconds: (performance.now() - t0) / 1000 };
}
