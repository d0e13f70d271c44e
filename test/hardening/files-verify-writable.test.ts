/**
 * Issue 16, item 12, for the last row: "Key works as serverless" writes the
 * credentials file too (it removes a role_arn or the like from [serverless]
 * before it proves the key), so a pending proof is a pending write of that
 * file: when the file cannot be written, setup stops before its first AWS
 * write (exit 2) instead of changing IAM and failing at the proof. As
 * "nobody" (root ignores folder modes), against moto.
 */
import {appendFileSync, chmodSync, existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {awsCli} from '../helpers/aws-cli.js';
import {startAwsProxy, type AwsProxy} from '../helpers/aws-proxy.js';
import {motoUrl, resetMoto} from '../helpers/moto.js';
import {makeSandbox, type Sandbox} from '../helpers/sandbox.js';
import {giveToUnprivileged, runWizard} from './files-helpers.js';

const DEPLOYMENT_ARN = 'arn:aws:iam::123456789012:policy/ZappaLambdaDeploymentPolicy';

let proxy: AwsProxy;
let sb: Sandbox;

beforeAll(async () => {
  proxy = await startAwsProxy({target: motoUrl()});
});
afterAll(() => proxy.close());
beforeEach(async () => {
  await resetMoto(motoUrl());
  sb = makeSandbox();
});
afterEach(() => {
  if (existsSync(join(sb.home, '.aws'))) chmodSync(join(sb.home, '.aws'), 0o755);
  sb.cleanup();
});

const setup = (unprivileged = false) => runWizard(['setup', '--yes', '--endpoint-url', proxy.url], {cwd: sb.project, env: sb.env(), unprivileged});

describe('a pending proof of the key', () => {
  it('with a redirect to remove from [serverless] and a read-only ~/.aws: exit 2 before any AWS write', async () => {
    const first = await setup();
    expect(first.code, first.stdout + first.stderr).toBe(0);
    // Something to repair in IAM, and a role_arn in the wizard's own profile that the proof would remove.
    const detached = await awsCli(['iam', 'detach-user-policy', '--user-name', 'serverless', '--policy-arn', DEPLOYMENT_ARN], {env: sb.env(), endpointUrl: motoUrl()});
    expect(detached.code, detached.stderr).toBe(0);
    appendFileSync(sb.credentialsPath, 'role_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = default\n');
    const credentials = readFileSync(sb.credentialsPath, 'utf8');
    giveToUnprivileged(sb);
    chmodSync(join(sb.home, '.aws'), 0o555);
    proxy.calls.length = 0;

    const run = await setup(true);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toContain(`Can't write ${sb.credentialsPath}`);
    expect(proxy.calls.filter((c) => c.kind === 'write')).toEqual([]);
    expect(readFileSync(sb.credentialsPath, 'utf8')).toBe(credentials);
  });
});
