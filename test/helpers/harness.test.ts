import {mkdirSync, writeFileSync} from 'node:fs';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {awsCli} from './aws-cli.js';
import {startAwsProxy, type AwsProxy} from './aws-proxy.js';
import {GetUserCommand, IAMClient, ServiceFailureException} from '@aws-sdk/client-iam';
import {ADMIN_ENV, enableIamAuth, motoUrl, resetMoto} from './moto.js';
import {runProcess} from './run-cli.js';
import {makeSandbox, type Sandbox} from './sandbox.js';
import {TmuxSession} from './tmux.js';

describe('moto harness', () => {
  let sandbox: Sandbox;
  let proxy: AwsProxy | undefined;
  const url = motoUrl();

  beforeEach(async () => {
    await resetMoto(url);
    sandbox = makeSandbox();
  });
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
    sandbox.cleanup();
  });

  it('answers STS GetCallerIdentity with moto’s account', async () => {
    const result = await awsCli(['sts', 'get-caller-identity'], {env: sandbox.env(), endpointUrl: url});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.json).toMatchObject({Account: '123456789012'});
  });

  it('forgets a created user after resetMoto', async () => {
    const env = sandbox.env();
    const created = await awsCli(['iam', 'create-user', '--user-name', 'harness-user'], {env, endpointUrl: url});
    expect(created.code).toBe(0);
    expect(await awsCli(['iam', 'get-user', '--user-name', 'harness-user'], {env, endpointUrl: url})).toMatchObject({code: 0});

    await resetMoto(url);

    const after = await awsCli(['iam', 'get-user', '--user-name', 'harness-user'], {env, endpointUrl: url});
    expect(after.code).not.toBe(0);
    expect(after.stderr).toContain('NoSuchEntity');
  });

  it('proxy classifies IAM writes and reads, and injects AccessDenied', async () => {
    proxy = await startAwsProxy({target: url});
    const env = sandbox.env();
    await awsCli(['iam', 'create-user', '--user-name', 'via-proxy'], {env, endpointUrl: proxy.url});
    await awsCli(['iam', 'get-user', '--user-name', 'via-proxy'], {env, endpointUrl: proxy.url});
    expect(proxy.calls).toEqual([
      {service: 'iam', action: 'CreateUser', kind: 'write'},
      {service: 'iam', action: 'GetUser', kind: 'read'},
    ]);

    proxy.setFault((call) =>
      call.action === 'DeleteUser' ? {status: 403, code: 'AccessDenied', message: 'not allowed by the test'} : undefined,
    );
    const denied = await awsCli(['iam', 'delete-user', '--user-name', 'via-proxy'], {env, endpointUrl: proxy.url});
    expect([254, 255]).toContain(denied.code);
    expect(denied.stderr).toContain('AccessDenied');
    expect(denied.stderr).toContain('not allowed by the test');
    // The fault answered instead of moto: the user is still there.
    expect(await awsCli(['iam', 'get-user', '--user-name', 'via-proxy'], {env, endpointUrl: url})).toMatchObject({code: 0});
  });

  it('proxy faults reach the AWS SDK as its own error classes, and Throttling is retried', async () => {
    proxy = await startAwsProxy({
      target: url,
      fail: (_call, index) => (index === 0 ? {status: 400, code: 'Throttling', message: 'Rate exceeded'} : undefined),
    });
    await awsCli(['iam', 'create-user', '--user-name', 'sdk-user'], {env: sandbox.env(), endpointUrl: url});
    const iam = new IAMClient({
      endpoint: proxy.url,
      region: 'us-east-1',
      credentials: {accessKeyId: ADMIN_ENV.AWS_ACCESS_KEY_ID!, secretAccessKey: ADMIN_ENV.AWS_SECRET_ACCESS_KEY!},
    });
    const user = await iam.send(new GetUserCommand({UserName: 'sdk-user'}));
    expect(user.User?.UserName).toBe('sdk-user');
    expect(proxy.calls.map((call) => call.action)).toEqual(['GetUser', 'GetUser']);

    proxy.setFault(() => ({status: 500, code: 'ServiceFailure', message: 'injected'}));
    const failure = await iam.send(new GetUserCommand({UserName: 'sdk-user'})).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ServiceFailureException);
    iam.destroy();
  });

  it('enforces IAM auth after the free calls until the next reset', async () => {
    const env = sandbox.env();
    await enableIamAuth(url, 0);
    const refused = await awsCli(['sts', 'get-caller-identity'], {env, endpointUrl: url});
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('InvalidClientTokenId');

    await resetMoto(url);
    expect(await awsCli(['sts', 'get-caller-identity'], {env, endpointUrl: url})).toMatchObject({code: 0});
  });

  it('proxy adds latency to every request', async () => {
    proxy = await startAwsProxy({target: url, latencyMs: 300});
    const started = Date.now();
    const result = await awsCli(['sts', 'get-caller-identity'], {env: sandbox.env(), endpointUrl: proxy.url});
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(proxy.calls).toEqual([{service: 'sts', action: 'GetCallerIdentity', kind: 'read'}]);
  });

  it('proxy with `timed` records when each call arrived and when its answer was sent', async () => {
    proxy = await startAwsProxy({target: url, latencyMs: 200, timed: true});
    const before = performance.now();
    const result = await awsCli(['sts', 'get-caller-identity'], {env: sandbox.env(), endpointUrl: proxy.url});
    const after = performance.now();
    expect(result.code).toBe(0);
    expect(proxy.calls).toHaveLength(1);
    const call = proxy.calls[0]!;
    expect(call).toMatchObject({service: 'sts', action: 'GetCallerIdentity', kind: 'read'});
    expect(call.start).toBeGreaterThanOrEqual(before);
    expect(call.end).toBeLessThanOrEqual(after);
    // The added latency sits between the two; timers may fire a millisecond early.
    expect(call.end! - call.start!).toBeGreaterThanOrEqual(195);
  });

  it('lets `aws --profile serverless` read the sandbox files, not the developer’s', async () => {
    const env = sandbox.env();
    expect(Object.keys(env).filter((name) => name.startsWith('AWS_')).sort()).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_DEFAULT_REGION',
      'AWS_REGION',
      'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
      'AWS_SECRET_ACCESS_KEY',
    ]);
    // The developer's real ~/.aws is out of reach, so the profile does not exist yet.
    const missing = await awsCli(['configure', 'get', 'region', '--profile', 'serverless'], {env});
    expect(missing.code).not.toBe(0);
    expect(missing.stdout).toBe('');

    await awsCli(['iam', 'create-user', '--user-name', 'profile-user'], {env, endpointUrl: url});
    const key = (await awsCli(['iam', 'create-access-key', '--user-name', 'profile-user'], {env, endpointUrl: url})).json as {
      AccessKey: {AccessKeyId: string; SecretAccessKey: string};
    };
    mkdirSync(`${sandbox.home}/.aws`);
    writeFileSync(sandbox.configPath, '[profile serverless]\nregion = eu-west-1\n');
    writeFileSync(
      sandbox.credentialsPath,
      `[serverless]\naws_access_key_id = ${key.AccessKey.AccessKeyId}\naws_secret_access_key = ${key.AccessKey.SecretAccessKey}\n`,
    );

    const region = await awsCli(['configure', 'get', 'region', '--profile', 'serverless'], {env});
    expect(region.stdout.trim()).toBe('eu-west-1');
    // An explicit --profile wins over the admin keys in the environment.
    const who = await awsCli(['sts', 'get-caller-identity', '--profile', 'serverless'], {env, endpointUrl: url});
    expect(who.json).toMatchObject({Arn: 'arn:aws:iam::123456789012:user/profile-user'});
  });
});

describe('runProcess', () => {
  const env = {PATH: process.env.PATH ?? ''};

  it('feeds input, closes stdin and collects output and exit code', async () => {
    const script = "process.stdin.on('data', (d) => process.stdout.write(String(d).toUpperCase())).on('end', () => { console.error(process.stdin.isTTY ?? 'no-tty'); process.exit(7); })";
    expect(await runProcess(process.execPath, ['-e', script], {env, input: 'abc'})).toEqual({code: 7, stdout: 'ABC', stderr: 'no-tty\n'});
  });

  it('kills a process that runs too long and says so', async () => {
    await expect(runProcess(process.execPath, ['-e', 'console.log("started"); setInterval(() => {}, 1000)'], {env, timeoutMs: 500})).rejects.toThrow(
      /timed out after 500 ms[\s\S]*started/,
    );
  });
});

describe.skipIf(!TmuxSession.available())('TmuxSession', () => {
  let session: TmuxSession | undefined;
  afterEach(() => session?.kill());

  it('shows output, takes typed input and reports the exit code', async () => {
    session = new TmuxSession(`printf 'hi\\n'; read x; echo got:$x`);
    await session.waitFor('hi');
    await session.type('abc');
    await session.keys('Enter');
    await session.waitFor('got:abc');
    expect(await session.exitCode()).toBe(0);
  });

  it('runs with exactly the given environment', async () => {
    const sandbox = makeSandbox();
    try {
      session = new TmuxSession('echo "home=$HOME key=${AWS_PROFILE:-none} term=$TERM"; exit 3', {env: sandbox.env(), cwd: sandbox.project});
      await session.waitFor(`home=${sandbox.home} key=none term=xterm-256color`);
      expect(await session.exitCode()).toBe(3);
    } finally {
      sandbox.cleanup();
    }
  });

  it('fails waitFor with the current screen in the message', async () => {
    session = new TmuxSession(`echo visible-text`);
    await session.waitFor('visible-text');
    await expect(session.waitFor('never-printed', 300)).rejects.toThrow(/never-printed[\s\S]*visible-text/);
  });
});
