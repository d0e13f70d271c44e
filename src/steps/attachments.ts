/**
 * Rows 8 and 11: the deployment policy attached to the deploy identity (the
 * user, its group, or the deploy role), the execution policy attached to the
 * execution role. Reads iam:ListAttached{User,Group,Role}Policies; writes
 * iam:Attach{User,Group,Role}Policy, which IAM treats as a no-op when the
 * policy is already attached, so a retry is always safe.
 */
import {deployRoleOf} from '../plan/deploy-identity.js';
import type {DesiredState, StepId} from '../plan/types.js';
import {drifted, missing, present, type StepDefinition} from '../engine/step.js';
import {foreignRoleCheck} from './execution-role.js';
import {groupOf} from './group.js';

export const deploymentPolicyAttachedStep: StepDefinition = {
  id: 'deployment-policy-attached',
  dependsOn: ['user', 'deployment-policy'],
  title: (d) => `${d.deploymentPolicy.name} attached to ${d.userName}`,
  async check(ctx) {
    const attached = await ctx.reads.userPolicies(ctx.desired.userName);
    return attached.includes(ctx.desired.deploymentPolicy.arn) ? present('attached') : {...missing(`not attached, so every Zappa call is denied; will attach`), reason: 'deployment-policy-not-attached'};
  },
  async apply(ctx, check) {
    if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
    await ctx.aws.attachUserPolicy(ctx.desired.userName, ctx.desired.deploymentPolicy.arn);
    return {status: 'created', detail: 'attached'};
  },
};

/**
 * --identity group: the policy on the group, and no longer on the user
 * directly. The user loses its own attachment only after the group (which it
 * is a member of by then: this row waits for the membership) grants the same,
 * so there is no moment without rights.
 */
export const deploymentPolicyAttachedToGroupStep: StepDefinition = {
  id: 'deployment-policy-attached',
  dependsOn: ['group-membership', 'deployment-policy'],
  title: (d) => `${d.deploymentPolicy.name} attached to group ${groupOf(d)}`,
  async check(ctx) {
    const {deploymentPolicy, userName} = ctx.desired;
    const group = groupOf(ctx.desired);
    const [onGroup, onUser] = await Promise.all([ctx.reads.groupPolicies(group), ctx.reads.userPolicies(userName)]);
    const direct = onUser.includes(deploymentPolicy.arn);
    if (!onGroup.includes(deploymentPolicy.arn)) {
      return {...missing(`not attached to ${group}; will attach${direct ? `, then detach it from ${userName}, which holds it directly` : ''}`), reason: 'deployment-policy-not-attached'};
    }
    if (direct) return {...drifted(`also attached to ${userName} directly; will detach it there (the group grants the same)`), reason: 'deployment-policy-on-user'};
    return present(`attached to ${group}`);
  },
  async apply(ctx, check) {
    if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
    const {deploymentPolicy, userName} = ctx.desired;
    const group = groupOf(ctx.desired);
    const done: string[] = [];
    if (check.state === 'missing') {
      await ctx.aws.attachGroupPolicy(group, deploymentPolicy.arn);
      done.push(`attached to ${group}`);
    }
    if ((await ctx.reads.userPolicies(userName)).includes(deploymentPolicy.arn)) {
      await ctx.aws.detachUserPolicy(userName, deploymentPolicy.arn);
      done.push(`detached from ${userName}`);
    }
    return {status: check.state === 'missing' ? 'created' : 'updated', detail: done.join(', then ')};
  },
};

/** The deploy role of --identity role or of `ci github`. */
function roleOf(d: DesiredState): string {
  const role = deployRoleOf(d.deployIdentity);
  if (!role) throw new Error('deploy-role attachment outside a role identity');
  return role.roleName;
}

/** --identity role (after deploy-role) and ci github (after ci-role): the policy on the role Zappa deploys as. */
export function deploymentPolicyAttachedToRoleStep(roleStep: StepId): StepDefinition {
  return {
    id: 'deployment-policy-attached',
    dependsOn: [roleStep, 'deployment-policy'],
    title: (d) => `${d.deploymentPolicy.name} attached to role ${roleOf(d)}`,
    async check(ctx) {
      const role = roleOf(ctx.desired);
      const attached = await ctx.reads.rolePolicies(role);
      return attached.includes(ctx.desired.deploymentPolicy.arn) ? present(`attached to ${role}`) : {...missing(`not attached to ${role}, so every Zappa call is denied; will attach`), reason: 'deployment-policy-not-attached'};
    },
    async apply(ctx, check) {
      if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
      await ctx.aws.attachRolePolicy(roleOf(ctx.desired), ctx.desired.deploymentPolicy.arn);
      return {status: 'created', detail: `attached to ${roleOf(ctx.desired)}`};
    },
  };
}

export const executionPolicyAttachedStep: StepDefinition = {
  id: 'execution-policy-attached',
  dependsOn: ['execution-role', 'execution-policy'],
  title: (d) => `${d.executionPolicy.name} attached to ${d.roleName}`,
  async check(ctx) {
    const foreign = foreignRoleCheck(ctx.desired);
    if (foreign) return present(`not checked: ${ctx.desired.roleName} is in another account`);
    const attached = await ctx.reads.rolePolicies(ctx.desired.roleName);
    return attached.includes(ctx.desired.executionPolicy.arn) ? present('attached') : {...missing(`not attached, so the function may neither write its logs nor do what its settings need; will attach`), reason: 'execution-policy-not-attached'};
  },
  async apply(ctx, check) {
    if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
    await ctx.aws.attachRolePolicy(ctx.desired.roleName, ctx.desired.executionPolicy.arn);
    return {status: 'created', detail: 'attached'};
  },
};
