/**
 * Tags on the IAM user that record which keys the wizard wrote into which
 * profile, so a later run still knows them when the profile section is lost:
 *
 *   zappa-iam-wizard:key:<profile>           the key the wizard last wrote there
 *   zappa-iam-wizard:replaced-key:<profile>  the key it last deactivated there
 *                                            (deleted by a later run)
 *
 * These are not the ManagedBy tag: they say nothing about who created the
 * user, and teardown ignores them. Pure.
 */
import type {Tags} from '../aws/port.js';

const PREFIX = 'zappa-iam-wizard:';
const MAX_TAG_KEY = 128;

/** The profile in characters IAM allows in a tag key ([\p{L}\p{Z}\p{N}_.:/=+\-@]), others as `_`. */
function tagKeyOf(kind: string, profile: string): string {
  const safe = profile.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '_');
  // IAM counts characters, not UTF-16 units: never cut a character in half.
  return [...`${PREFIX}${kind}:${safe}`].slice(0, MAX_TAG_KEY).join('');
}

export const keyTagKey = (profile: string): string => tagKeyOf('key', profile);
export const replacedTagKey = (profile: string): string => tagKeyOf('replaced-key', profile);

/** IAM compares tag keys without regard to case. */
function tagValue(tags: Tags, key: string): string | undefined {
  const wanted = key.toLowerCase();
  const found = Object.entries(tags).find(([k]) => k.toLowerCase() === wanted);
  return found?.[1].trim() || undefined;
}

/** The key IDs the user's tags name for this profile. */
export function taggedKeys(tags: Tags, profile: string): {written?: string; replaced?: string} {
  return {written: tagValue(tags, keyTagKey(profile)), replaced: tagValue(tags, replacedTagKey(profile))};
}

/** The tags to set after writing `written` into the profile (and deactivating `replaced`). */
export function keyTags(profile: string, written: string, replaced?: string): Tags {
  return {[keyTagKey(profile)]: written, ...(replaced ? {[replacedTagKey(profile)]: replaced} : {})};
}
