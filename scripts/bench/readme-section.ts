/**
 * The README's "Speed" section, written from the latest results so the
 * figures it quotes are always the ones in bench/results.json.
 */
import {LARGE_CREDENTIALS_LIMIT_MS, type Results} from './report.js';
import type {ScenarioResult} from './scenarios.js';

const RERUN_CHAIN = ` A re-run needs 3: who the admin is (the policy ARNs hold the account ID), then
  the two policies, then their documents.`;

/** Markdown for the README, quoting `r`. */
export function readmeSection(r: Results): string {
  const s = r.scenarios;
  const ms = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`;
  const calls = (x: ScenarioResult) => `${x.proxied.median.read} / ${x.proxied.median.write}`;
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
  const kb = (bytes: number) => `${Math.round(bytes / 1e3)} kB`;
  const passed = r.targets.filter((t) => t.pass).length;
  const baselineCalls = s.baseline.proxied.median.read + s.baseline.proxied.median.write;
  const dependencies = r.sizes.runtimeDependencies === 0
    ? 'with no runtime dependencies, so `npx` installs nothing else'
    : `with ${r.sizes.runtimeDependencies} runtime dependencies`;
  return `## Speed

IAM is a remote, global service: every call that has to wait for the one before it costs a full round
trip. The wizard makes the read-only checks that do not depend on each other at the same time, and
starts each change as soon as what it depends on is done (the policies and the role do not wait for
the user or its key). The path without it, the setup document's steps run one \`aws\` command at a
time, pays a process start and a round trip per step.

\`npm run bench\` measures both against moto_server behind a proxy that adds ${r.latencyMsPerCall} ms to every AWS call,
${r.runs} runs each, medians (${r.machine.cpus} CPUs, Node ${r.machine.node.replace(/^v/, '')}, ${r.machine.awsCli}; latest run ${r.generatedAt.slice(0, 10)}):

| | wall time | AWS calls (read / write) | round trips in a row |
|---|---:|---:|---:|
| \`setup --yes\`, fresh account | ${ms(s.freshSetup.wallMs.median)} | ${calls(s.freshSetup)} | ${s.freshSetup.roundTrips.median} |
| \`setup --yes\` again, nothing to do | ${ms(s.rerun.wallMs.median)} | ${calls(s.rerun)} | ${s.rerun.roundTrips.median} |
| \`setup --yes --stage all\`, three stages, fresh account | ${ms(s.allStages.wallMs.median)} | ${calls(s.allStages)} | ${s.allStages.roundTrips.median} |
| \`setup --yes\`, fresh account, ~/.aws/credentials with ${s.largeCredentials.profiles.toLocaleString('en-US')} profiles (${mb(s.largeCredentials.bytes)}) | ${ms(s.largeCredentials.wallMs.median)} | ${calls(s.largeCredentials)} | ${s.largeCredentials.roundTrips.median} |
| \`plan\`, fresh account | ${ms(s.plan.wallMs.median)} | ${calls(s.plan)} | ${s.plan.roundTrips.median} |
| the setup document's steps with the AWS CLI ([scripts/bench/baseline.sh](scripts/bench/baseline.sh)) | ${ms(s.baseline.wallMs.median)} | ${calls(s.baseline)} | ${s.baseline.roundTrips.median} |

- A fresh setup is **${(r.speedup).toFixed(1)}× faster** than the scripted steps, and reaches the same end state
  (${s.baseline.endStateMatches ? 'checked: after the script, `plan` finds nothing to change' : `**not** reached: ${s.baseline.notInPlace.join(', ')}`}). The script makes ${baselineCalls} AWS
  calls, plus four \`aws configure set\` and a \`jq\` edit of zappa_settings.json, and cannot be run twice;
  the wizard's second run finds everything in place and makes ${s.rerun.proxied.max.write} writes.
- "Round trips in a row" is the longest chain of calls in which each started only after the previous one
  had ended, taken from the proxy's timestamps: at ${r.latencyMsPerCall} ms a call, no run can be faster than that many
  times ${r.latencyMsPerCall} ms.${s.rerun.roundTrips.median === 3 ? RERUN_CHAIN : ''}
- \`--help\` starts in ${ms(r.coldStart.help.medianMs)} (\`node -e 0\`: ${ms(r.coldStart.nodeOnly.medianMs)}; ${r.coldStart.tool}, ${r.coldStart.runs} runs): it is answered from a
  ${kb(r.sizes.dist.entryBytes)} entry chunk before the AWS SDK or the terminal UI load.
- The bundle in \`dist/\` is ${mb(r.sizes.dist.bytes)} (${r.sizes.dist.files} files); the npm package is a ${kb(r.sizes.pack.tarballBytes)} tarball,
  ${mb(r.sizes.pack.unpackedBytes)} unpacked, ${dependencies}.

Targets checked by the benchmark (${passed} of ${r.targets.length} met in the latest run): a fresh setup at least 10× faster than
the scripted steps; a re-run with 0 writes, at most 12 reads and at most 3 round trips in a row; a setup
that edits a ${s.largeCredentials.profiles.toLocaleString('en-US')}-profile credentials file in at most ${LARGE_CREDENTIALS_LIMIT_MS / 1000} s; \`--help\` in at most 150 ms. Run \`npm run bench -- --latency 100 --runs 3\` to change the latency or the number of
runs (or set \`ZW_BENCH_LATENCY_MS\` / \`ZW_BENCH_RUNS\`), and add \`--check\` to exit 1 when a target is
missed. The figures are written to [bench/results.json](bench/results.json), with the calls of a typical run and
their timing.
`;
}
