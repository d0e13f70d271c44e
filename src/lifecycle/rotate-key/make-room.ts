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
