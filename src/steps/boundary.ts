/**
 * Permissions boundaries (--permissions-boundary): many organisations let
 * nobody create a user or role without one, and IAM then denies CreateUser or
 * CreateRole with a message that names the boundary condition. A boundary
 * given once is set on what the wizard creates and kept on later runs; a run
 * without the flag leaves whatever boundary is there alone.
 */
import {AwsError} from '../aws/aws-error.js';
import {UserError} from '../errors.js';

/** What differs, for a check's detail; undefined when the boundary is as wanted (or none is asked for). */
export function boundaryDrift(actual: string | undefined, wanted: string | undefined): string | undefined {
  if (!wanted || actual === wanted) return undefined;
  return `permissions boundary ${actual ?? 'none'} → ${wanted}`;
}

/** Whether an AccessDenied is the organisation asking for a boundary (the message names one). */
function asksForBoundary(err: unknown): boolean {
  return err instanceof AwsError && err.kind === 'AccessDenied' && /permissions?[ _-]?boundary/i.test(err.message);
}

/**
 * Creating `what` was denied because the account requires a boundary: say
 * how to pass it. Any other error is returned as it is.
 */
export function boundaryHint(err: unknown, what: string, ctx: {setup: string; desired: {account: string; partition: string}}): unknown {
  if (!asksForBoundary(err)) return err;
  const example = `arn:${ctx.desired.partition}:iam::${ctx.desired.account}:policy/BOUNDARY`;
  return new UserError(`AWS refused to create ${what} without a permissions boundary: ${(err as AwsError).message}`, {
    hint: `Ask your administrators which boundary policy to use, then run ${ctx.setup} --permissions-boundary ${example} with BOUNDARY its name.`,
    exitCode: 1, cause: err,
  });
}
