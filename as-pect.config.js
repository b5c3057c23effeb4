// as-pect 8 configuration (ESM: package.json has "type": "module", and as-pect loads this file with
// a dynamic import()). Run with `npm run test:as`.
//
// as-pect 8 takes no compiler flags from this file: every spec is compiled with
// `asc <spec> --config <as-config> --target noCoverage`, where <as-config> comes from `-a`. The
// npm script passes assembly/__tests__/as-pect.asconfig.json (SIMD) and then
// as-pect.scalar.asconfig.json (the scalar build), so every spec runs on both.

export default {
  /** One spec per kernel file: assembly/__tests__/<kernel>.spec.ts. */
  entries: ["assembly/__tests__/**/*.spec.ts"],
  /** Files added to every compilation (none today). */
  include: ["assembly/__tests__/**/*.include.ts"],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    return instantiate(binary, createImports({ env: { memory } }));
  },
  outputBinary: false,
};
