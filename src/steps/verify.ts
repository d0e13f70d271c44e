/**
 * Row 12: the key in the credentials file answers sts:GetCallerIdentity as
 * the user. A new key can take a few seconds to work everywhere in IAM, so
 * apply polls with a short, growing backoff and shows the wait.
 */
import {maskKeyId, missing, present, type StepDefinition} from '../engine/step.js';
import {isKind} from '../aws/aws-error.js';
import type {CallerIdentity} from '../aws/port.js';
import {localKey} from './local-key.js';

const WAIT_LIMIT_MS = 90_000;

export const verifyStep: StepDefinition = {
  id: 'verify',
  dependsOn: ['access-key', 'credentials-file'],
  title: (d) => `Key works as ${d.userName}`,
  async check(ctx) {
    const local = localKey(ctx.files, ctx.desired.profileName);
    if (!local) return {...missing(`no key in [${ctx.desired.profileName}] to prove yet; will ask STS once the new key is written`), reason: 'key-not-working'};
    const who = await ctx.reads.keyIdentity(local);
    if (!(who instanceof Error) && who.arn.endsWith(`:user/${ctx.desired.userName}`)) return present(`answers as ${who.arn}`);
    return {...missing(`the key in [${ctx.desired.profileName}] does not answer as ${ctx.desired.userName} yet`), reason: 'key-not-working'};
  },
  async apply(ctx, check) {
    if (check.state === 'present' && !ctx.run.newKey) return {status: 'unchanged', detail: check.detail};
    const key = ctx.run.newKey ?? localKey(ctx.files, ctx.desired.profileName);
    if (!key) throw new Error('no key to verify');
    const started = Date.now();
    let delay = 250;
    let last: unknown;
    for (;;) {
      try {
        const who: CallerIdentity = await ctx.aws.identityOfKey(key);
        if (!who.arn.endsWith(`:user/${ctx.desired.userName}`)) {
          throw new Error(`the key ${maskKeyId(key.id)} answers as ${who.arn}, not as ${ctx.desired.userName}`);
        }
        const waited = Date.now() - started;
        return {status: 'created', detail: `answers as ${who.arn}${waited > 1000 ? ` after ${Math.round(waited / 1000)} s` : ''}`};
      } catch (err) {
        last = err;
        // Only "key not known yet" is worth waiting for; anything else is final.
        if (!isKind(err, 'InvalidCredentials') || Date.now() - started > WAIT_LIMIT_MS) break;
      }
      ctx.progress(`waiting for IAM to accept the new key (${Math.round((Date.now() - started) / 1000)} s)`);
      await ctx.sleep(delay);
      delay = Math.min(delay * 2, 4000);
    }
    throw last;
  },
};
