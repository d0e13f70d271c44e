/**
 * The bundled data is generated; these tests fail when it no longer matches
 * its sources (the research dataset in data/zappa/, the installed iam-data),
 * so a re-run of the generator is never forgotten.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {runProcess} from '../helpers/run-cli.js';
import {ZAPPA_COMMANDS, zappaConditions} from '../../src/policy/zappa-calls.js';
import data from '../../src/policy/data/zappa-calls.json' with {type: 'json'};

const dir = mkdtempSync(join(tmpdir(), 'zw-gen-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
const repo = new URL('../../', import.meta.url).pathname;
const env = {PATH: process.env.PATH ?? ''};

describe('generated data', () => {
  it('zappa-calls.json is what scripts/gen-zappa-calls.mjs makes from data/zappa/zappa-actions.json', async () => {
    const out = join(dir, 'zappa-calls.json');
    const input = fileURLToPath(new URL('../../data/zappa/zappa-actions.json', import.meta.url));
    const run = await runProcess(process.execPath, ['scripts/gen-zappa-calls.mjs', input, out], {cwd: repo, env});
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(new URL('../../src/policy/data/zappa-calls.json', import.meta.url), 'utf8'));
  });

  it('iam-catalog.ts is what scripts/gen-iam-catalog.mjs makes from the installed iam-data', async () => {
    const out = join(dir, 'iam-catalog.ts');
    const run = await runProcess(process.execPath, ['scripts/gen-iam-catalog.mjs', out], {cwd: repo, env});
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(new URL('../../src/policy/data/iam-catalog.ts', import.meta.url), 'utf8'));
  });

  it('knows every trigger token the data uses, so none silently counts as false', () => {
    const known = new Set(Object.keys(zappaConditions({})));
    const used = new Set(Object.values(data.commands).flat().flatMap((c) => c.if));
    expect([...used].filter((t) => !known.has(t))).toEqual([]);
    expect(Object.keys(data.commands).sort()).toEqual([...ZAPPA_COMMANDS, 'package', 'template'].sort());
  });
});
