/**
 * Naming rules shared by IAM, S3 and Zappa. Pure functions: each validator
 * returns true or a sentence saying what is wrong (Inquirer's convention).
 */

export const ROLE_SUFFIX = '-ZappaLambdaExecutionRole';
const IAM_NAME_CHARS = /^[\w+=,.@-]+$/;
const MAX_ROLE = 64;
const MAX_USER = 64;

/**
 * Zappa names a function and its default role after
 * `slugify(project_name + "-" + stage)` (python-slugify): lowercase ASCII,
 * every run of other characters becomes one "-", no "-" at either end.
 */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The function name Zappa derives for a stage, e.g. `demo-app-dev`. */
export function lambdaName(projectName: string, stage: string): string {
  return slugify(`${projectName}-${stage}`);
}

/**
 * The role name Zappa would use, shortened so the whole name fits IAM's 64
 * characters. Shortening is deterministic so that re-runs agree.
 */
export function defaultRoleName(projectName: string, stage: string): string {
  return shortenRoleName(lambdaName(projectName, stage) + ROLE_SUFFIX);
}

/** Keeps the required suffix and trims the front part to fit IAM's limit. */
export function shortenRoleName(name: string): string {
  if (name.length <= MAX_ROLE) return name;
  const stem = name.endsWith(ROLE_SUFFIX) ? name.slice(0, -ROLE_SUFFIX.length) : name;
  const room = MAX_ROLE - ROLE_SUFFIX.length;
  return stem.slice(0, room).replace(/-+$/, '') + ROLE_SUFFIX;
}

export function validateRoleName(name: string): true | string {
  if (!name) return 'The role name is empty.';
  if (name.length > MAX_ROLE) return `"${name}" has ${name.length} characters; IAM allows at most ${MAX_ROLE}.`;
  if (!IAM_NAME_CHARS.test(name)) return `"${name}" may only contain letters, digits and + = , . @ _ -.`;
  if (!name.endsWith(ROLE_SUFFIX)) {
    return `"${name}" must end with ${ROLE_SUFFIX}: the deployment policy only lets the user pass roles named *${ROLE_SUFFIX}.`;
  }
  return true;
}

/** Makes any role name passable: adds the suffix and shortens. */
export function fixRoleName(name: string): string {
  const base = name.endsWith(ROLE_SUFFIX) ? name : `${name.replace(/[^\w+=,.@-]+/g, '-')}${ROLE_SUFFIX}`;
  return shortenRoleName(base);
}

export function validateUserName(name: string): true | string {
  if (!name) return 'The user name is empty.';
  if (name.length > MAX_USER) return `"${name}" has ${name.length} characters; IAM allows at most ${MAX_USER}.`;
  if (!IAM_NAME_CHARS.test(name)) return `"${name}" may only contain letters, digits and + = , . @ _ -.`;
  return true;
}

/**
 * The characters the AWS SDKs read in a `[profile name]` header of
 * ~/.aws/config (the JavaScript SDK's rule; a name with others is not seen as
 * a profile there, so its region and settings would be ignored).
 */
const PROFILE_NAME = /^[\w\-@+.%:/]+$/;

/**
 * Local profile names: what both ini files can hold and every SDK reads back
 * as that profile. No whitespace, brackets, # or ; (they would break the
 * header), and none of the names a JavaScript object already has
 * (`__proto__`, `constructor`, `toString`…): the JavaScript SDK keeps
 * profiles in a plain object, where such a name finds the object's own
 * machinery instead of the profile, and refuses `__proto__` outright.
 */
export function validateProfileName(name: string): true | string {
  if (!name) return 'The profile name is empty.';
  if (/[\s[\]#;]/.test(name)) return `"${name}" may not contain spaces, brackets, # or ;.`;
  if (!PROFILE_NAME.test(name)) return `"${name}" may only contain letters, digits and - _ @ + . % : / (the AWS SDKs read no other profile names in ~/.aws/config).`;
  if (name in Object.prototype) return `"${name}" is a name the AWS SDK for JavaScript cannot keep a profile under (every JavaScript object already has one); choose another.`;
  return true;
}

export const BUCKET_PREFIX = 'zappa-';

/** S3's rules for new buckets (3–63 chars, lowercase, DNS-safe), plus Zappa's prefix. */
export function validateBucketName(name: string): true | string {
  if (name.length < 3 || name.length > 63) return `"${name}" must be 3 to 63 characters long.`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) {
    return `"${name}" may only contain lowercase letters, digits, dots and hyphens, and must start and end with a letter or digit.`;
  }
  if (name.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(name)) return `"${name}" is not a valid bucket name.`;
  if (!name.startsWith(BUCKET_PREFIX)) {
    return `"${name}" must start with ${BUCKET_PREFIX}: the deployment policy only grants S3 on buckets named ${BUCKET_PREFIX}*.`;
  }
  return true;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const pick = (chars: string, random: () => number) => chars[Math.floor(random() * chars.length)]!;

/**
 * 10 lowercase letters and digits, as DESIGN.md asks for bucket suffixes.
 * Always at least one of each, so that hasRandomSuffix (and doctor) can tell
 * our suffix from a word: about 4% of purely random draws would have no digit.
 */
export function randomSuffix(random: () => number = Math.random): string {
  const chars = Array.from({length: 10}, () => pick(LETTERS + DIGITS, random));
  if (!chars.some((c) => DIGITS.includes(c))) chars[9] = pick(DIGITS, random);
  if (!chars.some((c) => LETTERS.includes(c))) chars[0] = pick(LETTERS, random);
  return chars.join('');
}

/** A fresh, valid bucket name built from a hint (old name or project name). */
export function proposeBucketName(hint: string, random?: () => number): string {
  const suffix = randomSuffix(random);
  const stem = slugify(hint.replace(/^zappa-/, '')) || 'app';
  const room = 63 - BUCKET_PREFIX.length - 1 - suffix.length;
  const trimmed = stem.slice(0, room).replace(/-+$/, '');
  return `${BUCKET_PREFIX}${trimmed ? `${trimmed}-` : ''}${suffix}`;
}

/** True when the name ends in something that looks like a random suffix. */
export function hasRandomSuffix(bucket: string): boolean {
  const last = bucket.split('-').pop() ?? '';
  return last.length >= 6 && /\d/.test(last) && /[a-z]/.test(last);
}

/** The role's name in a role ARN (`arn:aws:iam::1:role/path/name` → `name`), or undefined for anything else. */
export function roleNameOfArn(arn: string): string | undefined {
  const match = /^arn:[\w-]+:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(arn);
  return match?.[1];
}

/** The account that holds an IAM ARN. */
export function accountOfArn(arn: string): string | undefined {
  return /^arn:[\w-]+:iam::(\d{12}):/.exec(arn)?.[1];
}
