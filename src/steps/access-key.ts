/**
 * Row 3: a working access key, held in the credentials file. Reads
 * iam:ListAccessKeys and, for the key in the file, sts:GetCallerIdentity (the
 * only way to prove the secret matches). Writes iam:CreateAccessKey and the
 * credentials file in one go: AWS shows a secret once, so it goes straight to
 * disk, and if that write fails the new key is deleted again (no key whose
 * secret nobody holds). An Inactive key that our profile held is deleted when
 * it is replaced. After a failure: either no new key, or a new key in the file.
 */
import {isKind} from '../aws/aws-error.js';
import {UserError} from '../errors.js';
import {removeKeys, upsertSection} from '../files/ini-document.js';
import {SESSION_TOKEN_KEYS} from './local-key.js';
import {maskKeyId, missing, present, drifted, type StepContext, type StepDefinition} from '../engine/step.js';
import type {AccessKeyInfo} from '../aws/port.js';
import type {Check} from '../plan/types.js';
import {localKey} from './local-key.js';

const KEY_LIMIT = 2;

export function describeKeys(keys: AccessKeyInfo[]): string {
  return keys.map((k) => `${maskKeyId(k.id)} (${k.status}, created ${k.created?.toISOString().slice(0, 10) ?? 'unknown'})`).join(', ');
}

async function checkAccessKey(ctx: StepContext): Promise<Check> {
  const {userName, profileName} = ctx.desired;
  const keys = await ctx.reads.accessKeys(userName);
  const local = localKey(ctx.files, profileName);
  const known = local && keys.find((k) => k.id === local.id);
  if (local && known?.status === 'Active') {
    const who = await ctx.reads.keyIdentity(local);
    if (!isKind(who, 'InvalidCredentials')) {
      return present(`key ${maskKeyId(local.id)} in [${profileName}] is active`);
    }
    return blockedOr(keys, known, drifted(`the secret in [${profileName}] for ${maskKeyId(local.id)} is rejected by AWS; will create a new key`));
  }
  const why = !local
    ? `no key in [${profileName}]`
    : known ? `key ${maskKeyId(local.id)} in [${profileName}] is Inactive` : `key ${maskKeyId(local.id)} in [${profileName}] is not one of ${userName}'s keys`;
  const replaceable = known?.status === 'Inactive' ? known : undefined;
  return blockedOr(keys, replaceable, (local ? drifted : missing)(`${why}; will create a new key and write it there`));
}

/** A user has at most two keys; one we may replace frees a place. */
function blockedOr(keys: AccessKeyInfo[], replaceable: AccessKeyInfo | undefined, otherwise: Check): Check {
  const free = KEY_LIMIT - keys.length + (replaceable?.status === 'Inactive' ? 1 : 0);
  if (free > 0) return otherwise;
  return {
    state: 'blocked',
    detail: `the user already has ${keys.length} access keys (${describeKeys(keys)}) and the credentials file holds neither`,
    hint: 'Delete the key you no longer use (aws iam delete-access-key --user-name <user> --access-key-id <id>), or run the wizard interactively to choose one, then run again.',
  };
}

/** Creates a key and writes it at once; deletes it again if the write fails. */
export async function createAndStoreKey(ctx: StepContext): Promise<string> {
  const {userName, profileName} = ctx.desired;
  const key = await ctx.aws.createAccessKey(userName);
  try {
    await ctx.files.assertWritable('credentials');
    const withKey = upsertSection(ctx.files.text('credentials') ?? '', profileName, {
      aws_access_key_id: key.id,
      aws_secret_access_key: key.secret,
    });
    const text = removeKeys(withKey, profileName, SESSION_TOKEN_KEYS);
    await ctx.files.write('credentials', text);
  } catch (err) {
    await ctx.aws.deleteAccessKey(userName, key.id).catch(() => {});
    const reason = err instanceof UserError ? err.message : `Can't write ${ctx.files.path('credentials')}: ${(err as Error).message}`;
    throw new UserError(`${reason} The new key ${maskKeyId(key.id)} was deleted again, so no key is left without its secret.`, {
      hint: 'Fix the file or its permissions and run again.', exitCode: 1, cause: err,
    });
  }
  ctx.run.newKey = key;
  ctx.reads.forget('keyIdentity:');
  return key.id;
}

export const accessKeyStep: StepDefinition = {
  id: 'access-key',
  dependsOn: ['user'],
  title: (d) => `Access key for ${d.userName}`,
  check: checkAccessKey,
  async apply(ctx, check) {
    if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
    if (check.state === 'blocked') throw new UserError(`Can't create an access key: ${check.detail}.`, {hint: check.hint, exitCode: 1});
    const {userName, profileName} = ctx.desired;
    const local = localKey(ctx.files, profileName);
    const stale = local && (await ctx.reads.accessKeys(userName)).find((k) => k.id === local.id && k.status === 'Inactive');
    if (stale) await ctx.aws.deleteAccessKey(userName, stale.id);
    const id = await createAndStoreKey(ctx);
    const note = stale ? `; deleted the inactive key ${maskKeyId(stale.id)} it replaces` : '';
    return {status: 'created', detail: `new key ${maskKeyId(id)} written to [${profileName}]${note}`};
  },
};
