/**
 * What the rows that own a role (the execution role, the deploy role, the
 * CI role) do alike: create it tagged ManagedBy with the run's permissions
 * boundary, taking "already exists" as a role made since the check (the row
 * then repairs it instead), and later set that boundary on a role lacking it.
 */
import {isKind} from '../aws/aws-error.js';
import {managedTags, type IamRole} from '../aws/port.js';
import type {PolicyDocument} from '../plan/policy.js';
import type {StepContext} from '../engine/step.js';
import {boundaryHint} from './boundary.js';

/** The new role's ARN, or undefined when it exists already. A denial that asks for a boundary says how to pass one. */
export async function createManagedRole(ctx: StepContext, name: string, trust: PolicyDocument, description: string): Promise<string | undefined> {
  try {
    return (await ctx.aws.createRole(name, trust, description, managedTags(), ctx.desired.permissionsBoundary)).arn;
  } catch (err) {
    if (isKind(err, 'AlreadyExists')) return undefined;
    throw boundaryHint(err, `role ${name}`, ctx);
  }
}

/** Sets the run's boundary (--permissions-boundary) on the role when it has another or none; what was done, or '' for nothing. */
export async function setRoleBoundary(ctx: StepContext, role: IamRole): Promise<string> {
  const wanted = ctx.desired.permissionsBoundary;
  if (!wanted || role.permissionsBoundary === wanted) return '';
  await ctx.aws.putRolePermissionsBoundary(role.name, wanted);
  return `permissions boundary ${wanted}`;
}
