/**
 * Row 12: the profile, resolved as the AWS CLI and boto3 resolve it, is the
 * key in the credentials file, and that key answers sts:GetCallerIdentity as
 * the user. A role_arn, sso_… or credential_process in either section would
 * make Zappa deploy as something else while the key itself works, so those
 * keys are named and removed first (profile-redirects.ts): from the
 * credentials file here, from the config file by the config-file row, which
 * runs before this one. A new key can take a few seconds to work everywhere
 * in IAM, so apply polls with a short, growing backoff and shows the wait.
 */
import {drifted, maskKeyId, missing, present, type StepContext, type StepDefinition} from '../engine/step.js';
import {isKind} from '../aws/aws-error.js';
import type {CallerIdentity} from '../aws/port.js';
import {UserError} from '../errors.js';
import type {Check} from '../plan/types.js';
import {localKey} from './local-key.js';
import {untilAccepted} from './iam-wait.js';
import {guardProfileChange, profileRedirects} from './profile-guard.js';
import {joinWords, whereFound, whereItLeads, withoutRedirects} from './profile-redirects.js';

export const verifyStep: StepDefinition = {
  id: 'verify',
  dependsOn: ['access-key', 'credentials-file', 'config-file'],
  title: (d) => `Key works as ${d.userName}`,
  async check(ctx) {
    const redirected = redirectedCheck(ctx);
    if (redirected) return guardProfileChange(ctx, redirected);
    const local = localKey(ctx.files, ctx.desired.profileName);
    if (!local) return {...missing(`no key in [${ctx.desired.profileName}] to prove yet; will ask STS once the new key is written`), reason: 'key-not-working'};
    const who = await ctx.reads.keyIdentity(local);
    if (!(who instanceof Error) && who.arn.endsWith(`:user/${ctx.desired.userName}`)) return present(`answers as ${who.arn}`);
    return {...missing(`the key in [${ctx.desired.profileName}] does not answer as ${ctx.desired.userName} yet`), reason: 'key-not-working'};
  },
  async apply(ctx, check) {
    if (check.state === 'blocked') throw new UserError(`Can't prove the key in [${ctx.desired.profileName}]: ${check.detail}.`, {hint: check.hint, exitCode: 1});
    if (check.state === 'present' && !ctx.run.newKey) return {status: 'unchanged', detail: check.detail};
    const removed = await removeCredentialsRedirects(ctx);
    const left = profileRedirects(ctx);
    if (left.length) {
      throw new UserError(`${whereFound(left, (f) => ctx.files.path(f))} still ${left.length > 1 ? 'send' : 'sends'} the profile elsewhere, so the key cannot be proven as the AWS CLI uses it.`, {
        hint: `Remove ${left.length > 1 ? 'those lines' : 'that line'} by hand, or run setup again.`, exitCode: 1,
      });
    }
    const key = ctx.run.newKey ?? localKey(ctx.files, ctx.desired.profileName);
    if (!key) throw new Error('no key to verify');
    // Only "key not known yet" is worth waiting for; anything else is final.
    const {value: who, after} = await untilAccepted(ctx, async () => {
      const answer: CallerIdentity = await ctx.aws.identityOfKey(key);
      if (!answer.arn.endsWith(`:user/${ctx.desired.userName}`)) {
        throw new Error(`the key ${maskKeyId(key.id)} answers as ${answer.arn}, not as ${ctx.desired.userName}`);
      }
      return answer;
    }, (err) => isKind(err, 'InvalidCredentials'), 'accept the new key');
    const proof = `answers as ${who.arn}${after}`;
    return {status: ctx.run.newKey ? 'created' : 'updated', detail: removed ? `${removed}; ${proof}` : proof};
  },
};

/** The row while role_arn, sso_… or the like still decide what the profile signs in as (both files, as botocore merges them). */
function redirectedCheck(ctx: StepContext): Check | undefined {
  const redirects = profileRedirects(ctx);
  if (!redirects.length) return undefined;
  const them = redirects.length > 1 ? 'them' : 'it';
  const detail = `${whereFound(redirects, (f) => ctx.files.path(f))}: with ${them} the AWS CLI and Zappa ${whereItLeads(redirects)} instead of using the key in [${ctx.desired.profileName}]; will remove ${them}, then prove the key`;
  return {...drifted(detail), reason: 'profile-redirected'};
}

/** Removes the redirect keys of [profile] in the credentials file (the config file's are the config-file row's); says what went. */
async function removeCredentialsRedirects(ctx: StepContext): Promise<string | undefined> {
  const {profileName} = ctx.desired;
  const entries = profileRedirects(ctx).filter((e) => e.file === 'credentials');
  if (!entries.length) return undefined;
  await ctx.files.assertWritable('credentials');
  await ctx.files.write('credentials', withoutRedirects(ctx.files.text('credentials') ?? '', profileName, entries));
  return `removed ${joinWords(entries.map((e) => e.key))} from [${profileName}] in ${ctx.files.path('credentials')}`;
}
