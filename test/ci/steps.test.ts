/**
 * The ci github rows against the in-memory AWS (test/fakes): what moto
 * cannot do (AddClientIDToOpenIDConnectProvider), a failure half-way, and
 * convergence measured call by call.
 */
import {existsSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {ciDesired} from '../../src/app/ci-github.js';
import {describeError} from '../../src/app/describe-error.js';
import {applyPlan, checkAll} from '../../src/engine/run.js';
import {rowsFor} from '../../src/engine/rows.js';
import type {StepContext} from '../../src/engine/step.js';
import {readBundledTemplate} from '../../src/files/bundled-template.js';
import {ciSteps} from '../../src/steps/ci/index.js';
import {FakeAws} from '../fakes/fake-aws.js';
import {engineSandbox} from '../fakes/engine-sandbox.js';

const PROVIDER = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
const {paths, context} = engineSandbox('zw-ci-steps-');

async function run(aws: FakeAws) {
  const base = await context(aws);
  const ctx: StepContext = {...base, desired: ciDesired(base.desired, {repo: 'acme/shop', branch: 'main'})};
  const rows = rowsFor(ciSteps({template: await readBundledTemplate('github-workflow.yml'), command: 'npx zappa-iam-wizard ci github --repo acme/shop'}), [ctx.desired]);
  const plan = await checkAll(rows, ctx);
  const results = await applyPlan(rows, plan, ctx, {emit: () => {}, describeError: (e) => describeError(e)});
  return {plan, results};
}

const workflowPath = () => join(dirname(paths.settings), '.github/workflows/zappa-deploy.yml');

describe('ci github rows', () => {
  it('adds the STS audience to a provider that lacks it, keeping its other audiences, and writes nothing on the next run', async () => {
    const aws = new FakeAws();
    aws.oidc.set(PROVIDER, {url: 'token.actions.githubusercontent.com', clientIds: ['sigstore'], thumbprints: ['x'], tags: {}});
    const {plan, results} = await run(aws);
    expect(plan.find((p) => p.id === 'oidc-provider')!.check).toMatchObject({state: 'drifted', reason: 'oidc-audience-missing'});
    expect(results.find((r) => r.id === 'oidc-provider')!.status).toBe('updated');
    expect(aws.oidc.get(PROVIDER)!.clientIds).toEqual(['sigstore', 'sts.amazonaws.com']);
    expect(aws.writes()).not.toContain('createOidcProvider');
    expect(aws.roles.get('zappa-github-acme-shop')!.policies).toContain('arn:aws:iam::123456789012:policy/ZappaLambdaDeploymentPolicy');

    aws.calls = [];
    const again = await run(aws);
    expect(aws.writes()).toEqual([]);
    expect(again.results.every((r) => r.status === 'unchanged')).toBe(true);
  });

  it('stops at a failed provider creation with no role, no attachment and no workflow, and the next run finishes', async () => {
    const aws = new FakeAws();
    aws.failOn('createOidcProvider');
    const {results} = await run(aws);
    expect(results.find((r) => r.id === 'oidc-provider')!.status).toBe('failed');
    expect(results.find((r) => r.id === 'ci-role')!.status).toBe('skipped');
    expect(aws.roles.has('zappa-github-acme-shop')).toBe(false);
    expect(results.find((r) => r.id === 'deployment-policy-attached')!.status).toBe('skipped');
    expect(results.find((r) => r.id === 'workflow-file')!.status).toBe('skipped');
    expect(existsSync(workflowPath())).toBe(false);

    const again = await run(aws);
    expect(again.results.every((r) => r.status !== 'failed' && r.status !== 'skipped'), JSON.stringify(again.results.map((r) => [r.id, r.status]))).toBe(true);
    expect(readFileSync(workflowPath(), 'utf8')).toContain('role-to-assume: "arn:aws:iam::123456789012:role/zappa-github-acme-shop"');
  });
});
