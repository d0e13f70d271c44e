/**
 * Cold start of `--help`: with hyperfine when it is installed (no shell, 3
 * warm-ups, 20 runs), else our own loop of spawns. `node -e 0` is measured
 * the same way, as the floor no Node CLI can go below.
 */
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {median} from './stats.js';

const CLI = fileURLToPath(new URL('../../bin/zappa-iam-wizard.js', import.meta.url));
const WARMUPS = 3;
const RUNS = 20;

export interface StartTime {
  medianMs: number;
  meanMs: number;
  minMs: number;
  maxMs: number;
}

export interface ColdStart {
  tool: 'hyperfine' | 'spawn loop';
  runs: number;
  help: StartTime;
  nodeOnly: StartTime;
}

export function measureColdStart(): ColdStart {
  const help = [process.execPath, CLI, '--help'];
  const nodeOnly = [process.execPath, '-e', '0'];
  if (hasHyperfine()) {
    const [h, n] = withHyperfine([help, nodeOnly]);
    return {tool: 'hyperfine', runs: RUNS, help: h!, nodeOnly: n!};
  }
  return {tool: 'spawn loop', runs: RUNS, help: withLoop(help), nodeOnly: withLoop(nodeOnly)};
}

function hasHyperfine(): boolean {
  return spawnSync('hyperfine', ['--version'], {stdio: 'ignore'}).status === 0;
}

function withHyperfine(commands: string[][]): StartTime[] {
  const dir = mkdtempSync(join(tmpdir(), 'zw-bench-hf-'));
  try {
    const out = join(dir, 'hyperfine.json');
    // -N runs the command without a shell, so the shell's start-up is not counted; paths must not contain spaces.
    const args = ['-N', '--warmup', String(WARMUPS), '--runs', String(RUNS), '--style', 'none', '--export-json', out, ...commands.map((c) => c.join(' '))];
    const run = spawnSync('hyperfine', args, {encoding: 'utf8', timeout: 120_000});
    if (run.status !== 0) throw new Error(`hyperfine failed (exit ${run.status}): ${run.stderr}`);
    const {results} = JSON.parse(readFileSync(out, 'utf8')) as {results: {mean: number; median: number; min: number; max: number}[]};
    return results.map((r) => ({medianMs: ms(r.median * 1000), meanMs: ms(r.mean * 1000), minMs: ms(r.min * 1000), maxMs: ms(r.max * 1000)}));
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

function withLoop([command, ...args]: string[]): StartTime {
  const times: number[] = [];
  for (let i = 0; i < WARMUPS + RUNS; i++) {
    const started = performance.now();
    const run = spawnSync(command!, args, {stdio: 'ignore', timeout: 30_000});
    if (run.status !== 0) throw new Error(`${[command, ...args].join(' ')} exited ${run.status}`);
    if (i >= WARMUPS) times.push(performance.now() - started);
  }
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return {medianMs: ms(median(times)), meanMs: ms(mean), minMs: ms(Math.min(...times)), maxMs: ms(Math.max(...times))};
}

const ms = (n: number) => Math.round(n * 10) / 10;
