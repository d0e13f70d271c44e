import {spawn} from 'node:child_process';
import {constants} from 'node:os';
import {fileURLToPath} from 'node:url';

/** The repository root, found from this file's place in test/helpers/. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The launcher the package publishes as its `bin`. */
export const CLI_BIN = fileURLToPath(new URL('../../bin/zappa-iam-wizard.js', import.meta.url));

/** What a finished child process left behind. */
export interface ProcessResult {
  /** Exit code; a process killed by a signal reports 128 + the signal number, as shells do. */
  code: number;
  stdout: string;
  stderr: string;
}

/** How to run a child process. */
export interface RunOptions {
  cwd?: string;
  /** The complete environment; nothing is inherited. */
  env: Record<string, string>;
  /** Written to stdin, which is then closed. Without it stdin is closed at once (EOF, no TTY). */
  input?: string;
  /** Kill the process (SIGKILL) and reject after this long. Default 60 000. */
  timeoutMs?: number;
}

/**
 * Runs `command args` without a TTY and collects its output. Rejects only
 * when the process cannot be started or runs past `timeoutMs`; a non-zero
 * exit is a normal result.
 */
export function runProcess(command: string, args: string[], opts: RunOptions): Promise<ProcessResult> {
  const {cwd, env, input, timeoutMs = 60_000} = opts;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {cwd, env, stdio: ['pipe', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // A child that exits without reading its input makes the write fail with EPIPE; that is not our error.
    child.stdin.on('error', () => {});
    child.stdin.end(input);

    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} timed out after ${timeoutMs} ms\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const signalCode = signal ? 128 + (constants.signals[signal] ?? 0) : 1;
      resolve({code: code ?? signalCode, stdout, stderr});
    });
  });
}

/** Options for {@link runCli}: `cwd` is required, since the CLI reads zappa_settings.json from it. */
export type CliOptions = RunOptions & {cwd: string};

/** Runs `node bin/zappa-iam-wizard.js ...args` with no TTY. */
export function runCli(args: string[], opts: CliOptions): Promise<ProcessResult> {
  return runProcess(process.execPath, [CLI_BIN, ...args], opts);
}

/**
 * Runs the CLI with `--json` and parses stdout. Throws, with the raw output,
 * when stdout is not JSON. A non-zero exit with a JSON body is still returned.
 */
export async function runJson<T = unknown>(args: string[], opts: CliOptions): Promise<ProcessResult & {json: T}> {
  const result = await runCli([...args, '--json'], opts);
  try {
    return {...result, json: JSON.parse(result.stdout) as T};
  } catch (error) {
    throw new Error(
      `zappa-iam-wizard ${args.join(' ')} --json did not print JSON (exit ${result.code}): ${(error as Error).message}\n` +
        `--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
    );
  }
}
