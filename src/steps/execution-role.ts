/**
 * Row 10: the role Lambda runs the app as. Reads iam:GetRole (trust policy
 * URL-decoded). Writes iam:CreateRole (tagged) or, when a service the stage
 * hands the role to cannot assume it, iam:UpdateAssumeRolePolicy with the
 * missing services added and every statement the person wrote kept.
 *
 * With `role_arn` in the stage, that role is the execution role: it is
 * checked and repaired when it is in this account, never created (it is the
 * person's), and reported as not checkable when it is in another account.
 */
import {UserError} from '../errors.js';
import {missingTrustedServices, serviceName, withTrustedServices} from '../plan/trust.js';
import type {Check, DesiredState} from '../plan/types.js';
import {drifted, missing, present, type StepContext, type StepDefinition} from '../engine/step.js';
import {boundaryDrift} from './boundary.js';
import {createManagedRole, setRoleBoundary} from './managed-role.js';
import {EXECUTION_ROLE_DESCRIPTION} from '../plan/deploy-identity.js';
import {boundaryNote} from './user.js';

async function repairTrust(ctx: StepContext): Promise<string> {
  ctx.reads.forget('role:');
  const {roleName, trustServices} = ctx.desired;
  const role = await ctx.reads.role(roleName);
  if (!role) throw new Error(`role ${roleName} vanished while being repaired`);
  const lacking = missingTrustedServices(role.trust, trustServices);
  if (lacking.length === 0) return '';
  await ctx.aws.updateTrust(roleName, withTrustedServices(role.trust, trustServices));
  return `trust policy: added ${lacking.join(', ')}`;
}

/** A role the stage names with role_arn is the person's: its boundary is theirs too. */
async function repairBoundary(ctx: StepContext): Promise<string> {
  if (ctx.desired.roleArn) return '';
  const role = await ctx.reads.role(ctx.desired.roleName);
  return role ? setRoleBoundary(ctx, role) : '';
}

/** Why each service must be trusted, for the drift detail. */
function lackingDetail(d: DesiredState, lacking: string[]): string {
  const why = lacking.map((s) => {
    const addition = d.additions.find((a) => a.policy === 'trust' && a.actions.includes(s));
    return addition ? `${serviceName(s)} (${addition.reason})` : serviceName(s);
  });
  return `trust policy lacks ${why.join('; ')}`;
}

/** The stage's role_arn is in another account: nothing here can read or change it. */
export function foreignRoleCheck(d: DesiredState): Check | undefined {
  if (d.roleInAccount) return undefined;
  return present(`role_arn ${d.roleArn} is in another account; the wizard cannot check its trust or permissions (it needs ${d.trustServices.map(serviceName).join(', ')} in its trust)`);
}

export const executionRoleStep: StepDefinition = {
  id: 'execution-role',
  dependsOn: [],
  title: (d) => `Execution role ${d.roleName}${d.roleArn ? ' (role_arn)' : ''}`,
  async check(ctx) {
    const d = ctx.desired;
    const foreign = foreignRoleCheck(d);
    if (foreign) return foreign;
    const role = await ctx.reads.role(d.roleName);
    if (!role && d.roleArn) {
      return {state: 'blocked', reason: 'role-arn-missing', detail: `role_arn names ${d.roleArn}, which does not exist in this account`, hint: 'Create that role, or remove role_arn from the stage so the wizard can create one, and run again.'};
    }
    if (!role) return {reason: 'role-missing', ...missing(`will create ${d.roleName}, assumable by ${d.trustServices.map(serviceName).join(', ')}${boundaryNote(d.permissionsBoundary)}`)};
    const lacking = missingTrustedServices(role.trust, d.trustServices);
    // A role the stage names with role_arn is the person's: its boundary is theirs too.
    const boundary = d.roleArn ? undefined : boundaryDrift(role.permissionsBoundary, d.permissionsBoundary);
    const parts = [...(lacking.length ? [lackingDetail(d, lacking)] : []), ...(boundary ? [boundary] : [])];
    if (parts.length) return {...drifted(parts.join('; ')), reason: lacking.length ? 'role-trust' : 'role-boundary'};
    return present(role.arn);
  },
  async apply(ctx, check) {
    if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
    if (check.state === 'blocked') throw new UserError(`Can't use the execution role: ${check.detail}.`, {hint: check.hint, exitCode: 1});
    if (check.state === 'missing') {
      const created = await createManagedRole(ctx, ctx.desired.roleName, ctx.desired.trust, EXECUTION_ROLE_DESCRIPTION);
      if (created) return {status: 'created', detail: created};
    }
    const done = [await repairTrust(ctx), await repairBoundary(ctx)].filter(Boolean).join('; ');
    return done ? {status: 'updated', detail: done} : {status: 'unchanged', detail: 'trust policy already complete'};
  },
};
