/**
 * Doctor's reading side: the setup steps' own checks (every call a read),
 * each settled on its own, so a check that cannot be made becomes a "not
 * checked" entry with its reason instead of stopping the rest. Without an
 * admin identity the rows that need IAM are not checked, and the ones the
 * files and the profile's own key can answer still are.
 */
import type {CallerIdentity} from '../../aws/port.js';
import type {PlanItem} from '../../engine/run.js';
import {checkRows as settleChecks} from '../../engine/run.js';
import {rowsFor, type Row} from '../../engine/rows.js';
import type {StepContext} from '../../engine/step.js';
import {planFindings} from '../../engine/verdict.js';
import type {DesiredState, Finding, StepId} from '../../plan/types.js';
import {stepsFor} from '../../steps/index.js';

/** What could not be checked, and why. */
export interface NotChecked { check: string; reason: string }

/** The rows the files and the profile's own key answer: no admin identity needed. */
const LOCAL_ROWS: ReadonlySet<StepId> = new Set(['credentials-file', 'config-file', 'zappa-settings', 'verify']);

/** The rows whose state the permission proof takes as given. */
export const IAM_ROWS: readonly StepId[] = ['user', 'group', 'group-membership', 'deploy-role', 'deployment-policy', 'deployment-policy-attached', 'execution-policy', 'execution-role', 'execution-policy-attached'];
/** The IAM rows every kind of deploy identity has. */
const COMMON_IAM_ROWS: readonly StepId[] = ['deployment-policy', 'deployment-policy-attached', 'execution-policy', 'execution-role', 'execution-policy-attached'];

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
export async function checkRows(ctx: StepContext, desireds: DesiredState[], admin: {ok: true; value: CallerIdentity} | {ok: false; reason: string}, describe: (err: unknown) => string): Promise<RowVerdict> {
  const all = rowsFor(stepsFor(desireds[0]!.identityKind ?? 'user'), desireds);
  const rows = admin.ok ? all : all.filter((r) => LOCAL_ROWS.has(r.step.id));
  const settled = await settleChecks(rows, ctx);
  const plan: PlanItem[] = [];
  const notChecked: NotChecked[] = [];
  settled.forEach((result, i) => {
    if (result.status === 'fulfilled') plan.push(result.value);
    else notChecked.push({check: titleOf(rows[i]!), reason: describe(result.reason)});
  });
  if (!admin.ok) {
    for (const row of all.filter((r) => !LOCAL_ROWS.has(r.step.id))) notChecked.push({check: titleOf(row), reason: admin.reason});
  }
  return {plan, findings: planFindings(plan, ctx.setup), notChecked};
}

const titleOf = (row: Row): string => row.step.title(row.desired);

/** The proof needs every IAM row in place: otherwise the rows above already say what to fix. */
export function iamRowsInPlace(plan: PlanItem[]): boolean {
  return plan.filter((p) => IAM_ROWS.includes(p.id)).every((p) => p.check.state === 'present') &&
    COMMON_IAM_ROWS.every((id) => plan.some((p) => p.id === id));
}
