/** The key the person's credentials file holds for our profile, if any. */
import type {LocalFiles} from '../engine/local-files.js';

export interface LocalKey { id: string; secret: string }

export function localKey(files: LocalFiles, profile: string): LocalKey | undefined {
  const section = files.section('credentials', profile);
  const id = section?.aws_access_key_id?.trim();
  const secret = section?.aws_secret_access_key?.trim();
  return id && secret ? {id, secret} : undefined;
}
