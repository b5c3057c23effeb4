/**
 * The layout rules the package depends on, checked on the import graph of the sources:
 * the library (bindings/) never imports the lab application (lab/) or the benchmarks outside
 * `bench`'s lazy import; the lab reaches the library only through the package's public entry
 * points (`speechcore`, `speechcore/nn`, `speechcore/cli`); only bindings/nn imports TensorFlow.js;
 * nothing in the library imports a `node:` module from a file the browser entry reaches; and no
 * module is part of an import cycle.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : files(p);
    return /\.ts$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Static imports and re-exports of a file (type-only ones included: they still couple files). */
function imports(file: string): { spec: string; dynamic: boolean; typeOnly: boolean }[] {
  const text = readFileSync(join(root, file), 'utf8');
  const out: { spec: string; dynamic: boolean; typeOnly: boolean }[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s([^'"]*?)from\s+['"]([^'"]+)['"]/gm)) out.push({ spec: m[2]!, dynamic: false, typeOnly: /^type\s/.test(m[1]!) });
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push({ spec: m[1]!, dynamic: false, typeOnly: false });
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ spec: m[1]!, dynamic: true, typeOnly: false });
  return out;
}

const resolveRel = (from: string, spec: string) => relative(root, resolve(root, dirname(from), spec));

const library = files('bindings');
const lab = files('lab');

test('the library never imports the lab application; bench only lazily from the bench command', () => {
  for (const f of library) {
    for (const { spec, dynamic } of imports(f)) {
      if (!spec.startsWith('.')) continue;
      const target = resolveRel(f, spec);
      assert.not.ok(target.startsWith('lab/'), `${f} imports ${target}`);
      if (target.startsWith('bench/')) assert.ok(f === 'bindings/cli/bench.ts' && (dynamic || /schema\.ts$/.test(target)), `${f} imports ${target} statically`);
    }
  }
});

test('the lab uses only the public entry points of speechcore', () => {
  for (const f of lab) {
    for (const { spec } of imports(f)) {
      if (spec.startsWith('.')) assert.not.ok(resolveRel(f, spec).startsWith('bindings/'), `${f} reaches into ${spec}`);
      else if (spec.startsWith('speechcore')) assert.ok(['speechcore', 'speechcore/nn', 'speechcore/cli'].includes(spec), `${f} imports ${spec}`);
    }
  }
});

test('only bindings/nn imports TensorFlow.js', () => {
  for (const f of library) for (const { spec } of imports(f)) if (spec.startsWith('@tensorflow/')) assert.ok(f.startsWith('bindings/nn/'), `${f} imports ${spec}`);
});

test('the browser entry reaches no node: import', () => {
  const seen = new Set<string>();
  const stack = ['bindings/browser.ts', 'bindings/nn/index.ts'];
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const { spec, typeOnly } of imports(f)) {
      assert.not.ok(spec.startsWith('node:') && !typeOnly, `${f} (reached from the browser entries) imports ${spec}`);
      if (spec.startsWith('.')) stack.push(resolveRel(f, spec));
    }
  }
  assert.ok(seen.size > 20, `${seen.size} files reached`);
});

test('no import cycles in bindings/ or lab/', () => {
  const graph = new Map<string, string[]>();
  for (const f of [...library, ...lab]) {
    graph.set(f, imports(f).filter((i) => i.spec.startsWith('.') && !i.dynamic).map((i) => resolveRel(f, i.spec)));
  }
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (f: string, path: string[]) => {
    if (state.get(f) === 'done') return;
    if (state.get(f) === 'open') { cycles.push([...path.slice(path.indexOf(f)), f].join(' → ')); return; }
    state.set(f, 'open');
    for (const g of graph.get(f) ?? []) visit(g, [...path, f]);
    state.set(f, 'done');
  };
  for (const f of graph.keys()) visit(f, []);
  assert.equal(cycles, []);
});

test.run();
