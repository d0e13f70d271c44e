/** The plan's counts, shared by the walk-through's plan screen and `plan`. */
import type {PlanItem} from '../engine/run.js';

export function planCounts(plan: PlanItem[]): {create: number; update: number; inPlace: number; blocked: number} {
  const count = (s: string) => plan.filter((p) => p.check.state === s).length;
  return {create: count('missing'), update: count('drifted'), inPlace: count('present'), blocked: count('blocked')};
}
