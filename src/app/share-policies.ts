/**
 * Several stages, one IAM: the deploy identity has one deployment policy and
 * the roles one execution policy, so both must cover every stage; a role
 * named by several stages must be assumable by every service any of them
 * hands it to. Pure.
 */
import {withTrustedServices} from '../plan/trust.js';
import type {DesiredState, PolicyAddition} from '../plan/types.js';
import {mergeDocuments} from '../policy/merge.js';

export function sharePolicies(desireds: DesiredState[]): DesiredState[] {
  if (desireds.length < 2) return desireds;
  const deployment = mergeDocuments(desireds.map((d) => d.deploymentPolicy.document));
  const execution = mergeDocuments(desireds.map((d) => d.executionPolicy.document));
  const additions = uniqueAdditions(desireds.flatMap((d) => d.additions));
  const trustOfRole = new Map<string, string[]>();
  for (const d of desireds) trustOfRole.set(d.roleName, [...new Set([...(trustOfRole.get(d.roleName) ?? []), ...d.trustServices])].sort());
  return desireds.map((d) => {
    const services = trustOfRole.get(d.roleName)!;
    return {
      ...d,
      deploymentPolicy: {...d.deploymentPolicy, document: deployment},
      executionPolicy: {...d.executionPolicy, document: execution},
      trust: withTrustedServices(d.trust, services),
      trustServices: services,
      additions,
    };
  });
}

function uniqueAdditions(additions: PolicyAddition[]): PolicyAddition[] {
  const seen = new Set<string>();
  return additions.filter((a) => {
    const key = JSON.stringify([a.policy, a.setting, [...a.actions].sort()]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
