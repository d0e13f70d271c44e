/**
 * `ci github --repo OWNER/NAME [--branch B | --environment E]`: GitHub
 * Actions deploys the stage with no stored key. The same session, checks,
 * engine and report as setup, over the rows of steps/ci: the account's OIDC
 * provider, a role only that branch or environment may assume, setup's
 * policies and execution role, and the workflow file.
 */
import type {Options} from '../args.js';
import {EXIT, UserError} from '../errors.js';
import {applyPlan, checkAll, hasChanges, type PlanItem} from '../engine/run.js';
import {rowsFor} from '../engine/rows.js';
import {problemTexts, sideFindings} from '../engine/verdict.js';
import {wizardCommand} from '../lifecycle/command-line.js';
import {readBundledTemplate} from '../files/bundled-template.js';
import {
  githubRoleTrust, githubSubject, oidcProviderArn, roleArnOf, ciRoleName, type DeployIdentity, type GithubScope,
} from '../plan/deploy-identity.js';
import {scopeOf} from './github-scope.js';
import {WORKFLOW_PATH} from '../plan/github-workflow.js';
import type {DesiredState, Finding} from '../plan/types.js';
import {ciSteps} from '../steps/ci/index.js';
import {wantedWorkflow, workflowPathOf, type WorkflowSource} from '../steps/ci/workflow-file.js';
import {plainReporter} from '../ui/plain-reporter.js';
import {changesPhrase} from '../ui/plan-text.js';
import {describeError} from './describe-error.js';
import {printJson, reportSteps, type Report, type ReportStep} from './report.js';
import {desiredStagesOf, openSession, stepContext, type Session} from './session.js';
import {ciSettingsWarnings} from './ci-settings.js';

/** What the --json report adds for `ci github`. */
export interface CiReport extends Report {
  ci: {
    repo: string; subject: string; roleName: string; roleArn: string; providerArn: string;
    workflow: {path: string; status: 'created' | 'kept' | 'unchanged' | 'not-run'; text?: string};
  };
}

/** The end state of the stage (its boundary from --permissions-boundary included), with the CI role as its deploy identity. */
export function ciDesired(desired: DesiredState, scope: GithubScope): DesiredState {
  const {partition, account} = desired;
  const roleName = ciRoleName(scope.repo);
  const identity: DeployIdentity = {
    kind: 'ci', roleName, roleArn: roleArnOf(partition, account, roleName),
    trust: githubRoleTrust(partition, account, scope), providerArn: oidcProviderArn(partition, account), scope,
  };
  return {...desired, deployIdentity: identity};
}

/** The command that writes the workflow afresh: this one, with its flags. */
function ciCommand(options: Options, scope: GithubScope): string {
  const where = 'branch' in scope ? (scope.branch === 'main' ? [] : ['--branch', scope.branch]) : ['--environment', scope.environment];
  return wizardCommand('ci', options, ['--repo', scope.repo, ...where]).replace('zappa-iam-wizard ci', 'zappa-iam-wizard ci github');
}

function oneStage(session: Session): void {
  if (session.stages.length > 1) {
    throw new UserError('ci github sets up one stage per workflow; --stage named several.', {hint: 'Run it with one --stage (the stage this repository deploys). Nothing was changed.'});
  }
  const [{choice}] = session.stages as [Session['stages'][number]];
  if (choice.created) {
    throw new UserError(`The settings file has no stage "${choice.stage}" for GitHub Actions to deploy.`, {
      hint: `Set the stage up first with ${wizardCommand('setup', session.options)}, or name one the file has with --stage. Nothing was changed.`,
    });
  }
}

export async function runCiGithub(options: Options): Promise<number> {
  const scope = scopeOf(options);
  const template = await readBundledTemplate('github-workflow.yml');
  const session = await openSession(options);
  try {
    oneStage(session);
    const {desired: stageDesired, fixes} = await desiredStagesOf(session);
    const desired = ciDesired(stageDesired, scope);
    const source: WorkflowSource = {template, command: ciCommand(options, scope)};
    const ctx = stepContext(session, desired);
    const rows = rowsFor(ciSteps(source), [desired]);
    const plan = await checkAll(rows, ctx);
    const notes: Finding[] = [...ciSettingsWarnings(desired, session.files.settings(), fixes, wizardCommand('setup', options)), ...sideFindings(plan)];
    const base = {desired, scope, session, notes, source, ctx};
    const out = (l: string) => process.stdout.write(`${l}\n`);

    const blocked = plan.filter((item) => item.check.state === 'blocked');
    if (blocked.length) return report(base, blockedSteps(plan), false, options, out);
    if (hasChanges(plan) && !options.yes && !options.json && process.stdin.isTTY && process.stdout.isTTY) {
      printPlan(plan, out);
      const {inquirerPrompter} = await import('./interactive/prompter.js');
      if (!(await inquirerPrompter().confirm({message: 'Apply these changes?', default: true}))) {
        // As teardown and the walk-through answer a "no": cancelled, exit 130.
        out('Cancelled. Nothing was changed.');
        return EXIT.cancelled;
      }
    }
    const who = (await session.reads.identity()).arn;
    if (!options.json) out(`Setting up GitHub Actions deploys of stage ${desired.stage} for ${githubSubject(scope)} in account ${desired.account}`);
    const titles = new Map(plan.map((item) => [item.key, item.title]));
    const results = await applyPlan(rows, plan, ctx, {
      emit: options.json ? () => {} : plainReporter(titles),
      describeError: (err) => describeError(err, who),
    });
    const ok = results.every((r) => r.status !== 'failed' && r.status !== 'skipped');
    return report(base, reportSteps(results), ok, options, out);
  } finally {
    session.gateway.destroy();
  }
}

interface Base {
  desired: DesiredState; scope: GithubScope; session: Session; notes: Finding[]; source: WorkflowSource;
  ctx: ReturnType<typeof stepContext>;
}

function blockedSteps(plan: PlanItem[]): ReportStep[] {
  return plan.map((item) => item.check.state === 'blocked'
    ? {id: item.id, status: 'failed' as const, detail: item.check.detail, ...(item.check.hint ? {hint: item.check.hint} : {})}
    : {id: item.id, status: 'skipped' as const, detail: 'not run: nothing changes while a row is blocked'});
}

function printPlan(plan: PlanItem[], out: (l: string) => void): void {
  out('ci github will make these changes:');
  for (const item of plan) {
    if (item.check.state === 'present') continue;
    out(`  ${item.check.state === 'missing' ? '+' : '~'} ${item.title}: ${item.check.detail}`);
  }
}

/** created: written now; unchanged: as the wizard wrote it; kept: the person's, left alone (and printed). */
function workflowStatus(step: ReportStep | undefined): CiReport['ci']['workflow']['status'] {
  if (step?.status === 'created') return 'created';
  if (step?.status !== 'unchanged') return 'not-run';
  return step.detail.includes('as the wizard wrote it') ? 'unchanged' : 'kept';
}

function report(b: Base, steps: ReportStep[], ok: boolean, options: Options, out: (l: string) => void): number {
  const {desired, scope, session, notes} = b;
  const ci = desired.deployIdentity as Extract<DeployIdentity, {kind: 'ci'}>;
  const path = workflowPathOf(b.ctx);
  const workflowStep = steps.find((s) => s.id === 'workflow-file');
  const wanted = wantedWorkflow(b.ctx, b.source);
  const status = workflowStatus(workflowStep);
  const full: CiReport = {
    command: 'ci', ok, account: desired.account, stage: desired.stage, steps,
    files: workflowStep?.status === 'created' ? [{path, status: 'created'}] : [],
    apiCalls: {...session.gateway.counts}, fixes: [], warnings: problemTexts(notes, 'warning'), findings: notes,
    ci: {
      repo: scope.repo, subject: githubSubject(scope), roleName: ci.roleName, roleArn: ci.roleArn, providerArn: ci.providerArn,
      workflow: {path, status, ...(status === 'kept' ? {text: wanted} : {})},
    },
  };
  if (options.json) printJson(full);
  else printSummary(full, b, out, wanted);
  return ok ? EXIT.ok : EXIT.failed;
}

function printSummary(r: CiReport, b: Base, out: (l: string) => void, wanted: string): void {
  if (!r.ok) {
    const failed = r.steps.find((s) => s.status === 'failed');
    // A blocked row stops the run before any change: say so, rather than "resumes from there".
    if (failed && r.steps.every((s) => s.status === 'failed' || s.status === 'skipped')) {
      out(`✖ ${failed.id}: ${failed.detail}`);
      if (failed.hint) out(`  ${failed.hint}`);
      out('Nothing was changed. Fix the row above and run again.');
      return;
    }
    out(`Stopped at "${failed?.id}". Re-running the command resumes from there; finished steps are detected and skipped.`);
    return;
  }
  for (const note of b.notes) out(`! ${note.problem} ${note.fix}`);
  const created = r.steps.filter((s) => s.status === 'created').length;
  const updated = r.steps.filter((s) => s.status === 'updated').length;
  out(created + updated ? `✔ Done: ${changesPhrase(created, updated)} applied.` : '✔ Everything is already set up.');
  out(`  deploy role      ${r.ci.roleArn}`);
  out(`  assumable by     ${r.ci.subject} (aud sts.amazonaws.com)`);
  out(`  workflow         ${WORKFLOW_PATH} (${r.ci.workflow.status === 'created' ? 'written' : r.ci.workflow.status === 'kept' ? 'yours, left as it is' : 'as the wizard wrote it'})`);
  if (r.ci.workflow.status === 'kept') {
    out('');
    out(`The workflow the wizard would write (yours at ${WORKFLOW_PATH} is unchanged):`);
    for (const line of wanted.replace(/\n$/, '').split('\n')) out(`  ${line}`);
  }
  out('');
  const when = 'branch' in b.scope ? `push to ${b.scope.branch}` : `run the workflow "Zappa deploy (${b.desired.stage})" for the environment ${b.scope.environment}`;
  out(`Next: commit ${WORKFLOW_PATH} and ${when}; GitHub Actions then deploys stage ${b.desired.stage} with no stored key.`);
}
