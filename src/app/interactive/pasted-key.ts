/**
 * A temporary admin access key typed (pasted) into the wizard: the way in for
 * someone who has only console access. The key goes into masked prompts, is
 * checked for shape here and with STS by the sign-in, and lives only in
 * memory for this run: it is never written to a file or printed, and the
 * wizard reminds the person to deactivate it at the end.
 */
import type {TypedKey} from '../../aws/credentials.js';
import type {CallerIdentity} from '../../aws/port.js';
import {maskKeyId} from '../../engine/step.js';
import type {Prompter} from './prompter.js';

// Long-term keys start AKIA, temporary (STS) ones ASIA; 16 more capitals and digits follow.
const KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{16}$/;
const SECRET = /^[A-Za-z0-9/+]{40}$/;

/** Access key ID: AKIA or ASIA and 16 capital letters or digits. */
export function validateAccessKeyId(value: string): true | string {
  const id = value.trim();
  if (KEY_ID.test(id)) return true;
  if (!id) return 'Paste the access key ID (it starts with AKIA or ASIA).';
  return 'An access key ID is AKIA or ASIA followed by 16 capital letters and digits (20 characters in all).';
}

/** Secret access key: 40 characters of letters, digits, / and +. */
export function validateSecretAccessKey(value: string): true | string {
  const secret = value.trim();
  if (SECRET.test(secret)) return true;
  if (KEY_ID.test(secret)) return 'That looks like the access key ID; paste the secret access key that came with it.';
  return `A secret access key is 40 letters, digits, / and + (this has ${secret.length} characters).`;
}

/** Session token of a temporary (ASIA…) key: required, one line. */
export function validateSessionToken(value: string): true | string {
  const token = value.trim();
  if (!token) return 'A temporary key (ASIA…) works only with its session token; paste it too.';
  if (/\s/.test(token)) return 'A session token is one line without spaces; paste it again.';
  return true;
}

export const isTemporaryKey = (id: string): boolean => id.startsWith('ASIA');

/** What the person is told before typing the key. */
export function aboutPastedKey(): string[] {
  return [
    'Create an access key for an administrator in the IAM console (Users → your user → Security credentials → Create access key) and paste it here. '
      + 'What you type is masked, kept in memory for this run only and never written to a file. Deactivate the key once the wizard is done; it will remind you.',
  ];
}

/** Asks for the key in masked prompts; the session token only for a temporary key. */
export async function askPastedKey(prompter: Prompter): Promise<TypedKey> {
  const id = (await prompter.password({message: 'Access key ID', validate: validateAccessKeyId})).trim();
  const secret = (await prompter.password({message: 'Secret access key', validate: validateSecretAccessKey})).trim();
  if (!isTemporaryKey(id)) return {id, secret};
  const sessionToken = (await prompter.password({message: 'Session token', validate: validateSessionToken})).trim();
  return {id, secret, sessionToken};
}

/** The IAM user name in a user ARN (arn:aws:iam::1:user/path/name -> name); undefined for root and roles. */
function userNameOf(arn: string): string | undefined {
  const resource = arn.split(':').slice(5).join(':');
  return resource.startsWith('user/') ? resource.split('/').at(-1) : undefined;
}

/**
 * The reminder at the end of the run: how to deactivate the pasted key, in
 * the console and with the AWS CLI. The key ID is masked in the sentence
 * and whole in the command, which must work when pasted.
 */
export function deactivationReminder(keyId: string, identity: CallerIdentity): string[] {
  const masked = maskKeyId(keyId);
  if (isTemporaryKey(keyId)) {
    return [`! The key you pasted (${masked}) is temporary: it stops working by itself when its session ends. Nothing to deactivate.`];
  }
  const user = userNameOf(identity.arn);
  const owner = user ? ` of ${user}` : identity.arn.endsWith(':root') ? ' of the root user' : '';
  const where = user
    ? `In the IAM console: Users → ${user} → Security credentials → Access keys → Actions → Deactivate.`
    : 'In the AWS console: your account name (top right) → Security credentials → Access keys → Actions → Deactivate.';
  return [
    `! Now deactivate the access key you pasted (${masked}${owner}): the wizard no longer needs it.`,
    `  ${where}`,
    '  Or with the AWS CLI:',
    // The full key ID, on one line, so the command can be pasted as printed (a key ID is not a secret).
    `    aws iam update-access-key --access-key-id ${keyId} --status Inactive${user ? ` --user-name ${user}` : ''}`,
  ];
}
