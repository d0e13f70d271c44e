/**
 * What `export` writes, in neither engine's syntax: the IAM end state of the
 * run's stages, built by the very code setup uses (stageRuns, policySetFor,
 * buildDesiredState, sharePolicies) for a stand-in account and partition,
 * then tokenised (tokens.ts). No AWS call, except STS GetCallerIdentity for
 * `--identity role`, whose trust names the identity that will assume it.
 */
import {dirname, resolve} from 'node:path';
import type {Options} from '../../args.js';
import {DEFAULT_GROUP} from '../../args.js';
import {UserError} from '../../errors.js';
import {managedTags, type CallCounts, type Tags} from '../../aws/port.js';
import {loadLocalFiles, stageRuns} from '../session.js';
import {checkPolicyFlag, loadTemplates} from '../templates.js';
import {presetTagFor} from '../preset.js';
import {sharePolicies} from '../share-policies.js';
import {zappaTargetOf, stageSettings} from '../../policy/target.js';
import {policySetFor} from '../../policy/policy-set.js';
import {buildDesiredState, IDENTITY_TAG, PRESET_TAG} from '../../plan/desired.js';
import type {PolicyDocument} from '../../plan/policy.js';
import type {Answers, DesiredState} from '../../plan/types.js';
import {
  ciRoleDescription, ciRoleName, githubRoleTrust, oidcProviderArn, DEPLOY_ROLE_DESCRIPTION, EXECUTION_ROLE_DESCRIPTION,
  GITHUB_AUDIENCE, GITHUB_OIDC_HOST, GITHUB_THUMBPRINT, type GithubScope,
} from '../../plan/deploy-identity.js';
import {assertIdentityFlags, flagIdentity, withIdentity} from '../identity-in-force.js';
import {scopeOf} from '../github-scope.js';
import {callerArnOf} from './caller.js';
import {holdsSentinel, NAME_TOKEN, OIDC_TOKEN, SENTINEL_IDENTITY, tokenize, type NameSubstitution, type NamedKind} from './tokens.js';

/** A name the person may choose at deploy time: a CloudFormation parameter, a Terraform variable. */
export interface NameParam {
  /** The CloudFormation parameter (PascalCase). */
  key: string;
  /** The Terraform variable (snake_case). */
  variable: string;
  kind: NamedKind;
  value: string;
  maxLength: number;
  description: string;
}

export interface PolicyPart { id: 'deployment' | 'execution'; name: string; description: string; document: PolicyDocument; tags: Tags }

export interface RolePart {
  /** CloudFormation logical ID and Terraform resource name. */
  logicalId: string;
  tfName: string;
  nameKey: string;
  description: string;
  trust: PolicyDocument;
  tags: Tags;
}

export interface OidcPart { url: string; audience: string; thumbprint: string; tags: Tags }

export interface ExportModel {
  stages: string[];
  /** The first stage's region: the Terraform provider's (IAM itself is global). */
  region: string;
  preset: string;
  names: NameParam[];
  deploymentPolicy: PolicyPart;
  executionPolicy: PolicyPart;
  /** Execution roles export creates, one per role name. */
  executionRoles: RolePart[];
  /** role_arn roles of this account: the person's; the execution policy is attached to them by name. */
  existingExecutionRoles: string[];
  identity: {kind: 'user'; userKey: string} | {kind: 'group'; userKey: string; groupKey: string} | {kind: 'role'; role: RolePart};
  ci?: {role: RolePart; oidc: OidcPart; scope: GithubScope};
  /** --permissions-boundary: the parameter's default. */
  boundary?: string;
  /** Sentences for stderr: what setup will still write, and what the export could not know. */
  warnings: string[];
  /** The AWS calls export made (at most STS GetCallerIdentity), for the --json report. */
  apiCalls: CallCounts;
}


export async function exportModel(options: Options): Promise<ExportModel> {
  const scope = checkFlags(options);
  checkPolicyFlag(options.policy);
  const files = await loadLocalFiles(options);
  const runs = stageRuns(options, files);
  const chosen = flagIdentity(options) ?? {kind: 'user'};
  const kind = chosen.kind;
  const preset = options.policy ?? 'document';
  const tag = options.policy === undefined ? 'document' : presetTagFor(options.policy, dirname(resolve(options.settings))).tag;
  const warnings = [...new Set(runs.flatMap((r) => r.resolution.warnings))];
  const apiCalls: CallCounts = {read: 0, write: 0};
  const callerArn = kind === 'role' ? await callerArnOf(options, runs[0]!.resolution.answers.region, warnings, apiCalls) : undefined;
  const templates = await loadTemplates(preset);
  const desireds = runs.map(({resolution}) => {
    const answers = withIdentity(resolution.answers, chosen, options, process.env);
    warnings.push(...fixWarnings(resolution.fixes, answers.stage, runs.length > 1));
    assertBucketChosen(options, preset, answers, files.settings());
    const target = zappaTargetOf({...answers, ...SENTINEL_IDENTITY}, files.settings());
    const set = policySetFor(preset, templates, target, answers.userName);
    return buildDesiredState(answers, {...SENTINEL_IDENTITY, ...(callerArn ? {arn: callerArn} : {})}, set, {source: 'flag', ...(tag === undefined ? {} : {tag})});
  });
  const shared = sharePolicies(desireds);
  await lintClean(shared[0]!);
  return {...assemble(options, shared, preset, tag, warnings, scope), apiCalls};
}

/** Exit 2 on bad flags before anything is read; the GitHub scope when --repo asks for the CI role. */
function checkFlags(options: Options): GithubScope | undefined {
  if (!options.format) throw new UserError('export needs --format cloudformation or --format terraform.', {hint: 'e.g. zappa-iam-wizard export --format cloudformation --output zappa-iam.yml'});
  assertIdentityFlags(options);
  if (options.repo !== undefined) return scopeOf(options);
  if (options.branch !== undefined || options.environment !== undefined) {
    throw new UserError(`${options.branch !== undefined ? '--branch' : '--environment'}: belongs to the GitHub Actions role; pass --repo OWNER/NAME too.`, {hint: 'Nothing was written. Correct the value and run again.'});
  }
  return undefined;
}

/** strict grants S3 on the stage's bucket only: a name setup would still invent is not one the export can know. */
function assertBucketChosen(options: Options, preset: string, answers: Answers, settings: Record<string, Record<string, unknown>>): void {
  if (preset !== 'strict' || options.bucket !== undefined) return;
  if (stageSettings(settings, answers.stage).s3_bucket === answers.bucket) return;
  throw new UserError(`The strict policy grants S3 on stage ${answers.stage}'s bucket only, and ${options.settings} names none (or one setup would rename), so the export cannot know it.`, {
    hint: `Pass --bucket <name> (or set s3_bucket in stage ${answers.stage}) and export again. Nothing was written.`,
  });
}

function fixWarnings(fixes: readonly {field: string; from: string; to: string; reason: string}[], stage: string, several: boolean): string[] {
  const where = several ? `stage ${stage}` : 'the stage';
  return fixes.map((f) => `The export uses ${f.field} ${f.to} (not ${f.from}: ${f.reason}); setup writes it into ${where} of the settings file.`);
}

async function lintClean(d: DesiredState): Promise<void> {
  // Loaded on demand, as setup does: the lint's action catalog is the largest chunk of the bundle.
  const {assertPoliciesLintClean, deployedDocuments} = await import('../../policy/lint.js');
  assertPoliciesLintClean(deployedDocuments(d), 'Fix the policy inputs (or choose another --policy) and export again.');
}

const IAM_NAME = 64;
const GROUP_NAME = 128;

function assemble(options: Options, stages: DesiredState[], preset: string, tag: string | undefined, warnings: string[], scope?: GithubScope): Omit<ExportModel, 'apiCalls'> {
  const first = stages[0]!;
  const names: NameParam[] = [];
  const addName = (p: NameParam): string => {
    names.push(p);
    return p.key;
  };
  const identity = identityPart(first, addName);
  const roles = executionRolesOf(stages, addName);
  const ci = scope && ciPart(scope, addName);
  const substitutions: NameSubstitution[] = names.map((n) => ({kind: n.kind, value: n.value, key: n.key}));
  const wholeValues = {[oidcProviderArn(SENTINEL_IDENTITY.partition, SENTINEL_IDENTITY.account)]: OIDC_TOKEN};
  const tok = <T>(v: T): T => tokenize(v, substitutions, wholeValues);
  const policyTags: Tags = tag === undefined ? managedTags() : {...managedTags(), [PRESET_TAG]: tag};
  // The deployment policy records the kind (IDENTITY_TAG), so plan and doctor judge it with no --identity; a group's name is its parameter.
  const identityTag = identity.kind === 'group' ? `group:${NAME_TOKEN(identity.groupKey)}` : first.deploymentPolicy.identityTag ?? identity.kind;
  const model: Omit<ExportModel, 'apiCalls'> = {
    stages: stages.map((s) => s.stage),
    region: first.region,
    preset,
    names,
    deploymentPolicy: {id: 'deployment', name: first.deploymentPolicy.name, description: first.deploymentPolicy.description, document: tok(first.deploymentPolicy.document), tags: {...policyTags, [IDENTITY_TAG]: identityTag}},
    executionPolicy: {id: 'execution', name: first.executionPolicy.name, description: first.executionPolicy.description, document: tok(first.executionPolicy.document), tags: policyTags},
    executionRoles: roles.created.map((r) => ({...r, trust: tok(r.trust)})),
    existingExecutionRoles: roles.existing,
    identity: identity.kind === 'role' ? {kind: 'role', role: {...identity.role, trust: tok(identity.role.trust)}} : identity,
    ...(ci ? {ci: {...ci, role: {...ci.role, trust: tok(ci.role.trust)}}} : {}),
    ...(options.permissionsBoundary ? {boundary: options.permissionsBoundary} : {}),
    warnings: [...new Set(warnings)],
  };
  if (holdsSentinel(model)) throw new Error('export: a stand-in account or partition is left in the documents (a bug: please report it)');
  return model;
}

type AddName = (p: NameParam) => string;

function identityPart(d: DesiredState, addName: AddName): ExportModel['identity'] {
  const id = d.deployIdentity;
  if (id.kind === 'role' || id.kind === 'ci') {
    const nameKey = addName({key: 'DeployRoleName', variable: 'deploy_role_name', kind: 'role', value: id.roleName, maxLength: IAM_NAME, description: 'The role Zappa deploys as (the wizard\'s --user); its [profile] gets role_arn from setup'});
    return {kind: 'role', role: {logicalId: 'DeployRole', tfName: 'deploy', nameKey, description: DEPLOY_ROLE_DESCRIPTION, trust: id.trust, tags: managedTags()}};
  }
  const userKey = addName({key: 'UserName', variable: 'user_name', kind: 'user', value: d.userName, maxLength: IAM_NAME, description: 'The IAM user Zappa deploys as (the wizard\'s --user); setup gives it its access key afterwards'});
  if (id.kind === 'user') return {kind: 'user', userKey};
  const groupKey = addName({key: 'GroupName', variable: 'group_name', kind: 'group', value: id.group ?? DEFAULT_GROUP, maxLength: GROUP_NAME, description: 'The IAM group that holds the deployment policy (the wizard\'s --group)'});
  return {kind: 'group', userKey, groupKey};
}

/** One role per role name, trusted by every service any stage naming it hands it to (sharePolicies did that). */
function executionRolesOf(stages: DesiredState[], addName: AddName): {created: RolePart[]; existing: string[]} {
  const created: RolePart[] = [];
  const existing: string[] = [];
  const seen = new Set<string>();
  for (const d of stages) {
    if (seen.has(d.roleName)) continue;
    seen.add(d.roleName);
    if (d.roleArn) {
      // The stage's role_arn role is the person's: setup never creates it, and cannot reach one in another account.
      if (d.roleInAccount) existing.push(d.roleName);
      continue;
    }
    const n = created.length + 1;
    const suffix = n === 1 ? '' : String(n);
    const usedBy = stages.filter((s) => s.roleName === d.roleName).map((s) => s.stage);
    const nameKey = addName({
      key: `ExecutionRoleName${suffix}`, variable: `execution_role_name${suffix ? `_${suffix}` : ''}`, kind: 'role', value: d.roleName, maxLength: IAM_NAME,
      description: `The role Lambda runs stage ${usedBy.join(', ')} as (its role_name in the settings)`,
    });
    created.push({logicalId: `ExecutionRole${suffix}`, tfName: `execution${suffix ? `_${suffix}` : ''}`, nameKey, description: EXECUTION_ROLE_DESCRIPTION, trust: d.trust, tags: managedTags()});
  }
  return {created, existing};
}

function ciPart(scope: GithubScope, addName: AddName): NonNullable<ExportModel['ci']> {
  const {repo} = scope;
  const nameKey = addName({key: 'GithubRoleName', variable: 'github_role_name', kind: 'role', value: ciRoleName(repo), maxLength: IAM_NAME, description: `The role GitHub Actions of ${repo} assume through OIDC`});
  return {
    scope,
    role: {logicalId: 'GithubDeployRole', tfName: 'github', nameKey, description: ciRoleDescription(scope), trust: githubRoleTrust(SENTINEL_IDENTITY.partition, SENTINEL_IDENTITY.account, scope), tags: managedTags()},
    oidc: {url: `https://${GITHUB_OIDC_HOST}`, audience: GITHUB_AUDIENCE, thumbprint: GITHUB_THUMBPRINT, tags: managedTags()},
  };
}
