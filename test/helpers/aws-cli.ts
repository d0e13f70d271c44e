import {runProcess, type ProcessResult} from './run-cli.js';

/** Options for {@link awsCli}. */
export interface AwsCliOptions {
  /** The complete environment (usually `sandbox.env()`), so `--profile` reads the sandbox's files. */
  env: Record<string, string>;
  /** moto's (or the proxy's) URL; omitted for commands that never call AWS, like `configure get`. */
  endpointUrl?: string;
  cwd?: string;
  timeoutMs?: number;
}

/** The AWS CLI's result, with stdout parsed when it is JSON. */
export interface AwsCliResult extends ProcessResult {
  json?: unknown;
}

/**
 * Runs the real AWS CLI with `--output json` (and `--endpoint-url` when given).
 * A failing command resolves with its exit code (254/255) and stderr.
 */
export async function awsCli(args: string[], opts: AwsCliOptions): Promise<AwsCliResult> {
  const extra = ['--output', 'json'];
  if (opts.endpointUrl) extra.push('--endpoint-url', opts.endpointUrl);
  const result = await runProcess('aws', [...args, ...extra], {env: opts.env, cwd: opts.cwd, timeoutMs: opts.timeoutMs});
  return {...result, json: parseJson(result.stdout)};
}

function parseJson(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // Plain text output, e.g. `configure get` prints the bare value.
    return undefined;
  }
}
