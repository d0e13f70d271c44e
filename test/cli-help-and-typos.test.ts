/**
 * Issue 13, item 10: each command's --help lists that command's options
 * only, and a mistyped flag or command gets "did you mean". The last tests
 * run the built CLI (`node scripts/build.mjs`).
 */
import {describe, expect, it} from 'vitest';
import {didYouMean, editDistance, parseArgs, UsageError} from '../src/args.js';
import {helpText, optionsText} from '../src/help.js';
import {runCli} from './helpers/run-cli.js';
import {makeSandbox} from './helpers/sandbox.js';

/** The flags an options section lists, e.g. ['--settings', '--stage', …]. */
const flagsIn = (text: string): string[] => [...text.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]!);

const usageMessage = (argv: string[]): string => {
  try {
    parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
};

describe('did you mean', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('--regoin', '--region')).toBe(1);
    expect(editDistance('stup', 'setup')).toBe(1);
    expect(editDistance('teardwon', 'teardown')).toBe(1);
    expect(editDistance('abc', 'xyz')).toBe(3);
  });

  it('suggests the closest flag, command or value within two edits, and nothing further away', () => {
    expect(usageMessage(['--regoin', 'eu-west-1'])).toBe('Unknown option "--regoin". Did you mean --region? See --help.');
    expect(usageMessage(['--regoin=eu-west-1'])).toContain('Did you mean --region?');
    expect(usageMessage(['--admin-profil', 'ops'])).toContain('Did you mean --admin-profile?');
    expect(usageMessage(['--yse'])).toContain('Did you mean --yes?');
    expect(usageMessage(['stup'])).toBe('Unknown command "stup". Did you mean setup? Commands: setup, plan, doctor, rotate-key, teardown, ci, export.');
    expect(usageMessage(['teardwon'])).toContain('Did you mean teardown?');
    expect(usageMessage(['--identity', 'usr'])).toContain('Did you mean user?');
    expect(usageMessage(['ci', 'gihtub'])).toContain('Did you mean github?');
    expect(usageMessage(['--frobnicate'])).toBe('Unknown option "--frobnicate". See --help.');
    expect(usageMessage(['-x'])).toBe('Unknown option "-x". See --help.');
    expect(didYouMean('--stag', ['--stage', '--state'])).toBe(' Did you mean --stage?');
  });
});

describe('per-command --help', () => {
  it('setup and teardown list different options, each its own', () => {
    const setup = flagsIn(optionsText('setup'));
    const teardown = flagsIn(optionsText('teardown'));
    expect(setup).toEqual(expect.arrayContaining(['--region', '--runtime', '--bucket', '--policy', '--identity', '--group', '--permissions-boundary', '--force', '--yes']));
    expect(teardown).toEqual(expect.arrayContaining(['--force', '--yes', '--identity', '--group']));
    for (const notTeardown of ['--region', '--runtime', '--bucket', '--policy', '--permissions-boundary', '--repo', '--format']) expect(teardown).not.toContain(notTeardown);
    for (const notSetup of ['--repo', '--branch', '--environment', '--format', '--output']) expect(setup).not.toContain(notSetup);
    // --force says what it does for this command only.
    expect(optionsText('teardown')).not.toContain('setup: replace');
  });

  it('ci github and export get their own flags; plan gets neither --yes nor --force', () => {
    expect(flagsIn(optionsText('ci'))).toEqual(expect.arrayContaining(['--repo', '--branch', '--environment']));
    expect(flagsIn(optionsText('export'))).toEqual(expect.arrayContaining(['--format', '--output']));
    // export asks STS (nothing else) who will assume a deploy role: --endpoint-url sends that call to an emulator.
    expect(flagsIn(optionsText('export'))).toContain('--endpoint-url');
    expect(flagsIn(optionsText('export'))).not.toContain('--yes');
    expect(flagsIn(optionsText('plan'))).not.toContain('--yes');
    expect(flagsIn(optionsText('plan'))).not.toContain('--force');
  });

  it('the main help lists every flag the parser knows, each once', () => {
    const main = flagsIn(helpText());
    expect(new Set(main).size).toBe(main.length);
    for (const flag of ['--settings', '--stage', '--region', '--identity', '--group', '--permissions-boundary', '--repo', '--branch', '--environment', '--format', '--output', '--force', '--yes', '--json', '--help', '--version']) {
      expect(main).toContain(flag);
    }
  });

  it('keeps the backslashes of the doctor jq example, so it can be pasted', () => {
    expect(helpText('doctor')).toContain(`jq -r '.findings[] | "\\(.id): \\(.fix)"'`);
  });
});

describe('the built CLI', () => {
  it('`--regoin` exits 2 with the suggestion; `setup --help` and `teardown --help` differ', async () => {
    const sb = makeSandbox();
    try {
      const typo = await runCli(['setup', '--regoin', 'eu-west-1'], {cwd: sb.project, env: sb.env()});
      expect(typo.code).toBe(2);
      expect(typo.stderr).toContain('Unknown option "--regoin". Did you mean --region?');
      const setup = await runCli(['setup', '--help'], {cwd: sb.project, env: sb.env()});
      const teardown = await runCli(['teardown', '--help'], {cwd: sb.project, env: sb.env()});
      expect(flagsIn(setup.stdout)).toContain('--region');
      expect(flagsIn(teardown.stdout)).not.toContain('--region');
      expect(flagsIn(setup.stdout)).not.toEqual(flagsIn(teardown.stdout));
      const doctor = await runCli(['doctor', '--help'], {cwd: sb.project, env: sb.env()});
      expect(doctor.stdout).toContain(`"\\(.id): \\(.fix)"`);
    } finally {
      sb.cleanup();
    }
  });
});
