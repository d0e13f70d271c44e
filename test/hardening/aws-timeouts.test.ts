/**
 * Issue 16, item 11: no AWS call hangs. A frozen endpoint (accepts, reads,
 * never answers) ends the run with exit 1 and one sentence naming the call
 * and the endpoint, after one timeout (not four: a timed-out call is not
 * retried). ZAPPA_IAM_WIZARD_TIMEOUT_MS shortens the 30 s request timeout so
 * the test need not wait for it.
 */
import {createServer, type Server, type Socket} from 'node:net';
import type {AddressInfo} from 'node:net';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {callLimits} from '../../src/aws/call-guard.js';
import {motoUrl, resetMoto} from '../helpers/moto.js';
import {runCli, runJson} from '../helpers/run-cli.js';
import {makeSandbox, type Sandbox} from '../helpers/sandbox.js';
import {startStallProxy, type StallProxy} from './aws-stall-proxy.js';

interface JsonReport {
  ok: boolean;
  steps: {id: string; status: string; detail: string}[];
  error?: {message: string};
}

const TIMEOUT_ENV = {ZAPPA_IAM_WIZARD_TIMEOUT_MS: '1500'};
/** Long enough for a run that waits for one 1.5 s timeout; far shorter than a hang. */
const RUN_LIMIT_MS = 25_000;

let sb: Sandbox;
let proxy: StallProxy;

beforeAll(async () => {
  proxy = await startStallProxy(motoUrl());
});
afterAll(() => proxy.close());
beforeEach(async () => {
  await resetMoto(motoUrl());
  proxy.setRule(() => 'forward');
  proxy.calls.length = 0;
  sb = makeSandbox();
});
afterEach(() => sb.cleanup());

/** No stack trace, no "Unexpected error": the run ended on purpose. */
function noBugReport(text: string): void {
  expect(text).not.toMatch(/Unexpected error/);
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(text).not.toMatch(/@smithy|node-http-handler/);
}

describe('the limits', () => {
  it('are 5 s to connect and 30 s to answer unless the test variable shortens them', () => {
    expect(callLimits({})).toEqual({connectMs: 5_000, requestMs: 30_000});
    expect(callLimits({ZAPPA_IAM_WIZARD_TIMEOUT_MS: '1500'})).toEqual({connectMs: 1_500, requestMs: 1_500});
    expect(callLimits({ZAPPA_IAM_WIZARD_TIMEOUT_MS: 'soon'})).toEqual({connectMs: 5_000, requestMs: 30_000});
  });
});

describe('a frozen IAM CreateUser', () => {
  it('fails the user step with a sentence naming the call and the endpoint, after one attempt', async () => {
    proxy.setRule((call) => (call.action === 'CreateUser' ? 'freeze' : 'forward'));
    const started = Date.now();
    const run = await runJson<JsonReport>(['setup', '--yes', '--endpoint-url', proxy.url], {cwd: sb.project, env: sb.env(TIMEOUT_ENV), timeoutMs: RUN_LIMIT_MS});
    expect(run.code, run.stderr).toBe(1);
    expect(Date.now() - started).toBeLessThan(RUN_LIMIT_MS);
    const failed = run.json.steps.find((s) => s.status === 'failed');
    expect(failed?.id).toBe('user');
    expect(failed?.detail).toBe(`IAM CreateUser at ${proxy.url}/ did not answer within 1.5 s; check the network or --endpoint-url (or AWS_ENDPOINT_URL) and run again.`);
    // A call whose answer may have been lost is not sent again blindly.
    expect(proxy.calls.filter((c) => c.action === 'CreateUser')).toHaveLength(1);
    noBugReport(run.stdout + run.stderr);
  });
});

describe('an endpoint that accepts connections and never answers', () => {
  let server: Server;
  let url: string;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('data', () => {}); // read everything, answer nothing
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((done) => server.close(done));
  });

  it.each(['plan', 'setup', 'doctor', 'rotate-key', 'teardown'])('%s: exit 1 with the call and the endpoint, no hang', async (command) => {
    const args = command === 'setup' || command === 'rotate-key' || command === 'teardown' ? [command, '--yes'] : [command];
    const run = await runCli([...args, '--endpoint-url', url], {cwd: sb.project, env: sb.env(TIMEOUT_ENV), timeoutMs: RUN_LIMIT_MS});
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout + run.stderr).toContain(`at ${url}/ did not answer within 1.5 s; check the network or --endpoint-url`);
    expect(run.stdout + run.stderr).toMatch(/(STS GetCallerIdentity|IAM \w+|S3 \w+) at /);
    noBugReport(run.stdout + run.stderr);
  });
});

describe('an endpoint where nothing listens', () => {
  it('is named with what went wrong, after the SDK\'s retries, exit 1', async () => {
    // A port that was free a moment ago: connections are refused.
    const probe = createServer();
    await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise((done) => probe.close(done));
    const run = await runCli(['plan', '--endpoint-url', url], {cwd: sb.project, env: sb.env(TIMEOUT_ENV), timeoutMs: RUN_LIMIT_MS});
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stderr).toContain(`STS GetCallerIdentity could not reach ${url}/: nothing accepts connections there (ECONNREFUSED); check the network or --endpoint-url`);
    noBugReport(run.stdout + run.stderr);
  });
});

describe('a frozen read during the checks', () => {
  it('plan names the check, the call and the endpoint', async () => {
    proxy.setRule((call) => (call.action === 'GetUser' ? 'freeze' : 'forward'));
    const run = await runCli(['plan', '--endpoint-url', proxy.url], {cwd: sb.project, env: sb.env(TIMEOUT_ENV), timeoutMs: RUN_LIMIT_MS});
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stderr).toContain(`IAM GetUser at ${proxy.url}/ did not answer within 1.5 s`);
    noBugReport(run.stdout + run.stderr);
  });
});
