/**
 * IAM is eventually consistent: a key or a trust policy made a moment ago
 * can be refused for a few seconds. `untilAccepted` asks again with a short,
 * growing backoff (250 ms, doubling up to 4 s) while the error means "not
 * yet", for at most 90 s, and shows the wait; any other error, or the last
 * refusal, is thrown.
 */
import type {StepContext} from '../engine/step.js';

const WAIT_LIMIT_MS = 90_000;

export interface Accepted<T> {
  value: T;
  /** " after 3 s" when the wait was noticeable, else empty: for the row's detail. */
  after: string;
}

export async function untilAccepted<T>(
  ctx: Pick<StepContext, 'progress' | 'sleep'>, attempt: () => Promise<T>, notYet: (err: unknown) => boolean, waitingFor: string,
): Promise<Accepted<T>> {
  const started = Date.now();
  let delay = 250;
  for (;;) {
    try {
      const value = await attempt();
      const waited = Date.now() - started;
      return {value, after: waited > 1000 ? ` after ${Math.round(waited / 1000)} s` : ''};
    } catch (err) {
      if (!notYet(err) || Date.now() - started > WAIT_LIMIT_MS) throw err;
    }
    ctx.progress(`waiting for IAM to ${waitingFor} (${Math.round((Date.now() - started) / 1000)} s)`);
    await ctx.sleep(delay);
    delay = Math.min(delay * 2, 4000);
  }
}
