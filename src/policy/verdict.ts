/**
 * The proof's verdict in the three severities every command shares:
 * a problem (✖) is a call Zappa needs that would be refused, or an execution
 * role that a service cannot assume or that lacks what the settings need:
 * a deploy or a later run fails. A warning (!) works but deserves a look:
 * refusals Zappa carries on without, grants wider than the stage needs,
 * what could not be read. Pure.
 */
import type {Proof} from './proof.js';
import type {RoleProof} from './role-proof.js';
import {serviceName} from '../plan/trust.js';

export interface ProofVerdict { problems: string[]; warnings: string[] }

/** What the execution role lacks, one sentence each (also the proof's ✖ role lines). */
export function roleProblems(r: RoleProof): string[] {
  if (r.reason) return [`execution role ${r.role}: ${r.reason}`];
  return [
    ...r.missingTrust.map((t) => `execution role ${r.role}: ${serviceName(t.service)} cannot assume it (${t.reason})`),
    ...r.missingPermissions.map((m) => `execution role ${r.role} lacks ${m.actions.join(', ')} (${m.setting}: ${m.reason})`),
  ];
}

export function proofVerdict(proof: Proof): ProofVerdict {
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const c of proof.commands) {
    const fatal = c.missing.filter((m) => !m.tolerated);
    if (fatal.length) problems.push(`zappa ${c.command} would fail: ${proof.user} may not call ${[...new Set(fatal.map((m) => m.action))].join(', ')}`);
    const tolerated = [...new Set(c.missing.filter((m) => m.tolerated).map((m) => m.action))];
    if (tolerated.length) warnings.push(`zappa ${c.command}: ${tolerated.join(', ')} refused, and Zappa carries on without it`);
  }
  const role = proof.role;
  if (role && !role.checked) warnings.push(`execution role ${role.role} not checked: ${role.reason}`);
  if (role?.checked) {
    problems.push(...roleProblems(role));
    for (const name of role.unreadable) warnings.push(`could not read ${name} (attached to ${role.role}); its grants are left out`);
  }
  for (const d of proof.denials) if (!d.holds) warnings.push(`wider than Zappa needs: ${d.title.replace(/^No /, 'no ')} does not hold`);
  for (const name of proof.unreadable) warnings.push(`could not read ${name}; the proof leaves it out`);
  return {problems, warnings};
}
