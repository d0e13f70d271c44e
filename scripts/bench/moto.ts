/**
 * moto_server for the benchmark: on a free loopback port, in its own process
 * group (the pyenv shim starts Python as a child), stopped within a few
 * seconds whatever happens.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {closeSync, openSync, readFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {join} from 'node:path';

const START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 3_000;

export interface Moto {
  url: string;
  /** Empties every backend (users, roles, policies, buckets). */
  reset(): Promise<void>;
  stop(): Promise<void>;
  /** Synchronous last resort for process exit handlers. */
  kill(): void;
}

/** Starts moto_server, logging to `<logDir>/moto.log`, and waits until it answers. */
export async function startMoto(logDir: string): Promise<Moto> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logPath = join(logDir, 'moto.log');
  const log = openSync(logPath, 'w');
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    detached: true,
    stdio: ['ignore', log, log],
    env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_'))),
  });
  closeSync(log);
  const moto: Moto = {
    url,
    reset: () => motoApi(url, 'reset'),
    stop: () => stop(child),
    kill: () => killGroup(child, 'SIGKILL'),
  };
  try {
    await waitUntilAnswering(url, child);
  } catch (error) {
    await moto.stop();
    throw new Error(`${(error as Error).message}\n--- moto output ---\n${tail(logPath)}`);
  }
  return moto;
}

async function motoApi(url: string, path: string): Promise<void> {
  // Straight to moto, not through the latency proxy: resets are not part of any measurement.
  const response = await fetch(`${url}/moto-api/${path}`, {method: 'POST', signal: AbortSignal.timeout(10_000)});
  if (!response.ok) throw new Error(`POST /moto-api/${path}: HTTP ${response.status}`);
}

async function waitUntilAnswering(url: string, child: ChildProcess): Promise<void> {
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (spawnError) throw new Error(`could not start moto_server: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`moto_server exited early (code ${child.exitCode})`);
    try {
      if ((await fetch(`${url}/moto-api/`, {signal: AbortSignal.timeout(1_000)})).ok) return;
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
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_GRACE_MS);
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS * 2))]);
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

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').slice(-3_000);
  } catch {
    return '(no output)';
  }
}
