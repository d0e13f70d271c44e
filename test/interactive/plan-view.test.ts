import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {planSummary, planView, fileEdits, maskIniLine} from '../../src/app/interactive/plan-view.js';
import {aboutExecutionPolicy, deploymentPolicyByService} from '../../src/app/interactive/explain.js';
import {explainDeploymentPolicy} from '../../src/policy/explain.js';
import {diffHunks} from '../../src/app/interactive/text-diff.js';
import {DOCUMENT_TEMPLATES} from '../../src/app/templates.js';
import {LocalFiles} from '../../src/engine/local-files.js';
import type {PlanItem} from '../../src/engine/run.js';
import {buildDesiredState} from '../../src/plan/desired.js';
import {USER_STEP_IDS as STEP_IDS} from '../../src/plan/types.js';

const DESIRED = buildDesiredState(
  {stage: 'dev', projectName: 'demo-app', userName: 'serverless', profileName: 'serverless', region: 'eu-west-1',
    roleName: 'demo-app-dev-ZappaLambdaExecutionRole', bucket: 'zappa-demo-app-4hs8d0q2mz'},
  {account: '123456789012', partition: 'aws'},
  DOCUMENT_TEMPLATES,
);

// Dummy values shaped like real ones: the plan must never show them.
const OTHER_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';
const CREDENTIALS = `# my keys\n[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${OTHER_SECRET}\n`;
const SETTINGS = '{\n    "dev": {\n        "project_name": "demo-app",\n        "aws_region": "us-east-1"\n    }\n}\n';

function planWith(states: Partial<Record<string, PlanItem['check']>>): PlanItem[] {
  return STEP_IDS.map((id) => ({key: id, id, title: `Title of ${id}`, check: states[id] ?? {state: 'present', detail: 'ok'}}));
}

describe('the plan screen', () => {
  let dir: string;
  let files: LocalFiles;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zw-planview-'));
    writeFileSync(join(dir, 'credentials'), CREDENTIALS);
    writeFileSync(join(dir, 'zappa_settings.json'), SETTINGS);
    files = await LocalFiles.load({credentials: join(dir, 'credentials'), config: join(dir, 'config'), settings: join(dir, 'zappa_settings.json')});
  });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  const CHANGES = planWith({
    'user': {state: 'missing', detail: 'will create user serverless'},
    'access-key': {state: 'missing', detail: 'no key in [serverless]; will create a new key and write it there'},
    'config-file': {state: 'missing', detail: 'will add [profile serverless] with region eu-west-1'},
    'zappa-settings': {state: 'drifted', detail: 'aws_region: "us-east-1" → "eu-west-1"'},
    'deployment-policy': {state: 'missing', detail: 'will create ZappaLambdaDeploymentPolicy'},
  });

  it('on one screen: the counts, one line per change (its title once), what is in place', () => {
    const text = planSummary({plan: CHANGES, desired: DESIRED, files, width: 80, color: false}).join('\n');
    expect(text).toMatch(/^Plan: 5 changes: 4 to create, 1 to update; 7 already in place\./);
    expect(text).toContain('  + create  Title of user\n  + create  Title of access-key\n');
    expect(text).not.toContain('will create user serverless');
    expect(text).toContain('  ~ update  Title of zappa-settings: aws_region: "us-east-1" → "eu-west-1"');
    expect(text).not.toContain('It lets the deploy user use');
  });

  it('never cuts a name at 60 columns: a long title wraps, only the drift detail is shortened', () => {
    const role = 'demo-app-production-ZappaLambdaExecutionRole';
    const plan = STEP_IDS.map((id): PlanItem => ({key: id, id, title: id === 'execution-policy-attached' ? `ZappaLambdaExecutionPolicy attached to ${role}` : `Title of ${id}`,
      check: id === 'execution-policy-attached' ? {state: 'missing', detail: 'not attached'} : id === 'zappa-settings' ? {state: 'drifted', detail: `role_name: missing → "${role}"`} : {state: 'present', detail: 'ok'}}));
    const lines = planSummary({plan, desired: DESIRED, files, width: 60, color: false, notes: false});
    expect(lines.every((l) => l.length <= 60)).toBe(true);
    expect(lines.join('\n').replace(/\n +/g, ' ')).toContain(`+ create  ZappaLambdaExecutionPolicy attached to ${role}`);
    expect(lines.find((l) => l.includes('Title of zappa-settings'))).toMatch(/^  ~ update  Title of zappa-settings: role_name: .*…$/);
  });

  it('on one screen still spells out, in full, a key it deletes', () => {
    const plan = planWith({'access-key': {state: 'missing', detail: 'no key in [serverless]; will create a new key and write it there; will delete AKIA…AAA1 first to make room, as you chose (a program still using it stops working)'}});
    const text = planSummary({plan, desired: DESIRED, files, width: 80, color: false}).join('\n');
    expect(text.replace(/\n +/g, ' ')).toContain('+ create  Title of access-key will delete AKIA…AAA1 first to make room, as you chose (a program still using it stops working)');
  });

  it('shows counts, one row per change, and what the deployment policy allows', () => {
    const text = planView({plan: CHANGES, desired: DESIRED, files, width: 80, color: false}).join('\n');
    expect(text).toMatch(/^Plan: 5 changes: 4 to create, 1 to update; 7 already in place\./);
    expect(text).toContain('  + create  Title of user\n              will create user serverless');
    expect(text).toContain('  ~ update  Title of zappa-settings');
    expect(text).toContain('• IAM (5 actions, only on role/*-ZappaLambdaExecutionRole)');
    expect(text).toContain('• Amazon S3 (8 actions, only on zappa-* and zappa-*/*)');
    expect(text).not.toMatch(/Title of identity\n/);
    expect(text).toContain('Already in place: Title of identity;');
  });

  it('shows a diff of each file edit with every secret masked, and writes nothing', () => {
    const lines = planView({plan: CHANGES, desired: DESIRED, files, width: 80, color: false});
    const text = lines.join('\n');
    expect(text).not.toContain(OTHER_SECRET);
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(text).toContain('    + [serverless]\n    + aws_access_key_id = (new key, created during setup)\n    + aws_secret_access_key = ****');
    expect(text).toContain('    + [profile serverless]\n    + region = eu-west-1\n    + output = json');
    expect(text).toContain('    -         "aws_region": "us-east-1"\n    +         "aws_region": "eu-west-1",');
    expect(text).toContain('(new file)');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(readFileSync(join(dir, 'credentials'), 'utf8')).toBe(CREDENTIALS);
    expect(readFileSync(join(dir, 'zappa_settings.json'), 'utf8')).toBe(SETTINGS);
  });

  it('computes the new texts with the same editors the steps use', () => {
    const edits = fileEdits(CHANGES, DESIRED, files);
    expect(edits.map((e) => e.kind)).toEqual(['credentials', 'config', 'settings']);
    const settings = JSON.parse(edits[2]!.after) as Record<string, Record<string, unknown>>;
    expect(settings.dev).toEqual({project_name: 'demo-app', aws_region: 'eu-west-1', ...DESIRED.settingsEntries});
    expect(edits[0]!.after.startsWith(CREDENTIALS)).toBe(true);
  });

  it('masks key IDs and secrets in any ini line', () => {
    expect(maskIniLine('aws_access_key_id=AKIAIOSFODNN7EXAMPLE')).toBe('aws_access_key_id=AKIA…MPLE');
    expect(maskIniLine('  aws_session_token = IQoJb3JpZ2luX2VjEJr//////////wEaCXVz==')).toBe('  aws_session_token = ****');
    expect(maskIniLine('region = us-east-1')).toBe('region = us-east-1');
  });
});

describe('line diff', () => {
  it('shows removals before additions and only the lines around a change', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].join('\n');
    const after = ['a', 'b', 'c', 'D', 'e', 'f', 'g', 'h'].join('\n');
    expect(diffHunks(before, after)).toEqual([
      {kind: 'same', text: '…'},
      {kind: 'same', text: 'c'},
      {kind: 'removed', text: 'd'},
      {kind: 'added', text: 'D'},
      {kind: 'same', text: 'e'},
      {kind: 'same', text: '…'},
      {kind: 'same', text: 'g'},
      {kind: 'added', text: 'h'},
    ]);
  });
});

describe('the deployment policy, by service', () => {
  const lines = deploymentPolicyByService(explainDeploymentPolicy(DESIRED, {[DESIRED.stage]: {}}));

  it('names every service the setup document grants, with counts and limits', () => {
    expect(lines.map((l) => l.slice(0, l.indexOf(')') + 1)).sort()).toEqual([
      'AWS CloudFormation (6 actions)', 'AWS Lambda (13 actions)', 'Amazon API Gateway (5 actions)', 'Amazon EventBridge (8 actions)',
      'Amazon S3 (8 actions, only on zappa-* and zappa-*/*)', 'CloudWatch Logs (3 actions)', 'IAM (5 actions, only on role/*-ZappaLambdaExecutionRole)',
    ]);
  });

  it('names the services of the execution policy', () => {
    expect(aboutExecutionPolicy(DESIRED.executionPolicy.document)).toBe('What your running function may do (AWS Lambda, CloudWatch Logs); attached to the execution role.');
  });

  it('marks what the strict policy would drop, such as creating roles', () => {
    const iam = lines.find((l) => l.startsWith('IAM'));
    expect(iam).toContain('Strict drops');
    expect(iam).toContain('iam:CreateRole');
  });
});
