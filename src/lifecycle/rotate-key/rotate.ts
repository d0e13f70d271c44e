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
 * Whether the old key works is taken from STS's answer at the start, before
 * anything changed: an STS outage later says nothing about it.
 *
 * Two rotations at once (here or on another computer) coordinate through IAM
 * itself: the user's keys are listed again right before each deletion and
 * right before and after the new key is made. A key this run neither saw at
 * its start nor made is another run's: before the new key exists, the run
 * stops; right after, it puts the previous key back and deletes its own, so
 * the user is never left with two keys. On one computer the lock beside the
 * credentials file also makes the runs take turns at that moment.
 *
 * The outcome lists which keys the user has, masked, whatever happened.
 */
import {AwsError, describeAwsError, isKind} from '../../aws/aws-error.js';
import {UserError} from '../../errors.js';
import {getSection, removeKeys, upsertSection} from '../../files/ini-document.js';
import {maskKeyId, missing, type StepContext} from '../../engine/step.js';
import type {AccessKeyInfo, KeyLastUsed} from '../../aws/port.js';
import type {StepStatus} from '../../plan/types.js';
import {createAndStoreKey, lastUsesOf, type StoredKey} from '../../steps/access-key.js';
import {describeLastUse} from '../../steps/key-age.js';
import {keyTags, taggedKeys} from '../../steps/key-tags.js';
import {localKey, type LocalKey} from '../../steps/local-key.js';
import {verifyStep} from '../../steps/verify.js';
import type {Confirm} from '../confirm.js';
import {madeDuringRun, makeRoomFor, writtenElsewhere, type RoomDecision} from './make-room.js';

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
    await assertNoRotationElsewhere(ctx, keys, decision, old);
    const roomKey = decision.kind === 'delete' ? decision.key : undefined;
    const oldKey = old && roomKey?.id !== old.id ? keys.find((k) => k.id === old.id) : undefined;
    const asked = [decision.kind === 'delete' && decision.ask ? roomKey : undefined, oldKey].filter((k): k is AccessKeyInfo => k !== undefined);
    const lastUse = await lastUsesOf(ctx, asked);
    if (!(await confirmDeletions(ctx, hooks, decision, oldKey, lastUse))) return {ok: false, cancelled: true, steps, keys: await keySummary(ctx)};
    // Before anything changes, and before the new key's write makes STS's answers be asked again.
    const standing = old && (await standingOf(ctx, old));
    const known = new Set(keys.map((k) => k.id));
    const room = await makeRoom(ctx, decision, known);
    if (room) record('make-room', 'updated', room.detail);
    const stored = await inStep('access-key', () => ctx.files.withLock(
      () => createUnlessRaced(ctx, known, old, standing, oldKey?.id),
      (message) => hooks.emit({type: 'progress', message}),
    ));
    record('access-key', 'created', `created the new key ${maskKeyId(stored.id)}${stored.warning ? `; ${stored.warning}` : ''}`);
    const backup = ctx.files.reports.get('credentials')?.backup;
    record('credentials-file', 'updated', `wrote it to [${profileName}] in ${ctx.files.path('credentials')}${backup ? ` (backup: ${backup})` : ''}`);
    const verified = await verifyNewKey(ctx, hooks, old, standing, stored.id);
    record('verify', 'created', `the new key works: ${verified}`);
    record('old-key', oldKey ? 'updated' : 'unchanged', await inStep('old-key', () => retire(ctx, oldKey, old, oldKey && lastUse.get(oldKey.id), stored.id)));
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

/**
 * Deletes the key the decision names, when the user has two; undefined when
 * there was room already. The keys are listed again first: if they changed
 * since the question, another run is at work and nothing is deleted.
 */
async function makeRoom(ctx: StepContext, decision: RoomDecision, known: Set<string>): Promise<{deleted: string; detail: string} | undefined> {
  if (decision.kind === 'enough') return undefined;
  const {key, why} = decision;
  await inStep('make-room', async () => {
    const now = await ctx.aws.listAccessKeys(ctx.desired.userName);
    const strangers = now.filter((k) => !known.has(k.id));
    if (strangers.length || !now.some((k) => k.id === key.id)) throw keysChangedError(ctx, strangers, 'Nothing was deleted or created.');
    await ctx.aws.deleteAccessKey(ctx.desired.userName, key.id);
  });
  known.delete(key.id);
  return {deleted: key.id, detail: `deleted ${maskKeyId(key.id)} to make room (${why})`};
}

/**
 * Stops before the question when one of the user's keys belongs to a
 * rotation elsewhere: a key made since this process started (another run's,
 * still on its way into some profile), or the key to delete for room being
 * the one the wizard last wrote into this profile on another computer.
 */
async function assertNoRotationElsewhere(ctx: StepContext, keys: AccessKeyInfo[], decision: RoomDecision, old: LocalKey | undefined): Promise<void> {
  const inFlight = madeDuringRun(keys, old?.id, performance.timeOrigin);
  if (inFlight.length) throw new StepFailure('make-room', keysChangedError(ctx, inFlight, 'Nothing was created or deleted.'));
  const tags = (await ctx.reads.user(ctx.desired.userName))?.tags ?? {};
  const elsewhere = writtenElsewhere(decision, taggedKeys(tags, ctx.desired.profileName).written, old?.id);
  if (elsewhere) throw new StepFailure('make-room', inUseElsewhereError(ctx, elsewhere, old));
}

/** The key to delete for room is the profile's key somewhere else: stop before any change. */
function inUseElsewhereError(ctx: StepContext, key: AccessKeyInfo, old: LocalKey | undefined): UserError {
  const {userName, profileName} = ctx.desired;
  return new UserError(`${userName} has two keys, and the one rotate-key would delete to make room, ${maskKeyId(key.id)}, is the key the wizard last wrote into [${profileName}] (the user's tag says so), on another computer or by a run still under way, while [${profileName}] here holds ${old ? maskKeyId(old.id) : 'no key'}. Deleting it would cut that profile off, so nothing was changed.`, {
    hint: `If nothing uses ${maskKeyId(key.id)} any more, delete it (\`aws iam delete-access-key --user-name ${userName} --access-key-id ${key.id}\`) and run rotate-key again; if another run is under way, let it finish first.`,
    exitCode: 1,
  });
}

/** Keys the user has now that this run neither saw at its start nor made: another run's, most likely. */
async function strangerKeys(ctx: StepContext, known: ReadonlySet<string>): Promise<AccessKeyInfo[]> {
  return (await ctx.aws.listAccessKeys(ctx.desired.userName)).filter((k) => !known.has(k.id));
}

const listOf = (keys: AccessKeyInfo[]) => keys.map((k) => maskKeyId(k.id)).join(', ');

/** The user's keys changed under this run: it stops (exit 1), saying what it left as it was. */
function keysChangedError(ctx: StepContext, strangers: AccessKeyInfo[], left: string): UserError {
  const {userName} = ctx.desired;
  const what = strangers.length
    ? `${strangers.length > 1 ? 'Other access keys' : 'Another access key'}, ${listOf(strangers)}, appeared for ${userName} while this run was rotating its key`
    : `The access keys of ${userName} changed while this run was rotating its key`;
  return new UserError(`${what} (another rotate-key or setup run, on this computer or another one?). ${left}`, {
    hint: 'Let the other run finish, then run doctor to see where things stand (or rotate-key again).', exitCode: 1,
  });
}

/**
 * Makes the new key and writes it, unless another run is making one too: the
 * keys are listed again right before (a stranger: stop, nothing made) and
 * right after (a stranger: the other run made one at the same moment; this run
 * backs off, so that one key is left). Runs under the credentials file's lock.
 */
async function createUnlessRaced(
  ctx: StepContext, known: Set<string>, old: LocalKey | undefined, standing: KeyStanding | undefined, replaces: string | undefined,
): Promise<StoredKey> {
  // Under the lock: another run of this computer may have written the file while this one waited.
  await ctx.files.reload('credentials');
  const before = await strangerKeys(ctx, known);
  if (before.length) throw keysChangedError(ctx, before, 'Nothing was created or deleted.');
  let stored: StoredKey;
  try {
    stored = await createAndStoreKey(ctx, replaces);
  } catch (err) {
    // IAM's two-key limit, reached because the other run's key was made first.
    const raced = isKind(err, 'LimitExceeded') ? await strangerKeys(ctx, known).catch(() => []) : [];
    if (raced.length) throw keysChangedError(ctx, raced, 'Nothing was created or deleted.');
    throw err;
  }
  known.add(stored.id);
  const now = await ctx.aws.listAccessKeys(ctx.desired.userName);
  const after = now.filter((k) => !known.has(k.id));
  if (!after.length) return stored;
  const notes = await undoNewKey(ctx, old, standing, stored.id);
  // The other run retired the old key already: this profile now needs that run's key.
  const gone = old !== undefined && !now.some((k) => k.id === old.id)
    ? ` The other run has deleted ${maskKeyId(old.id)} meanwhile, so [${ctx.desired.profileName}] here needs that run's new key (or rotate-key here once that run has finished).`
    : '';
  throw keysChangedError(ctx, after, `So that ${ctx.desired.userName} keeps one key, this run backed off: ${notes.join(', and ')}.${gone}`);
}

/**
 * What STS said about the old key at the start of this run (the answer the
 * session asked for before anything changed): works, rejected, or unknown
 * when STS gave no answer then either.
 */
type KeyStanding = 'works' | 'rejected' | 'unknown';

async function standingOf(ctx: StepContext, old: LocalKey): Promise<KeyStanding> {
  const who = await ctx.reads.keyIdentity(old);
  if (!(who instanceof Error)) return who.arn.endsWith(`:user/${ctx.desired.userName}`) ? 'works' : 'rejected';
  return isRejection(who) ? 'rejected' : 'unknown';
}

/** STS turned the key down, as opposed to not answering (an outage, a timeout). */
const isRejection = (err: unknown) => isKind(err, 'InvalidCredentials') || isKind(err, 'AccessDenied') || !(err instanceof AwsError);

/** Waits (with progress) until STS accepts the new key; if it never does, puts the old key back. */
async function verifyNewKey(ctx: StepContext, hooks: RotateHooks, old: LocalKey | undefined, standing: KeyStanding | undefined, newId: string): Promise<string> {
  const withProgress: StepContext = {...ctx, progress: (message) => hooks.emit({type: 'progress', message})};
  try {
    const {detail} = await verifyStep.apply(withProgress, missing('new key'));
    return detail;
  } catch (err) {
    const note = await rollBack(ctx, old, standing, newId);
    // An outage says nothing about the key: it "could not be verified", not "was not accepted".
    const what = isRejection(err) ? 'was not accepted' : 'could not be verified, because STS did not answer as it should';
    throw new StepFailure('verify', new UserError(`The new key ${maskKeyId(newId)} ${what}: ${hooks.describeError(err).error} ${note}`, {
      hint: isRejection(err) ? 'Run rotate-key again later; if it keeps failing, run doctor.' : 'Run rotate-key again once STS answers; if it keeps failing, run doctor.',
      exitCode: 1, cause: err,
    }));
  }
}

/** After a failed verification: the old key back in the file (unless it was rejected at the start), the new one deleted. */
async function rollBack(ctx: StepContext, old: LocalKey | undefined, standing: KeyStanding | undefined, newId: string): Promise<string> {
  if (!old) return `The credentials file keeps the new key, since [${ctx.desired.profileName}] held no key before.`;
  if (standing === 'rejected') return 'The credentials file keeps the new key, since STS rejected the previous one at the start of this run.';
  return sentence(await undoNewKey(ctx, old, standing, newId));
}

/**
 * Puts the previous key back into the profile (only while the file still
 * holds this run's new key: a key another run wrote there stays), deletes
 * the new key, and records the previous one on the user again. Returns what
 * it did, as clauses; a step that fails is named, never reported as done.
 */
async function undoNewKey(ctx: StepContext, old: LocalKey | undefined, standing: KeyStanding | undefined, newId: string): Promise<string[]> {
  const {userName, profileName} = ctx.desired;
  const notes: string[] = [];
  try {
    await ctx.files.write('credentials', restoreEdit(profileName, newId, old));
    const why = standing === 'unknown' ? ' (as before this run; STS gave no answer about it then either)' : '';
    notes.push(old ? `the credentials file holds the previous key ${maskKeyId(old.id)} again${why}` : `[${profileName}] holds no key again, as before this run`);
  } catch (err) {
    notes.push(`the previous key could not be put back into the credentials file (${(err as Error).message})`);
  }
  try {
    await ctx.aws.deleteAccessKey(userName, newId);
    notes.push('the new key was deleted');
  } catch (err) {
    notes.push(isKind(err, 'NotFound')
      ? `the new key ${maskKeyId(newId)} was gone already (deleted by another run, or by hand)`
      : `the new key ${maskKeyId(newId)} could not be deleted (${err instanceof AwsError ? describeAwsError(err) : (err as Error).message}): delete it with \`aws iam delete-access-key --user-name ${userName} --access-key-id ${newId}\``);
  }
  // The user's tag names the key the profile holds: the previous one again.
  if (old) await ctx.aws.tagUser(userName, keyTags(profileName, old.id)).catch(() => {});
  return notes;
}

/** "a, and b." as a sentence. */
function sentence(clauses: string[]): string {
  const text = clauses.join(', and ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

/** The previous key back into the profile, while it holds the new one; anything else there is left alone. */
function restoreEdit(profileName: string, newId: string, old: LocalKey | undefined) {
  return (text: string | undefined): string => {
    const current = text ?? '';
    const held = getSection(current, profileName)?.aws_access_key_id?.trim();
    if (held !== newId) throw new Error(`[${profileName}] no longer holds the new key; another run wrote ${held ? maskKeyId(held) : 'something else'} there, which stays`);
    if (!old) return removeKeys(current, profileName, ['aws_access_key_id', 'aws_secret_access_key']);
    return upsertSection(current, profileName, {aws_access_key_id: old.id, aws_secret_access_key: old.secret});
  };
}

/**
 * Deactivates, then deletes, the key the file held before; it is one of the
 * user's keys. Right before, the keys are listed again and the file read
 * again: a key already gone needs no deleting, and while the profile no
 * longer holds the new key (someone changed the file), the old one is kept.
 */
async function retire(ctx: StepContext, oldKey: AccessKeyInfo | undefined, old: LocalKey | undefined, lastUse: KeyLastUsed | undefined, newId: string): Promise<string> {
  const {userName, profileName} = ctx.desired;
  if (!oldKey) {
    return old
      ? `the previous key in [${profileName}] (${maskKeyId(old.id)}) was not one of ${userName}'s keys; nothing to delete`
      : `[${profileName}] held no key before; nothing to delete`;
  }
  const now = await ctx.aws.listAccessKeys(userName);
  if (!now.some((k) => k.id === oldKey.id)) return `the previous key ${maskKeyId(oldKey.id)} was already deleted (by another run, or by hand)`;
  await ctx.files.reload('credentials');
  const held = localKey(ctx.files, profileName)?.id;
  if (held !== newId) {
    throw new UserError(`[${profileName}] in ${ctx.files.path('credentials')} no longer holds the new key ${maskKeyId(newId)} (it holds ${held ? maskKeyId(held) : 'no key'}: changed by another run or by hand), so the previous key ${maskKeyId(oldKey.id)} was kept.`, {
      hint: 'Run doctor to see which key the profile should hold, then rotate-key again.', exitCode: 1,
    });
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
