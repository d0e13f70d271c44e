/**
 * Where the AWS shared files live, decided the way the AWS CLI and SDK decide it,
 * and always as an absolute path: a relative one (an empty HOME, a relative
 * variable) would put the new secret in the current folder, which is the Zappa
 * project, the folder people commit and Zappa packages.
 */
import {isAbsolute, join} from 'node:path';
import {UserError} from '../errors.js';

/** Absolute paths of the shared credentials and config files. */
export interface AwsFilePaths {
  credentials: string;
  config: string;
}

type PathVariable = 'AWS_SHARED_CREDENTIALS_FILE' | 'AWS_CONFIG_FILE';

/**
 * Honours AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE (with ~ expanded), else
 * ~/.aws/credentials and ~/.aws/config. An empty variable counts as unset, as in the SDK.
 * Throws UserError (exit 2) when a path would not be absolute.
 */
export function awsFilePaths(env: NodeJS.ProcessEnv, homedir: string): AwsFilePaths {
  return {
    credentials: chosenPath('AWS_SHARED_CREDENTIALS_FILE', env, homedir, 'credentials'),
    config: chosenPath('AWS_CONFIG_FILE', env, homedir, 'config'),
  };
}

function chosenPath(variable: PathVariable, env: NodeJS.ProcessEnv, homedir: string, fileName: string): string {
  const fromEnv = env[variable];
  if (!fromEnv) return underHome(homedir, variable, '.aws', fileName);
  // Only `~` and `~/…`: `~user` forms are rare and the SDK does not expand them either.
  if (fromEnv === '~') return underHome(homedir, variable);
  if (/^~[/\\]/.test(fromEnv)) return underHome(homedir, variable, fromEnv.slice(2));
  if (!isAbsolute(fromEnv)) throw relativeVariable(variable, fromEnv);
  return fromEnv;
}

function underHome(homedir: string, variable: PathVariable, ...parts: string[]): string {
  if (!isAbsolute(homedir)) throw homeNotAbsolute(homedir, variable);
  return join(homedir, ...parts);
}

const PROJECT_RISK = 'inside the current folder (your Zappa project, which people commit and Zappa packages)';

function homeNotAbsolute(homedir: string, variable: PathVariable): UserError {
  const what = homedir === '' ? 'HOME is empty' : `HOME is "${homedir}", a relative path`;
  const file = variable === 'AWS_CONFIG_FILE' ? 'config' : 'credentials';
  return new UserError(`${what}, so the AWS ${file} file would be written ${PROJECT_RISK}.`, {
    hint: `Set HOME to your home folder (e.g. export HOME=/home/you), or set ${variable} to an absolute path, and run again. Nothing was changed.`,
  });
}

function relativeVariable(variable: PathVariable, value: string): UserError {
  return new UserError(`${variable} is "${value}", a relative path, so that file would be written ${PROJECT_RISK}, and the AWS CLI would look for it elsewhere from another folder.`, {
    hint: `Set ${variable} to an absolute path (e.g. ${variable === 'AWS_CONFIG_FILE' ? '$HOME/.aws/config' : '$HOME/.aws/credentials'}), or unset it, and run again. Nothing was changed.`,
  });
}
