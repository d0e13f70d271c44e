/**
 * Issue 16, item 16 (the 120,000-profile file): the gateway resolves the SDK
 * clients' settings once (src/aws/sdk-settings.ts) instead of letting every
 * client's loaders parse both shared files per setting. The settings a
 * profile sets must still reach the clients: checked against what a plain
 * SDK client resolves from the same files, and, end to end against moto,
 * that AWS_ENDPOINT_URL_IAM and a profile's endpoint_url still route.
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {IAMClient} from '@aws-sdk/client-iam';
import {S3Client} from '@aws-sdk/client-s3';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {SdkGateway} from '../../src/aws/sdk-gateway.js';
import {profileValues, sdkSettings} from '../../src/aws/sdk-settings.js';
import type {AwsProxy} from '../helpers/aws-proxy.js';
import {startAwsProxy} from '../helpers/aws-proxy.js';
import {motoUrl} from '../helpers/moto.js';
import type {Sandbox} from '../helpers/sandbox.js';
import {eachTestWithSandboxAndProxy} from '../lifecycle/lifecycle-helpers.js';
import {runJson} from '../helpers/run-cli.js';

/** A client's resolved setting: some stay values, others become providers. */
const valueOf = async (setting: unknown): Promise<unknown> => (typeof setting === 'function' ? (setting as () => Promise<unknown>)() : setting);

const STATIC = {accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'not-a-secret'};

/** The variables this file's unit tests set; put back after each. */
const VARIABLES = ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE', 'AWS_MAX_ATTEMPTS', 'AWS_RETRY_MODE', 'AWS_USE_FIPS_ENDPOINT'];

describe('the clients\' settings, resolved once', () => {
  let dir: string;
  let saved: Record<string, string | undefined>;
  beforeEach(() => {
    saved = Object.fromEntries(VARIABLES.map((v) => [v, process.env[v]]));
    for (const v of VARIABLES) delete process.env[v];
    dir = join(process.env.TMPDIR ?? '/tmp', `zw-sdk-settings-${process.pid}-${Math.random().toString(36).slice(2)}`);
    mkdirSync(dir, {recursive: true});
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
  });
  afterEach(() => {
    for (const v of VARIABLES) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
  });

  const files = (config: string, credentials = '') => {
    writeFileSync(process.env.AWS_CONFIG_FILE!, config);
    writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE!, credentials);
  };
  const iamOf = (gateway: SdkGateway) => (gateway as unknown as {iam: IAMClient}).iam;
  const s3Of = (gateway: SdkGateway) => (gateway as unknown as {s3: S3Client}).s3;

  it('a config-file max_attempts, retry_mode and region on the admin profile reach the clients', async () => {
    files('[profile admin]\nregion = eu-west-2\nmax_attempts = 7\nretry_mode = adaptive\n[default]\nmax_attempts = 2\n');
    const gateway = new SdkGateway({credentials: STATIC, region: 'eu-west-2', endpoints: {}, profile: 'admin'});
    const iam = iamOf(gateway);
    expect(await iam.config.maxAttempts()).toBe(7);
    expect(await valueOf(iam.config.retryMode)).toBe('adaptive');
    expect(await s3Of(gateway).config.region()).toBe('eu-west-2');
    // The profile's own region, as the SDK reads it for what is left to it (a role's or SSO's client).
    expect(profileValues({config: '[profile admin]\nregion = eu-west-2 # mine\n'}, 'admin')).toEqual({region: 'eu-west-2'});
    gateway.destroy();
  });

  it('without --admin-profile they come from AWS_PROFILE, else default, as the SDK\'s loaders take them', async () => {
    files('[default]\nmax_attempts = 2\n[profile other]\nmax_attempts = 9\n');
    expect((await iamOf(new SdkGateway({credentials: STATIC, region: 'us-east-1', endpoints: {}})).config.maxAttempts())).toBe(2);
    process.env.AWS_PROFILE = 'other';
    expect((await iamOf(new SdkGateway({credentials: STATIC, region: 'us-east-1', endpoints: {}})).config.maxAttempts())).toBe(9);
  });

  it('keeps the gateway\'s 4 attempts when nothing sets max_attempts, and the environment wins over the file', async () => {
    files('[default]\nretry_mode = adaptive\n');
    expect(await iamOf(new SdkGateway({credentials: STATIC, region: 'us-east-1', endpoints: {}})).config.maxAttempts()).toBe(4);
    process.env.AWS_MAX_ATTEMPTS = '6';
    process.env.AWS_RETRY_MODE = 'standard';
    const iam = iamOf(new SdkGateway({credentials: STATIC, region: 'us-east-1', endpoints: {}}));
    expect(await iam.config.maxAttempts()).toBe(6);
    expect(await valueOf(iam.config.retryMode)).toBe('standard');
  });

  it('resolves each setting as a plain SDK client does from the same files', async () => {
    // Both files, comments, a credentials-file setting the config file overrides, booleans and lists.
    files(
      '[profile admin] ; mine\nuse_fips_endpoint = true\nuse_dualstack_endpoint = false # no\nsdk_ua_app_id = myapp\n'
        + 'auth_scheme_preference = sigv4a, sigv4\nrequest_checksum_calculation = when_required\ns3_use_arn_region = true\n'
        + 'sigv4a_signing_region_set = us-east-1,eu-west-1\n',
      '[admin]\nuse_fips_endpoint = false\nresponse_checksum_validation = WHEN_REQUIRED\ns3_disable_express_session_auth = true\n',
    );
    process.env.AWS_PROFILE = 'admin';
    const ours = s3Of(new SdkGateway({credentials: STATIC, region: 'us-east-1', endpoints: {}})).config;
    const theirs = new S3Client({credentials: STATIC, region: 'us-east-1'}).config;
    const resolved = async (config: typeof ours) => ({
      fips: await valueOf(config.useFipsEndpoint), dualstack: await valueOf(config.useDualstackEndpoint), appId: await valueOf(config.userAgentAppId),
      schemes: await valueOf(config.authSchemePreference), request: await valueOf(config.requestChecksumCalculation),
      response: await valueOf(config.responseChecksumValidation), express: await valueOf(config.disableS3ExpressSessionAuth),
      arnRegion: await valueOf(config.useArnRegion), regionSet: await valueOf(config.sigv4aSigningRegionSet), retryMode: await valueOf(config.retryMode),
    });
    const expected = await resolved(theirs);
    expect(expected).toMatchObject({fips: true, appId: 'myapp', request: 'WHEN_REQUIRED', response: 'WHEN_REQUIRED', express: true, arnRegion: true});
    expect(await resolved(ours)).toEqual(expected);
  });

  it('finds a profile\'s endpoint_url, and a services section\'s, per service', () => {
    files('[default]\nservices = local\nendpoint_url = http://127.0.0.1:1/\n[services local]\niam =\n  endpoint_url = http://127.0.0.1:2/\n');
    expect(sdkSettings('default').endpoints).toEqual({iam: 'http://127.0.0.1:2/', sts: 'http://127.0.0.1:1/', s3: 'http://127.0.0.1:1/'});
    files('[default]\nregion = us-east-1\n');
    expect(sdkSettings('default').endpoints).toEqual({iam: null, sts: null, s3: null});
    files('[default]\nendpoint_url = http://127.0.0.1:1/\nignore_configured_endpoint_urls = true\n');
    expect(sdkSettings('default').endpoints).toEqual({iam: null, sts: null, s3: null});
  });

  it('leaves everything to the SDK when a file does not parse, and a value the SDK refuses to the SDK', () => {
    files('[default]\n  indented = [broken\n[default]\n');
    expect(sdkSettings('default')).toEqual({common: {}, s3: {}, endpoints: {}});
    files('[default]\nuse_fips_endpoint = yes\n');
    expect(sdkSettings('default').common.useFipsEndpoint).toBeUndefined();
  });
});

describe('endpoints the person configured, end to end against moto', () => {
  let sb: Sandbox;
  let proxy: AwsProxy;
  eachTestWithSandboxAndProxy((fresh) => ({sb, proxy} = fresh));

  it('AWS_ENDPOINT_URL_IAM and the profile\'s endpoint_url still route each service', async () => {
    const iamProxy = await startAwsProxy({target: motoUrl()});
    try {
      mkdirSync(join(sb.home, '.aws'), {recursive: true});
      writeFileSync(sb.configPath, `[default]\nendpoint_url = ${proxy.url}\n`);
      const run = await runJson<{ok: boolean; steps: {id: string; status: string}[]}>(['setup', '--yes'], {
        cwd: sb.project, env: sb.env({AWS_ENDPOINT_URL_IAM: iamProxy.url}),
      });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const services = (p: AwsProxy) => [...new Set(p.calls.map((c) => c.service))].sort();
      expect(services(iamProxy)).toEqual(['iam']);
      expect(services(proxy)).toEqual(['s3', 'sts']);
    } finally {
      await iamProxy.close();
    }
  });

  it('a services section routes one service, the rest take the profile\'s endpoint_url', async () => {
    const iamProxy = await startAwsProxy({target: motoUrl()});
    try {
      mkdirSync(join(sb.home, '.aws'), {recursive: true});
      writeFileSync(sb.configPath, `[default]\nservices = local\nendpoint_url = ${proxy.url}\n\n[services local]\niam =\n  endpoint_url = ${iamProxy.url}\n`);
      const planned = await runJson(['plan'], {cwd: sb.project, env: sb.env()});
      expect(planned.code, planned.stdout + planned.stderr).toBe(3);
      expect([...new Set(iamProxy.calls.map((c) => c.service))]).toEqual(['iam']);
      expect(proxy.calls.some((c) => c.service === 'iam')).toBe(false);
      expect(proxy.calls.some((c) => c.service === 'sts')).toBe(true);
    } finally {
      await iamProxy.close();
    }
  });
});
