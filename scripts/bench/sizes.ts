/** What a user downloads and what Node loads: the bundle in dist/ and the npm tarball. */
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, readdirSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Sizes {
  dist: {bytes: number; files: number; entryBytes: number};
  pack: {tarballBytes: number; unpackedBytes: number; files: number};
  /** Entries of package.json `dependencies`: what npx would install besides the tarball. */
  runtimeDependencies: number;
}

export function measureSizes(): Sizes {
  const files = listFiles(join(ROOT, 'dist'));
  return {
    dist: {
      bytes: files.reduce((sum, f) => sum + statSync(f).size, 0),
      files: files.length,
      // The only chunk `--help` loads.
      entryBytes: statSync(join(ROOT, 'dist', 'main.js')).size,
    },
    pack: packSizes(),
    runtimeDependencies: Object.keys(readPackage().dependencies ?? {}).length,
  };
}

function readPackage(): {dependencies?: Record<string, string>} {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {dependencies?: Record<string, string>};
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

/** `npm pack` into a temp dir: the tarball's real size, and npm's own unpacked figure. */
function packSizes(): Sizes['pack'] {
  const dest = mkdtempSync(join(tmpdir(), 'zw-bench-pack-'));
  try {
    // The benchmark has just built dist/; prepack would only build it again.
    const run = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], {cwd: ROOT, encoding: 'utf8', timeout: 60_000});
    if (run.status !== 0) throw new Error(`npm pack failed (exit ${run.status}): ${run.stderr}`);
    const [info] = JSON.parse(run.stdout) as {filename: string; unpackedSize: number; entryCount: number}[];
    if (!info) throw new Error('npm pack printed no package');
    return {tarballBytes: statSync(join(dest, info.filename)).size, unpackedBytes: info.unpackedSize, files: info.entryCount};
  } finally {
    rmSync(dest, {recursive: true, force: true});
  }
}
