/**
 * IAM allows two access keys per user, so a rotation sometimes has to delete
 * one before it can create the new key. Which one, and whether to ask: pure.
 *
 * Never the key the credentials file holds while it still works: if the
 * rotation fails later, that key is what keeps the profile usable.
 */
import type {AccessKeyInfo} from '../../aws/port.js';

export const KEY_LIMIT = 2;

export type RoomDecision =
  | {kind: 'enough'}
  | {kind: 'delete'; key: AccessKeyInfo; ask: boolean; why: string};

const oldestFirst = (a: AccessKeyInfo, b: AccessKeyInfo) => (a.created?.getTime() ?? 0) - (b.created?.getTime() ?? 0);

export function makeRoomFor(keys: AccessKeyInfo[], fileKeyId: string | undefined): RoomDecision {
  if (keys.length < KEY_LIMIT) return {kind: 'enough'};
  const others = keys.filter((k) => k.id !== fileKeyId).sort(oldestFirst);
  const inactiveOther = others.find((k) => k.status === 'Inactive');
  if (inactiveOther) return {kind: 'delete', key: inactiveOther, ask: false, why: 'Inactive, not in the credentials file'};
  const inFile = keys.find((k) => k.id === fileKeyId);
  // An Inactive key in the file works for nobody; deleting it loses nothing.
  if (inFile?.status === 'Inactive') return {kind: 'delete', key: inFile, ask: false, why: 'the Inactive key the profile holds, which works for nobody'};
  // With two keys and at most one in the file, there is always another one.
  const activeOther = others[0]!;
  return {kind: 'delete', key: activeOther, ask: true, why: 'Active, not in the credentials file; something else may still use it'};
}

/**
 * The key the decision would delete, when the user's tag names it as the key
 * the wizard last wrote into this profile while this file holds another: the
 * profile on another computer (or a run still under way) uses it. Deleting
 * it to make room would cut that profile off, so the rotation stops instead.
 */
export function writtenElsewhere(decision: RoomDecision, taggedKeyId: string | undefined, fileKeyId: string | undefined): AccessKeyInfo | undefined {
  if (decision.kind !== 'delete' || !taggedKeyId || taggedKeyId === fileKeyId) return undefined;
  return decision.key.id === taggedKeyId && decision.key.status === 'Active' ? decision.key : undefined;
}

/**
 * Keys created after this run started, other than the file's: another run
 * made them moments ago and may still be writing one into its profile, so
 * none of them may be deleted to make room. (IAM's CreateDate is AWS's clock;
 * a skew only makes this stop a run that need not have stopped.)
 */
export function madeDuringRun(keys: AccessKeyInfo[], fileKeyId: string | undefined, startedMs: number): AccessKeyInfo[] {
  return keys.filter((k) => k.id !== fileKeyId && k.created !== undefined && k.created.getTime() > startedMs);
}
