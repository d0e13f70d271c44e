/**
 * Grants no deploy identity may hold, whatever folder of templates asks for
 * them. The deploy user can pass the execution role to a Lambda function it
 * creates and run code with the role's rights, so both policies count as the
 * deploy user's own: a policy that lets its holder become an administrator
 * (every action, all of IAM, any role to pass or assume, a policy to attach
 * or rewrite, someone else's key to make) makes the least-privilege user an
 * administrator in all but name. The execution role's trust policy must not
 * let anyone but AWS services and this account assume the role.
 *
 * Deny statements never grant, so only Allow statements are read. Conditions
 * do not make a statement safe here: they are too varied to prove narrow, and
 * none of the bundled policies needs one of these grants. Pure.
 */
import type {Statement} from '../plan/policy.js';
import {arnMatches, globMatch, hasWildcard, splitArn} from './glob.js';
import {listOf} from './statements.js';

/** What a rule needs beyond the statement: the account the wizard works in, when known. */
export interface EscalationContext { account?: string }

/**
 * Actions that let the holder give a user, group or role (its own included)
 * any rights, with the reason in words. Matched case-insensitively, also
 * through patterns such as `iam:Attach*`.
 */
const PERMISSION_CHANGES: ReadonlyArray<[string, string]> = [
  ['iam:AttachUserPolicy', 'attach any policy (AdministratorAccess too) to a user, the deploy user included'],
  ['iam:PutUserPolicy', 'write any inline policy into a user, the deploy user included'],
  ['iam:AttachGroupPolicy', 'attach any policy to a group, and so to every user in it'],
  ['iam:PutGroupPolicy', 'write any inline policy into a group, and so into every user in it'],
  ['iam:AddUserToGroup', 'put a user, the deploy user included, into a group with more rights (an administrators group)'],
  ['iam:AttachRolePolicy', 'attach any policy (AdministratorAccess too) to a role, the execution role included, and run code with it'],
  ['iam:PutRolePolicy', 'write any inline policy into a role, the execution role included, and run code with it'],
  ['iam:CreatePolicyVersion', 'rewrite a managed policy, the deployment policy included, into one that allows everything'],
  ['iam:SetDefaultPolicyVersion', 'switch a managed policy back to an older, broader version'],
  ['iam:UpdateAssumeRolePolicy', 'let itself (or anyone) assume any role, an administrator\'s too'],
  ['iam:DeleteUserPermissionsBoundary', 'remove the permissions boundary that limits a user'],
  ['iam:DeleteRolePermissionsBoundary', 'remove the permissions boundary that limits a role'],
];

/** Actions that let the holder act as another user when granted on users other than itself. */
const OTHER_USERS: ReadonlyArray<[string, string]> = [
  ['iam:CreateAccessKey', 'make an access key for another user and act as them'],
  ['iam:CreateLoginProfile', 'set a console password for another user and sign in as them'],
  ['iam:UpdateLoginProfile', 'change another user\'s console password and sign in as them'],
];

/** `<service>:*` on every resource makes the holder an administrator for these services. */
const WHOLE_SERVICE_REASONS: Record<string, string> = {
  sts: 'lets the holder assume any role that trusts this account, an administrator\'s too',
  organizations: 'lets the holder manage the whole AWS organization, every account in it included',
};

/** How a NotResource statement's resources are shown: it grants on everything but what it lists. */
const EVERYTHING_BUT = 'everything but its NotResource';

/** Role and user names no real template would single out: a pattern that matches them matches every name. */
const ANY_NAME = 'zw-any-name-probe';

const FIX = 'name only the actions Zappa needs (--policy strict shows them for this stage)';

/** Zappa changes no IAM permission once the wizard has turned manage_roles off. */
const NOT_NEEDED = 'Zappa, with manage_roles off as the wizard sets it, never needs';

/** A resource as the statement wrote it, in quotes; NotResource in words. */
const quoted = (resource: string): string => (resource === EVERYTHING_BUT ? resource : `"${resource}"`);

/** An IAM ARN in the wizard's account, for a fix to copy (placeholders where the account is not known). */
const iamArn = (context: EscalationContext, resource: string): string => `arn:aws:iam::${context.account ?? '<account>'}:${resource}`;

/** Problems of one statement of an identity policy (deployment or execution). */
export function identityEscalations(statement: Statement, context: EscalationContext): string[] {
  if (statement.Effect !== 'Allow') return [];
  if (statement.NotAction !== undefined) {
    return [`"NotAction" with "Allow" grants every action except the ones listed, IAM's own and those AWS adds later included; list the actions to allow under "Action" instead.`];
  }
  const actions = listOf(statement.Action);
  // NotResource grants everything but the resources listed: read it as "*" (and say so).
  const resources = statement.NotResource !== undefined ? [EVERYTHING_BUT] : listOf(statement.Resource);
  const onEverything = resources.includes('*') || resources.includes(EVERYTHING_BUT);
  const messages: string[] = [];
  for (const action of actions) {
    const whole = wholeServiceMessage(action, onEverything);
    if (whole) {
      messages.push(whole);
      continue;
    }
    messages.push(...grantMessages(action, resources, context));
  }
  return messages;
}

function wholeServiceMessage(action: string, onEverything: boolean): string | undefined {
  if (/^\*(:\*)?$/.test(action)) {
    const scope = onEverything ? ' on every resource: whoever holds this policy is an administrator' : ' on the resources listed, IAM\'s and those AWS adds later included';
    return `Action "${action}" grants every AWS action${scope}; ${FIX}.`;
  }
  const [service, name] = action.toLowerCase().split(':');
  if (name !== '*') return undefined;
  if (service === 'iam') return `"${action}" grants all of IAM: the holder can give itself any rights; ${FIX}.`;
  const reason = WHOLE_SERVICE_REASONS[service ?? ''];
  return reason && onEverything ? `"${action}" on "*" ${reason}; ${FIX}.` : undefined;
}

/** PassRole, AssumeRole, the permission changes and the other-user actions this action (or pattern) covers. */
function grantMessages(action: string, resources: string[], context: EscalationContext): string[] {
  const covers = (name: string) => globMatch(action, name, true);
  const via = (name: string) => (action.toLowerCase() === name.toLowerCase() ? name : `"${action}" (which covers ${name})`);
  const messages: string[] = [];
  const anyRole = resources.find((r) => matchesEveryName(r, 'role', context));
  if (anyRole && covers('iam:PassRole')) {
    messages.push(`${via('iam:PassRole')} on ${quoted(anyRole)} lets the holder hand any role, an administrator's too, to a Lambda function it creates and run code with that role's rights; limit Resource to the execution role (${iamArn(context, 'role/<role name>')}).`);
  }
  if (anyRole && covers('sts:AssumeRole')) {
    messages.push(`${via('sts:AssumeRole')} on ${quoted(anyRole)} lets the holder assume any role that trusts this account, an administrator's too; the deploy user needs no role of its own to assume.`);
  }
  const changes = PERMISSION_CHANGES.filter(([name]) => covers(name));
  if (changes.length === 1) {
    const [name, reason] = changes[0]!;
    messages.push(`${via(name)} lets the holder ${reason}; ${NOT_NEEDED} it.`);
  } else if (changes.length > 1) {
    const names = changes.map(([name]) => name).join(', ');
    messages.push(`"${action}" covers ${names}, which let the holder give a user, group or role (its own included) any rights; ${NOT_NEEDED} them.`);
  }
  const otherUser = resources.find((r) => matchesEveryName(r, 'user', context));
  for (const [name, reason] of OTHER_USERS) {
    if (otherUser && covers(name)) messages.push(`${via(name)} on ${quoted(otherUser)} lets the holder ${reason}; grant it, if at all, only on ${iamArn(context, 'user/${aws:username}')}.`);
  }
  return messages;
}

/**
 * Does the resource pattern match roles (or users) of any name in the
 * account? Tried on a name no template would single out, with and without
 * a path; in the pattern's own partition and, when the account is not
 * known, its own account.
 */
function matchesEveryName(resource: string, kind: 'role' | 'user', context: EscalationContext): boolean {
  if (resource === '*' || resource === EVERYTHING_BUT) return true;
  const parts = splitArn(resource);
  if (!parts) return false;
  const [partition, , , account] = parts;
  const probePartition = hasWildcard(partition) ? 'aws' : partition;
  const probeAccount = context.account ?? (hasWildcard(account) ? '123456789012' : account);
  const probe = (name: string) => `arn:${probePartition}:iam::${probeAccount}:${kind}/${name}`;
  return arnMatches(resource, probe(ANY_NAME)) || arnMatches(resource, probe(`some/path/${ANY_NAME}`));
}

/** Problems of one statement of the execution role's trust policy. */
export function trustEscalations(statement: Statement, context: EscalationContext): string[] {
  if (statement.Effect !== 'Allow') return [];
  if (statement.NotPrincipal !== undefined) {
    return ['"NotPrincipal" with "Allow" lets everyone except the principals listed assume the execution role; name the services under "Principal" instead.'];
  }
  const principal = statement.Principal;
  if (principal === '*') return [`Principal "*" lets anyone, in any AWS account, assume the execution role; ${TRUST_FIX}.`];
  if (!principal || typeof principal !== 'object') return [];
  const fields = principal as Record<string, unknown>;
  const messages: string[] = [];
  for (const aws of listOf(fields.AWS)) {
    const message = awsPrincipalMessage(aws, context);
    if (message) messages.push(message);
  }
  for (const federated of listOf(fields.Federated)) {
    messages.push(`Principal Federated "${federated}" lets identities from outside this account's IAM assume the execution role; ${TRUST_FIX}.`);
  }
  for (const canonical of listOf(fields.CanonicalUser)) {
    messages.push(`Principal CanonicalUser "${canonical}" is an identity outside this account's IAM; ${TRUST_FIX}.`);
  }
  return messages;
}

const TRUST_FIX = 'the role only needs the AWS services that run the function (lambda.amazonaws.com and the ones the wizard adds)';

function awsPrincipalMessage(aws: string, context: EscalationContext): string | undefined {
  if (aws === '*') return `Principal {"AWS": "*"} lets anyone, in any AWS account, assume the execution role; ${TRUST_FIX}.`;
  const account = /^\d{12}$/.test(aws) ? aws : splitArn(aws)?.[3];
  if (account === undefined) return `Principal AWS "${aws}" is neither an account ID nor an ARN; ${TRUST_FIX}.`;
  if (/[*?]/.test(account)) return `Principal AWS "${aws}" matches principals of any account; ${TRUST_FIX}.`;
  if (context.account !== undefined && account !== context.account) {
    return `Principal AWS "${aws}" is in account ${account}, not in ${context.account} where the wizard works: that account could assume the execution role; ${TRUST_FIX}.`;
  }
  return undefined;
}
