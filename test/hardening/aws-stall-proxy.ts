/**
 * A proxy in front of moto that can hold requests: one that never answers
 * (a frozen endpoint, for the timeout tests), or several held until all have
 * arrived (two runs making the same call at once). Everything else is
 * forwarded unchanged, so SigV4 signatures still verify at moto.
 */
import {createServer, request, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {classify, type ProxyCall} from '../helpers/aws-proxy.js';

/** What to do with a request: forward it, never answer it, or hold it until `release` is called. */
export type StallRule = (call: ProxyCall) => 'forward' | 'freeze' | 'hold';

export interface StallProxy {
  url: string;
  calls: ProxyCall[];
  /** Requests held so far (rule 'hold'), in arrival order. */
  held(): number;
  /** Forwards every held request. */
  release(): void;
  setRule(rule: StallRule): void;
  close(): Promise<void>;
}

export async function startStallProxy(target: string, initial: StallRule = () => 'forward'): Promise<StallProxy> {
  const upstream = new URL(target);
  const calls: ProxyCall[] = [];
  const sockets = new Set<Socket>();
  let rule = initial;
  let holding: (() => void)[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const call = classify(req, body);
      calls.push(call);
      const what = rule(call);
      if (what === 'freeze') return; // accepted, read, never answered
      const go = () => forward(req, body, res, upstream);
      if (what === 'hold') holding.push(go);
      else go();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const {port} = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    held: () => holding.length,
    release: () => {
      const waiting = holding;
      holding = [];
      for (const go of waiting) go();
    },
    setRule: (next) => (rule = next),
    close: () => new Promise<void>((done) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => done());
    }),
  };
}

function forward(req: IncomingMessage, body: Buffer, res: ServerResponse, target: URL): void {
  const out = request({hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers}, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  out.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, {'content-type': 'text/plain'});
    res.end(`stall-proxy: ${error.message}`);
  });
  out.end(body);
}
