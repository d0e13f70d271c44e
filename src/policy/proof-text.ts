/**
 * The proof as plain lines: one per Zappa command, one per refusal, so a
 * log or a pipe reads it as well as a terminal. A symbol and a word on
 * every line, as in the checklist.
 */
import type {DecidingStatement} from './evaluate.js';
import type {CommandProof, DenialProof, Proof} from './proof.js';
import type {RoleProof} from './role-proof.js';
import {roleProblems} from './verdict.js';

/** Lines summarising the proof; `policy` is the --policy preset, to suggest strict when it helps. */
export function proofLines(proof: Proof, policy = 'document'): string[] {
  const lines = [`Permissions of ${proof.user}, checked offline against what Zappa calls for this stage (${proof.policies.join(', ') || 'no policies'}):`];
  const width = Math.max(...proof.commands.map((c) => c.command.length));
  for (const c of proof.commands) lines.push(commandLine(c, width));
  if (proof.role) lines.push(...roleLines(proof.role));
  for (const d of proof.denials) lines.push(denialLine(d));
  for (const name of proof.unreadable) lines.push(`  ! could not read ${name}; the proof leaves it out`);
  const fixable = proof.denials.some((d) => !d.holds && d.id !== 'no-other-services') || proof.commands.some((c) => c.missing.length);
  if (fixable && policy !== 'strict') lines.push('  --policy strict grants exactly what Zappa calls for this stage and nothing more.');
  return lines;
}

function commandLine(c: CommandProof, width: number): string {
  const head = `  ${c.ok ? '✔' : '✖'} ${c.command.padEnd(width)} ${c.allowed}/${c.total} allowed`;
  if (!c.missing.length) return head;
  const fatal = c.missing.filter((m) => !m.tolerated);
  const tolerated = c.missing.filter((m) => m.tolerated);
  const parts: string[] = [];
  if (fatal.length) parts.push(`missing ${fatal.map((m) => m.action).join(', ')}: Zappa stops there`);
  if (tolerated.length) parts.push(`${tolerated.map((m) => m.action).join(', ')} refused; Zappa carries on`);
  return `${head} (${parts.join('; ')})`;
}

/** The execution role: who may assume it and whether it holds what the settings need. */
function roleLines(r: RoleProof): string[] {
  if (!r.checked) return [`  ! execution role ${r.role}: not checked (${r.reason})`];
  if (r.ok) return [`  ✔ execution role ${r.role}: assumable by the services the stage hands it to, and holds what the settings need`];
  return roleProblems(r).map((problem) => `  ✖ ${problem}`);
}

/** A refusal that does not hold is a warning: Zappa works, the user may do more than it needs. */
function denialLine(d: DenialProof): string {
  if (d.holds) return `  ✔ ${d.title}`;
  if (d.id === 'no-other-services') {
    const which = d.services?.includes('*') ? 'every service' : d.services?.join(', ');
    return `  ! ${d.title}: also allowed: ${which}`;
  }
  const open = d.checks.filter((c) => c.decision === 'allowed' || c.decision === 'uncertain');
  const shown = open.slice(0, 2).map((c) => `${c.action} on ${c.resource}${c.by ? ` (${cite(c.by)}${c.decision === 'uncertain' ? ', depends on a condition' : ''})` : ''}`);
  return `  ! ${d.title}: allowed ${shown.join('; ')}${open.length > 2 ? ` and ${open.length - 2} more` : ''}`;
}

function cite(by: DecidingStatement): string {
  return `${by.policy} statement ${by.index + 1}${by.sid ? ` "${by.sid}"` : ''}`;
}
