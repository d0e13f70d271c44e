/**
 * Where the AWS shared files live, decided the way the AWS CLI and SDK decide it.
 */
import {join} from 'node:path';

/** Absolute (or as-given) paths of the shared credentials and config files. */
export interface AwsFilePaths {
  credentials: string;
  config: string;
}

/**
 * Honours AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE (with ~ expanded), else
 * ~/.aws/credentials and ~/.aws/config. An empty variable counts as unset, as in the SDK.
 */
export function awsFilePaths(env: NodeJS.ProcessEnv, homedir: string): AwsFilePaths {
  return {
    credentials: chosenPath(env.AWS_SHARED_CREDENTIALS_FILE, homedir, 'credentials'),
    config: chosenPath(env.AWS_CONFIG_FILE, homedir, 'config'),
  };
}

function chosenPath(fromEnv: string | undefined, homedir: string, fileName: string): string {
  if (!fromEnv) return join(homedir, '.aws', fileName);
  // Only `~` and `~/…`: `~user` forms are rare and the SDK does not expand them either.
  if (fromEnv === '~') return homedir;
  if (/^~[/\\]/.test(fromEnv)) return join(homedir, fromEnv.slice(2));
  return fromEnv;
}
