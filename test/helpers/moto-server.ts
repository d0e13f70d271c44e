/**
 * Starting and stopping a moto_server process, shared by the vitest
 * globalSetup (one server per test run) and the benchmark (scripts/bench/).
 * The server listens on a free loopback port, logs to a temp file and runs
 * in its own process group, so stopping it also reaches the Python process
 * the pyenv shim starts as a child.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {closeSync, mkdtempSync, openSync, readFileSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const START_TIMEOUT_MS = 15_000;
const START_ATTEMPTS = 3;
const STOP_GRACE_MS = 3_000;

/** A running moto_server. */
export interface MotoServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** SIGTERM to the process group, SIGKILL if it is still alive after 3 s; removes the log. */
  stop(): Promise<void>;
  /** Synchronous SIGKILL of the process group and removal of the log: for process exit handlers. */
  kill(): void;
}

/**
 * Starts moto_server and waits (up to 15 s) until it answers. The error of a
 * failed start ends with the tail of moto's own output.
 */
export async function startMotoServer(): Promise<MotoServer> {
  const logDir = mkdtempSync(join(tmpdir(), 'zw-moto-'));
  const removeLog = () => rmSync(logDir, {recursive: true, force: true});
  try {
    const {url, child} = await spawnAnswering(join(logDir, 'moto.log'));
    return {
      url,
      stop: async () => {
        await stop(child);
        removeLog();
      },
      kill: () => {
        killGroup(child, 'SIGKILL');
        removeLog();
      },
    };
  } catch (error) {
    removeLog();
    throw error;
  }
}

async function spawnAnswering(logPath: string): Promise<{url: string; child: ChildProcess}> {
  let lastError: unknown;
  // A free port can be taken between our probe and moto's bind, so an early
  // exit is retried on a new port.
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // moto logs every request to stderr; a file avoids a pipe that fills up.
    const log = openSync(logPath, 'w');
    const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
      detached: true, // own process group, so stopping reaches the pyenv shim's children too
      stdio: ['ignore', log, log],
      env: withoutAwsVars(process.env),
    });
    closeSync(log);
    try {
      await waitUntilAnswering(url, child);
      return {url, child};
    } catch (error) {
      const exitedEarly = child.exitCode !== null;
      await stop(child);
      lastError = new Error(`${(error as Error).message}\n--- moto output ---\n${tail(logPath)}`);
      // Only an early exit can be a lost port race; a hang would just hang again.
      if (!exitedEarly) break;
    }
  }
  throw lastError;
}

async function waitUntilAnswering(url: string, child: ChildProcess): Promise<void> {
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (spawnError) throw new Error(`could not start moto_server: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`moto_server exited early (code ${child.exitCode}, signal ${child.signalCode})`);
    }
    try {
      const response = await fetch(`${url}/moto-api/`, {signal: AbortSignal.timeout(1_000)});
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer on ${url} within ${START_TIMEOUT_MS} ms`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const escalate = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_GRACE_MS);
  // Bounded: a child that never started (spawn error) may never emit 'exit'.
  let giveUp: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise<void>((resolve) => (giveUp = setTimeout(resolve, STOP_GRACE_MS * 2)))]);
  clearTimeout(escalate);
  clearTimeout(giveUp);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function withoutAwsVars(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('AWS_')));
}

function tail(path: string, max = 4_000): string {
  try {
    return readFileSync(path, 'utf8').slice(-max);
  } catch {
    return '(no output)';
  }
}
