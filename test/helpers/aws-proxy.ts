import {randomUUID} from 'node:crypto';
import {Agent, createServer, request, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {performance} from 'node:perf_hooks';

/** One request the proxy saw, classified. Faulted requests are recorded too. */
export interface ProxyCall {
  /** From the SigV4 credential scope; 'other' when unsigned or another service. */
  service: 'iam' | 'sts' | 's3' | 'other';
  /** Query-protocol `Action` (e.g. 'CreateUser'); for S3 and unknown requests, the HTTP method. */
  action: string;
  kind: 'read' | 'write';
  /** With `timed`: when the proxy received the request, in ms on `performance.now()`'s clock. */
  start?: number;
  /** With `timed`: when the answer was completely sent; unset while the call is in flight. */
  end?: number;
}

/** An AWS error the proxy answers with instead of forwarding. */
export interface FaultResponse {
  /** HTTP status, e.g. 400 for Throttling, 403 for AccessDenied, 500 for ServiceFailure. */
  status: number;
  /** AWS error code, e.g. 'Throttling', 'AccessDenied', 'ServiceFailure'. */
  code: string;
  message: string;
}

/** Decides whether the `index`-th call (0-based, over all calls) fails, and how. */
export type FaultFn = (call: ProxyCall, index: number) => FaultResponse | undefined;

/** Options for {@link startAwsProxy}. */
export interface AwsProxyOptions {
  /** Upstream base URL, usually moto's. */
  target: string;
  /** Delay added before every request is answered. */
  latencyMs?: number;
  fail?: FaultFn;
  /** Record `start` and `end` on every call, e.g. to find the round trips a run waited for. */
  timed?: boolean;
}

/** A running proxy. */
export interface AwsProxy {
  /** Use as the endpoint URL instead of moto's. */
  url: string;
  /** Every request so far, in arrival order. */
  calls: ProxyCall[];
  /** Replaces (or, with undefined, removes) the fault function. */
  setFault(fn: FaultFn | undefined): void;
  close(): Promise<void>;
}

const READ_PREFIXES = ['Get', 'List', 'Head', 'Describe', 'Simulate'];

/**
 * Starts an HTTP proxy on a free loopback port in front of `target`, for
 * fault-injection and latency tests and for the benchmark. Requests are
 * forwarded unchanged, Host header included, so SigV4 signatures still
 * verify at moto.
 */
export async function startAwsProxy(opts: AwsProxyOptions): Promise<AwsProxy> {
  const target = new URL(opts.target);
  const calls: ProxyCall[] = [];
  let fail = opts.fail;
  // Own agent so close() can drop its pooled upstream sockets.
  const agent = new Agent({keepAlive: false});

  const server = createServer(async (req, res) => {
    // Taken before the body is read: the client is waiting from here on.
    const received = performance.now();
    try {
      const body = await readBody(req);
      const call = classify(req, body);
      if (opts.timed) {
        call.start = received;
        res.once('finish', () => (call.end = performance.now()));
      }
      const index = calls.push(call) - 1;
      if (opts.latencyMs) await new Promise((resolve) => setTimeout(resolve, opts.latencyMs));
      const fault = fail?.(call, index);
      if (fault) sendFault(res, fault);
      else forward(req, body, res, target, agent);
    } catch (error) {
      res.writeHead(502, {'content-type': 'text/plain'}).end(`aws-proxy: ${(error as Error).message}`);
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
    setFault: (fn) => (fail = fn),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Clients keep connections alive; without this close() would wait for them.
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

/** Classifies a request by SigV4 scope and, for the Query protocol, its Action. */
export function classify(req: IncomingMessage, body: Buffer): ProxyCall {
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(req.headers.authorization ?? '');
  const signed = scope?.[1];
  const service = signed === 'iam' || signed === 'sts' || signed === 's3' ? signed : 'other';
  const method = req.method ?? 'GET';
  if (service === 's3') {
    return {service, action: method, kind: method === 'GET' || method === 'HEAD' ? 'read' : 'write'};
  }
  const action = queryAction(req, body) ?? method;
  return {service, action, kind: isRead(service, action) ? 'read' : 'write'};
}

function isRead(service: ProxyCall['service'], action: string): boolean {
  if (service === 'sts') return action === 'GetCallerIdentity';
  return READ_PREFIXES.some((prefix) => action.startsWith(prefix));
}

/** `Action=` from a form-encoded body, or from the query string (GET requests). */
function queryAction(req: IncomingMessage, body: Buffer): string | undefined {
  const fromQuery = new URL(req.url ?? '/', 'http://x').searchParams.get('Action');
  if (fromQuery) return fromQuery;
  if (!String(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) return undefined;
  return new URLSearchParams(body.toString('utf8')).get('Action') ?? undefined;
}

/** Answers in the AWS Query error shape, which the SDK v3 maps to its exception classes. */
function sendFault(res: ServerResponse, fault: FaultResponse): void {
  const requestId = randomUUID();
  const type = fault.status >= 500 ? 'Receiver' : 'Sender';
  const xml =
    `<ErrorResponse><Error><Type>${type}</Type><Code>${escapeXml(fault.code)}</Code>` +
    `<Message>${escapeXml(fault.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  res.writeHead(fault.status, {'content-type': 'text/xml', 'x-amzn-requestid': requestId}).end(xml);
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
    res.end(`aws-proxy: upstream ${target.origin} failed: ${error.message}`);
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

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
