/**
 * The policy code and its data (the IAM catalog, Zappa's calls) load only
 * when a command needs them: never for --help, and not with the CLI's
 * command table. Reads the built bundle (run `node scripts/build.mjs` first).
 */
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {REPO_ROOT, runCli} from '../helpers/run-cli.js';

const dist = join(REPO_ROOT, 'dist');
const read = (file: string) => readFileSync(join(dist, file), 'utf8');

/** Files a module loads before it runs: its static imports, followed to the end. */
function staticClosure(entry: string): string[] {
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
    for (const [, spec] of read(file).matchAll(/^(?:import|export)\s[^;]*?from\s*["'](\.[^"']+)["']/gm)) walk(join(dir, spec!).replace(/^\.\//, ''));
    for (const [, spec] of read(file).matchAll(/^import\s*["'](\.[^"']+)["']/gm)) walk(join(dir, spec!));
  };
  walk(entry);
  return [...seen];
}

/** The one chunk that contains `marker`. */
function chunkWith(marker: string): string {
  const found = readdirSync(join(dist, 'chunks')).filter((f) => read(`chunks/${f}`).includes(marker));
  expect(found.length, marker).toBe(1);
  return `chunks/${found[0]}`;
}

/**
 * Strings only the catalog and the call data contain. The call data's marker
 * is one of its condition descriptions: its trigger tokens (keep_warm_or_events…)
 * are also named in the code that reads them (policy/needs/reasons.ts).
 */
const CALL_DATA_MARKER = 'a multipart upload fails';
const POLICY_MARKERS = ['PACKED_CATALOG', CALL_DATA_MARKER];

describe('bundle', () => {
  it('--help loads no policy code or data', () => {
    const files = staticClosure('main.js');
    const text = files.map(read).join('\n');
    for (const marker of POLICY_MARKERS) expect(text, marker).not.toContain(marker);
    expect(text.length).toBeLessThan(50_000);
  });

  it('the command table (cli chunk) does not pull the catalog or the call data in', () => {
    const cli = read('main.js').match(/import\(["']\.\/(chunks\/cli-[^"']+)["']\)/)?.[1];
    expect(cli).toBeDefined();
    const files = staticClosure(cli!);
    expect(files.length).toBeGreaterThan(3);
    const text = files.map(read).join('\n');
    for (const marker of POLICY_MARKERS) expect(text, marker).not.toContain(marker);
  });

  it('keeps the catalog in the lint chunk, loaded on demand', () => {
    const lint = chunkWith('PACKED_CATALOG');
    expect(lint).toMatch(/^chunks\/lint-/);
    const calls = chunkWith(CALL_DATA_MARKER);
    // The call data sits in its own chunk, shared by strict and the proof.
    expect(readFileSync(join(dist, calls)).length).toBeLessThan(150_000);
  });

  it('--help still answers', async () => {
    const {code, stdout} = await runCli(['--help'], {cwd: REPO_ROOT, env: {PATH: process.env.PATH ?? ''}});
    expect(code).toBe(0);
    expect(stdout).toContain('--policy');
  });
});
