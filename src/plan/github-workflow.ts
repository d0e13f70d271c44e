/**
 * The GitHub Actions workflow of `ci github`: the template
 * (templates/github-workflow.yml) filled in for one stage and one deploy
 * role, and what an existing workflow lacks of it. Every value is quoted for
 * the place it lands in (a YAML scalar, a shell word, a comment), so a
 * branch or profile name can never change the file's meaning. Pure.
 */
import {githubSubject, type GithubScope} from './deploy-identity.js';

/** Where the workflow lives, relative to the project folder. */
export const WORKFLOW_PATH = '.github/workflows/zappa-deploy.yml';

export interface WorkflowValues {
  stage: string;
  roleName: string;
  roleArn: string;
  region: string;
  /** The profile_name the stage's settings name: Zappa signs in through it, so the job must have it. */
  profile: string;
  /** The stage's runtime, e.g. python3.12. */
  runtime: string;
  scope: GithubScope;
  /** The command that writes the file afresh, for the comment at its top. */
  command: string;
}

/** A YAML double-quoted scalar: JSON's string escapes are YAML's. */
const yamlString = (value: string): string => JSON.stringify(value);

/** A shell word: bare when it is plain, else single-quoted. */
export function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Comment text on one line: control characters (a newline would end the comment) become spaces. */
// eslint-disable-next-line no-control-regex
const commentText = (value: string): string => value.replace(/[\u0000-\u001f\u007f]/g, ' ');

/** python3.12 -> 3.12, as actions/setup-python names versions. */
export function pythonVersionOf(runtime: string): string {
  return /^python(\d+\.\d+)$/.exec(runtime)?.[1] ?? '3.12';
}

function triggerOf(scope: GithubScope): string {
  if ('branch' in scope) return `  push:\n    branches: [${yamlString(scope.branch)}]\n  workflow_dispatch:`;
  // An environment is deployed on request: its protection rules (reviewers, waits) apply to each run.
  return '  workflow_dispatch:';
}

/** The template with every placeholder filled; throws on one the code does not know (a template edited out of step). */
export function renderWorkflow(template: string, v: WorkflowValues): string {
  const python = pythonVersionOf(v.runtime);
  const values: Record<string, string> = {
    STAGE_TEXT: `"${commentText(v.stage)}"`,
    ROLE_NAME_TEXT: commentText(v.roleName),
    SUBJECT_TEXT: `jobs whose token says sub = ${commentText(githubSubject(v.scope))}`,
    COMMAND_TEXT: commentText(v.command),
    WORKFLOW_NAME: yamlString(`Zappa deploy (${v.stage})`),
    TRIGGER: triggerOf(v.scope),
    CONCURRENCY_GROUP: yamlString(`zappa-deploy-${v.stage}`),
    ENVIRONMENT: 'environment' in v.scope ? `    environment: ${yamlString(v.scope.environment)}` : '',
    PYTHON_VERSION_TEXT: commentText(python),
    PYTHON_VERSION: yamlString(python),
    ROLE_ARN: yamlString(v.roleArn),
    REGION: yamlString(v.region),
    REGION_SH: shellWord(v.region),
    PROFILE_SH: shellWord(v.profile),
    STAGE_SH: shellWord(v.stage),
  };
  const filled = template.replace(/__([A-Z_]+?)__/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`templates/github-workflow.yml has the placeholder ${whole}, which nothing fills`);
    return value;
  });
  // The environment line is empty for a branch: drop the blank line it would leave in the job.
  return filled.replace(/\n\n(\s+steps:)/, '\n$1');
}

/**
 * What an existing workflow lacks of the one the wizard would write, each
 * as a short phrase (empty: it has all that matters). A text search, not a
 * YAML reading: the person's file may be laid out in any way.
 */
export function workflowGaps(existing: string, v: WorkflowValues): string[] {
  const gaps: string[] = [];
  if (!existing.includes(v.roleArn)) gaps.push(`role-to-assume ${v.roleArn}`);
  if (!/id-token:\s*write/.test(existing)) gaps.push('the permission id-token: write');
  if (!existing.includes('aws-actions/configure-aws-credentials')) gaps.push('aws-actions/configure-aws-credentials');
  if (!new RegExp(`--profile\\s+['"]?${escapeRegExp(v.profile)}${WORD_END}`).test(existing)) gaps.push(`a step that makes the profile "${v.profile}" the stage names (else ProfileNotFound)`);
  for (const command of ['update', 'deploy']) {
    if (!new RegExp(`zappa\\s+${command}\\s+['"]?${escapeRegExp(v.stage)}${WORD_END}`).test(existing)) gaps.push(`zappa ${command} ${v.stage}`);
  }
  return gaps;
}

/** The end of a shell word: a quote, a space, or the end of the text. */
const WORD_END = '(?=[\'"\\s;|&]|$)';

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
