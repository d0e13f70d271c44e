/**
 * Checks of the key in the deploy profile. Two sources, because each sees
 * what the other cannot: IAM's ListAccessKeys (admin identity) knows whether
 * the key is the user's and Active; STS GetCallerIdentity signed with the key
 * itself proves the secret works, and needs no admin identity at all. Pure.
 */
import {isKind} from '../../aws/aws-error.js';
import type {AccessKeyInfo, CallerIdentity} from '../../aws/port.js';
import {maskKeyId} from '../../engine/step.js';
import {Collector, type CheckResult, type Read} from './finding.js';

export interface KeyFacts {
  userName: string;
  profile: string;
  credentialsPath: string;
  /** The key ID in the profile; undefined when there is none (the file checks report that). */
  keyId?: string;
  /** What STS answered for the profile's key, or its error. */
  keyIdentity?: CallerIdentity | Error;
  /** Whether the user exists (admin read). */
  userExists: Read<boolean>;
  /** The user's keys (admin read). */
  keys: Read<AccessKeyInfo[]>;
  /** Turns a failed STS call into a short reason. */
  describe(err: unknown): string;
  setup: string;
}

export function checkAccessKey(facts: KeyFacts): CheckResult {
  const out = new Collector();
  const {keyId, keyIdentity, userName, setup} = facts;
  if (!keyId) return out;
  const where = `${facts.credentialsPath} [${facts.profile}] key ${maskKeyId(keyId)}`;
  const rejected = isKind(keyIdentity, 'InvalidCredentials');
  const who = keyIdentity instanceof Error ? undefined : keyIdentity;
  if (keyIdentity instanceof Error && !rejected) {
    out.skip(`whether the key in [${facts.profile}] works`, facts.describe(keyIdentity));
  }
  const someoneElse = who && !who.arn.endsWith(`:user/${userName}`) ? who.arn : undefined;
  // The user group reports a missing user; here it only means "no keys".
  const userMissing = facts.userExists.ok && !facts.userExists.value;
  const keys = userMissing ? [] : out.value(facts.keys, `whether the key in [${facts.profile}] is one of ${userName}'s active keys`);

  if (keys === undefined) {
    // Without IAM reads only STS can tell; it cannot say why a key is refused.
    if (rejected) {
      out.add({id: 'key-rejected', where, problem: 'is refused by AWS: deleted, deactivated, or its secret does not match', fix: setup});
    } else if (someoneElse) {
      out.add({id: 'key-not-users', where, problem: `belongs to ${someoneElse}, not to IAM user ${userName}`, fix: setup});
    }
    return out;
  }
  const known = keys.find((k) => k.id === keyId);
  if (known?.status === 'Inactive') {
    out.add({id: 'key-inactive', where, problem: `is Inactive in IAM, so every call made with it is refused`, fix: setup});
  } else if (known) {
    if (rejected) out.add({id: 'key-secret-rejected', where, problem: `is one of ${userName}'s active keys, but AWS refuses the secret stored with it`, fix: setup});
  } else if (rejected) {
    out.add({id: 'key-deleted', where, problem: `no longer exists in AWS (deleted), so every call made with it is refused`, fix: setup});
  } else {
    const owner = someoneElse ? `it belongs to ${someoneElse}` : 'it was deleted or belongs to another identity';
    out.add({id: 'key-not-users', where, problem: `is not one of the access keys of IAM user ${userName}: ${owner}`, fix: setup});
  }
  return out;
}
