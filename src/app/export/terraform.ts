/**
 * The export model as Terraform files (a root module): versions.tf,
 * variables.tf (the names, with validation), main.tf, outputs.tf. Account
 * and partition come from data.aws_caller_identity and data.aws_partition;
 * the documents are JSON heredocs with those interpolated (IAM's own ${…}
 * variables escaped as $${…}). An existing GitHub OIDC provider is read
 * through a data source when create_github_oidc_provider is false. No
 * output holds a secret (there is none: the key comes from setup). Pure.
 */
import type {Tags} from '../../aws/port.js';
import type {ExportModel, NameParam, PolicyPart, RolePart} from './model.js';
import {escapeTemplate, hclBlock, hclList, hclMap, hclString, heredoc, type HclLine} from './hcl.js';
import {BOUNDARY_PATTERN, IAM_NAME_PATTERN, summaryOf} from './names.js';
import {partsOf, type Ref} from './tokens.js';

/** The first line of every file the export writes: how it knows a file is its own to overwrite. */
export const TERRAFORM_MARKER = '# Written by zappa-iam-wizard export';

/**
 * The provider versions accepted: 5.x from 5.0 (aws_iam_* as used here) and
 * 6.x; the local mirror's 5.100.0 satisfies it.
 */
export const AWS_PROVIDER_CONSTRAINT = '>= 5.0, < 7.0';

export function terraformFiles(m: ExportModel, region: string): Record<string, string> {
  const head = `${TERRAFORM_MARKER}.\n# ${summaryOf(m, 'Terraform')}\n\n`;
  return {
    'versions.tf': head + versions(),
    'variables.tf': head + variables(m, region),
    'main.tf': head + main(m),
    'outputs.tf': head + outputs(m),
  };
}

const attr = (name: string, value: string): HclLine => ({attr: name, value});
const BLANK: HclLine = {blank: true};
const str = hclString;

function versions(): string {
  return [
    hclBlock('terraform', [
      attr('required_version', str('>= 1.5')),
      BLANK,
      {block: 'required_providers', body: [attr('aws', `{\n      source  = "hashicorp/aws"\n      version = ${str(AWS_PROVIDER_CONSTRAINT)}\n    }`)]},
    ]),
    hclBlock('provider "aws"', [attr('region', 'var.region')]),
  ].join('\n');
}

function variables(m: ExportModel, region: string): string {
  const blocks = [
    hclBlock('variable "region"', [
      attr('description', str('The region of the provider (IAM itself is global); the stage\'s region')),
      attr('type', 'string'),
      attr('default', str(region)),
    ]),
    ...m.names.map(nameVariable),
    hclBlock('variable "permissions_boundary"', [
      attr('description', str('A managed policy ARN set as the permissions boundary of every user and role here, or null for none (the wizard\'s --permissions-boundary)')),
      attr('type', 'string'),
      attr('default', m.boundary ? str(m.boundary) : 'null'),
      BLANK,
      {block: 'validation', body: [
        attr('condition', `var.permissions_boundary == null || can(regex(${str(BOUNDARY_PATTERN)}, var.permissions_boundary))`),
        attr('error_message', str('permissions_boundary must be a managed policy ARN (arn:PARTITION:iam::ACCOUNT:policy/NAME) or null.')),
      ]},
    ]),
  ];
  if (m.ci) {
    blocks.push(hclBlock('variable "create_github_oidc_provider"', [
      attr('description', str(`false when the account already has the OIDC provider for ${m.ci.oidc.url} (there is one per account): it is then read through a data source`)),
      attr('type', 'bool'),
      attr('default', 'true'),
    ]));
  }
  return blocks.join('\n');
}

function nameVariable(n: NameParam): string {
  const ref = `var.${n.variable}`;
  return hclBlock(`variable "${n.variable}"`, [
    attr('description', str(n.description)),
    attr('type', 'string'),
    attr('default', str(n.value)),
    BLANK,
    {block: 'validation', body: [
      attr('condition', `length(${ref}) <= ${n.maxLength} && can(regex(${str(IAM_NAME_PATTERN)}, ${ref}))`),
      attr('error_message', str(`${n.variable} must be 1 to ${n.maxLength} letters, digits and + = , . @ _ -, as IAM allows.`)),
    ]},
  ]);
}

function main(m: ExportModel): string {
  const variableOf = new Map(m.names.map((n) => [n.key, `var.${n.variable}`]));
  const doc = (d: unknown, indent: number) => heredoc(documentText(d, variableOf), indent);
  const blocks = [
    hclBlock('data "aws_caller_identity" "current"', []),
    hclBlock('data "aws_partition" "current"', []),
    hclBlock('locals', [
      attr('account_id', 'data.aws_caller_identity.current.account_id'),
      attr('partition', 'data.aws_partition.current.partition'),
    ]),
    policy(m.deploymentPolicy, doc, variableOf),
    policy(m.executionPolicy, doc, variableOf),
  ];
  for (const r of m.executionRoles) {
    blocks.push(role(r, variableOf, doc));
    blocks.push(attachment('role', r.tfName, `aws_iam_role.${r.tfName}.name`, 'execution'));
  }
  m.existingExecutionRoles.forEach((name, i) => blocks.push(attachment('role', `existing_${i + 1}`, str(name), 'execution')));
  blocks.push(...identityBlocks(m, variableOf, doc));
  if (m.ci) blocks.push(...ciBlocks(m.ci, variableOf, doc));
  return blocks.join('\n');
}

type Doc = (d: unknown, indent: number) => string;

function policy(p: PolicyPart, doc: Doc, variableOf: Map<string, string>): string {
  return hclBlock(`resource "aws_iam_policy" "${p.id}"`, [
    attr('name', str(p.name)),
    attr('description', str(p.description)),
    attr('policy', doc(p.document, 2)),
    BLANK,
    attr('tags', hclMap(p.tags, 2, (v) => tfString(v, variableOf))),
  ]);
}

function role(r: RolePart, variableOf: Map<string, string>, doc: Doc): string {
  return hclBlock(`resource "aws_iam_role" "${r.tfName}"`, [
    attr('name', variableOf.get(r.nameKey)!),
    attr('description', str(r.description)),
    attr('assume_role_policy', doc(r.trust, 2)),
    attr('permissions_boundary', 'var.permissions_boundary'),
    BLANK,
    attr('tags', tagMap(r.tags)),
  ]);
}

const tagMap = (tags: Tags): string => hclMap(tags, 2);

/** aws_iam_{role,user,group}_policy_attachment of the deployment or execution policy. */
function attachment(to: 'role' | 'user' | 'group', name: string, who: string, policyId: PolicyPart['id']): string {
  return hclBlock(`resource "aws_iam_${to}_policy_attachment" "${name}"`, [
    attr(to, who),
    attr('policy_arn', `aws_iam_policy.${policyId}.arn`),
  ]);
}

function identityBlocks(m: ExportModel, variableOf: Map<string, string>, doc: Doc): string[] {
  const id = m.identity;
  if (id.kind === 'role') return [role(id.role, variableOf, doc), attachment('role', id.role.tfName, `aws_iam_role.${id.role.tfName}.name`, 'deployment')];
  const user = hclBlock('resource "aws_iam_user" "deploy"', [
    attr('name', variableOf.get(id.userKey)!),
    attr('permissions_boundary', 'var.permissions_boundary'),
    BLANK,
    attr('tags', tagMap({ManagedBy: 'zappa-iam-wizard'})),
  ]);
  if (id.kind === 'user') return [user, attachment('user', 'deploy', 'aws_iam_user.deploy.name', 'deployment')];
  return [
    user,
    hclBlock('resource "aws_iam_group" "deploy"', [attr('name', variableOf.get(id.groupKey)!)]),
    hclBlock('resource "aws_iam_user_group_membership" "deploy"', [
      attr('user', 'aws_iam_user.deploy.name'),
      attr('groups', hclList(['aws_iam_group.deploy.name'])),
    ]),
    attachment('group', 'deploy', 'aws_iam_group.deploy.name', 'deployment'),
  ];
}

function ciBlocks(ci: NonNullable<ExportModel['ci']>, variableOf: Map<string, string>, doc: Doc): string[] {
  return [
    hclBlock('resource "aws_iam_openid_connect_provider" "github"', [
      attr('count', 'var.create_github_oidc_provider ? 1 : 0'),
      attr('url', str(ci.oidc.url)),
      attr('client_id_list', hclList([str(ci.oidc.audience)])),
      attr('thumbprint_list', hclList([str(ci.oidc.thumbprint)])),
      BLANK,
      attr('tags', tagMap(ci.oidc.tags)),
    ]),
    hclBlock('data "aws_iam_openid_connect_provider" "github"', [
      attr('count', 'var.create_github_oidc_provider ? 0 : 1'),
      attr('url', str(ci.oidc.url)),
    ]),
    hclBlock('locals', [
      attr('github_oidc_provider_arn', 'var.create_github_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : data.aws_iam_openid_connect_provider.github[0].arn'),
    ]),
    role(ci.role, variableOf, doc),
    attachment('role', ci.role.tfName, `aws_iam_role.${ci.role.tfName}.name`, 'deployment'),
  ];
}

function outputs(m: ExportModel): string {
  const out: [string, string, string][] = [
    ['deployment_policy_arn', 'The deployment policy', 'aws_iam_policy.deployment.arn'],
    ['execution_policy_arn', 'The execution policy', 'aws_iam_policy.execution.arn'],
    ...m.executionRoles.map((r): [string, string, string] => [`${r.tfName}_role_arn`, r.description, `aws_iam_role.${r.tfName}.arn`]),
  ];
  if (m.identity.kind === 'role') out.push(['deploy_role_arn', 'role_arn of the deploy profile', 'aws_iam_role.deploy.arn']);
  else out.push(['deploy_user_arn', 'The deploy user (its access key comes from zappa-iam-wizard setup)', 'aws_iam_user.deploy.arn']);
  if (m.ci) out.push(['github_deploy_role_arn', 'role-to-assume of the GitHub workflow', `aws_iam_role.${m.ci.role.tfName}.arn`]);
  return out.map(([name, description, value]) => hclBlock(`output "${name}"`, [attr('description', str(description)), attr('value', value)])).join('\n');
}

/** A tokenised string as a quoted HCL string, its references interpolated. */
function tfString(s: string, variableOf: Map<string, string>): string {
  const body = partsOf(s).map((p) => (typeof p === 'string' ? escapeTemplate(JSON.stringify(p).slice(1, -1)) : `\${${tfRef(p, variableOf)}}`)).join('');
  return `"${body}"`;
}

/** A tokenised document as heredoc JSON: literal ${ escaped, references interpolated. */
export function documentText(d: unknown, variableOf: Map<string, string>): string {
  const json = JSON.stringify(d, null, 2);
  return partsOf(json).map((p) => (typeof p === 'string' ? escapeTemplate(p) : `\${${tfRef(p, variableOf)}}`)).join('');
}

function tfRef(r: Ref, variableOf: Map<string, string>): string {
  switch (r.ref) {
    case 'account': return 'local.account_id';
    case 'partition': return 'local.partition';
    case 'oidc-provider': return 'local.github_oidc_provider_arn';
    case 'name': {
      const v = variableOf.get(r.key);
      if (!v) throw new Error(`export: no variable for name ${r.key}`);
      return v;
    }
  }
}
