/**
 * A loopback proxy in front of moto that adds a fixed latency to every call
 * (moto answers in a millisecond or two; IAM does not) and records when each
 * call started and ended, so the benchmark can find the round trips on the
 * critical path. Requests are classified as the test harness's fault proxy
 * does (test/helpers/aws-proxy.ts), and forwarded unchanged, Host header
 * included, so SigV4 signatures still verify at moto.
 */
import {Agent, createServer, request, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {performance} from 'node:perf_hooks';
import {classify, type ProxyCall} from '../../test/helpers/aws-proxy.js';
import type {TimedInterval} from './critical-path.js';

/** One call as the proxy saw it; times in ms from the proxy's own clock. */
export interface TimedCall extends ProxyCall, TimedInterval {
  status: number;
}

export interface LatencyProxy {
  url: string;
  /** Every call so far, in arrival order; an entry's `end` is set once it is answered. */
  calls: TimedCall[];
  close(): Promise<void>;
}

/** Starts the proxy on a free port of 127.0.0.1. */
export async function startLatencyProxy(opts: {target: string; latencyMs: number}): Promise<LatencyProxy> {
  const target = new URL(opts.target);
  const calls: TimedCall[] = [];
  const agent = new Agent({keepAlive: true});

  const server = createServer(async (req, res) => {
    const start = performance.now();
    try {
      const body = await readBody(req);
      const call: TimedCall = {...classify(req, body), start, end: Number.NaN, status: 0};
      calls.push(call);
      res.once('finish', () => {
        call.end = performance.now();
        call.status = res.statusCode;
      });
      if (opts.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, opts.latencyMs));
      forward(req, body, res, target, agent);
    } catch (error) {
      res.writeHead(502, {'content-type': 'text/plain'}).end(`latency-proxy: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const {port} = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Clients keep connections alive; without this close() would wait for them.
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

function forward(req: IncomingMessage, body: Buffer, res: ServerResponse, target: URL, agent: Agent): void {
  const upstream = request(
    {protocol: target.protocol, hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent},
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, {'content-type': 'text/plain'});
    res.end(`latency-proxy: upstream ${target.origin} failed: ${error.message}`);
  });
  upstream.end(body);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
