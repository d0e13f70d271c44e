/**
 * Keys that make the AWS CLI and boto3 (Zappa) get the profile's credentials
 * some other way than from its static key. botocore merges [x] of the
 * credentials file over [profile x] of the config file and then tries, in
 * this order: role_arn (with source_profile or credential_source), role_arn
 * with web_identity_token_file, IAM Identity Center (sso_*), and only then the
 * static key; credential_process comes after the key but takes over the day
 * the key is gone. So a role_arn left in [profile serverless] deploys as that
 * role (often the admin's) while the key the wizard wrote sits unused.
 *
 * Pure: reads section texts, returns what it found and the edited text.
 */
import {removeKeys} from '../files/ini-document.js';

export type RedirectFile = 'credentials' | 'config';

/** One key found in one of the two sections of the profile. */
export interface RedirectEntry {
  file: RedirectFile;
  /** The section it is in: `serverless` (credentials) or `profile serverless` (config). */
  section: string;
  /** The key as written. */
  key: string;
  value: string;
}

const NAMED = new Set(['role_arn', 'source_profile', 'credential_source', 'credential_process', 'web_identity_token_file']);

/** Whether botocore would read the key as another way to get credentials (keys are case-insensitive there). */
export function isRedirectKey(key: string): boolean {
  const lower = key.trim().toLowerCase();
  return NAMED.has(lower) || lower.startsWith('sso_');
}

/** The redirect keys of one section, in file order. */
export function redirectsIn(section: Record<string, string> | undefined, file: RedirectFile, name: string): RedirectEntry[] {
  return Object.entries(section ?? {}).filter(([key]) => isRedirectKey(key)).map(([key, value]) => ({file, section: name, key, value}));
}

/** The text with the section's redirect keys removed; every other byte stays. Throws as removeKeys does. */
export function withoutRedirects(text: string, section: string, entries: readonly RedirectEntry[]): string {
  const keys = entries.filter((e) => e.section === section).map((e) => e.key);
  return keys.length ? removeKeys(text, section, keys) : text;
}

const valueOf = (entries: readonly RedirectEntry[], key: string) => entries.find((e) => e.key.toLowerCase() === key)?.value;

/**
 * What the AWS CLI and boto3 do with the profile instead of using its key,
 * after "the AWS CLI and Zappa": "assume role arn:… with the credentials of
 * profile admin". credential_process is named, never shown: its command line
 * may carry a secret.
 */
export function whereItLeads(entries: readonly RedirectEntry[]): string {
  const role = valueOf(entries, 'role_arn');
  const token = valueOf(entries, 'web_identity_token_file');
  const source = valueOf(entries, 'source_profile');
  const credentialSource = valueOf(entries, 'credential_source');
  const ssoRole = valueOf(entries, 'sso_role_name');
  const ssoAccount = valueOf(entries, 'sso_account_id');
  const sso = entries.some((e) => e.key.toLowerCase().startsWith('sso_'));
  const ways: string[] = [];
  if (role && token) ways.push(`assume role ${role} with the web identity token in ${token}`);
  else if (role) ways.push(`assume role ${role}${source ? ` with the credentials of profile ${source}` : credentialSource ? ` with the credentials of ${credentialSource}` : ''}`);
  if (sso) ways.push(`sign in through IAM Identity Center${ssoRole ? ` as role ${ssoRole}` : ''}${ssoAccount ? ` in account ${ssoAccount}` : ''}`);
  if (valueOf(entries, 'credential_process') !== undefined) ways.push('run the credential_process program whenever the key is missing');
  if (!ways.length) ways.push('read a source of credentials meant for a role');
  return ways.join(', and ');
}

/** `role_arn and source_profile in [profile serverless] of /home/me/.aws/config`, per section. */
export function whereFound(entries: readonly RedirectEntry[], pathOf: (file: RedirectFile) => string): string {
  const sections = [...new Set(entries.map((e) => `${e.file}\u0000${e.section}`))];
  return sections.map((id) => {
    const [file, section] = id.split('\u0000') as [RedirectFile, string];
    const keys = entries.filter((e) => e.file === file && e.section === section).map((e) => e.key);
    return `${joinWords(keys)} in [${section}] of ${pathOf(file)}`;
  }).join(', and ');
}

export function joinWords(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
