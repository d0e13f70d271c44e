/**
 * The export model as a CloudFormation template (YAML). Names are
 * Parameters; account and partition come from AWS::AccountId and
 * AWS::Partition through Fn::Sub (IAM's own ${aws:…} variables escaped as
 * ${!…}); managed policies are attached through AWS::IAM::ManagedPolicy's
 * Users/Groups/Roles, which every CloudFormation implementation honours
 * (moto ignores AWS::IAM::Role.ManagedPolicyArns). AWS::IAM::ManagedPolicy
 * and AWS::IAM::Group take no Tags, so only users, roles and the OIDC
 * provider carry ManagedBy. Pure.
 */
import {stringify} from 'yaml';
import {managedTags, type Tags} from '../../aws/port.js';
import {GITHUB_OIDC_HOST} from '../../plan/deploy-identity.js';
import type {ExportModel, NameParam, PolicyPart, RolePart} from './model.js';
import {BOUNDARY_PATTERN, IAM_NAME_PATTERN, summaryOf} from './names.js';
import {partsOf, type Ref} from './tokens.js';

type Value = unknown;

const HAS_BOUNDARY = 'HasPermissionsBoundary';
const CREATES_OIDC = 'CreatesGithubOidcProvider';
const OIDC_RESOURCE = 'GithubOidcProvider';

export function cloudFormationTemplate(m: ExportModel): string {
  const resources: Record<string, Value> = {};
  for (const role of m.executionRoles) resources[role.logicalId] = roleResource(role);
  if (m.identity.kind === 'role') resources[m.identity.role.logicalId] = roleResource(m.identity.role);
  if (m.identity.kind === 'group') resources.DeployGroup = {Type: 'AWS::IAM::Group', Properties: {GroupName: {Ref: m.identity.groupKey}}};
  if (m.identity.kind !== 'role') {
    resources.DeployUser = {Type: 'AWS::IAM::User', Properties: {
      UserName: {Ref: m.identity.userKey},
      ...(m.identity.kind === 'group' ? {Groups: [{Ref: 'DeployGroup'}]} : {}),
      ...boundary(), Tags: tagList(managedTags()),
    }};
  }
  if (m.ci) {
    resources[OIDC_RESOURCE] = {Type: 'AWS::IAM::OIDCProvider', Condition: CREATES_OIDC, Properties: {
      Url: m.ci.oidc.url, ClientIdList: [m.ci.oidc.audience], ThumbprintList: [m.ci.oidc.thumbprint], Tags: tagList(m.ci.oidc.tags),
    }};
    resources[m.ci.role.logicalId] = roleResource(m.ci.role);
  }
  resources.DeploymentPolicy = policyResource(m.deploymentPolicy, deployAttachments(m));
  resources.ExecutionPolicy = policyResource(m.executionPolicy, {Roles: [...m.executionRoles.map((r) => ({Ref: r.logicalId})), ...m.existingExecutionRoles]});
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: summaryOf(m, 'a CloudFormation template'),
    Parameters: parameters(m),
    Conditions: {
      [HAS_BOUNDARY]: {'Fn::Not': [{'Fn::Equals': [{Ref: 'PermissionsBoundaryArn'}, '']}]},
      ...(m.ci ? {[CREATES_OIDC]: {'Fn::Equals': [{Ref: 'CreateGithubOidcProvider'}, 'true']}} : {}),
    },
    Resources: resources,
    Outputs: outputs(m),
  };
  // YAML 1.1 rules, so date-like strings such as 2012-10-17 are quoted: CloudFormation must read them as strings.
  return stringify(template, {version: '1.1', lineWidth: 0, aliasDuplicateObjects: false});
}

function parameters(m: ExportModel): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const n of m.names) out[n.key] = nameParameter(n);
  out.PermissionsBoundaryArn = {
    Type: 'String', Default: m.boundary ?? '', AllowedPattern: BOUNDARY_PATTERN,
    Description: 'A managed policy ARN set as the permissions boundary of every user and role here, or empty for none (the wizard\'s --permissions-boundary)',
  };
  if (m.ci) {
    out.CreateGithubOidcProvider = {
      Type: 'String', Default: 'true', AllowedValues: ['true', 'false'],
      Description: `false when the account already has the OIDC provider for ${m.ci.oidc.url} (there is one per account); the role then trusts that one`,
    };
  }
  return out;
}

function nameParameter(n: NameParam): Value {
  return {Type: 'String', Default: n.value, AllowedPattern: IAM_NAME_PATTERN, MinLength: 1, MaxLength: n.maxLength, Description: n.description};
}

function boundary(): Record<string, Value> {
  return {PermissionsBoundary: {'Fn::If': [HAS_BOUNDARY, {Ref: 'PermissionsBoundaryArn'}, {Ref: 'AWS::NoValue'}]}};
}

function roleResource(role: RolePart): Value {
  return {Type: 'AWS::IAM::Role', Properties: {
    RoleName: {Ref: role.nameKey}, Description: role.description, AssumeRolePolicyDocument: cfnValue(role.trust),
    ...boundary(), Tags: tagList(role.tags),
  }};
}

function policyResource(p: PolicyPart, attachments: {Users?: Value[]; Groups?: Value[]; Roles?: Value[]}): Value {
  const nonEmpty = Object.fromEntries(Object.entries(attachments).filter(([, list]) => list && list.length));
  return {Type: 'AWS::IAM::ManagedPolicy', Properties: {
    ManagedPolicyName: p.name, Description: p.description, PolicyDocument: cfnValue(p.document), ...nonEmpty,
  }};
}

/** Who gets the deployment policy: the user, the group or the deploy role, and the GitHub role. */
function deployAttachments(m: ExportModel): {Users?: Value[]; Groups?: Value[]; Roles?: Value[]} {
  const roles: Value[] = [];
  if (m.identity.kind === 'role') roles.push({Ref: m.identity.role.logicalId});
  if (m.ci) roles.push({Ref: m.ci.role.logicalId});
  return {
    ...(m.identity.kind === 'user' ? {Users: [{Ref: 'DeployUser'}]} : {}),
    ...(m.identity.kind === 'group' ? {Groups: [{Ref: 'DeployGroup'}]} : {}),
    Roles: roles,
  };
}

function outputs(m: ExportModel): Record<string, Value> {
  const out: Record<string, Value> = {
    DeploymentPolicyArn: {Description: 'The deployment policy', Value: {Ref: 'DeploymentPolicy'}},
    ExecutionPolicyArn: {Description: 'The execution policy', Value: {Ref: 'ExecutionPolicy'}},
  };
  for (const r of m.executionRoles) out[`${r.logicalId}Arn`] = {Description: r.description, Value: {'Fn::GetAtt': [r.logicalId, 'Arn']}};
  if (m.identity.kind === 'role') out.DeployRoleArn = {Description: 'role_arn of the deploy profile', Value: {'Fn::GetAtt': [m.identity.role.logicalId, 'Arn']}};
  else out.DeployUserArn = {Description: 'The deploy user (its access key comes from zappa-iam-wizard setup)', Value: {'Fn::GetAtt': ['DeployUser', 'Arn']}};
  if (m.ci) out.GithubDeployRoleArn = {Description: 'role-to-assume of the GitHub workflow', Value: {'Fn::GetAtt': [m.ci.role.logicalId, 'Arn']}};
  return out;
}

function tagList(tags: Tags): Value[] {
  return Object.entries(tags).map(([Key, Value]) => ({Key, Value}));
}

/** A tokenised document as CloudFormation: strings with references become Fn::Sub (or the OIDC provider's ARN). */
export function cfnValue(v: unknown): Value {
  if (typeof v === 'string') return cfnString(v);
  if (Array.isArray(v)) return v.map(cfnValue);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => {
      if (partsOf(k).some((p) => typeof p !== 'string')) throw new Error(`export: a policy key holds a reference (${k}), which CloudFormation cannot substitute`);
      return [k, cfnValue(x)];
    }));
  }
  return v;
}

function cfnString(s: string): Value {
  const parts = partsOf(s);
  if (parts.every((p) => typeof p === 'string')) return s;
  if (parts.length === 1 && (parts[0] as Ref).ref === 'oidc-provider') return oidcArn();
  return {'Fn::Sub': parts.map((p) => (typeof p === 'string' ? p.replaceAll('${', () => '${!') : subRef(p))).join('')};
}

function subRef(r: Ref): string {
  switch (r.ref) {
    case 'account': return '${AWS::AccountId}';
    case 'partition': return '${AWS::Partition}';
    case 'name': return `\${${r.key}}`;
    case 'oidc-provider': throw new Error('export: the OIDC provider ARN is only a whole value');
  }
}

/** The provider the stack creates, or the account's existing one (the ARN is the same either way). */
function oidcArn(): Value {
  return {'Fn::If': [CREATES_OIDC, {Ref: OIDC_RESOURCE}, {'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:oidc-provider/${GITHUB_OIDC_HOST}`}]};
}
