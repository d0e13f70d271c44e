/**
 * .github/workflows/zappa-deploy.yml in the project folder: the GitHub
 * Actions workflow that deploys the stage as the CI role. Reads the file.
 * Writes it only when it is absent (atomically, the folders made as needed);
 * a file that is there is the person's and is never changed: the check says
 * what it lacks of the wizard's version, and the command prints that version
 * beside it. After a failure the file is absent or complete, never half.
 */
import {mkdir} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {editFileAtomic, readTextIfExists} from '../../files/atomic-write.js';
import {effectiveSettings} from '../../plan/extends.js';
import {renderWorkflow, workflowGaps, WORKFLOW_PATH, type WorkflowValues} from '../../plan/github-workflow.js';
import type {Check} from '../../plan/types.js';
import {missing, present, type StepContext, type StepDefinition} from '../../engine/step.js';
import {ciIdentityOf} from './ci-identity.js';

/** What the command gives the step: the template's text and the command that re-creates the file. */
export interface WorkflowSource { template: string; command: string }

export function workflowPathOf(ctx: Pick<StepContext, 'files'>): string {
  return join(dirname(ctx.files.path('settings')), WORKFLOW_PATH);
}

/** The values the workflow is filled with: the stage's effective settings (what Zappa reads in CI), else the run's answers. */
export function workflowValuesOf(ctx: Pick<StepContext, 'desired' | 'files'>, command: string): WorkflowValues {
  const d = ctx.desired;
  const {roleName, roleArn, scope} = ciIdentityOf(d);
  const settings = effectiveSettings(ctx.files.settings(), d.stage);
  const text = (key: string): string | undefined => (typeof settings[key] === 'string' && settings[key] !== '' ? settings[key] as string : undefined);
  return {
    stage: d.stage, roleName, roleArn, scope, command,
    region: text('aws_region') ?? d.region,
    profile: text('profile_name') ?? d.profileName,
    runtime: d.runtime ?? text('runtime') ?? 'python3.12',
  };
}

/** The workflow the wizard would write for this run. */
export const wantedWorkflow = (ctx: Pick<StepContext, 'desired' | 'files'>, source: WorkflowSource): string =>
  renderWorkflow(source.template, workflowValuesOf(ctx, source.command));

function keptCheck(ctx: StepContext, source: WorkflowSource, existing: string): Check {
  const path = WORKFLOW_PATH;
  if (existing === wantedWorkflow(ctx, source)) return present(`${path} as the wizard wrote it`);
  const gaps = workflowGaps(existing, workflowValuesOf(ctx, source.command));
  if (!gaps.length) return present(`${path} is yours and left as it is; it has what a deploy needs (the wizard's version is printed for comparison)`);
  return {
    ...present(`${path} is yours and left as it is; it lacks ${gaps.join(', ')} (the wizard's version is printed below)`),
    findings: [{
      id: 'workflow-differs', severity: 'warning', where: path,
      problem: `The workflow lacks ${gaps.join(', ')}, so a deploy from GitHub Actions may fail.`,
      fix: `Merge in what it lacks from the version printed by ${source.command}, or delete ${path} and run that command again to have it written.`,
    }],
  };
}

export function workflowFileStep(source: WorkflowSource): StepDefinition {
  return {
    id: 'workflow-file',
    dependsOn: ['ci-role'],
    title: () => `GitHub Actions workflow ${WORKFLOW_PATH}`,
    async check(ctx) {
      const existing = await readTextIfExists(workflowPathOf(ctx));
      if (existing !== undefined) return keptCheck(ctx, source, existing);
      return {...missing(`will write ${WORKFLOW_PATH}: on ${triggerWords(ctx)}, deploy stage ${ctx.desired.stage} as ${ciIdentityOf(ctx.desired).roleName}`), reason: 'workflow-missing'};
    },
    async apply(ctx, check) {
      if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
      const path = workflowPathOf(ctx);
      const wanted = wantedWorkflow(ctx, source);
      await mkdir(dirname(path), {recursive: true});
      // A file that appeared since the check is the person's: it is kept, as any existing one.
      const result = await editFileAtomic(path, (current) => current ?? wanted);
      if (result.existed) return {status: 'unchanged', detail: `${WORKFLOW_PATH} appeared meanwhile; left as it is`};
      return {status: 'created', detail: `wrote ${WORKFLOW_PATH}`};
    },
  };
}

function triggerWords(ctx: StepContext): string {
  const {scope} = ciIdentityOf(ctx.desired);
  return 'branch' in scope ? `push to ${scope.branch}` : `a manual run for the environment ${scope.environment}`;
}
