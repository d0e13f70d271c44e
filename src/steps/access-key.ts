/**
 * Row 3: a working access key, held in the credentials file. Reads
 * iam:ListAccessKeys, iam:GetAccessKeyLastUsed for the Active keys (old and
 * unused keys are warnings) and, for the key in the file,
 * sts:GetCallerIdentity (the only way to prove the secret matches). Writes
 * iam:CreateAccessKey and the credentials file in one go: AWS shows a secret
 * once, so it goes straight to disk, and if that write fails the new key is
 * deleted again (no key whose secret nobody holds), or, if even that fails,
 * named with the command that deletes it. CreateAccessKey is made once, never
 * retried blindly, and under the lock beside the credentials file, so two runs
 * at once end with one key. Then iam:TagUser records
 * which key the profile got (key-tags.ts); a failed tag is a warning, since
 * the key is already in the file.
 *
 * The key a new one replaces is the profile's own (when it is one of the
 * user's keys) or, when the profile no longer holds it, the one the user's tag
 * names. An Inactive one is deleted; an Active one, whose secret is no longer
 * usable here, is deactivated after the new key is written (or deleted first
 * when the user is at the two-key limit), and deleted by a later run. Keys the
 * profile never held are never touched. After a failure: either no new key,
 * or a new key in the file.
 */
import {AwsError, describeAwsError, isKind} from '../aws/aws-error.js';
import {UserError} from '../errors.js';
import {removeKeys, upsertSection} from '../files/ini-document.js';
import {SESSION_TOKEN_KEYS} from './local-key.js';
import {maskKeyId, type StepContext, type StepDefinition, type StepOutcome} from '../engine/step.js';
import type {Edit} from '../engine/local-files.js';
import type {AccessKeyInfo, KeyLastUsed, Tags} from '../aws/port.js';
import type {Check} from '../plan/types.js';
import {localKey, type LocalKey} from './local-key.js';
import {keyAgeFindings, pastKeyLimit} from './key-age.js';
import {keyTags, taggedKeys} from './key-tags.js';
import {guardProfileChange} from './profile-guard.js';

const KEY_LIMIT = 2;

declare module '../engine/step.js' {
  interface RunState {
    /**
     * The key the person chose to delete at the two-key limit (the walk-through's
     * question, key-limit.ts). Only a choice: this row deletes it, after the one yes.
     */
    deleteAtLimit?: string;
  }
}

export function describeKeys(keys: AccessKeyInfo[]): string {
  return keys.map((k) => `${maskKeyId(k.id)} (${k.status}, created ${k.created?.toISOString().slice(0, 10) ?? 'unknown'})`).join(', ');
}

/** What the check reads; apply reads it again (the reads are memoised, so it sees the same). */
export interface KeyFacts {
  userName: string;
  profileName: string;
  keys: AccessKeyInfo[];
  /** The user's tags ({} when the user does not exist yet). */
  tags: Tags;
  local?: LocalKey;
  /** Whether STS accepts the local key; only asked for an Active key of the user. */
  localWorks?: boolean;
  /** The credentials file's text: a key ID that appears anywhere in it is not "lost". */
  credentialsText: string;
  /** The key the person chose to delete when the user is at the two-key limit (RunState.deleteAtLimit). */
  chosenToDelete?: string;
}

/** What the row will do, decided from the facts alone. */
export interface KeyPlan {
  check: Check;
  /** False when the profile's key works and only left-over keys are retired. */
  create: boolean;
  /** Deleted before the new key is created: Inactive keys of this profile, and one to make room. */
  deleteFirst: AccessKeyInfo[];
  /** Deactivated (after the new key is written): Active keys of this profile whose secret is no longer here. */
  deactivate: AccessKeyInfo[];
  /** Keys this run leaves as they are. */
  untouched: AccessKeyInfo[];
  /** Those of them the profile never held (not in the file, not in a tag): named in the detail. */
  neverHeld: AccessKeyInfo[];
}

const list = (keys: AccessKeyInfo[]) => keys.map((k) => maskKeyId(k.id)).join(' and ');

/** Decides the row from what was read. Pure. */
export function planKeys(f: KeyFacts): KeyPlan {
  const {keys, local, userName, profileName} = f;
  const tagged = taggedKeys(f.tags, profileName);
  const known = local && keys.find((k) => k.id === local.id);
  const lost = (k: AccessKeyInfo) => !f.credentialsText.includes(k.id);
  const ofUser = (id: string | undefined) => (id ? keys.find((k) => k.id === id) : undefined);
  const works = known?.status === 'Active' && f.localWorks !== false;

  // The key this run replaces: the profile's own, else the one the wizard last wrote there, if it is gone from the file.
  const writtenKey = ofUser(tagged.written);
  const replaced = works ? undefined : known ?? (writtenKey && lost(writtenKey) ? writtenKey : undefined);
  // Left over from an earlier replacement: Inactive keys either tag names, and an Active key the replaced-key tag
  // names (its deactivation failed), once they are gone from the file.
  const leftovers = [ofUser(tagged.written), ofUser(tagged.replaced)]
    .filter((k): k is AccessKeyInfo => k !== undefined && k.id !== local?.id && k.id !== replaced?.id && lost(k))
    .filter((k, i, all) => all.findIndex((x) => x.id === k.id) === i)
    .filter((k) => k.status === 'Inactive' || k.id === tagged.replaced);

  const deleteFirst = leftovers.filter((k) => k.status === 'Inactive');
  const deactivate = leftovers.filter((k) => k.status === 'Active');
  const touched = new Set([local?.id, replaced?.id, ...leftovers.map((k) => k.id)]);
  const untouched = keys.filter((k) => !touched.has(k.id));
  // What the detail names: keys neither in the file nor in a tag (others stay as they are too, unnamed).
  const neverHeld = untouched.filter((k) => lost(k) && k.id !== tagged.written && k.id !== tagged.replaced);
  const retired = (): string[] => [
    ...deleteFirst.map((k) => `delete the Inactive key ${maskKeyId(k.id)} it replaced`),
    ...deactivate.map((k) => `deactivate ${maskKeyId(k.id)}, which it replaced, because its secret is no longer on this computer`),
  ];

  if (works) {
    const head = `key ${maskKeyId(known!.id)} in [${profileName}] is active`;
    if (!leftovers.length) return {check: {state: 'present', detail: head}, create: false, deleteFirst, deactivate, untouched, neverHeld};
    return {
      check: {state: 'drifted', reason: 'key-replaced', detail: `${head}; will ${retired().join(', and ')}`},
      create: false, deleteFirst, deactivate, untouched, neverHeld,
    };
  }

  const [why, reason] = !local
    ? [`no key in [${profileName}]`, 'key-missing']
    : known?.status === 'Inactive'
      ? [`key ${maskKeyId(local.id)} in [${profileName}] is Inactive`, 'key-inactive']
      : known
        ? [`the secret in [${profileName}] for ${maskKeyId(local.id)} is rejected by AWS`, 'key-secret-rejected']
        : [`key ${maskKeyId(local.id)} in [${profileName}] is not one of ${userName}'s keys`, 'key-not-users'];
  const parts = [`${why}; will create a new key and write it there`];
  if (replaced?.status === 'Inactive') {
    deleteFirst.push(replaced);
    parts.push(`will delete the Inactive key ${maskKeyId(replaced.id)} it replaces`);
  } else if (replaced) {
    deactivate.unshift(replaced);
  }
  // At the two-key limit, a key of this profile whose secret is gone is deleted instead of deactivated: it frees the place.
  const room = () => KEY_LIMIT - keys.length + deleteFirst.length;
  const freed: AccessKeyInfo[] = [];
  while (room() <= 0 && deactivate.length) {
    const key = deactivate.shift()!;
    deleteFirst.push(key);
    freed.push(key);
  }
  // Still full: the key the person chose (asked only in the walk-through) goes, and it goes in this row, after the yes.
  const chosen = room() <= 0 ? untouched.find((k) => k.id === f.chosenToDelete) : undefined;
  if (chosen) {
    deleteFirst.push(chosen);
    untouched.splice(untouched.indexOf(chosen), 1);
    if (neverHeld.includes(chosen)) neverHeld.splice(neverHeld.indexOf(chosen), 1);
    parts.push(`will delete ${maskKeyId(chosen.id)} first to make room, as you chose (a program still using it stops working)`);
  }
  const notHere = (k: AccessKeyInfo) => (k.id === known?.id ? 'the secret on this computer no longer works' : 'its secret is no longer on this computer');
  for (const k of leftovers.filter((x) => x.status === 'Inactive')) parts.push(`will delete the Inactive key ${maskKeyId(k.id)} it replaced`);
  for (const k of freed) parts.push(`will delete ${maskKeyId(k.id)} first to make room (${userName} has ${KEY_LIMIT} keys, and ${notHere(k)})`);
  for (const k of deactivate) parts.push(`will then deactivate ${maskKeyId(k.id)}, the key the wizard wrote there before, because ${notHere(k)}`);
  const leftAlone = neverHeld.length ? `; ${list(neverHeld)} ${neverHeld.length > 1 ? 'were' : 'was'} never in [${profileName}] and ${neverHeld.length > 1 ? 'stay as they are' : 'stays as it is'}` : '';

  if (room() <= 0) {
    return {
      check: {
        state: 'blocked', reason: 'key-limit',
        detail: `the user already has ${keys.length} access keys (${describeKeys(keys)}) and the credentials file holds neither`,
        hint: `Delete the key you no longer use (${keys.map((k) => `\`${deleteKeyCommand(userName, k.id)}\``).join(' or ')}), or run the wizard interactively to choose one, then run again.`,
      },
      create: false, deleteFirst: [], deactivate: [], untouched, neverHeld,
    };
  }
  return {
    check: {state: local ? 'drifted' : 'missing', reason, detail: parts.join('; ') + leftAlone},
    create: true, deleteFirst, deactivate, untouched, neverHeld,
  };
}

/**
 * writtenMeanwhile: the profile's key was written by another run while this
 * one checked. It is an Active key of the user, made seconds ago, that STS may
 * not accept everywhere yet: it is taken as working (verify proves it), never
 * replaced by a second key.
 */
async function readFacts(ctx: StepContext, writtenMeanwhile = false): Promise<KeyFacts> {
  const {userName, profileName} = ctx.desired;
  const [keys, user] = await Promise.all([ctx.reads.accessKeys(userName), ctx.reads.user(userName)]);
  const local = localKey(ctx.files, profileName);
  const known = local && keys.find((k) => k.id === local.id);
  // Any error but a rejection (a network failure…) is no reason to replace a key.
  const works = async (key: LocalKey) => writtenMeanwhile || !isKind(await ctx.reads.keyIdentity(key), 'InvalidCredentials');
  const localWorks = local && known?.status === 'Active' ? await works(local) : undefined;
  return {
    userName, profileName, keys, tags: user?.tags ?? {}, local, localWorks, credentialsText: ctx.files.text('credentials') ?? '',
    ...(ctx.run.deleteAtLimit ? {chosenToDelete: ctx.run.deleteAtLimit} : {}),
  };
}

/** Last use of each key, by ID, read in parallel; a read that fails is left out (the caller says "unknown"). */
export async function lastUsesOf(ctx: StepContext, keys: readonly AccessKeyInfo[]): Promise<Map<string, KeyLastUsed>> {
  const answers = await Promise.all(keys.map((k) => ctx.reads.keyLastUsed(k.id).catch(() => undefined)));
  return new Map(keys.flatMap((k, i) => (answers[i] ? [[k.id, answers[i]] as const] : [])));
}

function lastUseOf(ctx: StepContext, keys: AccessKeyInfo[]): Promise<Map<string, KeyLastUsed>> {
  // A key younger than the limit cannot have been idle that long: no call for it (a re-run stays one read lighter).
  // A failed read only means no key-unused warning for that key.
  const now = new Date();
  return lastUsesOf(ctx, keys.filter((k) => k.status === 'Active' && pastKeyLimit(k, now)));
}

async function checkAccessKey(ctx: StepContext): Promise<Check> {
  const keys = await ctx.reads.accessKeys(ctx.desired.userName);
  // Started at once, beside the STS proof of the local key.
  const lastUsed = lastUseOf(ctx, keys);
  const plan = planKeys(await readFacts(ctx));
  // Made in memory before setup's first AWS write (LocalFiles.assertWritable): a section the editor refuses stops it there.
  ctx.files.expectEdit('credentials', 'access-key', plan.create ? storeKeyEdit(ctx.desired.profileName, TRIAL_KEY) : undefined);
  const going = new Set([...plan.deleteFirst, ...plan.deactivate].map((k) => k.id));
  const kept = plan.create ? undefined : localKey(ctx.files, ctx.desired.profileName)?.id;
  const findings = keyAgeFindings(keys.filter((k) => !going.has(k.id)), {
    userName: ctx.desired.userName, fileKeyId: kept, lastUsed: await lastUsed, now: new Date(),
  });
  // A new key overwrites the profile: never one the wizard did not write without the person's yes (profile-guard.ts).
  const check = plan.create ? await guardProfileChange(ctx, plan.check, true) : plan.check;
  return findings.length ? {...check, findings} : check;
}

export interface StoredKey {
  id: string;
  /** Set when the key is in the file but recording it on the user failed. */
  warning?: string;
}

/** The shape of a key, for the in-memory trial of the edit: no real ID, no secret. */
const TRIAL_KEY = {id: 'AKIA0000000000000000', secret: '0'.repeat(40)};

/** The credentials edit that stores a key in the profile: both key fields, and no session token left beside them. */
export function storeKeyEdit(profileName: string, key: {id: string; secret: string}): Edit {
  return (text) => removeKeys(upsertSection(text ?? '', profileName, {
    aws_access_key_id: key.id,
    aws_secret_access_key: key.secret,
  }), profileName, SESSION_TOKEN_KEYS);
}

/**
 * Creates a key and writes it at once; deletes it again if the write fails.
 * Then tags the user with the key (and with `replaces`, the key it replaces
 * and that is about to be deactivated); a failed tag is only a warning.
 */
export async function createAndStoreKey(ctx: StepContext, replaces?: string): Promise<StoredKey> {
  const {userName, profileName} = ctx.desired;
  const key = await createKeyOnce(ctx);
  try {
    // Made to the file as it is at the moment of writing: a change saved meanwhile stays.
    await ctx.files.write('credentials', storeKeyEdit(profileName, key));
  } catch (err) {
    throw await unstoredKeyError(ctx, key.id, err);
  }
  ctx.run.newKey = key;
  ctx.reads.forget('keyIdentity:');
  try {
    await ctx.aws.tagUser(userName, keyTags(profileName, key.id, replaces));
    return {id: key.id};
  } catch (err) {
    return {id: key.id, warning: `warning: could not record ${maskKeyId(key.id)} on IAM user ${userName} (${(err as Error).message}); the key is in the file and works`};
  }
}

/** The command that deletes a key: the full ID, since it is pasted (never the secret). */
export const deleteKeyCommand = (userName: string, id: string) => `aws iam delete-access-key --user-name ${userName} --access-key-id ${id}`;

const errorText = (err: unknown) => (err instanceof AwsError ? describeAwsError(err) : (err as Error)?.message ?? String(err));

/** The written file failed: the key is deleted again, or, if that fails too, named with the command that deletes it. */
async function unstoredKeyError(ctx: StepContext, id: string, err: unknown): Promise<UserError> {
  const {userName} = ctx.desired;
  const reason = err instanceof UserError ? err.message : `Can't write ${ctx.files.path('credentials')}: ${(err as Error).message}.`;
  try {
    await ctx.aws.deleteAccessKey(userName, id);
  } catch (deleteErr) {
    return new UserError(`${reason} The new key ${maskKeyId(id)} could not be deleted either (${errorText(deleteErr)}), so it exists without its secret: delete it with \`${deleteKeyCommand(userName, id)}\`.`, {
      hint: 'Then fix the file or its permissions and run again.', exitCode: 1, cause: err,
    });
  }
  return new UserError(`${reason} The new key ${maskKeyId(id)} was deleted again, so no key is left without its secret.`, {
    hint: 'Fix the file or its permissions and run again.', exitCode: 1, cause: err,
  });
}

const THROTTLE_RETRIES = 2;

/** AWS answered with a refusal (a 4xx): no key was made, whatever the error. */
function refusedByAws(err: unknown): boolean {
  const status = ((err as AwsError)?.cause as {$metadata?: {httpStatusCode?: number}} | undefined)?.$metadata?.httpStatusCode;
  return status !== undefined && status >= 400 && status < 500;
}

/**
 * iam:CreateAccessKey, made once (the gateway never retries it): a retry after
 * a lost answer makes a second key. Only a throttled call, which AWS refused,
 * is asked again. After no answer or a server error, the user's keys are
 * listed: a key that appeared is one AWS made whose secret never arrived, and
 * it is deleted again (or named, with the command that deletes it).
 */
async function createKeyOnce(ctx: StepContext): Promise<{id: string; secret: string}> {
  const {userName} = ctx.desired;
  const before = new Set((await ctx.reads.accessKeys(userName)).map((k) => k.id));
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.aws.createAccessKey(userName);
    } catch (err) {
      if (isKind(err, 'Throttled') && attempt < THROTTLE_RETRIES) {
        await ctx.sleep(1000 * (attempt + 1));
        continue;
      }
      if (refusedByAws(err)) throw err;
      throw (await keysMadeWithoutAnswer(ctx, before, err)) ?? err;
    }
  }
}

/** The keys that appeared although CreateAccessKey failed, deleted again; undefined when there are none. */
async function keysMadeWithoutAnswer(ctx: StepContext, before: Set<string>, err: unknown): Promise<UserError | undefined> {
  const {userName} = ctx.desired;
  ctx.reads.forget(`keys:${userName}`);
  const now = await ctx.aws.listAccessKeys(userName).catch(() => undefined);
  if (!now) {
    return new UserError(`${errorText(err)} AWS may have made a key all the same, and its secret never arrived; the user's keys could not be listed to check.`, {
      hint: `List them (aws iam list-access-keys --user-name ${userName}) and delete a key created just now, then run again.`, exitCode: 1, cause: err,
    });
  }
  const made = now.filter((k) => !before.has(k.id));
  if (!made.length) return undefined;
  const notes: string[] = [];
  for (const k of made) {
    try {
      await ctx.aws.deleteAccessKey(userName, k.id);
      notes.push(`AWS had made the key ${maskKeyId(k.id)} all the same; its secret never arrived, so it was deleted again`);
    } catch (deleteErr) {
      notes.push(`AWS made the key ${maskKeyId(k.id)} all the same, but its secret never arrived and deleting it failed (${errorText(deleteErr)}): delete it with \`${deleteKeyCommand(userName, k.id)}\``);
    }
  }
  return new UserError(`${errorText(err)} ${notes.join('; ')}.`, {hint: 'Run again: the next run makes one new key.', exitCode: 1, cause: err});
}

/** Deactivates each key; a failure is a warning (the next run tries again), not a failed row. */
async function deactivateAll(ctx: StepContext, keys: AccessKeyInfo[]): Promise<string[]> {
  const notes: string[] = [];
  for (const k of keys) {
    try {
      await ctx.aws.updateAccessKey(ctx.desired.userName, k.id, 'Inactive');
      notes.push(`deactivated ${maskKeyId(k.id)}, whose secret is no longer on this computer (a later run deletes it)`);
    } catch (err) {
      notes.push(`warning: could not deactivate ${maskKeyId(k.id)} (${(err as Error).message})`);
    }
  }
  return notes;
}

export const accessKeyStep: StepDefinition = {
  id: 'access-key',
  dependsOn: ['user'],
  title: (d) => `Access key for ${d.userName}`,
  check: checkAccessKey,
  async apply(ctx, check) {
    if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
    if (check.state === 'blocked') throw new UserError(`Can't create an access key: ${check.detail}.`, {hint: check.hint, exitCode: 1});
    // Another run may be making a key for this profile right now: one run at a time, each from the file as it is then.
    return ctx.files.withLock(() => applyKeys(ctx), ctx.progress);
  },
};

/**
 * Reads the credentials file again under the lock. True when the profile's
 * key changed meanwhile (another run wrote it): the key reads are made again.
 */
async function rereadProfile(ctx: StepContext): Promise<boolean> {
  const {userName, profileName} = ctx.desired;
  const before = localKey(ctx.files, profileName)?.id;
  if (!(await ctx.files.reload('credentials'))) return false;
  if (localKey(ctx.files, profileName)?.id === before) return false;
  for (const prefix of [`keys:${userName}`, `user:${userName}`, 'keyIdentity:']) ctx.reads.forget(prefix);
  return true;
}

async function applyKeys(ctx: StepContext): Promise<StepOutcome> {
  const {userName, profileName} = ctx.desired;
  const meanwhile = await rereadProfile(ctx);
  const plan = planKeys(await readFacts(ctx, meanwhile));
  if (plan.check.state === 'blocked') throw new UserError(`Can't create an access key: ${plan.check.detail}.`, {hint: plan.check.hint, exitCode: 1});
  if (!plan.create) {
    // The profile's key works: only retire what earlier replacements left. A failure here is a warning.
    const notes: string[] = [];
    let changed = false;
    for (const k of plan.deleteFirst) {
      try {
        await ctx.aws.deleteAccessKey(userName, k.id);
        notes.push(`deleted the Inactive key ${maskKeyId(k.id)} it replaced`);
        changed = true;
      } catch (err) {
        notes.push(`warning: could not delete the Inactive key ${maskKeyId(k.id)} (${(err as Error).message})`);
      }
    }
    const deactivated = await deactivateAll(ctx, plan.deactivate);
    changed ||= deactivated.some((n) => !n.startsWith('warning'));
    const head = `key ${maskKeyId(localKey(ctx.files, profileName)!.id)} in [${profileName}] is active${meanwhile ? ' (written by another run of the wizard meanwhile)' : ''}`;
    return {status: changed ? 'updated' : 'unchanged', detail: [head, ...notes, ...deactivated].join('; ')};
  }
  const deleted: string[] = [];
  for (const k of plan.deleteFirst) {
    await ctx.aws.deleteAccessKey(userName, k.id);
    deleted.push(k.status === 'Inactive' ? `deleted the inactive key ${maskKeyId(k.id)} it replaces`
      : k.id === ctx.run.deleteAtLimit ? `deleted ${maskKeyId(k.id)} to make room, as you chose`
        : `deleted ${maskKeyId(k.id)} to make room, since its secret is no longer on this computer`);
  }
  const stored = await createAndStoreKey(ctx, plan.deactivate[0]?.id);
  const deactivated = await deactivateAll(ctx, plan.deactivate);
  const leftAlone = plan.neverHeld.length ? [`left ${list(plan.neverHeld)} as ${plan.neverHeld.length > 1 ? 'they were' : 'it was'} (never in [${profileName}])`] : [];
  const notes = [...deleted, ...deactivated, ...leftAlone, ...(stored.warning ? [stored.warning] : [])];
  return {status: 'created', detail: [`new key ${maskKeyId(stored.id)} written to [${profileName}]`, ...notes].join('; ')};
}
