/** The key the person's credentials file holds for our profile, if any. */
import type {LocalFiles} from '../engine/local-files.js';

export interface LocalKey { id: string; secret: string }

export function localKey(files: LocalFiles, profile: string): LocalKey | undefined {
  const section = files.section('credentials', profile);
  const id = section?.aws_access_key_id?.trim();
  const secret = section?.aws_secret_access_key?.trim();
  return id && secret ? {id, secret} : undefined;
}

/**
 * Left over from temporary credentials, a session token beside a long-term
 * key makes the SDK and the AWS CLI send both, and AWS refuses the pair.
 */
export const SESSION_TOKEN_KEYS = ['aws_session_token', 'aws_security_token'];

export function staleSessionToken(files: LocalFiles, profile: string): string | undefined {
  const section = files.section('credentials', profile) ?? {};
  return Object.keys(section).find((k) => SESSION_TOKEN_KEYS.includes(k.toLowerCase()));
}
