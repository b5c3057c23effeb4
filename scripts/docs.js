// The API reference, generated from the doc comments by TypeDoc into docs/api/ (not committed:
// `npm run docs`, then open docs/api/index.html). One page per entry point of the package.
import { Application } from 'typedoc';

const app = await Application.bootstrap({
  name: 'speechcore',
  entryPoints: ['bindings/index.ts', 'bindings/browser.ts', 'bindings/browser-inline.ts', 'bindings/nn/index.ts', 'bindings/cli/kit.ts'],
  tsconfig: 'tsconfig.json',
  out: 'docs/api',
  readme: 'none',
  excludePrivate: true,
  excludeInternal: true,
  disableSources: true,
  sort: ['kind', 'alphabetical'],
  validation: { notExported: false, invalidLink: true },
  logLevel: 'Warn',
});
const project = await app.convert();
if (!project) {
  console.error('docs: TypeDoc could not convert the project');
  process.exit(1);
}
await app.generateDocs(project, 'docs/api');
console.log('docs/api/index.html');
