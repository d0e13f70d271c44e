/** Child processes for the benchmark: a throwaway HOME + project, and a timed, bounded spawn. */
import {spawn} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';

/** Dummy admin credentials moto accepts; the same shape the tests use. */
const ADMIN_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'moto-dummy-secret-not-a-real-key',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
};

const SETTINGS = {dev: {app_function: 'app.app', project_name: 'demo-app', runtime: 'python3.12', aws_region: 'us-east-1'}};

/** dev, staging and prod, the last two extending dev: what `--stage all` is measured on. */
export const THREE_STAGES = {
  ...SETTINGS,
  staging: {extends: 'dev', memory_size: 1024},
  prod: {extends: 'dev', memory_size: 2048, keep_warm: false},
};

/** A temp HOME without ~/.aws and a Zappa project with one stage, as a new user has. */
export interface BenchSandbox {
  /** Holds everything below; deleted by cleanup(). */
  root: string;
  home: string;
  project: string;
  /** Allow-listed environment: no inherited AWS_* variable reaches the child. */
  env: Record<string, string>;
  cleanup(): void;
}

/** Sandboxes not cleaned up yet, and process groups still running, for an interrupted run. */
const live = new Set<string>();
const running = new Set<number>();

/**
 * Ctrl-C in the middle of a run: kills the commands being measured (their
 * whole process group, so `aws` under baseline.sh too), then deletes every
 * sandbox still on disk. Synchronous, so it can run in a signal handler.
 */
export function abortLiveRuns(): void {
  for (const pid of running) killGroup(pid);
  running.clear();
  for (const root of live) rmSync(root, {recursive: true, force: true});
  live.clear();
}

export function makeBenchSandbox(settings: unknown = SETTINGS): BenchSandbox {
  const root = mkdtempSync(join(tmpdir(), 'zw-bench-'));
  live.add(root);
  const home = join(root, 'home');
  const project = join(root, 'project');
  mkdirSync(home);
  mkdirSync(project);
  writeFileSync(join(project, 'zappa_settings.json'), `${JSON.stringify(settings, null, 4)}\n`);
  const inherited = ['PATH', 'LANG', 'TERM', 'PYENV_ROOT', 'PYENV_VERSION', 'TMPDIR'];
  const env: Record<string, string> = {
    ...Object.fromEntries(inherited.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : []))),
    HOME: home,
    ...ADMIN_ENV,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    NO_COLOR: '1',
  };
  const cleanup = () => {
    rmSync(root, {recursive: true, force: true});
    live.delete(root);
  };
  return {root, home, project, env, cleanup};
}

export interface Timed {
  code: number;
  stdout: string;
  stderr: string;
  /** From just before spawn to the child's exit, in ms. */
  wallMs: number;
}

/** Runs a command to completion (killed after `timeoutMs`) and times it. */
export function timedRun(command: string, args: string[], opts: {cwd?: string; env: Record<string, string>; timeoutMs?: number}): Promise<Timed> {
  const {timeoutMs = 120_000} = opts;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // Own process group, so an interrupted benchmark can stop it with everything it started.
    const child = spawn(command, args, {cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true});
    const pid = child.pid;
    if (pid !== undefined) running.add(pid);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      if (pid !== undefined) killGroup(pid);
      reject(new Error(`${command} ${args.join(' ')} ran past ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      if (pid !== undefined) running.delete(pid);
      reject(error);
    });
    // Wall time ends at exit; 'close' then waits for the pipes to drain, which is our side.
    let wallMs = Number.NaN;
    child.once('exit', () => (wallMs = performance.now() - started));
    child.once('close', (code) => {
      clearTimeout(timer);
      if (pid !== undefined) running.delete(pid);
      resolve({code: code ?? 1, stdout, stderr, wallMs});
    });
  });
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
