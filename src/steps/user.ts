/**
 * Row 2: the IAM user Zappa deploys as (--identity user and group). Reads
 * iam:GetUser; writes iam:CreateUser with the ManagedBy tag (and the
 * permissions boundary when one is asked for), or
 * iam:PutUserPermissionsBoundary when the boundary differs. An existing user
 * is used as it is (not re-tagged: teardown must not remove what the wizard
 * did not create). After a failure the user either exists or not; a re-run
 * finds out.
 */
import {isKind} from '../aws/aws-error.js';
import {managedTags} from '../aws/port.js';
import {drifted, missing, present, type StepDefinition} from '../engine/step.js';
import {boundaryDrift, boundaryHint} from './boundary.js';

export const userStep: StepDefinition = {
  id: 'user',
  dependsOn: ['identity'],
  title: (d) => `IAM user ${d.userName}`,
  async check(ctx) {
    const user = await ctx.reads.user(ctx.desired.userName);
    if (!user) return {...missing(`will create user ${ctx.desired.userName}${boundaryNote(ctx.desired.permissionsBoundary)}`), reason: 'user-missing'};
    const boundary = boundaryDrift(user.permissionsBoundary, ctx.desired.permissionsBoundary);
    return boundary ? {...drifted(boundary), reason: 'user-boundary'} : present(user.arn);
  },
  async apply(ctx, check) {
    if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
    const {userName, permissionsBoundary} = ctx.desired;
    if (check.state === 'drifted' && permissionsBoundary) {
      await ctx.aws.putUserPermissionsBoundary(userName, permissionsBoundary);
      return {status: 'updated', detail: `permissions boundary ${permissionsBoundary}`};
    }
    try {
      const user = await ctx.aws.createUser(userName, managedTags(), permissionsBoundary);
      return {status: 'created', detail: user.arn};
    } catch (err) {
      // Someone created it between our check and now: that is the end state too (a re-run checks its boundary).
      if (isKind(err, 'AlreadyExists')) return {status: 'unchanged', detail: 'already existed'};
      throw boundaryHint(err, `user ${userName}`, ctx);
    }
  },
};

/** ", with permissions boundary arn:…" for a plan line, when one is asked for. */
export const boundaryNote = (arn: string | undefined): string => (arn ? `, with permissions boundary ${arn}` : '');
