/**
 * The files we write, read back by the real readers: the SDK's loader
 * (@smithy/shared-ini-file-loader), the AWS CLI, and botocore's parser (what
 * the CLI and Zappa use), compared with our own parser.
 */
import {execFile} from 'node:child_process';
import {mkdir, mkdtemp, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {loadSharedConfigFiles} from '@smithy/shared-ini-file-loader';
import fc from 'fast-check';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {writeFileAtomic} from '../../src/files/atomic-write.js';
import {IniParseError, parseIni, upsertSection} from '../../src/files/ini-document.js';
import {OURS, iniEntries, iniFile, renderIni} from './ini-arbitraries.js';

const run = promisify(execFile);

// Obviously fake; the secret carries the characters ini libraries mangle.
const KEY_ID = 'AKIAFAKEFAKEFAKE0001';
const SECRET = 'fake/Secret+Value=Only/For+Tests==';

const CREDENTIALS = '# DO NOT SHARE\n[default]\naws_access_key_id = AKIAFAKEDEFAULT00001\naws_secret_access_key = fakeDefaultSecret\n';
const CONFIG = [
  '; global comment',
  '[default]',
  'region = eu-west-1',
  's3 =',
  '  max_concurrent_requests = 20',
  '',
  '[profile serverless]   # managed by zappa-iam-wizard',
  'region = us-east-1',
  '',
  '[profile my.dotted]',
  'region = ap-northeast-1',
  '',
  '[sso-session corp]',
  'sso_region = us-east-1',
  '',
].join('\n');

// Prints botocore's reading of each file, or null where botocore refuses it.
const BOTOCORE_SCRIPT = `
import json, sys
from botocore.configloader import raw_config_parse
from botocore.exceptions import ConfigParseError
def read(path):
    try:
        return raw_config_parse(path)
    except ConfigParseError:
        return None
print(json.dumps([read(path) for path in json.load(open(sys.argv[1]))]))
`;

let dir: string;
let paths: {credentials: string; config: string};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zw-ini-readers-'));
  paths = {credentials: join(dir, 'home', '.aws', 'credentials'), config: join(dir, 'home', '.aws', 'config')};
});

afterEach(async () => {
  await rm(dir, {recursive: true, force: true});
});

/** A clean environment: no inherited AWS_* variable may point the CLI at other files or profiles. */
function childEnv(): NodeJS.ProcessEnv {
  const kept = ['PATH', 'LANG', 'PYENV_ROOT', 'PYENV_VERSION'].filter((name) => process.env[name] !== undefined);
  return {
    ...Object.fromEntries(kept.map((name) => [name, process.env[name]])),
    HOME: join(dir, 'home'),
    AWS_CONFIG_FILE: paths.config,
    AWS_SHARED_CREDENTIALS_FILE: paths.credentials,
  };
}

async function awsConfigureGet(key: string, profile = 'serverless'): Promise<string> {
  const {stdout} = await run('aws', ['configure', 'get', key, '--profile', profile], {env: childEnv(), timeout: 60_000});
  return stdout.trim();
}

async function botocoreRead(texts: string[]): Promise<Array<Record<string, Record<string, unknown>> | null>> {
  const files = await Promise.all(
    texts.map(async (text, index) => {
      const path = join(dir, `sample-${index}.ini`);
      await writeFile(path, text);
      return path;
    }),
  );
  const list = join(dir, 'paths.json');
  await writeFile(list, JSON.stringify(files));
  const {stdout} = await run('python3', ['-c', BOTOCORE_SCRIPT, list], {env: childEnv(), timeout: 60_000, maxBuffer: 1 << 24});
  return JSON.parse(stdout) as Array<Record<string, Record<string, unknown>> | null>;
}

async function writeBothFiles(): Promise<void> {
  const credentials = upsertSection(CREDENTIALS, 'serverless', {aws_access_key_id: KEY_ID, aws_secret_access_key: SECRET});
  const config = upsertSection(CONFIG, 'profile serverless', {region: 'eu-west-1', output: 'json'});
  await writeFileAtomic(paths.credentials, credentials, {mode: 0o600, createDirs: true});
  await writeFileAtomic(paths.config, config, {createDirs: true});
}

describe('files written by upsertSection, read by the real readers', () => {
  it('the SDK loader returns exactly the written values, and the other profiles', async () => {
    await writeBothFiles();
    const {credentialsFile, configFile} = await loadSharedConfigFiles({
      filepath: paths.credentials,
      configFilepath: paths.config,
      ignoreCache: true,
    });
    const serverless = credentialsFile.serverless ?? {};
    expect(Object.keys(serverless)).toEqual(['aws_access_key_id', 'aws_secret_access_key']);
    expect(serverless.aws_access_key_id).toBe(KEY_ID);
    // Compared as a boolean so a failure never prints the secret.
    expect(serverless.aws_secret_access_key === SECRET).toBe(true);
    expect(credentialsFile.default?.aws_access_key_id).toBe('AKIAFAKEDEFAULT00001');
    // The loader drops the `profile ` prefix of config sections.
    expect(configFile.serverless).toEqual({region: 'eu-west-1', output: 'json'});
    expect(configFile.default).toEqual({region: 'eu-west-1', 's3.max_concurrent_requests': '20'});
    expect(configFile['my.dotted']).toEqual({region: 'ap-northeast-1'});
    expect(configFile['sso-session.corp']).toEqual({sso_region: 'us-east-1'});
    expect((await stat(paths.credentials)).mode & 0o777).toBe(0o600);
  });

  it('the AWS CLI answers the written values', async () => {
    await writeBothFiles();
    const [region, output, keyId, secret, defaultRegion] = await Promise.all([
      awsConfigureGet('region'),
      awsConfigureGet('output'),
      awsConfigureGet('aws_access_key_id'),
      awsConfigureGet('aws_secret_access_key'),
      awsConfigureGet('region', 'default'),
    ]);
    expect({region, output, keyId, defaultRegion}).toEqual({region: 'eu-west-1', output: 'json', keyId: KEY_ID, defaultRegion: 'eu-west-1'});
    expect(secret === SECRET).toBe(true);
  });
});

describe('our parser against botocore (the AWS CLI and Zappa)', () => {
  it('reads generated files, before and after an upsert, as botocore does', async () => {
    const samples = fc.sample(fc.tuple(iniFile, iniEntries), {numRuns: 60, seed: 20240611});
    const texts = samples.flatMap(([generated, values]) => {
      const original = renderIni(generated);
      return [original, upsertSection(original, OURS, values)];
    });
    const readings = await botocoreRead(texts);
    texts.forEach((text, index) => expect(topLevel(readings[index])).toEqual(parseIni(text)));
  });

  it.each([
    ['a key before any section', 'region = x\n[default]\n'],
    ['a line that is not key = value', '[default]\nregion = a\njunk\n'],
    ['a missing key name', '[default]\n= value\n'],
    ['a duplicate section', '[a]\nx = 1\n[a]\n'],
    ['a duplicate key in another case', '[a]\nRegion = 1\nregion = 2\n'],
    ['an unclosed header', '[a]\nk = v\n[b\n'],
    ['an empty header', '[]\n'],
    ['a byte-order mark', '\ufeff[a]\nk = v\n'],
  ])('botocore refuses what we refuse: %s', async (_name, text) => {
    expect(() => parseIni(text)).toThrow(IniParseError);
    expect(await botocoreRead([text])).toEqual([null]);
  });

  it('is stricter than botocore only where the SDK would read the file differently', async () => {
    // botocore: section "a" / a continuation / two lines; the SDK: no section / a new section / one line.
    const texts = ['[a]b\nk = v\n', '[a]\nk = v\n  [b]\n', '[a]\nk = v\rx = y\n'];
    for (const text of texts) expect(() => parseIni(text)).toThrow(IniParseError);
    expect((await botocoreRead(texts)).every((reading) => reading !== null)).toBe(true);
  });

  it('the SDK reads our section back from generated config files after an upsert', async () => {
    const samples = fc.sample(fc.tuple(iniFile, iniEntries), {numRuns: 40, seed: 7});
    await mkdir(join(dir, 'home', '.aws'), {recursive: true});
    for (const [generated, values] of samples) {
      await writeFile(paths.config, upsertSection(renderIni(generated), OURS, values));
      const {configFile} = await loadSharedConfigFiles({filepath: paths.credentials, configFilepath: paths.config, ignoreCache: true});
      expect(configFile.serverless).toMatchObject(values);
    }
  });
});

/** botocore's reading reduced to what parseIni returns: nested blocks become their parent's empty value. */
function topLevel(reading: Record<string, Record<string, unknown>> | null | undefined): Map<string, Record<string, string>> {
  expect(reading).not.toBeNull();
  return new Map(
    Object.entries(reading ?? {}).map(([name, keys]) => [
      name,
      Object.fromEntries(Object.entries(keys).map(([key, value]) => [key, typeof value === 'string' ? value : ''])),
    ]),
  );
}
