// Bundles the CLI into dist/ so `npx zappa-iam-wizard` starts without resolving
// hundreds of modules. Splitting keeps Ink, React and the AWS SDK out of the
// first chunk: `--help` and `--version` answer before any of them load.
import {build} from 'esbuild';
import {readFileSync, rmSync} from 'node:fs';

const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

rmSync(new URL('../dist', import.meta.url), {recursive: true, force: true});
await build({
  entryPoints: {main: 'src/main.ts'},
  outdir: 'dist',
  bundle: true,
  splitting: true,
  platform: 'node',
  // Prefer ESM builds: jsonc-parser's UMD build hides its requires from the bundler.
  mainFields: ['module', 'main'],
  target: 'node20',
  format: 'esm',
  jsx: 'automatic',
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  define: {'process.env.NODE_ENV': '"production"', __VERSION__: JSON.stringify(version)},
  alias: {'react-devtools-core': './stubs/react-devtools-core.js'},
  // CommonJS dependencies call require() on Node built-ins; ESM output has none.
  banner: {js: "import {createRequire as __zwRequire} from 'node:module'; const require = __zwRequire(import.meta.url);"},
  logLevel: 'warning',
});
