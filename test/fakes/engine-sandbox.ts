/**
 * The engine's test bench: real files in a fresh temp folder per test (a
 * stage "dev" in zappa_settings.json, an empty ~/.aws), the desired state of
 * the setup document's example, and a StepContext over a FakeAws.
 */
import {rowsFor} from '../../src/engine/rows.js';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach} from 'vitest';
import {DOCUMENT_TEMPLATES} from '../../src/app/templates.js';
import {describeError} from '../../src/app/describe-error.js';
import {LocalFiles} from '../../src/engine/local-files.js';
import {Reads} from '../../src/engine/reads.js';
import {applyPlan, checkAll} from '../../src/engine/run.js';
import type {StepContext} from '../../src/engine/step.js';
import {buildDesiredState} from '../../src/plan/desired.js';
import type {DesiredState} from '../../src/plan/types.js';
import {SETUP_STEPS} from '../../src/steps/index.js';
import type {FakeAws} from './fake-aws.js';

export const ENGINE_ANSWERS = {
  stage: 'dev', projectName: 'demo-app', userName: 'serverless', profileName: 'serverless', region: 'eu-west-1',
  roleName: 'demo-app-dev-ZappaLambdaExecutionRole', bucket: 'zappa-demo-app-abc123def4',
};

export const engineDesired = (): DesiredState => buildDesiredState(ENGINE_ANSWERS, {account: '123456789012', partition: 'aws'}, DOCUMENT_TEMPLATES);

export interface FilePaths { credentials: string; config: string; settings: string }

/**
 * Registers the per-test folder in the calling describe block. `paths` is
 * filled in place before each test, so it may be destructured once.
 */
export function engineSandbox(prefix: string) {
  let dir = '';
  const paths: FilePaths = {credentials: '', config: '', settings: ''};
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    mkdirSync(join(dir, '.aws'));
    Object.assign(paths, {credentials: join(dir, '.aws/credentials'), config: join(dir, '.aws/config'), settings: join(dir, 'zappa_settings.json')});
    writeFileSync(paths.settings, '{\n  "dev": {\n    "app_function": "app.app"\n  }\n}\n');
  });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  /** The files as they are now (or as loaded earlier), the example's desired state, FakeAws behind fresh memoised reads. */
  async function context(aws: FakeAws, loaded?: LocalFiles): Promise<StepContext> {
    const files = loaded ?? (await LocalFiles.load(paths));
    return {desired: engineDesired(), reads: new Reads(aws), aws, files, run: {}, setup: 'npx zappa-iam-wizard setup', progress: () => {}, sleep: async () => {}};
  }

  /** One setup run: check every row, apply what is not in place. */
  async function run(aws: FakeAws, ctx?: StepContext) {
    const c = ctx ?? (await context(aws));
    const rows = rowsFor(SETUP_STEPS, [c.desired]);
    const plan = await checkAll(rows, c);
    const results = await applyPlan(rows, plan, c, {emit: () => {}, describeError: (e) => describeError(e)});
    return {plan, results, desired: c.desired};
  }

  return {paths, context, run};
}
