/** The benchmark's figures: the targets of issue 7, the printed table, the JSON file. */
import type {ColdStart} from './cold-start.js';
import type {ScenarioResult} from './scenarios.js';
import type {Sizes} from './sizes.js';

export interface Results {
  generatedAt: string;
  machine: {node: string; platform: string; cpus: number; cpuModel: string; awsCli: string};
  latencyMsPerCall: number;
  runs: number;
  scenarios: {
    freshSetup: ScenarioResult; rerun: ScenarioResult; allStages: ScenarioResult; plan: ScenarioResult;
    /** setup --yes with a ~/.aws/credentials of `profiles` profiles, `bytes` long (issue 16). */
    largeCredentials: ScenarioResult & {profiles: number; bytes: number};
    baseline: ScenarioResult & {endStateMatches: boolean; notInPlace: string[]};
  };
  /** Baseline median wall time / fresh setup median wall time. */
  speedup: number;
  coldStart: ColdStart;
  sizes: Sizes;
  targets: Target[];
}

export interface Target {
  name: string;
  value: number;
  limit: string;
  pass: boolean;
}

/** A setup that edits a 120,000-profile credentials file still finishes in a few seconds (issue 16). */
export const LARGE_CREDENTIALS_LIMIT_MS = 5000;

/** Issue 7's targets (and issue 16's large file), checked on the measured figures. */
export function checkTargets(r: Omit<Results, 'targets'>): Target[] {
  const rerun = r.scenarios.rerun;
  const worst = rerun.reported?.max ?? rerun.proxied.max;
  return [
    {name: `fresh setup vs scripted baseline at ${r.latencyMsPerCall} ms (×)`, value: round(r.speedup, 1), limit: '≥ 10', pass: r.speedup >= 10},
    {name: 're-run writes', value: worst.write, limit: '= 0', pass: worst.write === 0},
    {name: 're-run reads', value: worst.read, limit: '≤ 12', pass: worst.read <= 12},
    {name: 're-run sequential round trips', value: rerun.roundTrips.max, limit: '≤ 3', pass: rerun.roundTrips.max <= 3},
    {name: 'setup --stage all over three stages vs one stage, fresh (×)', value: round(stagesRatio(r), 2), limit: '≤ 1.3', pass: stagesRatio(r) <= 1.3},
    {
      name: `setup --yes with a ${r.scenarios.largeCredentials.profiles.toLocaleString('en-US')}-profile credentials file, median (ms)`,
      value: Math.round(r.scenarios.largeCredentials.wallMs.median), limit: `≤ ${LARGE_CREDENTIALS_LIMIT_MS}`,
      pass: r.scenarios.largeCredentials.wallMs.median <= LARGE_CREDENTIALS_LIMIT_MS,
    },
    {name: '--help cold start, median (ms)', value: r.coldStart.help.medianMs, limit: '≤ 150', pass: r.coldStart.help.medianMs <= 150},
    {name: 'baseline reaches the same end state (wizard plan: nothing to change)', value: r.scenarios.baseline.endStateMatches ? 1 : 0, limit: '= 1', pass: r.scenarios.baseline.endStateMatches},
  ];
}

/** Three stages' fresh setup over one stage's, by median wall time. */
const stagesRatio = (r: Omit<Results, 'targets'>): number => r.scenarios.allStages.wallMs.median / r.scenarios.freshSetup.wallMs.median;

/** The table printed at the end of `npm run bench`. */
export function formatResults(r: Results): string[] {
  const s = r.scenarios;
  const row = (name: string, x: ScenarioResult) => [
    name,
    `${fmt(x.wallMs.median)} ms`,
    `${fmt(x.wallMs.min)}–${fmt(x.wallMs.max)}`,
    x.reported ? `${x.reported.median.read} / ${x.reported.median.write}` : '–',
    `${x.proxied.median.read} / ${x.proxied.median.write}`,
    String(x.roundTrips.median),
  ];
  const lines = [
    `zappa-iam-wizard benchmark: ${r.latencyMsPerCall} ms added to every AWS call, ${r.runs} runs each, medians`,
    `(${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}, ${r.machine.awsCli})`,
    '',
    ...table([
      ['scenario', 'wall', 'range', 'calls r/w (report)', 'calls r/w (proxy)', 'round trips'],
      row('setup --yes, fresh account', s.freshSetup),
      row('setup --yes, re-run', s.rerun),
      row('setup --yes --stage all (3 stages), fresh', s.allStages),
      row(`setup --yes, ${s.largeCredentials.profiles.toLocaleString('en-US')}-profile credentials file (${mb(s.largeCredentials.bytes)})`, s.largeCredentials),
      row('plan, fresh account', s.plan),
      row('baseline: document steps, aws CLI', s.baseline),
    ]),
    '',
    `baseline / fresh setup: ${round(r.speedup, 1)}×`,
    `longest chain, fresh setup: ${s.freshSetup.criticalPath.join(' → ')}`,
    `longest chain, re-run:      ${s.rerun.criticalPath.join(' → ')}`,
    `--help cold start: ${fmt(r.coldStart.help.medianMs)} ms median (node -e 0: ${fmt(r.coldStart.nodeOnly.medianMs)} ms; ${r.coldStart.tool}, ${r.coldStart.runs} runs)`,
    `bundle dist/: ${kb(r.sizes.dist.bytes)} in ${r.sizes.dist.files} files (entry chunk ${kb(r.sizes.dist.entryBytes)})`,
    `npm pack: ${kb(r.sizes.pack.tarballBytes)} tarball, ${kb(r.sizes.pack.unpackedBytes)} unpacked, ${r.sizes.pack.files} files, ${r.sizes.runtimeDependencies} runtime dependencies`,
    '',
    'targets:',
    ...r.targets.map((t) => `  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value} (${t.limit})`),
  ];
  if (!s.baseline.endStateMatches) lines.push(`  the baseline left these steps not in place: ${s.baseline.notInPlace.join(', ')}`);
  return lines;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  // Text left, figures right.
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const kb = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1e3).toFixed(1)} kB`);
