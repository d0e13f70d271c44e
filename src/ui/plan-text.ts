/**
 * The plan's counts and how every command words them: the walk-through's
 * question, `plan`, and the summary after a run, in the same words
 * ("11 changes: 10 to create, 1 to update"; one change, never "1 changes").
 */
import type {PlanItem} from '../engine/run.js';

export function planCounts(plan: PlanItem[]): {create: number; update: number; inPlace: number; blocked: number} {
  const count = (s: string) => plan.filter((p) => p.check.state === s).length;
  return {create: count('missing'), update: count('drifted'), inPlace: count('present'), blocked: count('blocked')};
}

/** "1 change", "11 changes". */
export const changesWord = (n: number): string => `${n} ${n === 1 ? 'change' : 'changes'}`;

/** "11 changes: 10 to create, 1 to update", or "1 change: 1 to update". */
export function pendingPhrase(plan: PlanItem[]): string {
  const c = planCounts(plan);
  const kinds = [c.create && `${c.create} to create`, c.update && `${c.update} to update`].filter(Boolean);
  return `${changesWord(c.create + c.update)}: ${kinds.join(', ')}`;
}

/** "11 changes (10 created, 1 updated)", after a run. */
export function changesPhrase(created: number, updated: number): string {
  const kinds = [created && `${created} created`, updated && `${updated} updated`].filter(Boolean);
  return `${changesWord(created + updated)} (${kinds.join(', ')})`;
}
