/**
 * --identity role: the role Zappa deploys as, with no long-term key. The
 * person's own identity (SSO role, admin user) assumes it through
 * [profile serverless] (role_arn + source_profile or credential_source).
 * Reads iam:GetRole; writes iam:CreateRole (tagged ManagedBy, with the
 * boundary when one is asked for), iam:UpdateAssumeRolePolicy when the
 * identity running the wizard is not yet let in (whoever was let in before
 * stays), iam:PutRolePermissionsBoundary when the boundary differs.
 */
import {isManaged, type IamRole} from '../aws/port.js';
import {UserError} from '../errors.js';
import {DEPLOY_ROLE_DESCRIPTION, deployRolePrincipals, deployRoleTrustWith} from '../plan/deploy-identity.js';
import type {DesiredState} from '../plan/types.js';
import {drifted, missing, present, type StepContext, type StepDefinition} from '../engine/step.js';
import {boundaryDrift} from './boundary.js';
import {createManagedRole, setRoleBoundary} from './managed-role.js';
import {boundaryNote} from './user.js';

/** The role identity of the run (the step is only in a role run's rows). */
export function deployRoleIdentity(d: DesiredState) {
  if (d.deployIdentity.kind !== 'role') throw new Error('deploy-role step outside --identity role');
  return d.deployIdentity;
}

/** Principals the run needs let in that the role's trust does not let in yet. */
function principalsLacking(role: IamRole, d: DesiredState): string[] {
  const have = new Set(deployRolePrincipals(role.trust));
  return deployRolePrincipals(deployRoleIdentity(d).trust).filter((p) => !have.has(p));
}

export const deployRoleStep: StepDefinition = {
  id: 'deploy-role',
  dependsOn: ['identity'],
  title: (d) => `Deploy role ${deployRoleIdentity(d).roleName}`,
  async check(ctx) {
    const d = ctx.desired;
    const {roleName} = deployRoleIdentity(d);
    const role = await ctx.reads.role(roleName);
    if (!role) return {...missing(`will create role ${roleName}, assumable only by ${deployRolePrincipals(deployRoleIdentity(d).trust)[0]}${boundaryNote(d.permissionsBoundary)}`), reason: 'deploy-role-missing'};
    const lacking = principalsLacking(role, d);
    if (lacking.length && !isManaged(role.tags)) {
      return {
        state: 'blocked', reason: 'deploy-role-not-wizards',
        detail: `role ${roleName} exists, was not created by the wizard, and does not let ${lacking[0]} assume it`,
        hint: `Name the deploy role something else (--user <name>), or let ${lacking[0]} assume ${roleName} yourself, and run again.`,
      };
    }
    const boundary = boundaryDrift(role.permissionsBoundary, d.permissionsBoundary);
    const parts = [...(lacking.length ? [`trust does not let ${lacking[0]} assume it yet; will add it (whoever is let in now stays)`] : []), ...(boundary ? [boundary] : [])];
    if (parts.length) return {...drifted(parts.join('; ')), reason: lacking.length ? 'deploy-role-trust' : 'deploy-role-boundary'};
    return present(role.arn);
  },
  async apply(ctx, check) {
    if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
    if (check.state === 'blocked') throw new UserError(`Can't use the deploy role: ${check.detail}.`, {hint: check.hint, exitCode: 1});
    if (check.state === 'missing') {
      const {roleName, trust} = deployRoleIdentity(ctx.desired);
      const created = await createManagedRole(ctx, roleName, trust, DEPLOY_ROLE_DESCRIPTION);
      if (created) return {status: 'created', detail: created};
    }
    return {status: 'updated', detail: await repairDeployRole(ctx)};
  },
};

async function repairDeployRole(ctx: StepContext): Promise<string> {
  ctx.reads.forget('role:');
  const d = ctx.desired;
  const {roleName, trust} = deployRoleIdentity(d);
  const role = await ctx.reads.role(roleName);
  if (!role) throw new Error(`role ${roleName} vanished while being repaired`);
  const done: string[] = [];
  const lacking = principalsLacking(role, d);
  if (lacking.length) {
    await ctx.aws.updateTrust(roleName, deployRoleTrustWith(role.trust, trust));
    done.push(`trust: let ${lacking.join(', ')} assume it`);
  }
  done.push(await setRoleBoundary(ctx, role));
  return done.filter(Boolean).join('; ') || 'already as wanted';
}
