/**
 * Issue 16, item 14: answers and files the wizard did not expect end in a
 * sentence, never in "Unexpected error", a stack or the SDK's internals.
 * - HeadBucket 403 means "cannot tell" unless the account's own bucket list
 *   says the bucket is not ours: the person's own bucket keeps its name.
 * - HeadBucket 503 after the retries names the call (exit 1).
 * - An --endpoint-url that serves a web page is named as such (exit 2).
 * - 20,000 levels of JSON nesting, a `null` policy template and invalid
 *   policy JSON name the file, line and column (exit 2, before any AWS call
 *   for --policy).
 */
import {readFileSync, writeFileSync, mkdirSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';
import {CreateBucketCommand, S3Client} from '@aws-sdk/client-s3';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {startAwsProxy, type AwsProxy} from '../helpers/aws-proxy.js';
import {ADMIN_ENV, motoUrl, resetMoto} from '../helpers/moto.js';
import {runCli, runJson} from '../helpers/run-cli.js';
import {DEFAULT_SETTINGS, makeSandbox, type Sandbox} from '../helpers/sandbox.js';
import {lineColumnOf, parseJsonText, tooDeepAt} from '../../src/files/json-text.js';

interface JsonReport {
  ok: boolean;
  steps: {id: string; status: string; detail: string}[];
  fixes: {field: string; from: string; to: string; reason: string}[];
  warnings: string[];
  error?: {message: string; hint?: string};
}

let proxy: AwsProxy;
let sb: Sandbox;

beforeAll(async () => {
  proxy = await startAwsProxy({target: motoUrl()});
});
afterAll(() => proxy.close());
beforeEach(async () => {
  await resetMoto(motoUrl());
  proxy.setFault(undefined);
  proxy.calls.length = 0;
  sb = makeSandbox();
});
afterEach(() => sb.cleanup());

const cli = (args: string[], endpoint = proxy.url) => runCli([...args, '--endpoint-url', endpoint], {cwd: sb.project, env: sb.env()});
const cliJson = (args: string[], endpoint = proxy.url) => runJson<JsonReport>([...args, '--endpoint-url', endpoint], {cwd: sb.project, env: sb.env()});

/** An expected failure: no bug report, no stack, none of the SDK's words for its own developers. */
function aSentence(text: string): void {
  expect(text).not.toMatch(/Unexpected error/);
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(text).not.toMatch(/Deserialization error|\$response|@smithy/);
}

const snapshot = () => [sb.settingsPath, sb.credentialsPath, sb.configPath].map((p) => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
});

describe('HeadBucket 403', () => {
  const MINE = 'zappa-demo-app-mine1a2b3c';

  beforeEach(async () => {
    const s3 = new S3Client({region: 'us-east-1', endpoint: motoUrl(), forcePathStyle: true, credentials: {accessKeyId: ADMIN_ENV.AWS_ACCESS_KEY_ID!, secretAccessKey: ADMIN_ENV.AWS_SECRET_ACCESS_KEY!}});
    await s3.send(new CreateBucketCommand({Bucket: MINE}));
    s3.destroy();
    writeFileSync(sb.settingsPath, `${JSON.stringify({dev: {...DEFAULT_SETTINGS.dev, s3_bucket: MINE}}, null, 4)}\n`);
  });

  it('for an admin without S3 rights keeps the person\'s own bucket and warns that its owner could not be checked', async () => {
    // No S3 right at all: HeadBucket and ListBuckets are both refused.
    proxy.setFault((call) => (call.service === 's3' ? {status: 403, code: 'AccessDenied', message: 'Access Denied'} : undefined));
    const run = await cliJson(['setup', '--yes']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.fixes.filter((f) => f.field === 's3_bucket')).toEqual([]);
    expect(JSON.parse(readFileSync(sb.settingsPath, 'utf8')).dev.s3_bucket).toBe(MINE);
    expect(run.json.warnings).toContainEqual(expect.stringContaining(`S3 would not say whether bucket ${MINE} belongs to this account`));
    expect(run.json.warnings.join(' ')).toContain('so the name is kept');
  });

  it('with the account\'s bucket list to read, a bucket that is not on it is another account\'s and gets a new name', async () => {
    const THEIRS = 'zappa-demo-app-theirs9z8y7';
    writeFileSync(sb.settingsPath, `${JSON.stringify({dev: {...DEFAULT_SETTINGS.dev, s3_bucket: THEIRS}}, null, 4)}\n`);
    proxy.setFault((call) => (call.service === 's3' && call.action === 'HEAD' ? {status: 403, code: 'AccessDenied', message: 'Access Denied'} : undefined));
    const run = await cliJson(['plan']);
    expect(run.code, run.stderr).toBe(3);
    expect(run.json.fixes).toContainEqual(expect.objectContaining({field: 's3_bucket', from: THEIRS, reason: 'the bucket belongs to another AWS account'}));
  });

  it('for the admin\'s own bucket it may list but not read, keeps the name without a warning', async () => {
    proxy.setFault((call) => (call.service === 's3' && call.action === 'HEAD' ? {status: 403, code: 'AccessDenied', message: 'Access Denied'} : undefined));
    const run = await cliJson(['plan']);
    expect(run.json.fixes.filter((f) => f.field === 's3_bucket')).toEqual([]);
    expect(run.json.warnings.join(' ')).not.toContain('S3 would not say');
  });
});

describe('HeadBucket 503 after the retries', () => {
  it('is a sentence naming the call, exit 1, nothing changed', async () => {
    proxy.setFault((call) => (call.service === 's3' ? {status: 503, code: 'ServiceUnavailable', message: 'Please reduce your request rate.'} : undefined));
    const before = snapshot();
    const run = await cli(['setup', '--yes']);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stderr).toMatch(/^✖ s3:HeadBucket failed with HTTP 503 \(AWS kept failing to answer through the retries\): service unavailable$/m);
    expect(run.stderr).toContain('wait a minute');
    aSentence(run.stdout + run.stderr);
    expect(proxy.calls.filter((c) => c.kind === 'write')).toEqual([]);
    expect(snapshot()).toEqual(before);
  });
});

describe('an --endpoint-url that serves a web page', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, {'content-type': 'text/html; charset=utf-8'}).end('<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>'));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((done) => server.close(done)));

  // doctor diagnoses instead of stopping: its exit 1 means "problems found", each with its reason.
  it.each([[['plan'], 2], [['setup', '--yes'], 2], [['doctor'], 1]] as const)('%j: exit %i, the call and the endpoint named, nothing written', async (args, code) => {
    const before = snapshot();
    const run = await cli([...args], url);
    expect(run.code, run.stdout + run.stderr).toBe(code);
    expect(run.stdout + run.stderr).toContain(`STS GetCallerIdentity at ${url}/ answered with a web page (HTTP 200, text/html), not as AWS STS does; check --endpoint-url`);
    aSentence(run.stdout + run.stderr);
    expect(snapshot()).toEqual(before);
  });
});

describe('the nesting check', () => {
  it('counts brackets outside strings only, in one pass', () => {
    expect(tooDeepAt('{"a": "[[[[[[", "b": "\\"[[[["}', 2)).toBeUndefined();
    expect(tooDeepAt('{"a": [[1]]}', 2)).toBe(7);
    expect(lineColumnOf('ab\ncd\nef', 7)).toEqual({line: 3, column: 2});
    expect(tooDeepAt(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`)).toBe(256);
  });

  it('gives the first syntax error its line and column', () => {
    expect(parseJsonText('{\n  "a": 1,\n}')).toEqual({problem: {line: 3, column: 1, reason: 'expected a property name in double quotes'}});
    expect(parseJsonText('{"a": [1]}')).toEqual({value: {a: [1]}});
  });
});

describe('an --endpoint-url that answers something else than XML', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, {'content-type': 'application/json'}).end('{"status": "ok"}'));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((done) => server.close(done)));

  it('is not read as an empty success: exit 2 naming what it answered', async () => {
    const run = await cli(['plan'], url);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toContain(`STS GetCallerIdentity at ${url}/ answered with application/json (HTTP 200), not as AWS STS does`);
    aSentence(run.stdout + run.stderr);
  });
});

describe('files the person wrote', () => {
  const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

  it('a settings file nested 20,000 levels deep: exit 2 with its line and column', async () => {
    writeFileSync(sb.settingsPath, `{\n  "dev": {\n    "app_function": "app.app",\n    "x": ${deep(20_000)}\n  }\n}\n`);
    const before = snapshot();
    const run = await cli(['setup', '--yes']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`Can't parse ${sb.settingsPath} (line 4, column 264): nested more than 256 levels deep`);
    aSentence(run.stdout + run.stderr);
    expect(proxy.calls).toEqual([]);
    expect(snapshot()).toEqual(before);
  });

  function policyFolder(files: Record<string, string>): string {
    const dir = join(sb.project, 'policies');
    mkdirSync(dir, {recursive: true});
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  }

  const VALID = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 'logs:CreateLogGroup', Resource: '*'}]});

  it.each([
    ['a null template', {'deployment-policy.json': 'null\n'}, 'deployment-policy.json (line 1, column 1): a policy document is a JSON object with a "Statement", not null'],
    ['a list', {'execution-policy.json': '[]\n'}, 'execution-policy.json (line 1, column 1): a policy document is a JSON object with a "Statement", not a list'],
    ['no Statement', {'deployment-policy.json': '{\n  "Version": "2012-10-17"\n}\n'}, 'deployment-policy.json (line 1, column 1): the policy document has no "Statement"'],
    ['a statement that is not an object', {'deployment-policy.json': '{\n  "Version": "2012-10-17",\n  "Statement": [\n    null\n  ]\n}\n'}, 'deployment-policy.json (line 4, column 5): each statement is a JSON object, not null'],
    ['a trailing comma', {'execution-role-trust.json': '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow",}\n  ]\n}\n'}, 'execution-role-trust.json (line 4, column 24): expected a property name in double quotes'],
    ['a missing quote', {'deployment-policy.json': '{\n  "Version": "2012-10-17",\n  "Statement: []\n}\n', 'execution-policy.json': VALID}, 'deployment-policy.json (line 3, column 3): unterminated string'],
    ['20,000 levels of nesting', {'deployment-policy.json': `{"Version": "2012-10-17", "Statement": ${deep(20_000)}}`}, 'deployment-policy.json (line 1, column 295): nested more than 256 levels deep'],
  ])('%s: exit 2 naming the file, line and column, before any AWS call', async (_name, files, expected) => {
    const dir = policyFolder(files);
    const before = snapshot();
    const run = await cli(['setup', '--yes', '--policy', 'policies']);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toContain(`Can't use ${dir}/${expected}`);
    aSentence(run.stdout + run.stderr);
    expect(proxy.calls).toEqual([]);
    expect(snapshot()).toEqual(before);
  });
});
