/**
 * rotate-key's steps: make room (if the user has two keys), create the new
 * key and write it to the credentials file at once, wait until STS accepts
 * it, then deactivate and delete the old one.
 *
 * Before any change it names the last use (date, service, region) of each
 * Active key it will delete and asks once; --yes answers, and a --json run or
 * one without a terminal stops there (exit 2) instead of asking.
 *
 * After a failure the credentials file holds a working key: before the new
 * key is proven, the old key is untouched (and written back if the new one
 * never works); after it is proven, the file already holds the new one.
 * The outcome lists which keys the user has, masked, whatever happened.
 */
import {UserError} from '../../errors.js';
import {upsertSection} from '../../files/ini-document.js';
import {maskKeyId, missing, type StepContext} from '../../engine/step.js';
import type {AccessKeyInfo, KeyLastUsed} from '../../aws/port.js';
import type {StepStatus} from '../../plan/types.js';
import {createAndStoreKey, lastUsesOf} from '../../steps/access-key.js';
import {describeLastUse} from '../../steps/key-age.js';
import {keyTags} from '../../steps/key-tags.js';
import {localKey, type LocalKey} from '../../steps/local-key.js';
import {verifyStep} from '../../steps/verify.js';
import type {Confirm} from '../confirm.js';
import {makeRoomFor, type RoomDecision} from './make-room.js';

export type RotateStepId = 'make-room' | 'access-key' | 'credentials-file' | 'verify' | 'old-key';

export type RotateEvent =
  | {type: 'step'; id: RotateStepId; status: StepStatus; detail: string}
  | {type: 'progress'; message: string}
  /** Something to know before the question (a key's last use), printed also when --yes skips it. */
  | {type: 'note'; message: string};

export interface KeySummary { id: string; status: 'Active' | 'Inactive'; inFile: boolean }

export interface RotateOutcome {
  /** false when a step failed; `cancelled` when the person said no. */
  ok: boolean;
  cancelled?: boolean;
  steps: {id: RotateStepId; status: StepStatus; detail: string; hint?: string}[];
  /** The user's keys at the end, masked. */
  keys: KeySummary[];
  error?: {message: string; hint?: string};
}

export interface RotateHooks {
  confirm: Confirm;
  emit(event: RotateEvent): void;
  describeError(err: unknown): {error: string; hint?: string};
  /** The setup command with the person's flags, for hints. */
  setup: string;
}

/** Thrown inside a step: names the step that failed. */
class StepFailure extends Error {
  constructor(readonly id: RotateStepId, readonly original: unknown) {
    super((original as Error)?.message ?? String(original));
  }
}

export async function rotateKey(ctx: StepContext, hooks: RotateHooks): Promise<RotateOutcome> {
  const {userName, profileName} = ctx.desired;
  if (!(await ctx.reads.user(userName))) {
    throw new UserError(`IAM user ${userName} does not exist, so it has no key to rotate.`, {hint: `Run ${hooks.setup} first.`});
  }
  // A file that cannot take the new key must stop the rotation before any key changes.
  await ctx.files.assertWritable('credentials');
  const steps: RotateOutcome['steps'] = [];
  const record = (id: RotateStepId, status: StepStatus, detail: string) => {
    steps.push({id, status, detail});
    hooks.emit({type: 'step', id, status, detail});
  };
  const old = localKey(ctx.files, profileName);
  try {
    const keys = await ctx.aws.listAccessKeys(userName);
    const decision = makeRoomFor(keys, old?.id);
    const roomKey = decision.kind === 'delete' ? decision.key : undefined;
    const oldKey = old && roomKey?.id !== old.id ? keys.find((k) => k.id === old.id) : undefined;
    const asked = [decision.kind === 'delete' && decision.ask ? roomKey : undefined, oldKey].filter((k): k is AccessKeyInfo => k !== undefined);
    const lastUse = await lastUsesOf(ctx, asked);
    if (!(await confirmDeletions(ctx, hooks, decision, oldKey, lastUse))) return {ok: false, cancelled: true, steps, keys: await keySummary(ctx)};
    const room = await makeRoom(ctx, decision);
    if (room) record('make-room', 'updated', room.detail);
    const stored = await inStep('access-key', () => createAndStoreKey(ctx, oldKey?.id));
    record('access-key', 'created', `created the new key ${maskKeyId(stored.id)}${stored.warning ? `; ${stored.warning}` : ''}`);
    const backup = ctx.files.reports.get('credentials')?.backup;
    record('credentials-file', 'updated', `wrote it to [${profileName}] in ${ctx.files.path('credentials')}${backup ? ` (backup: ${backup})` : ''}`);
    const verified = await verifyNewKey(ctx, hooks, old, stored.id);
    record('verify', 'created', `the new key works: ${verified}`);
    record('old-key', oldKey ? 'updated' : 'unchanged', await inStep('old-key', () => retire(ctx, oldKey, old, oldKey && lastUse.get(oldKey.id))));
    return {ok: true, steps, keys: await keySummary(ctx)};
  } catch (err) {
    if (!(err instanceof StepFailure)) throw err;
    const {error, hint} = hooks.describeError(err.original);
    steps.push({id: err.id, status: 'failed', detail: error, hint});
    return {ok: false, steps, keys: await keySummary(ctx).catch(() => []), error: {message: error, hint}};
  }
}

async function inStep<T>(id: RotateStepId, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw new StepFailure(id, err);
  }
}

const usedText = (lastUse: Map<string, KeyLastUsed>, id: string) => describeLastUse(lastUse.get(id));
const day = (d: Date | undefined) => d?.toISOString().slice(0, 10) ?? '?';

/**
 * The one question of a rotation, before any change: names each Active key it
 * will delete with its last use. True to go ahead (also when nothing needs a yes).
 */
async function confirmDeletions(
  ctx: StepContext, hooks: RotateHooks, decision: RoomDecision, oldKey: AccessKeyInfo | undefined, lastUse: Map<string, KeyLastUsed>,
): Promise<boolean> {
  const {userName, profileName} = ctx.desired;
  const room = decision.kind === 'delete' && decision.ask ? decision : undefined;
  const old = oldKey?.status === 'Active' ? oldKey : undefined;
  if (oldKey) hooks.emit({type: 'note', message: `The key in [${profileName}], ${maskKeyId(oldKey.id)} (${oldKey.status}, created ${day(oldKey.created)}), was ${usedText(lastUse, oldKey.id)}.`});
  if (room) hooks.emit({type: 'note', message: `${maskKeyId(room.key.id)} (${room.key.status}, created ${day(room.key.created)}, not in the credentials file) was ${usedText(lastUse, room.key.id)}.`});
  if (!room && !old) return true;
  const roomPart = room && `Delete ${maskKeyId(room.key.id)} (Active, created ${day(room.key.created)}, ${usedText(lastUse, room.key.id)}) to make room`;
  const oldPart = old && `deactivate and delete ${room ? `the key in [${profileName}]` : 'the old one'}, ${maskKeyId(old.id)} (${usedText(lastUse, old.id)}), once the new key works`;
  const question = room
    ? `${userName} already has two access keys. ${roomPart}${oldPart ? `, then ${oldPart}` : ''}?`
    : `Create a new key for [${profileName}], then ${oldPart}?`;
  const motivation = [
    room && `${userName} already has two access keys; to make room rotate-key has to delete ${maskKeyId(room.key.id)} (${room.why}; ${usedText(lastUse, room.key.id)})`,
    old && `rotate-key deletes ${maskKeyId(old.id)}, the key in [${profileName}] (${usedText(lastUse, old.id)}), once the new key works`,
  ].filter(Boolean).join(', and ');
  return hooks.confirm({question, motivation});
}

/** Deletes the key the decision names, when the user has two; undefined when there was room already. */
async function makeRoom(ctx: StepContext, decision: RoomDecision): Promise<{deleted: string; detail: string} | undefined> {
  if (decision.kind === 'enough') return undefined;
  const {key, why} = decision;
  await inStep('make-room', () => ctx.aws.deleteAccessKey(ctx.desired.userName, key.id));
  return {deleted: key.id, detail: `deleted ${maskKeyId(key.id)} to make room (${why})`};
}

/** Waits (with progress) until STS accepts the new key; if it never does, puts the old key back. */
async function verifyNewKey(ctx: StepContext, hooks: RotateHooks, old: LocalKey | undefined, newId: string): Promise<string> {
  const withProgress: StepContext = {...ctx, progress: (message) => hooks.emit({type: 'progress', message})};
  try {
    const {detail} = await verifyStep.apply(withProgress, missing('new key'));
    return detail;
  } catch (err) {
    const note = await rollBack(ctx, old, newId);
    throw new StepFailure('verify', new UserError(`The new key ${maskKeyId(newId)} was not accepted: ${hooks.describeError(err).error} ${note}`, {
      hint: 'Run rotate-key again later; if it keeps failing, run doctor.', exitCode: 1, cause: err,
    }));
  }
}

/** Restores the old key in the file (when it worked) and deletes the new one. Returns what it did. */
async function rollBack(ctx: StepContext, old: LocalKey | undefined, newId: string): Promise<string> {
  const {userName, profileName} = ctx.desired;
  if (!old || !(await oldKeyWorks(ctx, old))) return `The credentials file keeps the new key, since the previous one did not work either.`;
  try {
    const text = upsertSection(ctx.files.text('credentials') ?? '', profileName, {aws_access_key_id: old.id, aws_secret_access_key: old.secret});
    await ctx.files.write('credentials', text);
  } catch (err) {
    return `Putting the previous key back into the credentials file failed too (${(err as Error).message}); the file holds the new key.`;
  }
  await ctx.aws.deleteAccessKey(userName, newId).catch(() => {});
  // The user's tag names the key the profile holds: the previous one again.
  await ctx.aws.tagUser(userName, keyTags(profileName, old.id)).catch(() => {});
  return `The credentials file holds the previous key ${maskKeyId(old.id)} again, and the new key was deleted.`;
}

async function oldKeyWorks(ctx: StepContext, old: LocalKey): Promise<boolean> {
  const who = await ctx.reads.keyIdentity(old);
  return !(who instanceof Error) && who.arn.endsWith(`:user/${ctx.desired.userName}`);
}

/** Deactivates, then deletes, the key the file held before; it is one of the user's keys. */
async function retire(ctx: StepContext, oldKey: AccessKeyInfo | undefined, old: LocalKey | undefined, lastUse: KeyLastUsed | undefined): Promise<string> {
  const {userName, profileName} = ctx.desired;
  if (!oldKey) {
    return old
      ? `the previous key in [${profileName}] (${maskKeyId(old.id)}) was not one of ${userName}'s keys; nothing to delete`
      : `[${profileName}] held no key before; nothing to delete`;
  }
  // Deactivating first means a failed delete still leaves the old key unusable.
  if (oldKey.status === 'Active') await ctx.aws.updateAccessKey(userName, oldKey.id, 'Inactive');
  await ctx.aws.deleteAccessKey(userName, oldKey.id);
  return `deactivated and deleted the previous key ${maskKeyId(oldKey.id)} (${describeLastUse(lastUse)})`;
}

async function keySummary(ctx: StepContext): Promise<KeySummary[]> {
  const inFile = localKey(ctx.files, ctx.desired.profileName)?.id;
  const keys = await ctx.aws.listAccessKeys(ctx.desired.userName);
  return keys.map((k) => ({id: maskKeyId(k.id), status: k.status, inFile: k.id === inFile}));
}
