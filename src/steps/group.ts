/**
 * --identity group (seed 003's "Group-Level Permissions"): the deployment
 * policy is attached to an IAM group and the user is a member, so the next
 * teammate only needs to join the group. Two rows: the group (iam:GetGroup;
 * iam:CreateGroup) and the user's membership (iam:ListGroupsForUser;
 * iam:AddUserToGroup, a no-op when already a member, so a retry is safe).
 * IAM groups carry no tags: teardown removes a group only when nothing but
 * what the wizard put there is left in it.
 */
import {isKind} from '../aws/aws-error.js';
import {missing, present, type StepDefinition} from '../engine/step.js';
import type {DesiredState} from '../plan/types.js';

/** The group of the run's deploy identity (the steps are only in a group run's rows). */
export function groupOf(d: DesiredState): string {
  if (d.deployIdentity.kind !== 'group') throw new Error('group step outside --identity group');
  return d.deployIdentity.group;
}

export const groupStep: StepDefinition = {
  id: 'group',
  dependsOn: ['identity'],
  title: (d) => `IAM group ${groupOf(d)}`,
  async check(ctx) {
    const group = await ctx.reads.group(groupOf(ctx.desired));
    return group ? present(group.arn) : {...missing(`will create group ${groupOf(ctx.desired)}`), reason: 'group-missing'};
  },
  async apply(ctx, check) {
    if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
    try {
      const group = await ctx.aws.createGroup(groupOf(ctx.desired));
      return {status: 'created', detail: group.arn};
    } catch (err) {
      if (isKind(err, 'AlreadyExists')) return {status: 'unchanged', detail: 'already existed'};
      throw err;
    }
  },
};

export const groupMembershipStep: StepDefinition = {
  id: 'group-membership',
  dependsOn: ['user', 'group'],
  title: (d) => `${d.userName} a member of ${groupOf(d)}`,
  async check(ctx) {
    const group = groupOf(ctx.desired);
    const groups = await ctx.reads.groupsForUser(ctx.desired.userName);
    return groups.includes(group) ? present(`member of ${group}`) : {...missing(`will add ${ctx.desired.userName} to ${group}`), reason: 'group-membership-missing'};
  },
  async apply(ctx, check) {
    if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
    await ctx.aws.addUserToGroup(groupOf(ctx.desired), ctx.desired.userName);
    return {status: 'created', detail: `added to ${groupOf(ctx.desired)}`};
  },
};
