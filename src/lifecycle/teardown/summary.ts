/** Teardown's results per resource, in the shape of the --json report's steps. Pure. */
import type {StepStatus} from '../../plan/types.js';
import type {ActionResult} from './apply.js';
import type {Kept, TeardownPlan, TeardownStepId} from './plan.js';

/** One entry of the report's `steps`. */
export interface TeardownStep { id: TeardownStepId; status: StepStatus; detail: string; hint?: string }

const ORDER: TeardownStepId[] = ['deployment-policy', 'execution-policy', 'access-key', 'user', 'execution-role', 'credentials-file', 'config-file'];

const keptText = (kept: Kept[]) => kept.map((k) => `left ${k.what}: ${k.reason}`).join('; ');

/**
 * One step per resource: `updated` when teardown removed it, `unchanged`
 * when there was nothing to remove, `skipped` when it was left on purpose
 * (or not reached after a failure), `failed` with the error.
 */
export function teardownSteps(plan: TeardownPlan, results: ActionResult[], describe: (err: unknown) => {error: string; hint?: string}): TeardownStep[] {
  return ORDER.map((id) => {
    const mine = results.filter((r) => r.action.step === id);
    const kept = plan.kept.filter((k) => k.step === id);
    const failed = mine.find((r) => r.status === 'failed');
    if (failed) {
      const {error, hint} = describe(failed.error);
      return {id, status: 'failed' as const, detail: `${failed.action.title}: ${error}`, ...(hint ? {hint} : {})};
    }
    if (mine.some((r) => r.status === 'not-run')) return {id, status: 'skipped' as const, detail: 'not run because an earlier action failed'};
    if (mine.length) {
      const done = mine.map((r) => r.action.title).join('; ');
      return {id, status: 'updated' as const, detail: kept.length ? `${done}; ${keptText(kept)}` : done};
    }
    if (kept.length) return {id, status: 'skipped' as const, detail: keptText(kept)};
    return {id, status: 'unchanged' as const, detail: 'nothing to remove'};
  });
}
