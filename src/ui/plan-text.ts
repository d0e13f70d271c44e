/** The plan as plain text: counts, then one row per change. */
import type {PlanItem} from '../engine/run.js';
import type {Fix} from '../plan/types.js';

export function planCounts(plan: PlanItem[]): {create: number; update: number; inPlace: number; blocked: number} {
  const count = (s: string) => plan.filter((p) => p.check.state === s).length;
  return {create: count('missing'), update: count('drifted'), inPlace: count('present'), blocked: count('blocked')};
}

/** A corrected input, old and new value: `role_name: "x" → "x-ZappaLambdaExecutionRole" (why)`. */
export function describeFix(f: Fix): string {
  return `${f.field}: "${f.from}" → "${f.to}" (${f.reason})`;
}

export function printPlan(plan: PlanItem[], fixes: Fix[], warnings: string[], write: (line: string) => void): void {
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
}
