import {describe, expect, it} from 'vitest';
import {
  IniParseError,
  getSection,
  listSections,
  parseIni,
  removeSection,
  upsertSection,
} from '../../src/files/ini-document.js';

// Obviously fake values; the secret has the characters ini libraries mangle.
const KEY_ID = 'AKIAFAKEFAKEFAKE0001';
const SECRET = 'fake/Secret+Value=Only/For+Tests==';

const CONFIG = [
  '; global comment',
  '[default]',
  'region = eu-west-1',
  's3 =',
  '  max_concurrent_requests = 20',
  '  addressing_style = path',
  '',
  '[profile serverless]   # managed by zappa-iam-wizard',
  'region = us-east-1',
  '',
  '# dotted names are fine',
  '[profile my.dotted]',
  'region = ap-northeast-1',
  '',
  '[sso-session corp]',
  'sso_region = us-east-1',
  'sso_start_url = https://corp.example.com/start',
  '',
].join('\n');

const CREDENTIALS = [
  '# DO NOT SHARE',
  '[default]',
  'aws_access_key_id = AKIAFAKEDEFAULT00001',
  'aws_secret_access_key = fakeDefaultSecret',
  '',
].join('\n');

function lines(...rows: string[]): string {
  return rows.map((row) => `${row}\n`).join('');
}

function parseError(run: () => unknown): IniParseError {
  try {
    run();
  } catch (error) {
    if (error instanceof IniParseError) return error;
    throw error;
  }
  throw new Error('expected an IniParseError');
}

describe('parseIni', () => {
  it('reads sections and their top-level keys, keeping comments and nested blocks out', () => {
    expect(parseIni(CONFIG)).toEqual(
      new Map([
        ['default', {region: 'eu-west-1', s3: ''}],
        ['profile serverless', {region: 'us-east-1'}],
        ['profile my.dotted', {region: 'ap-northeast-1'}],
        ['sso-session corp', {sso_region: 'us-east-1', sso_start_url: 'https://corp.example.com/start'}],
      ]),
    );
  });

  it.each([
    ['spaced', '[a]\nkey = value\n', {key: 'value'}],
    ['unspaced', '[a]\nkey=value\n', {key: 'value'}],
    ['colon', '[a]\nkey: value\n', {key: 'value'}],
    ['value with = / +', `[a]\nsecret = ${SECRET}\n`, {secret: SECRET}],
    ['first delimiter wins', '[a]\nurl = https://x.example.com/?a=b\n', {url: 'https://x.example.com/?a=b'}],
    ['inline comment stays part of the value, as in configparser', '[a]\nregion = eu-west-1 # mine\n', {region: 'eu-west-1 # mine'}],
    ['key case kept', '[a]\nRegion = x\n', {Region: 'x'}],
    ['indented first key', '[a]\n  region = x\n  output = json\n', {region: 'x', output: 'json'}],
    ['empty value', '[a]\nregion =\n', {region: ''}],
    ['CRLF', '[a]\r\nregion = x\r\n', {region: 'x'}],
    ['no trailing newline', '[a]\nregion = x', {region: 'x'}],
    ['continuation of a plain value', '[a]\nkey = one\n  two\n', {key: 'one'}],
    ['comment lines of both kinds, indented too', '[a]\n# c\n; c\n   # c\nk = v\n', {k: 'v'}],
    ['__proto__ as a key stays data', '[a]\n__proto__ = x\n', {['__proto__']: 'x'}],
  ])('%s', (_name, text, expected) => {
    const section = parseIni(text).get('a');
    expect(section).toEqual(expected);
    expect(Object.getPrototypeOf(section)).toBe(Object.prototype);
  });

  it('accepts an empty file and a file of comments', () => {
    expect(parseIni('')).toEqual(new Map());
    expect(parseIni('# only a comment\n\n; another\n')).toEqual(new Map());
  });
});

describe('getSection and listSections', () => {
  it.each([
    ['profile serverless', {region: 'us-east-1'}],
    ['profile my.dotted', {region: 'ap-northeast-1'}],
    ['default', {region: 'eu-west-1', s3: ''}],
    ['serverless', undefined],
    ['Profile serverless', undefined],
    ['profile  serverless', undefined],
  ])('getSection(%j)', (name, expected) => {
    expect(getSection(CONFIG, name)).toEqual(expected);
  });

  it('takes the name between the brackets as written, like the AWS CLI and SDK', () => {
    const text = '[ serverless ]\nregion = x\n';
    expect(getSection(text, 'serverless')).toBeUndefined();
    expect(getSection(text, ' serverless ')).toEqual({region: 'x'});
  });

  it('lists sections in file order', () => {
    expect(listSections(CONFIG)).toEqual(['default', 'profile serverless', 'profile my.dotted', 'sso-session corp']);
  });
});

describe('IniParseError: lines the AWS CLI would refuse', () => {
  it.each([
    ['a key before any section', 'region = x\n[default]\n', 1, /before the first \[section\]/],
    ['text after comments but before any section', '# c\n\njunk\n[default]\n', 3, /before the first \[section\]/],
    ['a line that is not key = value', '[default]\nregion = a\njunk\n', 3, /expected "key = value"/],
    ['a missing key name', '[default]\n= value\n', 2, /missing key name/],
    ['a duplicate section', '[a]\nx = 1\n\n[b]\n[a]\n', 5, /duplicate section \[a\]/],
    ['a duplicate key', '[a]\nregion = 1\nregion = 2\n', 3, /duplicate key "region" in \[a\]/],
    ['a duplicate key in another case (configparser lowercases keys)', '[a]\nRegion = 1\nregion = 2\n', 3, /duplicate key/],
    ['an unclosed header', '[a]\nk = v\n[b\n', 3, /malformed section header/],
    ['an empty header', '[]\n', 1, /malformed section header/],
    ['text after a header (the CLI and the SDK disagree on it)', '[a]b\nk = v\n', 1, /malformed section header/],
    ['a header inside a nested block', '[a]\ns3 =\n  [b]\n', 3, /indented section header/],
    ['a lone carriage return', '[a]\nk = v\rx = y\n', 2, /carriage return/],
    ['a byte-order mark', '\ufeff[a]\n', 1, /byte-order mark/],
    ['a bad line in a CRLF file', '[a]\r\nk = v\r\njunk\r\n', 3, /expected "key = value"/],
  ])('%s (line %i)', (_name, text, line, reason) => {
    const error = parseError(() => parseIni(text));
    expect(error.line).toBe(line);
    expect(error.reason).toMatch(reason);
    expect(error.message).toBe(`line ${line}: ${error.reason}`);
    expect(error.name).toBe('IniParseError');
  });

  it('allows the same key in different sections and a nested block with blank lines', () => {
    expect(() => parseIni('[a]\nregion = 1\n[b]\nregion = 2\n')).not.toThrow();
    expect(() => parseIni('[a]\ns3 =\n  x = 1\n\n  # c\n  y = 2\nregion = z\n')).not.toThrow();
  });

  it('never edits a file it cannot parse', () => {
    expect(parseError(() => upsertSection('junk\n', 'serverless', {k: 'v'})).line).toBe(1);
    expect(parseError(() => removeSection('[a]\nk\n', 'a')).line).toBe(2);
  });
});

describe('upsertSection', () => {
  it('appends a new [serverless] after one blank line, leaving the rest byte for byte', () => {
    const result = upsertSection(CREDENTIALS, 'serverless', {aws_access_key_id: KEY_ID, aws_secret_access_key: SECRET});
    expect(result).toBe(
      `${CREDENTIALS}\n[serverless]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\n`,
    );
  });

  it('updates keys in place and appends missing ones after the last key', () => {
    const result = upsertSection(CONFIG, 'profile serverless', {region: 'eu-west-1', output: 'json'});
    expect(result).toBe(
      CONFIG.replace(
        '# managed by zappa-iam-wizard\nregion = us-east-1\n',
        '# managed by zappa-iam-wizard\nregion = eu-west-1\noutput = json\n',
      ),
    );
  });

  it('appends after a nested block, which survives untouched', () => {
    const result = upsertSection(CONFIG, 'default', {output: 'json'});
    expect(result).toBe(CONFIG.replace('  addressing_style = path\n', '  addressing_style = path\noutput = json\n'));
    expect(getSection(result, 'default')).toEqual({region: 'eu-west-1', s3: '', output: 'json'});
  });

  it('leaves comments that follow the section to what comes next', () => {
    const text = lines('[serverless]', 'a = 1', '', '# about [other]', '[other]', 'b = 2');
    expect(upsertSection(text, 'serverless', {c: '3'})).toBe(
      lines('[serverless]', 'a = 1', 'c = 3', '', '# about [other]', '[other]', 'b = 2'),
    );
  });

  it('adds keys under a bare header', () => {
    expect(upsertSection('[a]\n[b]\n', 'a', {k: 'v'})).toBe('[a]\nk = v\n[b]\n');
  });

  it('keeps CRLF line endings, for new and existing sections', () => {
    const text = '[default]\r\nregion = eu-west-1\r\n';
    expect(upsertSection(text, 'profile serverless', {region: 'us-east-1'})).toBe(
      '[default]\r\nregion = eu-west-1\r\n\r\n[profile serverless]\r\nregion = us-east-1\r\n',
    );
    expect(upsertSection(text, 'default', {region: 'us-east-1', output: 'json'})).toBe(
      '[default]\r\nregion = us-east-1\r\noutput = json\r\n',
    );
  });

  it.each([
    ['empty file', '', '[serverless]\nk = v\n'],
    ['no trailing newline', '[a]\nx = 1', '[a]\nx = 1\n\n[serverless]\nk = v\n'],
    ['already ends with a blank line', '[a]\nx = 1\n\n', '[a]\nx = 1\n\n[serverless]\nk = v\n'],
    ['key=value style', '[a]\nx=1\n', '[a]\nx=1\n\n[serverless]\nk=v\n'],
    ['only comments', '# hello\n', '# hello\n\n[serverless]\nk = v\n'],
  ])('new section: %s', (_name, text, expected) => {
    expect(upsertSection(text, 'serverless', {k: 'v'})).toBe(expected);
  });

  it.each([
    ['keeps the spacing of the line', '[s]\nregion=us-east-1\n', '[s]\nregion=eu-west-1\n'],
    ['turns a colon into = (the SDK skips colon lines)', '[s]\nregion: us-east-1\n', '[s]\nregion = eu-west-1\n'],
    ['turns an unspaced colon into an unspaced =', '[s]\nregion:us-east-1\n', '[s]\nregion=eu-west-1\n'],
    ['keeps the indentation', '[s]\n  region = us-east-1\n', '[s]\n  region = eu-west-1\n'],
    ['respells the key so both readers see it', '[s]\nRegion = us-east-1\n', '[s]\nregion = eu-west-1\n'],
    ['drops an inline comment Python would read as part of the value', '[s]\nregion = eu-west-1 # mine\n', '[s]\nregion = eu-west-1\n'],
    ['fills an empty value', '[s]\nregion =\n', '[s]\nregion = eu-west-1\n'],
    ['no trailing newline', '[s]\nregion = x', '[s]\nregion = eu-west-1'],
  ])('replacing a value %s', (_name, text, expected) => {
    expect(upsertSection(text, 's', {region: 'eu-west-1'})).toBe(expected);
  });

  it('adds a missing key to a last section without a trailing newline', () => {
    expect(upsertSection('[s]\na = 1', 's', {b: '2'})).toBe('[s]\na = 1\nb = 2\n');
  });

  it('is idempotent and returns the input itself when nothing differs', () => {
    const once = upsertSection(CONFIG, 'profile serverless', {region: 'eu-west-1', output: 'json'});
    expect(upsertSection(once, 'profile serverless', {region: 'eu-west-1', output: 'json'})).toBe(once);
    expect(upsertSection(CONFIG, 'profile my.dotted', {region: 'ap-northeast-1'})).toBe(CONFIG);
  });

  it('writes secrets raw, never quoted', () => {
    const result = upsertSection('', 'serverless', {aws_secret_access_key: SECRET, aws_session_token: 'Fake+Token/Value=='});
    expect(result).toContain(`aws_secret_access_key = ${SECRET}\n`);
    expect(result).not.toContain('"');
    expect(getSection(result, 'serverless')).toEqual({aws_secret_access_key: SECRET, aws_session_token: 'Fake+Token/Value=='});
  });

  it.each([
    ['a newline', 'a\nb'],
    ['a carriage return', 'a\rb'],
    ['an empty value (the SDK would read a nested block)', ''],
    ['surrounding spaces (readers trim them)', ' padded '],
    ['" #" (the SDK cuts a comment there)', 'a #b'],
    ['a leading ;', ';a'],
  ])('refuses a value with %s, without echoing it', (_name, value) => {
    expect(() => upsertSection('', 'serverless', {aws_secret_access_key: value})).toThrow(
      'value for key "aws_secret_access_key" cannot be written to an AWS ini file as is',
    );
  });

  it.each(['', 'a b', 'a=b', 'a:b', '[a', '#a', 'a\nb'])('refuses the key %j', (key) => {
    expect(() => upsertSection('', 'serverless', {[key]: 'v'})).toThrow(/invalid key/);
  });

  it('refuses keys that differ only in case', () => {
    expect(() => upsertSection('', 's', {region: 'a', REGION: 'b'})).toThrow(/only in case/);
  });

  it.each(['', '[x]', 'a]', 'a\nb', ' padded', 'a #b', '__proto__', 'profile __proto__'])('refuses the section name %j', (name) => {
    expect(() => upsertSection('', name, {k: 'v'})).toThrow(/invalid section name/);
  });

  it('refuses to overwrite a key that holds a nested block or a multi-line value', () => {
    expect(() => upsertSection(CONFIG, 'default', {s3: 'x'})).toThrow(/indented block/);
    // Python reads "x\nmore", so the equal first line does not make it "in place".
    expect(() => upsertSection('[s]\nregion = x\n  more\n', 's', {region: 'x'})).toThrow(/indented block/);
  });

  it('rewrites a colon line even when the value is equal, so the SDK can read it', () => {
    expect(upsertSection('[s]\nregion: x\n', 's', {region: 'x'})).toBe('[s]\nregion = x\n');
  });
});

describe('removeSection', () => {
  it('undoes an append, including the blank line added before it', () => {
    const added = upsertSection(CREDENTIALS, 'serverless', {aws_access_key_id: KEY_ID, aws_secret_access_key: SECRET});
    expect(removeSection(added, 'serverless')).toBe(CREDENTIALS);
  });

  it('removes a section from the middle, keeping the comment about the next one', () => {
    expect(removeSection(CONFIG, 'profile serverless')).toBe(
      CONFIG.replace('[profile serverless]   # managed by zappa-iam-wizard\nregion = us-east-1\n\n', ''),
    );
  });

  it('removes a first section with the blank line after it', () => {
    expect(removeSection('[a]\nk = v\n\n[b]\nx = 1\n', 'a')).toBe('[b]\nx = 1\n');
  });

  it('keeps CRLF and is a no-op for a missing section', () => {
    expect(removeSection('[a]\r\nk = v\r\n\r\n[b]\r\nx = 1\r\n', 'b')).toBe('[a]\r\nk = v\r\n');
    expect(removeSection(CONFIG, 'profile nobody')).toBe(CONFIG);
  });
});

describe('removeKeys', () => {
  it('drops only the named top-level keys of that section, byte for byte elsewhere', async () => {
    const {removeKeys} = await import('../../src/files/ini-document.js');
    const text = '# keep\r\n[default]\r\naws_session_token = keep-me\r\n\r\n[serverless]\r\naws_access_key_id = AKIAEXAMPLEEXAMPLE01\r\nAWS_Session_Token = stale\r\naws_secret_access_key = x\r\n';
    expect(removeKeys(text, 'serverless', ['aws_session_token', 'aws_security_token'])).toBe(
      '# keep\r\n[default]\r\naws_session_token = keep-me\r\n\r\n[serverless]\r\naws_access_key_id = AKIAEXAMPLEEXAMPLE01\r\naws_secret_access_key = x\r\n');
    expect(removeKeys(text, 'other', ['aws_session_token'])).toBe(text);
    expect(removeKeys(text, 'serverless', ['absent'])).toBe(text);
  });

  it('refuses to cut a key that has an indented block under it', async () => {
    const {removeKeys} = await import('../../src/files/ini-document.js');
    expect(() => removeKeys('[p]\ns3 =\n  max_concurrent_requests = 2\n', 'p', ['s3'])).toThrow(/indented block/);
  });
});
