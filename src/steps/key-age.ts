/**
 * Old and unused access keys, as warnings on the access-key row. AWS Config's
 * access-keys-rotated rule and the CIS benchmark ask that an Active key be
 * rotated within 90 days, and that a key unused for 90 days be removed. Pure.
 */
import type {AccessKeyInfo, KeyLastUsed} from '../aws/port.js';
import type {Finding} from '../plan/types.js';
import {maskKeyId} from '../engine/step.js';

export const MAX_KEY_AGE_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface KeyAgeFacts {
  userName: string;
  /** The key the profile holds (and that setup keeps): its fix is rotate-key. */
  fileKeyId?: string;
  /** Last use of each key, by ID; a key missing here (the read failed) gets no key-unused warning. */
  lastUsed: ReadonlyMap<string, KeyLastUsed>;
  now: Date;
}

const daysBetween = (from: Date, to: Date) => Math.floor((to.getTime() - from.getTime()) / DAY_MS);

/** Created more than 90 days ago (unknown counts as old): only such a key can be old, or idle for that long. */
export const pastKeyLimit = (key: AccessKeyInfo, now: Date): boolean => !key.created || daysBetween(key.created, now) > MAX_KEY_AGE_DAYS;
const day = (d: Date) => d.toISOString().slice(0, 10);

/** Where a key was last used, in words: `2025-01-31 by s3 in eu-west-1`. */
export function describeLastUse(used: KeyLastUsed | undefined): string {
  if (!used) return 'last use unknown';
  if (!used.date) return 'never used';
  const by = used.service ? ` by ${used.service}` : '';
  const region = used.region ? ` in ${used.region}` : '';
  return `last used ${day(used.date)}${by}${region}`;
}

/** Warnings for the user's Active keys older than 90 days (key-old) and not used for 90 days (key-unused). */
export function keyAgeFindings(keys: readonly AccessKeyInfo[], facts: KeyAgeFacts): Finding[] {
  const findings: Finding[] = [];
  for (const key of keys) {
    if (key.status !== 'Active') continue;
    const masked = maskKeyId(key.id);
    const where = `IAM user ${facts.userName} key ${masked}`;
    const ours = key.id === facts.fileKeyId;
    const fix = ours
      ? 'npx zappa-iam-wizard rotate-key'
      // The full key ID inside the command, so it can be pasted as printed (a key ID is not a secret).
      : `once nothing uses it any more: \`aws iam delete-access-key --user-name ${facts.userName} --access-key-id ${key.id}\``;
    const age = key.created ? daysBetween(key.created, facts.now) : undefined;
    if (age !== undefined && age > MAX_KEY_AGE_DAYS) {
      findings.push({
        id: 'key-old', severity: 'warning', where,
        problem: `Active key ${masked} was created ${age} days ago; keys should be rotated within ${MAX_KEY_AGE_DAYS} days (AWS Config access-keys-rotated, CIS).`,
        fix,
      });
    }
    const used = facts.lastUsed.get(key.id);
    if (!used) continue;
    if (used.date) {
      const idle = daysBetween(used.date, facts.now);
      if (idle > MAX_KEY_AGE_DAYS) {
        findings.push({
          id: 'key-unused', severity: 'warning', where,
          problem: `Active key ${masked} has not been used for ${idle} days (${describeLastUse(used)}); an unused key should be removed.`,
          fix,
        });
      }
    } else if (age !== undefined && age > MAX_KEY_AGE_DAYS) {
      findings.push({
        id: 'key-unused', severity: 'warning', where,
        problem: `Active key ${masked} was created ${age} days ago and has never been used; an unused key should be removed.`,
        fix,
      });
    }
  }
  return findings;
}
