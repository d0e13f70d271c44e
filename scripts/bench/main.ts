/**
 * `npm run bench` (after the build): moto_server behind a latency proxy, the
 * wizard's setup, re-run and plan against the setup document's steps
 * scripted with the AWS CLI, cold start and sizes. Prints a table, writes
 * bench/results.json and the README's section quoting it
 * (bench/README-section.md), and always stops moto and the proxy.
 *
 * Flags: --runs N (default 5, env ZW_BENCH_RUNS), --latency MS (default 50,
 * env ZW_BENCH_LATENCY_MS), --out FILE (default bench/results.json),
 * --check (exit 1 when a target is missed), --only large-credentials (that
 * one scenario, printed and checked against its target; nothing is written,
 * since a partial results.json would hide the other figures).
 */
import {spawnSync} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import {cpus, platform} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {startAwsProxy} from '../../test/helpers/aws-proxy.js';
import {measureColdStart} from './cold-start.js';
import {startMoto, type Moto} from './moto.js';
import {checkTargets, formatResults, LARGE_CREDENTIALS_LIMIT_MS, type Results} from './report.js';
import {measureAllStages, measureBaseline, measureLargeCredentials, measurePlan, measureSetup, summariseScenario, warmAwsCli, type Bench} from './scenarios.js';
import {measureSizes} from './sizes.js';
import {readmeSection} from './readme-section.js';
import {abortLiveRuns} from './process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Scenarios `--only` can run by themselves. */
const SINGLE_SCENARIOS = ['large-credentials'] as const;
type SingleScenario = typeof SINGLE_SCENARIOS[number];

interface BenchOptions { runs: number; latencyMs: number; out: string; check: boolean; only?: SingleScenario }

function options(argv: string[]): BenchOptions {
  const {values} = parseArgs({
    args: argv,
    options: {
      runs: {type: 'string'}, latency: {type: 'string'}, out: {type: 'string'}, check: {type: 'boolean', default: false}, only: {type: 'string'},
    },
  });
  if (values.only !== undefined && !(SINGLE_SCENARIOS as readonly string[]).includes(values.only)) {
    throw new Error(`--only takes ${SINGLE_SCENARIOS.join(', ')}, not "${values.only}"`);
  }
  const count = (name: string, text: string | undefined, fallback: number, min: number) => {
    if (text === undefined || text === '') return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number ≥ ${min}, not "${text}"`);
    return n;
  };
  return {
    runs: count('--runs', values.runs ?? process.env.ZW_BENCH_RUNS, 5, 1),
    latencyMs: count('--latency', values.latency ?? process.env.ZW_BENCH_LATENCY_MS, 50, 0),
    out: resolve(ROOT, values.out ?? 'bench/results.json'),
    check: values.check ?? false,
    only: values.only as SingleScenario | undefined,
  };
}

const say = (line: string) => process.stderr.write(`${line}\n`);

async function measure(bench: Bench, opts: BenchOptions): Promise<Omit<Results, 'targets'>> {
  say(`setup --yes, fresh and re-run (${opts.runs} runs + 1 warm-up)…`);
  const setup = await measureSetup(bench, opts.runs);
  say(`setup --yes --stage all over three stages (${opts.runs} runs + 1 warm-up)…`);
  const allStages = await measureAllStages(bench, opts.runs);
  say(`setup --yes with a 120,000-profile credentials file (${opts.runs} runs + 1 warm-up)…`);
  const large = await measureLargeCredentials(bench, opts.runs);
  say(`plan (${opts.runs} runs)…`);
  const plan = await measurePlan(bench, opts.runs);
  say(`baseline: scripts/bench/baseline.sh (${opts.runs} runs)…`);
  await warmAwsCli(bench);
  const baselineSamples = await measureBaseline(bench, opts.runs);
  say('cold start of --help, bundle and package size…');
  const coldStart = measureColdStart();
  const sizes = measureSizes();

  const freshSetup = summariseScenario(setup.fresh);
  const baseline = summariseScenario(baselineSamples);
  const notInPlace = [...new Set(baselineSamples.flatMap((s) => s.notInPlace))];
  const cpu = cpus();
  return {
    generatedAt: new Date().toISOString(),
    machine: {
      node: process.version, platform: `${platform()} ${process.arch}`, cpus: cpu.length,
      cpuModel: cpu[0]?.model.trim() ?? 'unknown',
      awsCli: spawnSync('aws', ['--version'], {encoding: 'utf8'}).stdout.trim().split(' ')[0] ?? 'aws',
    },
    latencyMsPerCall: opts.latencyMs,
    runs: opts.runs,
    scenarios: {
      freshSetup,
      rerun: summariseScenario(setup.rerun),
      allStages: summariseScenario(allStages),
      largeCredentials: {...summariseScenario(large.samples), profiles: large.profiles, bytes: large.bytes},
      plan: summariseScenario(plan),
      baseline: {...baseline, endStateMatches: notInPlace.length === 0, notInPlace},
    },
    speedup: baseline.wallMs.median / freshSetup.wallMs.median,
    coldStart,
    sizes,
  };
}

/** `--only large-credentials`: that scenario's wall times and its target, on stdout; no file is written. */
async function measureOnly(bench: Bench, opts: BenchOptions): Promise<number> {
  say(`setup --yes with a 120,000-profile credentials file (${opts.runs} runs + 1 warm-up)…`);
  const large = await measureLargeCredentials(bench, opts.runs);
  const wall = summariseScenario(large.samples).wallMs;
  const pass = wall.median <= LARGE_CREDENTIALS_LIMIT_MS;
  process.stdout.write(`large-credentials (${large.profiles} profiles, ${large.bytes} bytes): median ${wall.median} ms `
    + `(runs ${wall.runs.join(', ')}), target ≤ ${LARGE_CREDENTIALS_LIMIT_MS} ms: ${pass ? 'met' : 'missed'}\n`);
  return opts.check && !pass ? 1 : 0;
}

async function main(): Promise<number> {
  const opts = options(process.argv.slice(2));
  let moto: Moto | undefined;
  // Ctrl-C, kill or a crash must not leave moto_server running.
  const killMoto = () => moto?.kill();
  process.once('exit', killMoto);
  const interrupted = (code: number) => () => {
    abortLiveRuns();
    killMoto();
    process.exit(code);
  };
  process.once('SIGINT', interrupted(130));
  process.once('SIGTERM', interrupted(143));
  try {
    moto = await startMoto();
    const proxy = await startAwsProxy({target: moto.url, latencyMs: opts.latencyMs, timed: true});
    say(`moto_server on ${moto.url}, behind a ${opts.latencyMs} ms proxy on ${proxy.url}`);
    try {
      if (opts.only) return await measureOnly({moto, proxy}, opts);
      const measured = await measure({moto, proxy}, opts);
      const results: Results = {...measured, targets: checkTargets(measured)};
      mkdirSync(dirname(opts.out), {recursive: true});
      writeFileSync(opts.out, `${JSON.stringify(results, null, 2)}\n`);
      const section = join(dirname(opts.out), 'README-section.md');
      writeFileSync(section, readmeSection(results));
      process.stdout.write(`${formatResults(results).join('\n')}\n\nwrote ${opts.out} and ${section}\n`);
      return opts.check && results.targets.some((t) => !t.pass) ? 1 : 0;
    } finally {
      await proxy.close();
    }
  } finally {
    await moto?.stop();
    process.off('exit', killMoto);
  }
}

process.exitCode = await main().catch((error: unknown) => {
  say(`bench: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
});
