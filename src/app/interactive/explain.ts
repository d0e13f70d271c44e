/**
 * What the walk-through says while it works: why each thing exists, in our
 * own words. Plain strings (one per paragraph); the caller wraps them to the
 * terminal. The service summary is worked out from the policy document
 * itself, so a custom --policy folder is described as it really is.
 */
import {explainPolicy, type PermissionGroup} from '../../policy/explain.js';
import type {PolicyDocument} from '../../plan/policy.js';
import type {DesiredState} from '../../plan/types.js';

export const INTRO = [
  'This walk-through gives your Zappa project its own deploy identity. It checks what already exists, asks a few questions (Enter accepts the suggestion in brackets), shows the full plan, and changes nothing until you say yes. Running it again later repairs whatever is missing or has changed.',
];

/** Before the name question: what the deploy identity is for, and why so little, for the kind chosen. */
export function aboutUser(kind: 'user' | 'group' | 'role' = 'user'): string[] {
  const first = {
    user: 'Zappa will not deploy with your admin credentials. Instead it gets an IAM user of its own (usually called "serverless") whose access key lives in a separate profile on this computer.',
    group: 'Zappa will not deploy with your admin credentials. Instead it gets an IAM user of its own (usually called "serverless") whose access key lives in a separate profile on this computer; the user gets its rights by being a member of the group, which the next teammate can join too.',
    role: 'Zappa will not deploy with your admin credentials. Instead it assumes an IAM role of its own (usually called "serverless"): the profile names the role, your own sign-in assumes it for each deploy, and no key of it is ever stored on this computer.',
  }[kind];
  const holder = kind === 'role' ? 'That role' : 'That user';
  const leak = kind === 'role' ? 'If a deploy script misbehaves' : 'If its key ever leaks, or a deploy script misbehaves';
  return [
    first,
    `${holder} may do only what deploying needs: the deployment policy. ${leak}, the damage stays inside Lambda, API Gateway and zappa-* buckets instead of reaching your whole account. Giving every identity only what its job needs is the principle of least privilege.`,
  ];
}

/** Before the region question. */
export function aboutRegion(): string[] {
  return [
    'Zappa puts the function, its API and its deployment bucket in one region. Choose the one nearest to the people who use your app, or to the services it calls, to keep every request short: us-east-1 for North America, eu-west-1 for Europe, ap-northeast-1 for Asia are good starting points. Any other region works too.',
    'Type part of a code or a place (eu, Tokyo, São Paulo) to filter the list; ↑↓ and Enter choose.',
  ];
}

/** Before the role-name question: the execution role and its trust policy. */
export function aboutRole(): string[] {
  return [
    'Once deployed, your code runs as the execution role, not as the deploy user. The execution policy attached to the role says what the running code may touch.',
    'Two AWS services must be allowed to assume the role: Lambda, to run your code as it, and API Gateway, which calls the function for every HTTP request your app receives. The wizard writes both into the role\'s trust policy and keeps any statement you added yourself.',
    'The deploy user may hand over (iam:PassRole) only roles whose names end in -ZappaLambdaExecutionRole, so the name has to end that way.',
  ];
}

/** Before the bucket question. */
export function aboutBucket(): string[] {
  return [
    'While deploying, Zappa uploads your packaged app to an S3 bucket and removes it when done. The deploy user may use only buckets whose names start with zappa-. Bucket names are shared by all AWS accounts worldwide, so a random ending keeps the name yours.',
  ];
}

/** Before the runtime question. */
export function aboutRuntime(current: string, suggested: string): string[] {
  return [
    `The stage asks for ${current}, which AWS Lambda no longer accepts for new or updated functions, so \`zappa deploy\` would fail. ${suggested} is the nearest version Lambda still runs; check that your code and its packages work with it.`,
  ];
}

/** What each file edit is for; shown under the file's name in the plan. */
export function aboutFiles(d: DesiredState): {credentials: string; config: string; settings: string} {
  return {
    credentials: `[${d.profileName}] gets the new user's access key ID and secret. The secret is written the moment AWS returns it and never shown; the file stays readable by you only.`,
    config: d.deployIdentity.kind === 'role'
      ? `[${d.configSection}] gets role_arn ${d.deployIdentity.roleArn} with ${d.deployIdentity.sourceProfile !== undefined ? `source_profile ${d.deployIdentity.sourceProfile}` : 'credential_source Environment'} (the credentials that assume it), region ${d.region} and JSON output, for the AWS CLI and Zappa.`
      : `[${d.configSection}] gets region ${d.region} and JSON output, for the AWS CLI and Zappa.`,
    settings: `Stage "${d.stage}" gets profile_name, aws_region, manage_roles false, role_name and s3_bucket${d.runtime ? ' and the new runtime' : ''}, so that \`zappa deploy ${d.stage}\` uses all of the above. Other keys and stages stay as they are.`,
  };
}

/** "arn:aws:s3:::zappa-*" -> "zappa-*", "arn:aws:iam::1:role/*-X" -> "role/*-X"; "*" stays. */
function shortResource(arn: string): string {
  if (arn === '*') return '*';
  const parts = arn.split(':');
  return parts.slice(5).join(':') || arn;
}

/**
 * One line per service the deployment policy grants: name, how many
 * actions, on which resources when limited, why Zappa needs it, and what
 * `--policy strict` would drop or narrow for this stage.
 */
export function deploymentPolicyByService(groups: PermissionGroup[]): string[] {
  return groups.filter((g) => g.actions.length).map((g) => {
    const limited = g.resources.filter((r) => r !== '*').map(shortResource);
    const scope = limited.length && !g.resources.includes('*') ? `, only on ${limited.join(' and ')}` : '';
    const n = g.actions.length;
    // Named once per service without the flag: the walk-through offers strict as a choice, plan prints the flag once.
    const strict = g.removedByStrict.length
      ? ` Strict drops ${g.removedByStrict.join(', ')}.`
      : g.narrowedByStrict ? ' Strict limits it to this stage\'s own resources.' : '';
    return `${g.title} (${n} action${n === 1 ? '' : 's'}${scope}): ${g.why}${strict}`;
  });
}

/** What the execution policy is, in one paragraph. */
export function aboutExecutionPolicy(doc: PolicyDocument): string {
  const services = explainPolicy(doc).map((g) => g.title);
  return `What your running function may do (${services.join(', ')}); attached to the execution role.`;
}
