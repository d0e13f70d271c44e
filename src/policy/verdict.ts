/**
 * The proof's verdict in the three severities every command shares:
 * a problem (✖) is a call Zappa needs that would be refused, or an execution
 * role that a service cannot assume or that lacks what the settings need:
 * a deploy or a later run fails. A warning (!) works but deserves a look:
 * refusals Zappa carries on without, grants wider than the stage needs,
 * what could not be read. Pure.
 */
import type {Proof} from './proof.js';

export interface ProofVerdict { problems: string[]; warnings: string[] }

const short = (service: string) => service.replace('.amazonaws.com', '');

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
    if (role.reason) problems.push(`execution role ${role.role}: ${role.reason}`);
    for (const t of role.missingTrust) problems.push(`execution role ${role.role}: ${short(t.service)} cannot assume it (${t.reason})`);
    for (const m of role.missingPermissions) problems.push(`execution role ${role.role} lacks ${m.actions.join(', ')} (${m.setting}: ${m.reason})`);
    for (const name of role.unreadable) warnings.push(`could not read ${name} (attached to ${role.role}); its grants are left out`);
  }
  for (const d of proof.denials) if (!d.holds) warnings.push(`wider than Zappa needs: ${d.title.replace(/^No /, 'no ')} does not hold`);
  for (const name of proof.unreadable) warnings.push(`could not read ${name}; the proof leaves it out`);
  return {problems, warnings};
}
