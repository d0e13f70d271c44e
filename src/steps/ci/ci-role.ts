/**
 * The role GitHub Actions deploy as (`ci github`): assumable with
 * sts:AssumeRoleWithWebIdentity through the account's GitHub OIDC provider,
 * only with aud = sts.amazonaws.com and sub pinned to one repository's
 * branch or environment. Reads iam:GetRole. Writes iam:CreateRole (tagged
 * ManagedBy, with the boundary when one is asked for); on drift
 * iam:UpdateAssumeRolePolicy with exactly the wanted trust (a statement that
 * let anyone else in is dropped, never kept: nothing looser survives),
 * iam:PutRolePermissionsBoundary and iam:TagRole. After a failure the role
 * is absent or partly repaired, never looser than before; a re-run finishes.
 */
import {isManaged, type IamRole} from '../../aws/port.js';
import {UserError} from '../../errors.js';
import {ciRoleDescription, githubSubject} from '../../plan/deploy-identity.js';
import {samePolicy, type PolicyDocument} from '../../plan/policy.js';
import type {DesiredState} from '../../plan/types.js';
import {drifted, missing, present, type StepContext, type StepDefinition} from '../../engine/step.js';
import {boundaryDrift} from '../boundary.js';
import {createManagedRole, setRoleBoundary} from '../managed-role.js';
import {boundaryNote} from '../user.js';
import {ciIdentityOf} from './ci-identity.js';

/** The subjects a trust lets in, as its conditions spell them (for the drift detail). */
function subjectsOf(trust: PolicyDocument): string[] {
  const statements = Array.isArray(trust.Statement) ? trust.Statement : [trust.Statement];
  return statements.flatMap((s) => Object.values((s.Condition ?? {}) as Record<string, Record<string, unknown>>)
    .flatMap((block) => Object.entries(block ?? {}).filter(([key]) => key.toLowerCase().endsWith(':sub')).flatMap(([, v]) => (Array.isArray(v) ? v : [v]).map(String))));
}

function trustDrift(role: IamRole, d: DesiredState): string | undefined {
  const {trust, scope} = ciIdentityOf(d);
  if (samePolicy(role.trust, trust)) return undefined;
  const subjects = subjectsOf(role.trust);
  const now = subjects.length ? `it lets in sub ${subjects.join(', ')}` : 'it pins no sub';
  return `trust policy differs (${now}); will replace it with one that lets in only ${githubSubject(scope)}`;
}

export const ciRoleStep: StepDefinition = {
  id: 'ci-role',
  dependsOn: ['oidc-provider'],
  title: (d) => `GitHub Actions deploy role ${ciIdentityOf(d).roleName}`,
  async check(ctx) {
    const d = ctx.desired;
    const {roleName, scope} = ciIdentityOf(d);
    const role = await ctx.reads.role(roleName);
    if (!role) return {...missing(`will create role ${roleName}, assumable only by GitHub Actions of ${githubSubject(scope)}${boundaryNote(d.permissionsBoundary)}`), reason: 'ci-role-missing'};
    const trust = trustDrift(role, d);
    if (trust && !isManaged(role.tags)) {
      return {
        state: 'blocked', reason: 'ci-role-not-wizards',
        detail: `role ${roleName} exists, was not created by the wizard, and its trust is not the one for ${githubSubject(scope)}`,
        hint: `Delete or rename that role, or tag it ManagedBy=zappa-iam-wizard to let the wizard replace its trust, and run again.`,
      };
    }
    const parts = [trust, boundaryDrift(role.permissionsBoundary, d.permissionsBoundary)].filter((p): p is string => p !== undefined);
    if (parts.length) return {...drifted(parts.join('; ')), reason: trust ? 'ci-role-trust' : 'ci-role-boundary'};
    return present(role.arn);
  },
  async apply(ctx, check) {
    if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
    if (check.state === 'blocked') throw new UserError(`Can't use the GitHub Actions deploy role: ${check.detail}.`, {hint: check.hint, exitCode: 1});
    if (check.state === 'missing') {
      const {roleName, trust, scope} = ciIdentityOf(ctx.desired);
      const created = await createManagedRole(ctx, roleName, trust, ciRoleDescription(scope));
      if (created) return {status: 'created', detail: created};
    }
    return {status: 'updated', detail: await repairCiRole(ctx)};
  },
};

async function repairCiRole(ctx: StepContext): Promise<string> {
  ctx.reads.forget('role:');
  const d = ctx.desired;
  const {roleName, trust, scope} = ciIdentityOf(d);
  const role = await ctx.reads.role(roleName);
  if (!role) throw new Error(`role ${roleName} vanished while being repaired`);
  const done: string[] = [];
  if (trustDrift(role, d)) {
    if (!isManaged(role.tags)) throw new UserError(`Can't use the GitHub Actions deploy role: role ${roleName} appeared meanwhile, not created by the wizard.`, {hint: 'Delete or rename that role and run again.', exitCode: 1});
    await ctx.aws.updateTrust(roleName, trust);
    done.push(`trust: only ${githubSubject(scope)}`);
  }
  done.push(await setRoleBoundary(ctx, role));
  return done.filter(Boolean).join('; ') || 'already as wanted';
}
