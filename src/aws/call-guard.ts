/**
 * What every AWS call goes through besides the SDK's own handling: a connect
 * and a request timeout, so that a frozen endpoint ends the run with a
 * sentence instead of hanging it, and a check that the answer came from AWS
 * at all (a wrong --endpoint-url that serves a web page would otherwise be
 * read by the SDK as an empty success). Each failure becomes an AwsError
 * whose message names the call and the endpoint.
 */
import type {DeserializeMiddleware, HandlerExecutionContext} from '@smithy/types';
import {AwsError} from './aws-error.js';

/** How long a call may take. IAM's slowest calls (CreatePolicyVersion, DeleteRole) take a few seconds. */
export interface CallLimits { connectMs: number; requestMs: number }

const CONNECT_MS = 5_000;
const REQUEST_MS = 30_000;

/**
 * The limits of this run. ZAPPA_IAM_WIZARD_TIMEOUT_MS shortens the request
 * timeout (and the connect timeout with it), so tests need not wait 30 s for
 * an endpoint that never answers.
 */
export function callLimits(env: NodeJS.ProcessEnv = process.env): CallLimits {
  const given = Number(env.ZAPPA_IAM_WIZARD_TIMEOUT_MS);
  const requestMs = Number.isFinite(given) && given > 0 ? given : REQUEST_MS;
  return {connectMs: Math.min(CONNECT_MS, requestMs), requestMs};
}

/** The SDK clients' `requestHandler` option for these limits. */
export function requestHandlerOptions(limits: CallLimits) {
  // Without throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes.
  return {connectionTimeout: limits.connectMs, requestTimeout: limits.requestMs, throwOnRequestTimeout: true};
}

type Stack = {middlewareStack: {add(middleware: DeserializeMiddleware<object, object>, options: {step: 'deserialize'; name: string; priority: 'low'}): void}};

const SERVICE_NAMES: Record<string, string> = {IAMClient: 'IAM', STSClient: 'STS', S3Client: 'S3'};

/**
 * Puts the guard into a client's stack. It sits innermost (deserialize step,
 * low priority): it sees each attempt's raw answer before the SDK parses it,
 * and turns a timeout into an error the SDK's retries leave alone, so that a
 * frozen call costs one timeout, not four.
 */
export function guardClient(client: Stack, limits: CallLimits, customEndpoint: boolean): void {
  client.middlewareStack.add((next, context) => async (args) => {
    const call = callOf(context);
    const endpoint = endpointOf(args.request);
    let result;
    try {
      result = await next(args);
    } catch (err) {
      throw timedOut(err, call, endpoint, limits, customEndpoint) ?? withEndpoint(err, endpoint, whatToCheck(customEndpoint));
    }
    const notAws = await notAnAwsAnswer(result.response, args.request);
    if (notAws) {
      const check = customEndpoint ? 'check --endpoint-url (or AWS_ENDPOINT_URL) and run again' : 'check your proxy settings and run again';
      throw new AwsError('NotAws', 'NotAnAwsAnswer', call.action, `${call.words} at ${endpoint} ${notAws}, not as AWS ${call.service} does; ${check}.`, {endpoint});
    }
    return result;
  }, {step: 'deserialize', name: 'zappaIamWizardCallGuard', priority: 'low'});
}

interface CallName { service: string; action: string; words: string }

function callOf(context: HandlerExecutionContext): CallName {
  const service = SERVICE_NAMES[context.clientName ?? ''] ?? (context.clientName ?? 'AWS').replace(/Client$/, '');
  const name = (context.commandName ?? 'call').replace(/Command$/, '');
  return {service, action: `${service.toLowerCase()}:${name}`, words: `${service} ${name}`};
}

/** `http://127.0.0.1:4566/`: where the call went, without the path (a bucket's name, for S3). */
function endpointOf(request: unknown): string {
  const r = request as {protocol?: string; hostname?: string; port?: number} | undefined;
  if (!r?.hostname) return 'the endpoint';
  const protocol = r.protocol?.endsWith(':') ? r.protocol : `${r.protocol ?? 'https'}:`;
  return `${protocol}//${r.hostname}${r.port ? `:${r.port}` : ''}/`;
}

const whatToCheck = (customEndpoint: boolean) => (customEndpoint
  ? 'check the network or --endpoint-url (or AWS_ENDPOINT_URL) and run again'
  : 'check the network (or your proxy settings) and run again');

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/** The SDK's timeout, as an AwsError without a cause: the SDK retries anything whose cause is a timeout. */
function timedOut(err: unknown, call: CallName, endpoint: string, limits: CallLimits, customEndpoint: boolean): AwsError | undefined {
  const e = err as {name?: string; message?: string};
  if (e?.name !== 'TimeoutError') return undefined;
  const connecting = /establish a connection/.test(e.message ?? '');
  const what = connecting ? `did not accept a connection within ${seconds(limits.connectMs)}` : `did not answer within ${seconds(limits.requestMs)}`;
  return new AwsError('Timeout', connecting ? 'ConnectTimeout' : 'RequestTimeout', call.action, `${call.words} at ${endpoint} ${what}; ${whatToCheck(customEndpoint)}.`, {endpoint});
}

/** Network errors keep their retries; the endpoint and what to check ride along for the sentence (see toAwsError). */
function withEndpoint(err: unknown, endpoint: string, check: string): unknown {
  if (err && typeof err === 'object' && !(err instanceof AwsError)) {
    try {
      Object.defineProperty(err, '$endpoint', {value: endpoint, enumerable: false, configurable: true});
      Object.defineProperty(err, '$check', {value: check, enumerable: false, configurable: true});
    } catch {
      // A frozen error object keeps its own words.
    }
  }
  return err;
}

/**
 * Why an answer is not AWS's, or undefined. IAM, STS and S3 answer XML. A web
 * page (a captive portal, a web server on the wrong port) is never an answer,
 * whatever its status; any other success that is not XML would be read as an
 * empty one. Only answers not labelled XML are looked into, and their body is
 * put back for the SDK: emulators label some XML answers text/html (moto's
 * errors, its HEAD answers).
 */
async function notAnAwsAnswer(response: unknown, request: unknown): Promise<string | undefined> {
  const r = response as {statusCode?: number; headers?: Record<string, string | undefined>; body?: unknown} | undefined;
  if (!r || (request as {method?: string} | undefined)?.method === 'HEAD') return undefined;
  const type = (Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!type || type.includes('xml')) return undefined;
  const body = await bodyBytes(r.body);
  r.body = body;
  const start = Buffer.from(body.subarray(0, 512)).toString('utf8').trimStart();
  const status = r.statusCode ?? 0;
  if (/^<(!doctype html|html)\b/i.test(start)) return `answered with a web page (HTTP ${status}, ${type})`;
  if (start === '' || start.startsWith('<') || status < 200 || status > 299) return undefined;
  return `answered with ${type} (HTTP ${status})`;
}

/** The whole body of an answer (a stream from Node's http, or bytes already). */
async function bodyBytes(body: unknown): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return Buffer.from(body);
  const chunks: Buffer[] = [];
  if (body && typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    for await (const chunk of body as AsyncIterable<Buffer | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}
