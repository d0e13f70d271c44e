/**
 * Check everything, then apply what is not in place. There is no state file:
 * AWS and the person's files are the state, so running again is the repair.
 */
import type {Check, StepId, StepStatus} from '../plan/types.js';
import type {StepContext} from './step.js';
import type {Row} from './rows.js';
import {isKind, type AwsError} from '../aws/aws-error.js';
import {UserError} from '../errors.js';

/** Where a row sits: its key in the run, its step, and the stages it belongs to (several-stage runs). */
export interface RowRef { key: string; id: StepId; stages?: string[] }

export interface PlanItem extends RowRef { title: string; check: Check }

/** Events the UIs subscribe to; the engine never prints. `id` is the row's key (the step id with one stage). */
export type RunEvent =
  | {type: 'step-started'; id: string}
  | {type: 'step-progress'; id: string; message: string}
  | {type: 'step-finished'; id: string; status: StepStatus; detail: string; ms: number}
  | {type: 'step-failed'; id: string; error: string; hint?: string; ms: number}
  | {type: 'step-skipped'; id: string; reason: string};

export interface StepResult extends RowRef {
  title: string; status: StepStatus; detail: string;
  error?: unknown; hint?: string; ms: number;
}

const refOf = (row: Row): RowRef => ({key: row.key, id: row.step.id, ...(row.stages ? {stages: row.stages} : {})});

/** The context a row's step runs in: the run's, with the row's own stage. */
const rowContext = (ctx: StepContext, row: Row): StepContext => (row.desired === ctx.desired ? ctx : {...ctx, desired: row.desired});

/** A check that could not be made (e.g. a read was denied). */
export class CheckError extends Error {
  constructor(readonly stepId: string, readonly title: string, cause: unknown) {
    super(`Can't check ${title}: ${(cause as Error)?.message ?? cause}`, {cause});
  }
}

/**
 * Runs every check at once; shared reads are made once (see Reads). Reads
 * the identity may not make mean the wrong identity is provisioning: that is
 * reported as one UserError naming every denied action, before any write.
 */
export async function checkAll(rows: readonly Row[], ctx: StepContext): Promise<PlanItem[]> {
  const settled = await checkRows(rows, ctx);
  const denied = deniedActions(settled);
  if (denied.length) throw await wrongIdentityError(ctx, denied);
  const failed = settled.findIndex((r) => r.status === 'rejected');
  if (failed >= 0) {
    const row = rows[failed]!;
    throw new CheckError(row.step.id, row.step.title(row.desired), (settled[failed] as PromiseRejectedResult).reason);
  }
  return settled.map((r) => (r as PromiseFulfilledResult<PlanItem>).value);
}

/** Every row's check, at once, each settled on its own (doctor reports the ones that could not be made). */
export function checkRows(rows: readonly Row[], ctx: StepContext): Promise<PromiseSettledResult<PlanItem>[]> {
  return Promise.allSettled(rows.map(async (row) => ({...refOf(row), title: row.step.title(row.desired), check: await row.step.check(rowContext(ctx, row))})));
}

/** The actions AWS refused among settled reads, each once: a sign of the wrong identity. */
export function deniedActions(settled: PromiseSettledResult<unknown>[]): string[] {
  return [...new Set(settled.flatMap((r) => (r.status === 'rejected' && isKind(r.reason, 'AccessDenied') ? [(r.reason as AwsError).action] : [])))];
}

async function wrongIdentityError(ctx: StepContext, actions: string[]): Promise<UserError> {
  const who = await ctx.reads.identity().then((i) => i.arn, () => 'The admin identity');
  return wrongIdentity(who, actions, ctx.desired.userName);
}

/** An identity denied the reads setup needs, in the same words wherever it is found (checks or preflight). */
export function wrongIdentity(who: string, actions: string[], userName: string): UserError {
  // Sorted, so the list does not depend on which read answered first.
  return new UserError(`${who} is not allowed to read what setup needs (${[...actions].sort().join(', ')}), so it cannot provision IAM.`, {
    hint: `Run the wizard with an identity that has IAM administrator rights (--admin-profile <name>, or sign in as an admin). The ${userName} user is only for deploying.`,
  });
}

export const hasChanges = (plan: PlanItem[]): boolean => plan.some((p) => p.check.state !== 'present');

export interface ApplyOptions {
  emit(event: RunEvent): void;
  /** Set by Ctrl-C: the running steps finish, nothing new starts. */
  signal?: AbortSignal;
  describeError(err: unknown): {error: string; hint?: string};
}

/**
 * Applies steps as soon as their dependencies are done, several at a time.
 * After the first failure (or an abort) no new step starts; the rest are
 * reported as skipped, and a re-run picks up from there.
 */
export async function applyPlan(
  rows: readonly Row[], plan: PlanItem[], ctx: StepContext, options: ApplyOptions,
): Promise<StepResult[]> {
  const results = new Map<string, StepResult>();
  const running = new Map<string, Promise<void>>();
  const checks = new Map(plan.map((p) => [p.key, p]));
  let stopped = false;

  const runRow = async (row: Row): Promise<void> => {
    const item = checks.get(row.key)!;
    const started = Date.now();
    options.emit({type: 'step-started', id: row.key});
    const stepCtx: StepContext = {...rowContext(ctx, row), progress: (message) => options.emit({type: 'step-progress', id: row.key, message})};
    try {
      const outcome = await row.step.apply(stepCtx, item.check);
      const ms = Date.now() - started;
      results.set(row.key, {...refOf(row), title: item.title, ...outcome, ms});
      options.emit({type: 'step-finished', id: row.key, status: outcome.status, detail: outcome.detail, ms});
    } catch (err) {
      stopped = true;
      const ms = Date.now() - started;
      const {error, hint} = options.describeError(err);
      results.set(row.key, {...refOf(row), title: item.title, status: 'failed', detail: error, error: err, hint, ms});
      options.emit({type: 'step-failed', id: row.key, error, hint, ms});
    }
  };

  const ready = (row: Row) =>
    !results.has(row.key) && !running.has(row.key) &&
    row.dependsOn.every((d) => results.get(d) && results.get(d)!.status !== 'failed');

  for (;;) {
    if (options.signal?.aborted) stopped = true;
    if (!stopped) {
      for (const row of rows.filter(ready)) {
        const p = runRow(row).finally(() => running.delete(row.key));
        running.set(row.key, p);
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }

  return rows.map((row) => {
    const done = results.get(row.key);
    if (done) return done;
    const reason = options.signal?.aborted ? 'cancelled before it started' : 'not run because an earlier step failed';
    options.emit({type: 'step-skipped', id: row.key, reason});
    return {...refOf(row), title: checks.get(row.key)!.title, status: 'skipped' as const, detail: reason, ms: 0};
  });
}
