/**
 * moto_server for the benchmark: the test harness's server
 * (test/helpers/moto-server.ts), plus a reset between measured runs.
 */
import {startMotoServer, type MotoServer} from '../../test/helpers/moto-server.js';

export interface Moto extends MotoServer {
  /** Empties every backend (users, roles, policies, buckets). */
  reset(): Promise<void>;
}

/** Starts moto_server on a free loopback port and waits until it answers. */
export async function startMoto(): Promise<Moto> {
  const server = await startMotoServer();
  return {...server, reset: () => motoApi(server.url, 'reset')};
}

async function motoApi(url: string, path: string): Promise<void> {
  // Straight to moto, not through the latency proxy: resets are not part of any measurement.
  const response = await fetch(`${url}/moto-api/${path}`, {method: 'POST', signal: AbortSignal.timeout(10_000)});
  if (!response.ok) throw new Error(`POST /moto-api/${path}: HTTP ${response.status}`);
}
