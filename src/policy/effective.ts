/**
 * Gathers the identity policies that apply to the serverless user, for the
 * proof. Reads through the engine's memoised Reads, so after a setup the
 * attachment list read during planning is reused and only documents not
 * already known cost a call.
 *
 * Covers the customer- and AWS-managed policies attached to the user. Inline
 * user policies and group policies are not read yet (AwsPort has no call for
 * them); the proof says which policies it evaluated.
 */
import {isKind} from '../aws/aws-error.js';
import type {Reads} from '../engine/reads.js';
import type {PolicyDocument} from '../plan/policy.js';
import type {DesiredState} from '../plan/types.js';
import {deployRoleOf} from '../plan/deploy-identity.js';
import type {NamedPolicy} from './statements.js';

/** The policies found, and the ones that could not be read (named, for the report). */
export interface EffectivePolicies { policies: NamedPolicy[]; unreadable: string[] }

/**
 * `known` supplies documents the caller already holds, by policy ARN (e.g.
 * the deployment policy setup just wrote): they are used as they are and
 * counted as attached.
 */
export function effectivePolicies(reads: Reads, userName: string, known: {arn: string; document: PolicyDocument}[] = []): Promise<EffectivePolicies> {
  return attachedPolicies(() => reads.userPolicies(userName), userName, reads, known);
}

/**
 * The policies of the identity Zappa deploys as: the user's, the user's and
 * its group's (--identity group), or the deploy role's.
 */
export async function deployerPolicies(reads: Reads, d: DesiredState, known: {arn: string; document: PolicyDocument}[] = []): Promise<EffectivePolicies> {
  const role = deployRoleOf(d.deployIdentity);
  if (role) return rolePolicyDocuments(reads, role.roleName, known);
  const own = await effectivePolicies(reads, d.userName, known);
  if (d.deployIdentity.kind !== 'group') return own;
  const {group} = d.deployIdentity;
  const fromGroup = await attachedPolicies(() => reads.groupPolicies(group), `group ${group}`, reads, known);
  const names = new Set(own.policies.map((p) => p.name));
  return {policies: [...own.policies, ...fromGroup.policies.filter((p) => !names.has(p.name))], unreadable: [...own.unreadable, ...fromGroup.unreadable]};
}

/** The managed policies attached to the execution role, the same way. */
export function rolePolicyDocuments(reads: Reads, roleName: string, known: {arn: string; document: PolicyDocument}[] = []): Promise<EffectivePolicies> {
  return attachedPolicies(() => reads.rolePolicies(roleName), roleName, reads, known);
}

async function attachedPolicies(
  list: () => Promise<string[]>, owner: string, reads: Reads, known: {arn: string; document: PolicyDocument}[],
): Promise<EffectivePolicies> {
  const unreadable: string[] = [];
  let attached: string[] = [];
  try {
    attached = await list();
  } catch (err) {
    // A user or role that does not exist has no policies; anything else leaves a gap.
    if (!isKind(err, 'NotFound')) unreadable.push(`the policies attached to ${owner}`);
  }
  const arns = [...new Set([...attached, ...known.map((k) => k.arn)])];
  const policies = await Promise.all(arns.map(async (arn): Promise<NamedPolicy | undefined> => {
    const name = arn.slice(arn.lastIndexOf('/') + 1);
    const given = known.find((k) => k.arn === arn);
    if (given) return {name, document: given.document};
    try {
      const state = await reads.policy(arn);
      if (state) return {name, document: state.document};
    } catch {
      // reported below
    }
    unreadable.push(name);
    return undefined;
  }));
  return {policies: policies.filter((p): p is NamedPolicy => p !== undefined), unreadable};
}
