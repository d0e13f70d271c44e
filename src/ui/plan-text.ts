/** The plan as plain text: counts, then one row per change. */
import type {PlanItem} from '../engine/run.js';
import type {DesiredState, Fix} from '../plan/types.js';

export function planCounts(plan: PlanItem[]): {create: number; update: number; inPlace: number; blocked: number} {
  const count = (s: string) => plan.filter((p) => p.check.state === s).length;
  return {create: count('missing'), update: count('drifted'), inPlace: count('present'), blocked: count('blocked')};
}

/** A corrected input, old and new value: `role_name: "x" → "x-ZappaLambdaExecutionRole" (why)`. */
export function describeFix(f: Fix): string {
  return `${f.field}: "${f.from}" → "${f.to}" (${f.reason})`;
}

const POLICY_NAMES = {deployment: 'deployment policy', execution: 'execution policy', trust: 'execution role trust'} as const;

/**
 * What the preset is and what this stage's settings add to it, one line
 * each with the setting and its reason; and what the document's policy
 * leaves out. Shown only when there is something to say.
 */
export function policyNotes(d: Pick<DesiredState, 'preset' | 'additions' | 'omissions'>): string[] {
  const lines: string[] = [];
  const name = d.preset === 'document' ? 'the setup document\'s policies' : d.preset === 'strict' ? 'the strict policies (only what Zappa calls for this stage)' : `the policies in ${d.preset}`;
  if (d.additions.length) lines.push(`Policies: ${name}, with what this stage's settings need:`);
  for (const a of d.additions) lines.push(`  + ${POLICY_NAMES[a.policy]}: ${a.actions.join(', ')} (${a.setting}: ${a.reason})`);
  for (const o of d.omissions) lines.push(`  - left out of the document's deployment policy: ${o.actions.join(', ')} (${o.reason})`);
  return lines;
}

export function printPlan(plan: PlanItem[], fixes: Fix[], warnings: string[], write: (line: string) => void, desired?: DesiredState): void {
  const c = planCounts(plan);
  if (c.create + c.update + c.blocked === 0) {
    write('✔ Everything is already set up. Nothing to change.');
  } else {
    write(`Plan: ${c.create} to create, ${c.update} to update, ${c.inPlace} already in place${c.blocked ? `, ${c.blocked} blocked` : ''}.`);
  }
  for (const item of plan) {
    if (item.check.state === 'present') continue;
    const mark = {missing: '+', drifted: '~', blocked: '!', present: ' '}[item.check.state];
    write(`  ${mark} ${item.title}: ${item.check.detail}`);
    if (item.check.state === 'blocked' && item.check.hint) write(`      ${item.check.hint}`);
  }
  for (const f of fixes) write(`  ! ${describeFix(f)}`);
  for (const w of warnings) write(`  ! ${w}`);
  if (desired && c.create + c.update + c.blocked > 0) for (const line of policyNotes(desired)) write(line);
}
