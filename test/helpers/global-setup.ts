import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, openSync, closeSync, readFileSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {TestProject} from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the shared moto_server, e.g. `http://127.0.0.1:41234`. */
    motoUrl: string;
  }
}

const START_TIMEOUT_MS = 15_000;
const START_ATTEMPTS = 3;

/**
 * vitest globalSetup: starts one moto_server for the whole run, provides its
 * URL as `motoUrl`, and returns a teardown that stops it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Test files that build SDK clients in-process would each print the SDK's
  // Node 20 deprecation warning; workers inherit this variable from here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const logDir = mkdtempSync(join(tmpdir(), 'zw-moto-'));
  const logPath = join(logDir, 'moto.log');
  const moto = await startMoto(logPath).catch((error: unknown) => {
    rmSync(logDir, {recursive: true, force: true});
    throw error;
  });
  project.provide('motoUrl', moto.url);

  // Backstop for an aborted run that skips teardown: exit handlers must be
  // synchronous, and a signal to the process group is.
  const onExit = () => {
    killGroup(moto.child, 'SIGKILL');
    rmSync(logDir, {recursive: true, force: true});
  };
  process.once('exit', onExit);

  return async () => {
    process.off('exit', onExit);
    await stop(moto.child);
    rmSync(logDir, {recursive: true, force: true});
  };
}

async function startMoto(logPath: string): Promise<{url: string; child: ChildProcess}> {
  let lastError: unknown;
  // A free port can be taken between our probe and moto's bind, so an early
  // exit is retried on a new port.
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // moto logs every request to stderr; a file avoids a pipe that fills up.
    const log = openSync(logPath, 'w');
    const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
      detached: true, // own process group, so teardown reaches the pyenv shim's children too
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

/** SIGTERM the group, then SIGKILL if it is still alive after 3 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
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
