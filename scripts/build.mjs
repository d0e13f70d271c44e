// Bundles the CLI into dist/ so `npx zappa-iam-wizard` starts without resolving
// hundreds of modules. Splitting keeps Ink, React and the AWS SDK out of the
// first chunk: `--help` and `--version` answer before any of them load.
import {build} from 'esbuild';
import {readFileSync, renameSync, rmSync} from 'node:fs';

const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Build beside dist/ and swap it in, so a CLI started by a test while a build
// runs never sees a half-written dist/.
const dist = new URL('../dist', import.meta.url);
const staging = new URL(`../dist-building-${process.pid}`, import.meta.url);
const retired = new URL(`../dist-old-${process.pid}`, import.meta.url);
await build({
  entryPoints: {main: 'src/main.ts'},
  outdir: staging.pathname,
  bundle: true,
  splitting: true,
  platform: 'node',
  // Prefer ESM builds: jsonc-parser's UMD build hides its requires from the bundler.
  mainFields: ['module', 'main'],
  target: 'node20',
  format: 'esm',
  jsx: 'automatic',
  // Keep the bundled packages' licence notices (AWS SDK, Ink, React…) beside the chunks.
  legalComments: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  define: {'process.env.NODE_ENV': '"production"', __VERSION__: JSON.stringify(version)},
  alias: {'react-devtools-core': './stubs/react-devtools-core.js'},
  // CommonJS dependencies call require() on Node built-ins; ESM output has none.
  banner: {js: "import {createRequire as __zwRequire} from 'node:module'; const require = __zwRequire(import.meta.url);"},
  logLevel: 'warning',
});

try {
  renameSync(dist, retired);
} catch {
  // first build: nothing to retire
}
renameSync(staging, dist);
rmSync(retired, {recursive: true, force: true});
