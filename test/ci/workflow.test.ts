/**
 * .github/workflows/zappa-deploy.yml: written when absent and read back by
 * PyYAML (an independent YAML reader) for what a deploy needs; an existing
 * one left byte for byte and the wizard's version printed beside it.
 */
import {mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {eachTestWithSandbox} from '../helpers/per-test.js';
import {makeSandbox} from '../helpers/sandbox.js';
import {readBundledTemplate} from '../../src/files/bundled-template.js';
import {renderWorkflow, workflowGaps, type WorkflowValues} from '../../src/plan/github-workflow.js';
import {ciJson, ciPlain, readYaml} from './helpers.js';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/zappa-github-acme-shop';
type Step = {name?: string; uses?: string; run?: string; with?: Record<string, string>};
type Workflow = {on: Record<string, unknown>; permissions: Record<string, string>; jobs: {deploy: {environment?: string; steps: Step[]}}};

describe('the workflow file against moto', () => {
  const t = eachTestWithSandbox();
  const withSettings = (settings: unknown) => {
    const sb = t.sandbox();
    writeFileSync(sb.settingsPath, `${JSON.stringify(settings, null, 4)}\n`);
    return sb;
  };

  it('is written when absent, and reads as a workflow that assumes the role, makes the stage\'s profile and updates or deploys', async () => {
    const sb = withSettings({prod: {app_function: 'app.app', project_name: 'demo-app', runtime: 'python3.11', aws_region: 'eu-west-1', profile_name: 'acme-deploy'}});
    const out = await ciJson(sb, ['--repo', 'acme/shop', '--branch', 'release', '--stage', 'prod']);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    const path = join(sb.project, '.github/workflows/zappa-deploy.yml');
    expect(out.json.steps.find((s) => s.id === 'workflow-file')!.status).toBe('created');
    expect(out.json.files).toEqual([{path, status: 'created'}]);
    expect(out.json.ci.workflow).toEqual({path, status: 'created'});

    const doc = readYaml(path) as unknown as Workflow;
    expect(doc.on).toEqual({push: {branches: ['release']}, workflow_dispatch: null});
    expect(doc.permissions['id-token']).toBe('write');
    const steps = doc.jobs.deploy.steps;
    expect(steps.find((s) => s.uses === 'actions/checkout@v4')).toBeDefined();
    expect(steps.find((s) => s.uses === 'actions/setup-python@v5')!.with).toEqual({'python-version': '3.11'});
    expect(steps.find((s) => s.uses === 'aws-actions/configure-aws-credentials@v4')!.with).toEqual({'role-to-assume': ROLE_ARN, 'aws-region': 'eu-west-1'});
    const profile = steps.find((s) => s.run?.includes('aws configure set'))!.run!;
    for (const key of ['aws_access_key_id "$AWS_ACCESS_KEY_ID"', 'aws_secret_access_key "$AWS_SECRET_ACCESS_KEY"', 'aws_session_token "$AWS_SESSION_TOKEN"', 'region eu-west-1']) {
      expect(profile).toContain(`aws configure set ${key} --profile acme-deploy`);
    }
    const install = steps.find((s) => s.run?.includes('venv'))!.run!;
    expect(install).toContain('pip install -r requirements.txt');
    expect(install).toContain('pip install zappa');
    const deploy = steps.at(-1)!.run!;
    expect(deploy).toContain('zappa update prod');
    expect(deploy).toContain('zappa deploy prod');
    // The profile is made before Zappa runs, after the credentials exist.
    const index = (s: Step | undefined) => steps.indexOf(s!);
    expect(index(steps.find((s) => s.uses?.startsWith('aws-actions/')))).toBeLessThan(index(steps.find((s) => s.run === profile)));
    expect(index(steps.find((s) => s.run === profile))).toBeLessThan(steps.length - 1);
    expect(readFileSync(path, 'utf8')).toMatch(/^# Written by zappa-iam-wizard/);
    expect(readFileSync(path, 'utf8')).toContain('npx zappa-iam-wizard ci github --stage prod --repo acme/shop --branch release');

    const before = statSync(path).mtimeMs;
    const again = await ciJson(sb, ['--repo', 'acme/shop', '--branch', 'release', '--stage', 'prod']);
    expect(again.json.apiCalls.write).toBe(0);
    expect(again.json.ci.workflow.status).toBe('unchanged');
    expect(statSync(path).mtimeMs).toBe(before);
  });

  it('puts the job in the environment and runs on request with --environment', async () => {
    const sb = t.sandbox();
    expect((await ciJson(sb, ['--repo', 'acme/shop', '--environment', 'production'])).code).toBe(0);
    const doc = readYaml(join(sb.project, '.github/workflows/zappa-deploy.yml')) as unknown as Workflow;
    expect(doc.on).toEqual({workflow_dispatch: null});
    expect(doc.jobs.deploy.environment).toBe('production');
  });

  it('leaves an existing workflow byte for byte, says what it lacks, and prints the wizard\'s version', async () => {
    const sb = t.sandbox();
    const mine = 'name: deploy\r\non: push\r\njobs:\r\n  deploy:\r\n    runs-on: ubuntu-latest\r\n    steps:\r\n      - run: zappa update dev\r\n';
    mkdirSync(join(sb.project, '.github/workflows'), {recursive: true});
    const path = join(sb.project, '.github/workflows/zappa-deploy.yml');
    writeFileSync(path, mine);

    const json = await ciJson(sb, ['--repo', 'acme/shop']);
    expect(json.code, json.stderr).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(mine);
    const step = json.json.steps.find((s) => s.id === 'workflow-file')!;
    expect(step.status).toBe('unchanged');
    expect(step.detail).toContain(`role-to-assume ${ROLE_ARN}`);
    expect(step.detail).toContain('id-token: write');
    expect(step.detail).toContain('zappa deploy dev');
    expect(step.detail).not.toContain('zappa update dev');
    expect(json.json.ci.workflow.status).toBe('kept');
    expect(json.json.ci.workflow.text).toContain(`role-to-assume: "${ROLE_ARN}"`);
    expect(json.json.warnings.join('\n')).toContain('The workflow lacks');
    expect(json.json.files).toEqual([]);

    const plain = await ciPlain(sb, ['--repo', 'acme/shop']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('The workflow the wizard would write (yours at .github/workflows/zappa-deploy.yml is unchanged):');
    expect(plain.stdout).toContain(`    role-to-assume: "${ROLE_ARN}"`.replace(/^ {4}/, '  '));
    expect(plain.stdout).toContain('zappa deploy dev');
    expect(readFileSync(path, 'utf8')).toBe(mine);
  });
});

describe('renderWorkflow', () => {
  const values = (over: Partial<WorkflowValues> = {}): WorkflowValues => ({
    stage: 'dev', roleName: 'r', roleArn: ROLE_ARN, region: 'us-east-1', profile: 'serverless', runtime: 'python3.12',
    scope: {repo: 'acme/shop', branch: 'main'}, command: 'npx zappa-iam-wizard ci github --repo acme/shop', ...over,
  });

  it('quotes names that YAML or the shell would read otherwise', async () => {
    const sb = makeSandbox();
    try {
      const text = renderWorkflow(await readBundledTemplate('github-workflow.yml'), values({
        scope: {repo: 'acme/shop', branch: 'feat/#1: "x"'}, profile: "it's mine", stage: 'dev',
      }));
      const path = join(sb.root, 'w.yml');
      writeFileSync(path, text);
      const doc = readYaml(path) as unknown as Workflow;
      expect(doc.on).toEqual({push: {branches: ['feat/#1: "x"']}, workflow_dispatch: null});
      expect(doc.jobs.deploy.steps.find((s) => s.run?.includes('aws configure set'))!.run).toContain(`--profile 'it'\\''s mine'`);
    } finally {
      sb.cleanup();
    }
  });

  it('refuses a placeholder nothing fills', () => {
    expect(() => renderWorkflow('role: __NO_SUCH__\n', values())).toThrow('__NO_SUCH__');
  });

  it('finds nothing lacking in its own workflow', async () => {
    const text = renderWorkflow(await readBundledTemplate('github-workflow.yml'), values());
    expect(workflowGaps(text, values())).toEqual([]);
    expect(workflowGaps(text, values({stage: 'prod'}))).toEqual(['zappa update prod', 'zappa deploy prod']);
  });
});
