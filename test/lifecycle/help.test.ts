/** Every lifecycle command answers --help with what it does and an example. */
import {describe, expect, it} from 'vitest';
import {runCli} from '../helpers/run-cli.js';
import {makeSandbox} from '../helpers/sandbox.js';

describe('--help', () => {
  it.each(['plan', 'doctor', 'rotate-key', 'teardown'])('%s --help describes the command and shows an example', async (command) => {
    const sb = makeSandbox();
    try {
      const result = await runCli([command, '--help'], {cwd: sb.project, env: sb.env()});
      expect(result.code).toBe(0);
      expect(result.stdout.startsWith(`zappa-iam-wizard ${command}:`)).toBe(true);
      expect(result.stdout).toMatch(new RegExp(`Examples?:\\n  npx zappa-iam-wizard ${command}`));
      expect(result.stdout).toContain('Exit status');
    } finally {
      sb.cleanup();
    }
  });
});
