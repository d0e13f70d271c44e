import {describe, expect, it} from 'vitest';
import {JsonParseError, parseSettings, setStageKeys} from '../../src/files/settings-document.js';

/**
 * A project file as `zappa init` and a person editing it leave it: 4-space
 * indentation, keys in no particular order, a one-line array, an object
 * nested two deep, and a second stage after the first. Invented for this test.
 */
const PROJECT = `{
    "dev": {
        "app_function": "lark.web.app",
        "aws_region": "eu-west-1",
        "environment_variables": {
            "LARK_MODE": "debug",
            "LARK_LIMITS": {"burst": 20, "per_minute": 120}
        },
        "exclude": ["*.pyc", "tests/*", ".venv"],
        "keep_warm": false,
        "manage_roles": false,
        "profile_name": "lark-dev-old",
        "project_name": "lark-notes",
        "role_name": "lark-notes-legacy-ZappaLambdaExecutionRole",
        "runtime": "python3.11",
        "s3_bucket": "zappa-lark-notes-dev"
    },
    "prod": {
        "extends": "dev",
        "aws_region": "eu-central-1",
        "profile_name": "lark-prod",
        "s3_bucket": "zappa-lark-notes-prod"
    }
}
`;

function parseError(text: string): JsonParseError {
  try {
    parseSettings(text);
  } catch (error) {
    if (error instanceof JsonParseError) return error;
    throw error;
  }
  throw new Error('expected a JsonParseError');
}

describe('parseSettings', () => {
  it('reads a project file with several stages, in file order', () => {
    const settings = parseSettings(PROJECT);
    expect(Object.keys(settings)).toEqual(['dev', 'prod']);
    expect(settings.dev).toMatchObject({
      profile_name: 'lark-dev-old',
      manage_roles: false,
      exclude: ['*.pyc', 'tests/*', '.venv'],
      environment_variables: {LARK_MODE: 'debug', LARK_LIMITS: {burst: 20, per_minute: 120}},
    });
    expect(Object.keys(settings.dev ?? {}).at(-1)).toBe('s3_bucket');
    expect(Object.keys(settings.prod ?? {})).toEqual(['extends', 'aws_region', 'profile_name', 's3_bucket']);
    expect(settings.prod).toEqual({extends: 'dev', aws_region: 'eu-central-1', profile_name: 'lark-prod', s3_bucket: 'zappa-lark-notes-prod'});
  });

  it('keeps a "__proto__" key as data', () => {
    const settings = parseSettings('{"dev": {"__proto__": 1}}');
    expect(Object.getOwnPropertyNames(settings.dev)).toEqual(['__proto__']);
  });

  it.each([
    ['a line comment', '{\n  "dev": {\n    // c\n  }\n}', 3, 5, 'comments are not allowed in JSON'],
    ['a block comment', '{\n  "dev": {} /* c */\n}', 2, 13, 'comments are not allowed in JSON'],
    ['a trailing comma in an object', '{\n  "dev": {\n    "a": 1,\n  }\n}', 3, 11, 'trailing comma before "}"'],
    ['a trailing comma in an array', '{\n  "dev": {"a": [1, 2,]}\n}', 2, 21, 'trailing comma before "]"'],
    ['a trailing comma, CRLF', '{\r\n  "a": {},\r\n}', 2, 10, 'trailing comma before "}"'],
    ['a missing comma', '{\n  "dev": {"a": 1 "b": 2}\n}', 2, 18, 'expected "," or a closing bracket'],
    ['single quotes', "{\n  'dev': {}\n}", 2, 3, 'unexpected character'],
    ['an unterminated string', '{\n  "dev": {"a": "abc}\n}', 2, 16, 'unterminated string'],
    ['a raw tab in a string', '{"dev": {"a": "x\ty"}}', 1, 15, 'control character inside a string (write it as an escape such as \\t or \\n)'],
    ['an invalid escape', '{"dev": {"a": "\\x"}}', 1, 15, 'invalid escape sequence in a string'],
    ['NaN', '{"dev": {"a": NaN}}', 1, 15, 'unexpected character'],
    ['a leading zero', '{"dev": {"a": 01}}', 1, 16, 'expected "," or a closing bracket'],
    ['a missing value at the end', '{"dev": ', 1, 9, 'expected a value'],
    ['a missing closing brace', '{"dev": {}', 1, 11, 'expected "}"'],
    ['text after the object', '{"dev": {}} x', 1, 13, 'unexpected character'],
    ['a byte-order mark', '\ufeff{}', 1, 1, 'byte-order mark (BOM) at the start; save the file as UTF-8 without BOM'],
    ['an empty file', '', 1, 1, 'the file is empty; expected a JSON object of stages'],
    ['only whitespace', '  \n ', 1, 1, 'the file is empty; expected a JSON object of stages'],
    ['a top-level array', '[1]', 1, 1, 'the top level must be an object of stages, not an array'],
    ['a top-level string', '"str"', 1, 1, 'the top level must be an object of stages, not a string'],
    ['a top-level null', 'null', 1, 1, 'the top level must be an object of stages, not null'],
    ['a stage that is an array', '{\n  "dev": [1]\n}', 2, 10, 'stage "dev" must be an object, not an array'],
    ['a stage that is null', '{"dev": null}', 1, 9, 'stage "dev" must be an object, not null'],
    ['a duplicate stage', '{\n  "dev": {},\n  "dev": {}\n}', 3, 3, 'duplicate stage "dev"'],
    ['a duplicate key in a stage', '{\n  "dev": {\n    "a": 1,\n    "a": 2\n  }\n}', 4, 5, 'duplicate key "a" in stage "dev" (json.load, which Zappa reads it with, would silently take the last one; keep the one you mean)'],
  ])('refuses %s at line %i, column %i', (_name, text, line, column, reason) => {
    const error = parseError(text);
    expect({line: error.line, column: error.column, reason: error.reason}).toEqual({line, column, reason});
    expect(error.message).toBe(`line ${line}, column ${column}: ${reason}`);
    expect(error.name).toBe('JsonParseError');
  });
});

describe('setStageKeys', () => {
  it('edits one stage of a project file and changes nothing else', () => {
    const result = setStageKeys(PROJECT, 'dev', {
      profile_name: 'zappa-deployer',
      role_name: 'lark-notes-dev-ZappaLambdaExecutionRole',
      manage_roles: false,
    });
    expect(result).toBe(
      PROJECT.replace('"profile_name": "lark-dev-old"', '"profile_name": "zappa-deployer"').replace(
        '"role_name": "lark-notes-legacy-ZappaLambdaExecutionRole"',
        '"role_name": "lark-notes-dev-ZappaLambdaExecutionRole"',
      ),
    );
  });

  it('edits the second stage, adding its new key after its own last key', () => {
    const result = setStageKeys(PROJECT, 'prod', {profile_name: 'zappa-deployer', role_name: 'lark-notes-prod-ZappaLambdaExecutionRole'});
    expect(result).toBe(
      PROJECT.replace('"profile_name": "lark-prod"', '"profile_name": "zappa-deployer"').replace(
        '"s3_bucket": "zappa-lark-notes-prod"\n',
        '"s3_bucket": "zappa-lark-notes-prod",\n        "role_name": "lark-notes-prod-ZappaLambdaExecutionRole"\n',
      ),
    );
  });

  it('adds a missing key at the end of the stage, leaving the one-line array and the nested object alone', () => {
    const withoutManageRoles = PROJECT.replace('        "manage_roles": false,\n', '');
    expect(withoutManageRoles).not.toBe(PROJECT);
    const result = setStageKeys(withoutManageRoles, 'dev', {manage_roles: false});
    expect(result).toBe(
      withoutManageRoles.replace('"s3_bucket": "zappa-lark-notes-dev"\n', '"s3_bucket": "zappa-lark-notes-dev",\n        "manage_roles": false\n'),
    );
    expect(setStageKeys('{\n  "dev": {\n    "exclude": ["a", "b"]\n  }\n}\n', 'dev', {x: 1})).toBe(
      '{\n  "dev": {\n    "exclude": ["a", "b"],\n    "x": 1\n  }\n}\n',
    );
  });

  it('is idempotent and returns the input itself when nothing differs', () => {
    const once = setStageKeys(PROJECT, 'dev', {profile_name: 'x', s3_bucket: 'zappa-y', new_key: [1, {a: null}]});
    expect(once).not.toBe(PROJECT);
    expect(setStageKeys(once, 'dev', {profile_name: 'x', s3_bucket: 'zappa-y', new_key: [1, {a: null}]})).toBe(once);
    expect(
      setStageKeys(PROJECT, 'dev', {
        keep_warm: false,
        exclude: ['*.pyc', 'tests/*', '.venv'],
        environment_variables: {LARK_LIMITS: {per_minute: 120, burst: 20}, LARK_MODE: 'debug'},
      }),
    ).toBe(PROJECT);
    expect(setStageKeys(PROJECT, 'prod', {extends: 'dev', aws_region: 'eu-central-1'})).toBe(PROJECT);
  });

  it('compares values, not their spelling', () => {
    const text = '{\n    "dev": {\n        "timeout_seconds": 30.0,\n        "env": {"b": 1, "a": 2}\n    }\n}\n';
    expect(setStageKeys(text, 'dev', {timeout_seconds: 30, env: {a: 2, b: 1}})).toBe(text);
  });

  it('adds a new stage at the end of the top-level object, after the last stage', () => {
    expect(setStageKeys(PROJECT, 'staging', {profile_name: 'lark-staging', manage_roles: false})).toBe(
      PROJECT.replace(
        '\n    }\n}\n',
        '\n    },\n    "staging": {\n        "profile_name": "lark-staging",\n        "manage_roles": false\n    }\n}\n',
      ),
    );
  });

  it.each([
    ['tabs and CRLF', '{\r\n\t"dev": {\r\n\t\t"a": 1\r\n\t}\r\n}\r\n', '{\r\n\t"dev": {\r\n\t\t"a": 1,\r\n\t\t"b": [\r\n\t\t\t"x"\r\n\t\t]\r\n\t}\r\n}\r\n'],
    ['two spaces, no trailing newline', '{\n  "dev": {\n    "a": 1\n  }\n}', '{\n  "dev": {\n    "a": 1,\n    "b": [\n      "x"\n    ]\n  }\n}'],
    ['one line with spaces', '{"dev": {"a": 1}}\n', '{"dev": {"a": 1, "b": ["x"]}}\n'],
    ['one line without spaces', '{"dev":{"a":1}}', '{"dev":{"a":1,"b":["x"]}}'],
    ['an empty stage', '{\n    "dev": {}\n}\n', '{\n    "dev": {\n        "b": [\n            "x"\n        ]\n    }\n}\n'],
  ])('keeps the layout: %s', (_name, text, expected) => {
    expect(setStageKeys(text, 'dev', {b: ['x']})).toBe(expected);
  });

  it.each([
    ['an empty file object', '{}\n', '{\n    "dev": {\n        "a": 1\n    }\n}\n'],
    ['a one-line file', '{"prod": {"a": 2}}', '{"prod": {"a": 2}, "dev": {"a": 1}}'],
    ['a tab-indented file', '{\n\t"prod": {}\n}', '{\n\t"prod": {},\n\t"dev": {\n\t\t"a": 1\n\t}\n}'],
  ])('adds a stage to %s', (_name, text, expected) => {
    expect(setStageKeys(text, 'dev', {a: 1})).toBe(expected);
  });

  it('replaces a value with one spanning lines, at the indentation of its key', () => {
    const text = '{\n    "dev": {\n        "exclude": [],\n        "a": 1\n    }\n}\n';
    expect(setStageKeys(text, 'dev', {exclude: ['*.md', '*.txt']})).toBe(
      '{\n    "dev": {\n        "exclude": [\n            "*.md",\n            "*.txt"\n        ],\n        "a": 1\n    }\n}\n',
    );
  });

  it('leaves the other stages byte for byte', () => {
    const text = '{\n  "dev": {"compact": [1,2]},\n  "prod": {\n      "odd":   "spacing"\n  }\n}\n';
    expect(setStageKeys(text, 'prod', {odd: 'spacing', b: true})).toBe(
      '{\n  "dev": {"compact": [1,2]},\n  "prod": {\n      "odd":   "spacing",\n      "b": true\n  }\n}\n',
    );
  });

  it('writes every kind of JSON value, and stores what JSON stores', () => {
    const result = setStageKeys('{"dev": {}}', 'dev', {s: 'a"b', n: 1.5, t: true, z: null, when: new Date(0)});
    expect(parseSettings(result).dev).toEqual({s: 'a"b', n: 1.5, t: true, z: null, when: '1970-01-01T00:00:00.000Z'});
  });

  it('refuses values that are not JSON', () => {
    expect(() => setStageKeys('{"dev": {}}', 'dev', {a: undefined})).toThrow('value for "a" is not a JSON value');
    expect(() => setStageKeys('{"dev": {}}', 'dev', {a: () => 1})).toThrow('value for "a" is not a JSON value');
  });

  it('never edits a file it cannot parse', () => {
    expect(() => setStageKeys('{"dev": {},}', 'dev', {a: 1})).toThrow(JsonParseError);
  });
});
