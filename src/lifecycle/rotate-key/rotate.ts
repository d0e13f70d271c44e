/**
 * rotate-key's steps: make room (if the user has two keys), create the new
 * key and write it to the credentials file at once, wait until STS accepts
 * it, then deactivate and delete the old one.
 *
 * After a failure the credentials file holds a working key: before the new
 * key is proven, the old key is untouched (and written back if the new one
 * never works); after it is proven, the file already holds the new one.
 * The outcome lists which keys the user has, masked, whatever happened.
 */
import {UserError} from '../../errors.js';
import {upsertSection} from '../../files/ini-document.js';
import {maskKeyId, missing, type StepContext} from '../../engine/step.js';
import type {AccessKeyInfo} from '../../aws/port.js';
import type {StepStatus} from '../../plan/types.js';
import {createAndStoreKey} from '../../steps/access-key.js';
import {localKey, type LocalKey} from '../../steps/local-key.js';
import {verifyStep} from '../../steps/verify.js';
import type {Confirm} from '../confirm.js';
import {makeRoomFor} from './make-room.js';

export type RotateStepId = 'make-room' | 'access-key' | 'credentials-file' | 'verify' | 'old-key';

export type RotateEvent =
  | {type: 'step'; id: RotateStepId; status: StepStatus; detail: string}
  | {type: 'progress'; message: string};

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
    const room = await makeRoom(ctx, hooks, keys, old);
    if (room === 'cancelled') return {ok: false, cancelled: true, steps, keys: await keySummary(ctx)};
    if (room) record('make-room', 'updated', room.detail);
    const newId = await inStep('access-key', () => createAndStoreKey(ctx));
    record('access-key', 'created', `created the new key ${maskKeyId(newId)}`);
    const backup = ctx.files.reports.get('credentials')?.backup;
    record('credentials-file', 'updated', `wrote it to [${profileName}] in ${ctx.files.path('credentials')}${backup ? ` (backup: ${backup})` : ''}`);
    const verified = await verifyNewKey(ctx, hooks, old, newId);
    record('verify', 'created', `the new key works: ${verified}`);
    const oldKey = old && room?.deleted !== old.id ? keys.find((k) => k.id === old.id) : undefined;
    record('old-key', oldKey ? 'updated' : 'unchanged', await inStep('old-key', () => retire(ctx, oldKey, old)));
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

/** Deletes a key when the user has two; undefined when there was room already. */
async function makeRoom(
  ctx: StepContext, hooks: RotateHooks, keys: AccessKeyInfo[], old: LocalKey | undefined,
): Promise<{deleted: string; detail: string} | 'cancelled' | undefined> {
  const {userName} = ctx.desired;
  const decision = makeRoomFor(keys, old?.id);
  if (decision.kind === 'enough') return undefined;
  const {key, ask, why} = decision;
  const masked = maskKeyId(key.id);
  if (ask) {
    const lastUsed = await ctx.aws.keyLastUsed(key.id).catch(() => undefined);
    const used = lastUsed ? `last used ${lastUsed.toISOString().slice(0, 10)}` : 'never used, or last use unknown';
    const yes = await hooks.confirm({
      question: `${userName} already has two access keys. Delete ${masked} (Active, created ${key.created?.toISOString().slice(0, 10) ?? '?'}, ${used}) to make room?`,
      motivation: `${userName} already has two access keys; to make room rotate-key has to delete ${masked} (${why})`,
    });
    if (!yes) return 'cancelled';
  }
  await inStep('make-room', () => ctx.aws.deleteAccessKey(userName, key.id));
  return {deleted: key.id, detail: `deleted ${masked} to make room (${why})`};
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
  return `The credentials file holds the previous key ${maskKeyId(old.id)} again, and the new key was deleted.`;
}

async function oldKeyWorks(ctx: StepContext, old: LocalKey): Promise<boolean> {
  const who = await ctx.reads.keyIdentity(old);
  return !(who instanceof Error) && who.arn.endsWith(`:user/${ctx.desired.userName}`);
}

/** Deactivates, then deletes, the key the file held before; it is one of the user's keys. */
async function retire(ctx: StepContext, oldKey: AccessKeyInfo | undefined, old: LocalKey | undefined): Promise<string> {
  const {userName, profileName} = ctx.desired;
  if (!oldKey) {
    return old
      ? `the previous key in [${profileName}] (${maskKeyId(old.id)}) was not one of ${userName}'s keys; nothing to delete`
      : `[${profileName}] held no key before; nothing to delete`;
  }
  // Deactivating first means a failed delete still leaves the old key unusable.
  if (oldKey.status === 'Active') await ctx.aws.updateAccessKey(userName, oldKey.id, 'Inactive');
  await ctx.aws.deleteAccessKey(userName, oldKey.id);
  return `deactivated and deleted the previous key ${maskKeyId(oldKey.id)}`;
}

async function keySummary(ctx: StepContext): Promise<KeySummary[]> {
  const inFile = localKey(ctx.files, ctx.desired.profileName)?.id;
  const keys = await ctx.aws.listAccessKeys(ctx.desired.userName);
  return keys.map((k) => ({id: maskKeyId(k.id), status: k.status, inFile: k.id === inFile}));
}
