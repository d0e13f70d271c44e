/**
 * Doctor's reading side: the setup steps' own checks (every call a read),
 * each settled on its own, so a check that cannot be made becomes a "not
 * checked" entry with its reason instead of stopping the rest. Without an
 * admin identity the rows that need IAM are not checked, and the ones the
 * files and the profile's own key can answer still are.
 */
import type {CallerIdentity} from '../../aws/port.js';
import type {PlanItem} from '../../engine/run.js';
import type {StepContext, StepDefinition} from '../../engine/step.js';
import {planFindings} from '../../engine/verdict.js';
import type {Finding, StepId} from '../../plan/types.js';
import {SETUP_STEPS} from '../../steps/index.js';

/** What could not be checked, and why. */
export interface NotChecked { check: string; reason: string }

/** The rows the files and the profile's own key answer: no admin identity needed. */
const LOCAL_ROWS: ReadonlySet<StepId> = new Set(['credentials-file', 'config-file', 'zappa-settings', 'verify']);

/** The rows whose state the permission proof takes as given. */
export const IAM_ROWS: readonly StepId[] = ['user', 'deployment-policy', 'deployment-policy-attached', 'execution-policy', 'execution-role', 'execution-policy-attached'];

export interface RowVerdict {
  /** Every row that could be checked, as plan shows it. */
  plan: PlanItem[];
  findings: Finding[];
  notChecked: NotChecked[];
}

/**
 * `admin` is the admin identity, or why there is none (then only the local
 * rows are checked); `describe` turns a failed read into a short reason.
 */
export async function checkRows(ctx: StepContext, admin: {ok: true; value: CallerIdentity} | {ok: false; reason: string}, describe: (err: unknown) => string): Promise<RowVerdict> {
  const steps: readonly StepDefinition[] = admin.ok ? SETUP_STEPS : SETUP_STEPS.filter((s) => LOCAL_ROWS.has(s.id));
  const settled = await Promise.allSettled(steps.map(async (step) => ({id: step.id, title: step.title(ctx.desired), check: await step.check(ctx)})));
  const plan: PlanItem[] = [];
  const notChecked: NotChecked[] = [];
  settled.forEach((result, i) => {
    if (result.status === 'fulfilled') plan.push(result.value);
    else notChecked.push({check: steps[i]!.title(ctx.desired), reason: describe(result.reason)});
  });
  if (!admin.ok) {
    for (const step of SETUP_STEPS.filter((s) => !LOCAL_ROWS.has(s.id))) notChecked.push({check: step.title(ctx.desired), reason: admin.reason});
  }
  return {plan, findings: planFindings(plan, ctx.setup), notChecked};
}

/** The proof needs every IAM row in place: otherwise the rows above already say what to fix. */
export function iamRowsInPlace(plan: PlanItem[]): boolean {
  return IAM_ROWS.every((id) => plan.find((p) => p.id === id)?.check.state === 'present');
}
