/**
 * The measured runs: the wizard's fresh setup, its re-run and `plan`, and the
 * setup document's steps scripted with the AWS CLI. Every run starts from an
 * empty moto and a new HOME, and talks to AWS through the latency proxy.
 */
import {fileURLToPath} from 'node:url';
import type {AwsProxy, ProxyCall} from '../../test/helpers/aws-proxy.js';
import {longestSequentialChain, type TimedInterval} from './critical-path.js';
import {LARGE_CREDENTIALS_PROFILES, writeLargeCredentials} from './large-credentials.js';
import type {Moto} from './moto.js';
import {makeBenchSandbox, THREE_STAGES, timedRun, type BenchSandbox, type Timed} from './process.js';
import {median, summarise, type Summary} from './stats.js';

const CLI = fileURLToPath(new URL('../../bin/zappa-iam-wizard.js', import.meta.url));
const BASELINE = fileURLToPath(new URL('./baseline.sh', import.meta.url));

export interface Bench {
  moto: Moto;
  /** Started with `timed`, so every call has its start and, once answered, its end. */
  proxy: AwsProxy;
}

/** A call the proxy has answered; times in ms on the proxy's clock. */
type TimedCall = ProxyCall & TimedInterval;

const answered = (call: ProxyCall): call is TimedCall => call.start !== undefined && Number.isFinite(call.end);

export interface CallCounts {
  read: number;
  write: number;
}

/** One measured run. */
export interface Sample {
  wallMs: number;
  /** apiCalls of the --json report (the wizard only). */
  reported?: CallCounts;
  /** Calls the proxy saw. */
  proxied: CallCounts;
  /** Calls on the longest chain of calls made one after another. */
  roundTrips: number;
  /** That chain, as service:Action. */
  criticalPath: string[];
  /** Every call, in ms from the run's first call: what ran in parallel, and the gaps between. */
  timeline: TimelineEntry[];
}

export interface TimelineEntry {
  call: string;
  startMs: number;
  endMs: number;
}

/** Several runs of one scenario. */
export interface ScenarioResult {
  wallMs: Summary;
  reported?: {median: CallCounts; max: CallCounts};
  proxied: {median: CallCounts; max: CallCounts};
  roundTrips: Summary;
  /** The critical path and the timeline of the run closest to the median wall time. */
  criticalPath: string[];
  timeline: TimelineEntry[];
}

interface WizardReport {
  ok: boolean;
  steps: {id: string; status: string}[];
  apiCalls: CallCounts;
}

/** Runs `run` and collects the calls the proxy saw meanwhile: those are its calls. */
async function sampled(bench: Bench, run: () => Promise<Timed>): Promise<{timed: Timed; calls: TimedCall[]}> {
  const from = bench.proxy.calls.length;
  const timed = await run();
  return {timed, calls: bench.proxy.calls.slice(from).filter(answered)};
}

function sampleOf(timed: Timed, calls: TimedCall[], reported?: CallCounts): Sample {
  const chain = longestSequentialChain(calls);
  const origin = Math.min(...calls.map((c) => c.start));
  const offset = (t: number) => Math.round(t - origin);
  return {
    wallMs: timed.wallMs,
    reported,
    proxied: {read: calls.filter((c) => c.kind === 'read').length, write: calls.filter((c) => c.kind === 'write').length},
    roundTrips: chain.length,
    criticalPath: chain.calls.map((c) => `${c.service}:${c.action}`),
    timeline: calls.map((c) => ({call: `${c.service}:${c.action}`, startMs: offset(c.start), endMs: offset(c.end)})),
  };
}

/** Runs the built CLI with --json through the proxy; `accept` says whether the outcome is the expected one. */
async function wizard(bench: Bench, sb: BenchSandbox, args: string[], accept: (code: number, r: WizardReport) => boolean): Promise<Sample> {
  const {timed, calls} = await sampled(bench, () =>
    timedRun(process.execPath, [CLI, ...args, '--json', '--endpoint-url', bench.proxy.url], {cwd: sb.project, env: sb.env}));
  let report: WizardReport;
  try {
    report = JSON.parse(timed.stdout) as WizardReport;
  } catch {
    throw new Error(`zappa-iam-wizard ${args.join(' ')} printed no JSON (exit ${timed.code}):\n${timed.stdout}\n${timed.stderr}`);
  }
  if (!accept(timed.code, report)) {
    throw new Error(`zappa-iam-wizard ${args.join(' ')} did not do what the benchmark expects (exit ${timed.code}):\n${timed.stdout}\n${timed.stderr}`);
  }
  return sampleOf(timed, calls, report.apiCalls);
}

const allUnchanged = (r: WizardReport) => r.steps.every((s) => s.status === 'unchanged');

/** A fresh account and HOME for each run; `body` gets them and cleans nothing up. */
async function onFreshAccount<T>(bench: Bench, body: (sb: BenchSandbox) => Promise<T>, settings?: unknown): Promise<T> {
  await bench.moto.reset();
  const sb = makeBenchSandbox(settings);
  try {
    return await body(sb);
  } finally {
    sb.cleanup();
  }
}

/**
 * `setup --yes` on an empty account, then `setup --yes` again on what it left
 * (the re-run), `runs` times each. One unmeasured round first warms the disk
 * cache and moto.
 */
export async function measureSetup(bench: Bench, runs: number): Promise<{fresh: Sample[]; rerun: Sample[]}> {
  const fresh: Sample[] = [];
  const rerun: Sample[] = [];
  for (let i = -1; i < runs; i++) {
    await onFreshAccount(bench, async (sb) => {
      const first = await wizard(bench, sb, ['setup', '--yes'], (code, r) => code === 0 && r.ok);
      const again = await wizard(bench, sb, ['setup', '--yes'], (code, r) => code === 0 && r.ok && allUnchanged(r));
      if (i >= 0) {
        fresh.push(first);
        rerun.push(again);
      }
    });
  }
  return {fresh, rerun};
}

/**
 * `setup --yes --stage all` over dev, staging and prod on an empty account:
 * the stages share the user, its key, the policies and the round trips, so
 * it should cost little more than one stage.
 */
export async function measureAllStages(bench: Bench, runs: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let i = -1; i < runs; i++) {
    const sample = await onFreshAccount(bench, (sb) => wizard(bench, sb, ['setup', '--yes', '--stage', 'all'], (code, r) => code === 0 && r.ok), THREE_STAGES);
    if (i >= 0) samples.push(sample);
  }
  return samples;
}

/**
 * `setup --yes` on an empty account with a ~/.aws/credentials of 120,000
 * profiles (issue 16): reading, checking and editing that file must not
 * turn a setup of a second or two into minutes. The file is written anew
 * for every run, so each run edits the same large file.
 */
export async function measureLargeCredentials(bench: Bench, runs: number): Promise<{samples: Sample[]; profiles: number; bytes: number}> {
  const samples: Sample[] = [];
  let bytes = 0;
  for (let i = -1; i < runs; i++) {
    const sample = await onFreshAccount(bench, (sb) => {
      bytes = writeLargeCredentials(sb.home);
      return wizard(bench, sb, ['setup', '--yes'], (code, r) => code === 0 && r.ok);
    });
    if (i >= 0) samples.push(sample);
  }
  return {samples, profiles: LARGE_CREDENTIALS_PROFILES, bytes};
}

/** `plan` on an empty account: everything pending, exit 3. */
export async function measurePlan(bench: Bench, runs: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    samples.push(await onFreshAccount(bench, (sb) => wizard(bench, sb, ['plan'], (code) => code === 3)));
  }
  return samples;
}

/** What the baseline left, as the wizard's `plan` sees it: steps not in place, by id. */
export interface BaselineSample extends Sample {
  notInPlace: string[];
}

/**
 * The setup document's steps run by scripts/bench/baseline.sh, then the
 * wizard's `plan` (straight to moto, not measured) to confirm it reached the
 * same end state: `plan` exits 0 with every step unchanged.
 */
export async function measureBaseline(bench: Bench, runs: number): Promise<BaselineSample[]> {
  const samples: BaselineSample[] = [];
  for (let i = 0; i < runs; i++) {
    samples.push(await onFreshAccount(bench, async (sb) => {
      const {timed, calls} = await sampled(bench, () =>
        // TMPDIR in the sandbox: the script's scratch files go when the sandbox goes, even after a kill.
        timedRun('bash', [BASELINE, '--endpoint-url', bench.proxy.url, '--project', sb.project, '--home', sb.home],
          {cwd: sb.project, env: {...sb.env, TMPDIR: sb.root}}));
      if (timed.code !== 0) throw new Error(`baseline.sh failed (exit ${timed.code}):\n${timed.stderr}`);
      const check = await timedRun(process.execPath, [CLI, 'plan', '--json', '--endpoint-url', bench.moto.url], {cwd: sb.project, env: sb.env});
      const report = JSON.parse(check.stdout) as WizardReport;
      const notInPlace = report.steps.filter((s) => s.status !== 'unchanged').map((s) => s.id);
      return {...sampleOf(timed, calls), notInPlace: check.code === 0 ? notInPlace : [...notInPlace, `plan exit ${check.code}`]};
    }));
  }
  return samples;
}

/** Runs `aws` once so the first measured baseline run does not pay for a cold Python import cache. */
export async function warmAwsCli(bench: Bench): Promise<void> {
  const sb = makeBenchSandbox();
  try {
    await timedRun('aws', ['sts', 'get-caller-identity', '--endpoint-url', bench.moto.url], {env: sb.env});
  } finally {
    sb.cleanup();
  }
}

export function summariseScenario(samples: readonly Sample[]): ScenarioResult {
  const counts = (pick: (s: Sample) => CallCounts) => ({
    median: {read: median(samples.map((s) => pick(s).read)), write: median(samples.map((s) => pick(s).write))},
    max: {read: Math.max(...samples.map((s) => pick(s).read)), write: Math.max(...samples.map((s) => pick(s).write))},
  });
  const wall = samples.map((s) => s.wallMs);
  const mid = median(wall);
  const typical = samples.reduce((a, b) => (Math.abs(b.wallMs - mid) < Math.abs(a.wallMs - mid) ? b : a));
  return {
    wallMs: summarise(wall),
    reported: samples.every((s) => s.reported) ? counts((s) => s.reported!) : undefined,
    proxied: counts((s) => s.proxied),
    roundTrips: summarise(samples.map((s) => s.roundTrips)),
    criticalPath: typical.criticalPath,
    timeline: typical.timeline,
  };
}
