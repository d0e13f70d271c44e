/**
 * Command-line parsing with no dependencies, so `--help` answers before any
 * heavy module loads. Throws UsageError (exit 2) on anything it does not know.
 */
export const COMMANDS = ['setup', 'plan', 'doctor', 'rotate-key', 'teardown'] as const;
export type Command = (typeof COMMANDS)[number];

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
  '--bucket': 'bucket',
};
const BOOLEAN_FLAGS: Record<string, keyof Options> = {
  '--yes': 'yes', '-y': 'yes', '--json': 'json', '--force': 'force',
  '--help': 'help', '-h': 'help', '--version': 'version', '-v': 'version',
};

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
      (options as unknown as Record<string, unknown>)[VALUE_FLAGS[flag] as string] = value;
    } else if (!arg.startsWith('-') && !commandSeen) {
      if (!(COMMANDS as readonly string[]).includes(arg)) {
        throw new UsageError(`Unknown command "${arg}". Commands: ${COMMANDS.join(', ')}.`);
      }
      options.command = arg as Command;
      commandSeen = true;
    } else {
      throw new UsageError(`Unknown option "${arg}". See --help.`);
    }
  }
  return options;
}
