/**
 * The deploy identity Zappa signs in as, in its three kinds (DESIGN.md
 * --identity) and the GitHub Actions role of `ci github`: names, ARNs and
 * trust policies. setup, plan, doctor and export all build them here, so a
 * stack exported today is what setup finds in place tomorrow. Pure.
 */
import type {PolicyDocument} from './policy.js';

export type IdentityKind = 'user' | 'group' | 'role';

/**
 * What the deploy identity is, as the run's end state holds it. `ci` is the
 * role of `ci github`: GitHub Actions assume it through the OIDC provider.
 */
export type DeployIdentity =
  | {kind: 'user'}
  | {kind: 'group'; group: string; groupArn: string}
  | {kind: 'role'; roleName: string; roleArn: string; trust: PolicyDocument; sourceProfile?: string; credentialSource?: 'Environment'}
  | {kind: 'ci'; roleName: string; roleArn: string; trust: PolicyDocument; providerArn: string; scope: GithubScope};

/** The role Zappa deploys as, for the kinds that are roles. */
export function deployRoleOf(identity: DeployIdentity): {roleName: string; roleArn: string; trust: PolicyDocument} | undefined {
  return identity.kind === 'role' || identity.kind === 'ci' ? identity : undefined;
}

/** The descriptions the roles are created with (by setup's steps and in an export alike). */
export const EXECUTION_ROLE_DESCRIPTION = 'Role Zappa Lambda functions run as (managed by zappa-iam-wizard)';
export const DEPLOY_ROLE_DESCRIPTION = 'Role Zappa deploys as, assumed with no long-term key (managed by zappa-iam-wizard)';
export const ciRoleDescription = (scope: GithubScope): string =>
  `Role GitHub Actions of ${githubSubject(scope)} deploy Zappa as (managed by zappa-iam-wizard)`.slice(0, 1000);

/** GitHub's OIDC issuer (without https://) and the audience its tokens carry for STS. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
export const GITHUB_AUDIENCE = 'sts.amazonaws.com';
/**
 * IAM no longer checks the thumbprint for GitHub's issuer (it trusts its CA
 * library), but CreateOpenIDConnectProvider still wants one: this is the
 * value AWS documents for token.actions.githubusercontent.com.
 */
export const GITHUB_THUMBPRINT = '6938fd4d98bab03faadb97b34396831e3780aea1';

/** IAM's characters for group names, which may be 128 long. */
const GROUP_NAME = /^[\w+=,.@-]{1,128}$/;

export function groupArnOf(partition: string, account: string, group: string): string {
  return `arn:${partition}:iam::${account}:group/${group}`;
}

export function roleArnOf(partition: string, account: string, role: string): string {
  return `arn:${partition}:iam::${account}:role/${role}`;
}

export function oidcProviderArn(partition: string, account: string, host: string = GITHUB_OIDC_HOST): string {
  return `arn:${partition}:iam::${account}:oidc-provider/${host}`;
}

/**
 * The ARNs IAM sees as `aws:PrincipalArn` for the identity STS named: a
 * user or the account root as they are, an assumed-role session as its role,
 * whose path STS does not tell (SSO roles live under /aws-reserved/…), hence
 * the second, path-wildcard form.
 */
export function principalArnsOf(callerArn: string): string[] {
  const assumed = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
  if (!assumed) return [callerArn];
  const [, partition, account, role] = assumed;
  return [`arn:${partition}:iam::${account}:role/${role}`, `arn:${partition}:iam::${account}:role/*/${role}`];
}

/**
 * The deploy role's trust: only this account's principals, and of those only
 * the identity that ran the wizard (the person's SSO role, admin user or
 * root), may assume it. The account as Principal plus aws:PrincipalArn keeps
 * the document valid when that identity is a role session.
 */
export function deployRoleTrust(partition: string, account: string, callerArn: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'AssumedByWhoRanTheWizard',
      Effect: 'Allow',
      Principal: {AWS: `arn:${partition}:iam::${account}:root`},
      Action: 'sts:AssumeRole',
      Condition: {ArnLike: {'aws:PrincipalArn': principalArnsOf(callerArn)}},
    }],
  };
}

/** What GitHub may deploy from: one branch or one environment of one repository. */
export type GithubScope = {repo: string} & ({branch: string} | {environment: string});

/** The `sub` claim GitHub puts in a job's token for that scope. */
export function githubSubject(scope: GithubScope): string {
  return 'branch' in scope ? `repo:${scope.repo}:ref:refs/heads/${scope.branch}` : `repo:${scope.repo}:environment:${scope.environment}`;
}

/** The CI role's trust: GitHub's tokens, for STS, from that scope only. */
export function githubRoleTrust(partition: string, account: string, scope: GithubScope): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'GithubActionsOfOneScope',
      Effect: 'Allow',
      Principal: {Federated: oidcProviderArn(partition, account)},
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {StringEquals: {
        [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_AUDIENCE,
        [`${GITHUB_OIDC_HOST}:sub`]: githubSubject(scope),
      }},
    }],
  };
}

/** OWNER/NAME as GitHub allows them; true or a sentence. */
export function validateGithubRepo(repo: string): true | string {
  if (/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/.test(repo) && !repo.endsWith('/.') && !repo.endsWith('/..')) return true;
  return `"${repo}" is not a GitHub repository as OWNER/NAME (e.g. acme/shop).`;
}

/** The CI role's default name: the repository's, within IAM's characters and 64. */
export function ciRoleName(repo: string): string {
  const name = `zappa-github-${repo.replace('/', '-')}`.replace(/[^\w+=,.@-]/g, '-');
  return name.slice(0, 64);
}

export function validateGroupName(name: string): true | string {
  if (GROUP_NAME.test(name)) return true;
  return `"${name}" is not an IAM group name: 1 to 128 letters, digits and + = , . @ _ -.`;
}

/** arn:<partition>:iam::<account or aws>:policy/<path/>name: a boundary is a managed policy. */
export function validateBoundaryArn(arn: string): true | string {
  if (/^arn:[\w-]+:iam::(\d{12}|aws):policy\/[\w+=,.@/-]+$/.test(arn)) return true;
  return `"${arn}" is not a managed policy ARN (arn:aws:iam::123456789012:policy/Name): a permissions boundary is a managed policy.`;
}

const DEPLOY_ROLE_SID = 'AssumedByWhoRanTheWizard';

/** The principal ARNs the deploy role's own statement lets assume it (none when the statement is not there). */
export function deployRolePrincipals(trust: PolicyDocument): string[] {
  const statements = Array.isArray(trust.Statement) ? trust.Statement : [trust.Statement];
  const own = statements.find((s) => s.Sid === DEPLOY_ROLE_SID && s.Effect === 'Allow');
  const condition = (own?.Condition as Record<string, Record<string, unknown>> | undefined)?.ArnLike?.['aws:PrincipalArn'];
  return (Array.isArray(condition) ? condition : condition === undefined ? [] : [condition]).filter((v): v is string => typeof v === 'string');
}

/**
 * The trust after a run by `callerArn`: everyone the role's own statement
 * already lets in stays (a teammate's run must not lock out whoever ran it
 * first), the caller is added; any other statement is replaced by ours.
 */
export function deployRoleTrustWith(actual: PolicyDocument | undefined, wanted: PolicyDocument): PolicyDocument {
  const kept = actual ? deployRolePrincipals(actual) : [];
  const principals = [...new Set([...kept, ...deployRolePrincipals(wanted)])];
  const statements = Array.isArray(wanted.Statement) ? wanted.Statement : [wanted.Statement];
  return {
    ...wanted,
    Statement: statements.map((s) => (s.Sid === DEPLOY_ROLE_SID ? {...s, Condition: {ArnLike: {'aws:PrincipalArn': principals}}} : s)),
  };
}
