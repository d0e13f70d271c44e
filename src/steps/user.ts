/**
 * Row 2: the IAM user Zappa deploys as. Reads iam:GetUser; writes
 * iam:CreateUser with the ManagedBy tag. An existing user is used as it is
 * (not re-tagged: teardown must not remove what the wizard did not create).
 * After a failure the user either exists or not; a re-run finds out.
 */
import {isKind} from '../aws/aws-error.js';
import {managedTags} from '../aws/port.js';
import {missing, present, type StepDefinition} from '../engine/step.js';

export const userStep: StepDefinition = {
  id: 'user',
  dependsOn: ['identity'],
  title: (d) => `IAM user ${d.userName}`,
  async check(ctx) {
    const user = await ctx.reads.user(ctx.desired.userName);
    return user ? present(user.arn) : {...missing(`will create user ${ctx.desired.userName}`), reason: 'user-missing'};
  },
  async apply(ctx, check) {
    if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
    try {
      const user = await ctx.aws.createUser(ctx.desired.userName, managedTags());
      return {status: 'created', detail: user.arn};
    } catch (err) {
      // Someone created it between our check and now: that is the end state too.
      if (isKind(err, 'AlreadyExists')) return {status: 'unchanged', detail: 'already existed'};
      throw err;
    }
  },
};
