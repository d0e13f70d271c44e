/**
 * Check everything, then apply what is not in place. There is no state file:
 * AWS and the person's files are the state, so running again is the repair.
 */
import type {Check, StepId, StepStatus} from '../plan/types.js';
import type {StepContext, StepDefinition} from './step.js';
import {isKind, type AwsError} from '../aws/aws-error.js';
import {UserError} from '../errors.js';

export interface PlanItem { id: StepId; title: string; check: Check }

/** Events the UIs subscribe to; the engine never prints. */
export type RunEvent =
  | {type: 'step-started'; id: StepId}
  | {type: 'step-progress'; id: StepId; message: string}
  | {type: 'step-finished'; id: StepId; status: StepStatus; detail: string; ms: number}
  | {type: 'step-failed'; id: StepId; error: string; hint?: string; ms: number}
  | {type: 'step-skipped'; id: StepId; reason: string};

export interface StepResult {
  id: StepId; title: string; status: StepStatus; detail: string;
  error?: unknown; hint?: string; ms: number;
}

/** A check that could not be made (e.g. a read was denied). */
export class CheckError extends Error {
  constructor(readonly stepId: StepId, readonly title: string, cause: unknown) {
    super(`Can't check ${title}: ${(cause as Error)?.message ?? cause}`, {cause});
  }
}

/**
 * Runs every check at once; shared reads are made once (see Reads). Reads
 * the identity may not make mean the wrong identity is provisioning: that is
 * reported as one UserError naming every denied action, before any write.
 */
export async function checkAll(steps: readonly StepDefinition[], ctx: StepContext): Promise<PlanItem[]> {
  const settled = await Promise.allSettled(steps.map(async (step) => ({id: step.id, title: step.title(ctx.desired), check: await step.check(ctx)})));
  const denied = deniedActions(settled);
  if (denied.length) throw await wrongIdentityError(ctx, denied);
  const failed = settled.findIndex((r) => r.status === 'rejected');
  if (failed >= 0) {
    const step = steps[failed]!;
    throw new CheckError(step.id, step.title(ctx.desired), (settled[failed] as PromiseRejectedResult).reason);
  }
  return settled.map((r) => (r as PromiseFulfilledResult<PlanItem>).value);
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
  steps: readonly StepDefinition[], plan: PlanItem[], ctx: StepContext, options: ApplyOptions,
): Promise<StepResult[]> {
  const results = new Map<StepId, StepResult>();
  const running = new Map<StepId, Promise<void>>();
  const checks = new Map(plan.map((p) => [p.id, p]));
  let stopped = false;

  const runStep = async (step: StepDefinition): Promise<void> => {
    const item = checks.get(step.id)!;
    const started = Date.now();
    options.emit({type: 'step-started', id: step.id});
    const stepCtx: StepContext = {...ctx, progress: (message) => options.emit({type: 'step-progress', id: step.id, message})};
    try {
      const outcome = await step.apply(stepCtx, item.check);
      const ms = Date.now() - started;
      results.set(step.id, {id: step.id, title: item.title, ...outcome, ms});
      options.emit({type: 'step-finished', id: step.id, status: outcome.status, detail: outcome.detail, ms});
    } catch (err) {
      stopped = true;
      const ms = Date.now() - started;
      const {error, hint} = options.describeError(err);
      results.set(step.id, {id: step.id, title: item.title, status: 'failed', detail: error, error: err, hint, ms});
      options.emit({type: 'step-failed', id: step.id, error, hint, ms});
    }
  };

  const ready = (step: StepDefinition) =>
    !results.has(step.id) && !running.has(step.id) &&
    step.dependsOn.every((d) => results.get(d) && results.get(d)!.status !== 'failed');

  for (;;) {
    if (options.signal?.aborted) stopped = true;
    if (!stopped) {
      for (const step of steps.filter(ready)) {
        const p = runStep(step).finally(() => running.delete(step.id));
        running.set(step.id, p);
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }

  return steps.map((step) => {
    const done = results.get(step.id);
    if (done) return done;
    const reason = options.signal?.aborted ? 'cancelled before it started' : 'not run because an earlier step failed';
    options.emit({type: 'step-skipped', id: step.id, reason});
    return {id: step.id, title: checks.get(step.id)!.title, status: 'skipped' as const, detail: reason, ms: 0};
  });
}
