/**
 * Row 10: the role Lambda runs the app as. Reads iam:GetRole (trust policy
 * URL-decoded). Writes iam:CreateRole (tagged) or, when Lambda or API Gateway
 * cannot assume it, iam:UpdateAssumeRolePolicy with the missing services added
 * and every statement the person wrote kept.
 */
import {isKind} from '../aws/aws-error.js';
import {managedTags} from '../aws/port.js';
import {missingTrustedServices, withTrustedServices} from '../plan/trust.js';
import {drifted, missing, present, type StepContext, type StepDefinition} from '../engine/step.js';

async function repairTrust(ctx: StepContext): Promise<string> {
  ctx.reads.forget('role:');
  const role = await ctx.reads.role(ctx.desired.roleName);
  if (!role) throw new Error(`role ${ctx.desired.roleName} vanished while being repaired`);
  const lacking = missingTrustedServices(role.trust);
  if (lacking.length === 0) return '';
  await ctx.aws.updateTrust(ctx.desired.roleName, withTrustedServices(role.trust));
  return `trust policy: added ${lacking.join(', ')}`;
}

export const executionRoleStep: StepDefinition = {
  id: 'execution-role',
  dependsOn: [],
  title: (d) => `Execution role ${d.roleName}`,
  async check(ctx) {
    const role = await ctx.reads.role(ctx.desired.roleName);
    if (!role) return missing(`will create ${ctx.desired.roleName}, assumable by Lambda and API Gateway`);
    const lacking = missingTrustedServices(role.trust);
    if (lacking.length) return drifted(`trust policy lacks ${lacking.join(', ')}`);
    return present(role.arn);
  },
  async apply(ctx, check) {
    if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
    if (check.state === 'missing') {
      try {
        const role = await ctx.aws.createRole(ctx.desired.roleName, ctx.desired.trust,
          'Role Zappa Lambda functions run as (managed by zappa-iam-wizard)', managedTags());
        return {status: 'created', detail: role.arn};
      } catch (err) {
        if (!isKind(err, 'AlreadyExists')) throw err;
      }
    }
    const detail = await repairTrust(ctx);
    return detail ? {status: 'updated', detail} : {status: 'unchanged', detail: 'trust policy already complete'};
  },
};
