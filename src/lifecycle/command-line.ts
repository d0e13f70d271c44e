/**
 * The command a person should run next, spelled with the flags they already
 * chose (stage, user, profile…), so a suggested fix works when pasted.
 */
import type {Command, Options} from '../args.js';

const CARRIED: ReadonlyArray<[keyof Options, string]> = [
  ['settings', '--settings'], ['stage', '--stage'], ['user', '--user'], ['profile', '--profile'],
  ['roleName', '--role-name'], ['adminProfile', '--admin-profile'],
];

const DEFAULTS: Partial<Record<keyof Options, string>> = {settings: 'zappa_settings.json', user: 'serverless'};

/** `npx zappa-iam-wizard setup --stage prod`, plus `extra` flags at the end. */
export function wizardCommand(command: Command, options: Options, extra: string[] = []): string {
  const flags: string[] = [];
  for (const [key, flag] of CARRIED) {
    if (key === 'settings' && options.settingsFound) continue;
    const value = options[key];
    if (typeof value === 'string' && value !== DEFAULTS[key]) flags.push(flag, quoteIfNeeded(value));
  }
  return ['npx zappa-iam-wizard', command, ...flags, ...extra].join(' ');
}

/** The value as a shell word: as it is when it needs no quoting, else in single quotes. */
export function quoteIfNeeded(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}
