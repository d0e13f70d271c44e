#!/usr/bin/env node
// `npm test`: the suite in two vitest processes side by side (`--shard 1/2`
// and `2/2`), each with its own moto_server (test/helpers/global-setup.ts),
// so the integration suites, which share one moto per process and run their
// files one after another, use both cores. Extra arguments go to both, e.g.
// `npm test -- test/files`. Each line is prefixed with its shard; the last
// line adds the two summaries up.
import {spawn} from 'node:child_process';
import {createInterface} from 'node:readline';
import {fileURLToPath} from 'node:url';

const SHARDS = Number(process.env.ZW_TEST_SHARDS ?? 2);
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const args = process.argv.slice(2);

function runShard(index) {
  return new Promise((resolve) => {
    const shardArgs = SHARDS > 1 ? [`--shard=${index}/${SHARDS}`] : [];
    const child = spawn(process.execPath, [vitest, 'run', ...shardArgs, ...args], {stdio: ['ignore', 'pipe', 'pipe']});
    const totals = {passed: 0, failed: 0, skipped: 0};
    const prefix = SHARDS > 1 ? `[${index}/${SHARDS}] ` : '';
    for (const [stream, out] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
      createInterface({input: stream}).on('line', (line) => {
        // The plain summary reporter's last line: "N passed, N failed[, N skipped]".
        const summary = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/.exec(line);
        if (summary) {
          totals.passed += Number(summary[1]);
          totals.failed += Number(summary[2]);
          totals.skipped += Number(summary[3] ?? 0);
        }
        out.write(`${prefix}${line}\n`);
      });
    }
    child.on('close', (code) => resolve({code: code ?? 1, totals}));
  });
}

const results = await Promise.all(Array.from({length: SHARDS}, (_, i) => runShard(i + 1)));
const sum = (key) => results.reduce((n, r) => n + r.totals[key], 0);
const skipped = sum('skipped') ? `, ${sum('skipped')} skipped` : '';
process.stdout.write(`\nall shards: ${sum('passed')} passed, ${sum('failed')} failed${skipped}\n`);
process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
