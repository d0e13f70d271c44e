/**
 * A credentials file of the size people with many accounts really have
 * (issue 16: 120,000 profiles), for the benchmark's "large file" scenario:
 * editing one profile in it must stay a matter of seconds. Every profile
 * here has a key ID and a secret, so the file is about 11 MB, more than the
 * 6 MB of the report.
 */
import {chmodSync, mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

export const LARGE_CREDENTIALS_PROFILES = 120_000;

/**
 * `profiles` sections `[team-000001]` … with a key ID each and a short
 * dummy secret (moto never sees them: the run uses the admin's environment
 * key). None is called serverless, so setup adds its section at the end.
 */
export function largeCredentialsText(profiles = LARGE_CREDENTIALS_PROFILES): string {
  const sections: string[] = [];
  for (let i = 1; i <= profiles; i++) {
    const n = String(i).padStart(6, '0');
    sections.push(`[team-${n}]\naws_access_key_id = AKIAEXAMPLE000${n}\naws_secret_access_key = dummy${n}\n`);
  }
  return sections.join('\n');
}

/** Writes the file as ~/.aws/credentials under `home` (0600, as the AWS CLI leaves it); returns its size in bytes. */
export function writeLargeCredentials(home: string, profiles = LARGE_CREDENTIALS_PROFILES): number {
  const dir = join(home, '.aws');
  mkdirSync(dir, {recursive: true, mode: 0o700});
  const path = join(dir, 'credentials');
  const text = largeCredentialsText(profiles);
  writeFileSync(path, text, {mode: 0o600});
  chmodSync(path, 0o600);
  return Buffer.byteLength(text);
}
