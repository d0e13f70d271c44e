/**
 * Command-line parsing with no dependencies, so `--help` answers before any
 * heavy module loads. Throws UsageError (exit 2) on anything it does not know.
 */
export const COMMANDS = ['setup', 'plan', 'doctor', 'rotate-key', 'teardown', 'ci', 'export'] as const;
export type Command = (typeof COMMANDS)[number];

/** The kinds of deploy identity (DESIGN.md --identity): the document's user with a key, seed 003's group, a keyless role. */
export const IDENTITY_KINDS = ['user', 'group', 'role'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

/** `ci`'s providers: GitHub Actions via OIDC. */
export const CI_PROVIDERS = ['github'] as const;
export type CiProvider = (typeof CI_PROVIDERS)[number];

/** `export`'s formats. */
export const EXPORT_FORMATS = ['cloudformation', 'terraform'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** seed 003's group name. */
export const DEFAULT_GROUP = 'ZappaGroup';

export interface Options {
  command: Command;
  settings: string;
  /** The settings file was found as Zappa finds it, not named with --settings (so suggested commands leave it out). */
  settingsFound?: boolean;
  /** One stage, several (`a,b`) or `all`. */
  stage?: string;
  user: string;
  profile?: string;
  region?: string;
  roleName?: string;
  /** The runtime the person agrees to move the stage to. */
  runtime?: string;
  /** The stage's s3_bucket. */
  bucket?: string;
  adminProfile?: string;
  /** --policy as given; unset means the preset recorded on the deployed policy, else `document`. */
  policy?: string;
  endpointUrl?: string;
  /** --identity; unset means `user` (or, on a re-run, what is already in place). */
  identity?: IdentityKind;
  /** --group: the group of `--identity group` (default ZappaGroup). */
  group?: string;
  /** --permissions-boundary: set on every user and role the wizard creates. */
  permissionsBoundary?: string;
  /** `ci github`: the provider, then --repo OWNER/NAME and --branch or --environment. */
  ci?: CiProvider;
  repo?: string;
  branch?: string;
  environment?: string;
  /** `export`: --format and --output. */
  format?: ExportFormat;
  output?: string;
  yes: boolean;
  json: boolean;
  force: boolean;
  help: boolean;
  version: boolean;
}

/** What --settings means when it is not given: Zappa's first choice (cli.ts then looks for the others). */
export const DEFAULT_SETTINGS = 'zappa_settings.json';

export class UsageError extends Error {
  override name = 'UsageError';
}

const VALUE_FLAGS: Record<string, keyof Options> = {
  '--settings': 'settings', '--stage': 'stage', '--user': 'user', '--profile': 'profile',
  '--region': 'region', '--role-name': 'roleName', '--admin-profile': 'adminProfile',
  '--policy': 'policy', '--endpoint-url': 'endpointUrl', '--runtime': 'runtime',
  '--bucket': 'bucket', '--identity': 'identity', '--group': 'group',
  '--permissions-boundary': 'permissionsBoundary', '--repo': 'repo', '--branch': 'branch',
  '--environment': 'environment', '--format': 'format', '--output': 'output',
};

/** Flags whose value is one of a few words: checked here, so a typo is exit 2 before anything runs. */
const CHOICES: Partial<Record<keyof Options, readonly string[]>> = {
  identity: IDENTITY_KINDS, format: EXPORT_FORMATS,
};
const BOOLEAN_FLAGS: Record<string, keyof Options> = {
  '--yes': 'yes', '-y': 'yes', '--json': 'json', '--force': 'force',
  '--help': 'help', '-h': 'help', '--version': 'version', '-v': 'version',
};

/**
 * Edits between two words: insertions, deletions, substitutions and swaps
 * of neighbours (optimal string alignment), so "--regoin" is one edit from
 * "--region".
 */
export function editDistance(a: string, b: string): number {
  const d = Array.from({length: a.length + 1}, (_, i) => Array.from({length: b.length + 1}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** " Did you mean --region?" for the closest known word at most two edits away; "" when none is that close. */
export function didYouMean(word: string, known: readonly string[]): string {
  // A one-letter flag is within two edits of every other one: only longer words get a suggestion.
  if (word.replace(/^-+/, '').length < 2) return '';
  let best: {name: string; distance: number} | undefined;
  for (const name of known) {
    const distance = editDistance(word.toLowerCase(), name);
    if (distance <= 2 && (!best || distance < best.distance)) best = {name, distance};
  }
  return best ? ` Did you mean ${best.name}?` : '';
}

export function parseArgs(argv: string[]): Options {
  const options: Options = {
    command: 'setup', settings: DEFAULT_SETTINGS, user: 'serverless',
    yes: false, json: false, force: false, help: false, version: false,
  };
  let commandSeen = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    // Own keys only: "constructor" or "--toString" must not be found on Object.prototype.
    if (Object.hasOwn(BOOLEAN_FLAGS, flag)) {
      (options as unknown as Record<string, unknown>)[BOOLEAN_FLAGS[flag] as string] = true;
    } else if (Object.hasOwn(VALUE_FLAGS, flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) {
        throw new UsageError(`${flag} needs a value. See --help.`);
      }
      const key = VALUE_FLAGS[flag] as keyof Options;
      const choices = CHOICES[key];
      if (choices && !choices.includes(value)) {
        throw new UsageError(`${flag} must be one of ${choices.join(', ')} (got "${value}").${didYouMean(value, choices)} See --help.`);
      }
      (options as unknown as Record<string, unknown>)[key] = value;
    } else if (!arg.startsWith('-') && commandSeen && options.command === 'ci' && options.ci === undefined) {
      if (!(CI_PROVIDERS as readonly string[]).includes(arg)) {
        throw new UsageError(`Unknown CI provider "${arg}".${didYouMean(arg, CI_PROVIDERS)} Providers: ${CI_PROVIDERS.join(', ')} (zappa-iam-wizard ci github --repo OWNER/NAME).`);
      }
      options.ci = arg as CiProvider;
    } else if (!arg.startsWith('-') && !commandSeen) {
      if (!(COMMANDS as readonly string[]).includes(arg)) {
        throw new UsageError(`Unknown command "${arg}".${didYouMean(arg, COMMANDS)} Commands: ${COMMANDS.join(', ')}.`);
      }
      options.command = arg as Command;
      commandSeen = true;
    } else {
      throw new UsageError(`Unknown option "${arg}".${didYouMean(flag, [...Object.keys(VALUE_FLAGS), ...Object.keys(BOOLEAN_FLAGS)])} See --help.`);
    }
  }
  if (options.command === 'ci' && options.ci === undefined && !options.help) {
    throw new UsageError('ci needs a provider: zappa-iam-wizard ci github --repo OWNER/NAME [--branch B | --environment E].');
  }
  return options;
}
