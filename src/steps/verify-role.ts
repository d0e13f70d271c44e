/**
 * Row 12 for --identity role: the profile, resolved as the AWS CLI and boto3
 * resolve it (role_arn with its source credentials), assumes the deploy role:
 * STS answers `assumed-role/<role>/…`. A new role, or a trust just changed,
 * can take a few seconds to be assumable everywhere in IAM, so apply polls
 * with a short, growing backoff and shows the wait.
 */
import {isKind} from '../aws/aws-error.js';
import {missing, present, type StepContext, type StepDefinition} from '../engine/step.js';
import type {CallerIdentity} from '../aws/port.js';
import {deployRoleIdentity} from './deploy-role.js';
import {untilAccepted} from './iam-wait.js';

const assumesRole = (who: CallerIdentity, roleName: string): boolean => who.arn.includes(`:assumed-role/${roleName}/`);

export const verifyRoleStep: StepDefinition = {
  id: 'verify',
  dependsOn: ['deploy-role', 'config-file', 'deployment-policy-attached'],
  title: (d) => `Profile ${d.profileName} assumes ${deployRoleIdentity(d).roleName}`,
  async check(ctx) {
    const {roleName} = deployRoleIdentity(ctx.desired);
    const who = await ctx.reads.profileIdentity(ctx.desired.profileName);
    if (!(who instanceof Error) && assumesRole(who, roleName)) return present(`answers as ${who.arn}`);
    const why = who instanceof Error ? 'cannot assume it yet' : `answers as ${who.arn}`;
    return {...missing(`profile ${ctx.desired.profileName} ${why}; will prove it once the profile and the role are in place`), reason: 'profile-not-assuming'};
  },
  async apply(ctx, check) {
    if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
    return {status: 'created', detail: await waitUntilAssumed(ctx)};
  },
};

/** Asks STS through the profile until it answers as the role; only "not allowed yet" is worth waiting for. */
async function waitUntilAssumed(ctx: StepContext): Promise<string> {
  const {roleName} = deployRoleIdentity(ctx.desired);
  const {profileName} = ctx.desired;
  const {value: who, after} = await untilAccepted(ctx, async () => {
    const answer = await ctx.aws.identityOfProfile(profileName);
    if (!assumesRole(answer, roleName)) throw new Error(`profile ${profileName} answers as ${answer.arn}, not as role ${roleName}`);
    return answer;
  }, (err) => isKind(err, 'AccessDenied') || isKind(err, 'InvalidCredentials'), `let the profile assume ${roleName}`);
  return `answers as ${who.arn}${after}`;
}
