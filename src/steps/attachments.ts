/**
 * Rows 8 and 11: the deployment policy attached to the user, the execution
 * policy attached to the role. Reads iam:ListAttached{User,Role}Policies;
 * writes iam:Attach{User,Role}Policy, which IAM treats as a no-op when the
 * policy is already attached, so a retry is always safe.
 */
import {missing, present, type StepDefinition} from '../engine/step.js';
import {foreignRoleCheck} from './execution-role.js';

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
