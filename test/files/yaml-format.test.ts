import {spawnSync} from 'node:child_process';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {SettingsParseError, type Scalar} from '../../src/files/settings/format.js';
import {yamlFormat} from '../../src/files/settings/yaml-format.js';

const {parse, setStageKeys} = yamlFormat;

/**
 * A project file as a person keeps it: 4-space indentation, comments, an
 * anchored mapping merged into two stages, `key : value` spacing, all three
 * quote styles, a nested block and a list as a stage's last key, a stage that
 * is an alias and a stage written on one line. Invented for these tests.
 */
const PROJECT = `# Zappa settings for the "heron" notes app.
common: &common
    app_function: heron.web.app
    runtime: python3.12
    aws_region : eu-north-1   # closest to the team

dev:
    <<: *common
    profile_name: 'heron-dev'
    s3_bucket: "zappa-heron-dev"
    keep_warm: false
    environment_variables:
        HERON_MODE: debug
        HERON_LIMIT: "20"
    # dev's own notes stay here

prod:
    <<: *common
    extends: dev
    s3_bucket: zappa-heron-prod
    exclude:
        - "*.pyc"
        - tests/

review: *common
scratch: {runtime: python3.12, memory_size: 512}
`;

/** The same kind of file with 2-space indentation and no newline at the end. */
const SMALL = `dev:
  project_name: wren
  profile_name: wren-dev
prod:
  extends: dev
  profile_name: wren-prod`;

/** Python's own reading of a file, as Zappa does it (yaml.safe_load), as JSON. */
function safeLoad(text: string): unknown {
  return safeLoadAll([text])[0];
}

/** One python3 process for several files; dates come back as their str(). */
function safeLoadAll(texts: string[]): unknown[] {
  const script = [
    'import json, sys, yaml',
    'texts = json.loads(sys.stdin.buffer.read().decode("utf-8"))',
    'print(json.dumps([yaml.safe_load(text) for text in texts], default=str))',
  ].join('\n');
  const result = spawnSync('python3', ['-c', script], {input: JSON.stringify(texts), encoding: 'utf8'});
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as unknown[];
}

function parseError(run: () => unknown): SettingsParseError {
  try {
    run();
  } catch (error) {
    if (error instanceof SettingsParseError) return error;
    throw error;
  }
  throw new Error('expected a SettingsParseError');
}

/** The part of a file before its first line starting with `marker`. */
function before(text: string, marker: string): string {
  const at = text.indexOf(`\n${marker}`);
  if (at === -1) throw new Error(`no line starting with ${marker}`);
  return text.slice(0, at + 1);
}

describe('yamlFormat.parse', () => {
  it('is named yaml', () => {
    expect(yamlFormat.name).toBe('yaml');
  });

  it('reads stages as PyYAML does, with merge keys and aliases resolved', () => {
    const stages = parse(PROJECT);
    expect(Object.keys(stages)).toEqual(['common', 'dev', 'prod', 'review', 'scratch']);
    expect(stages.dev).toEqual({
      app_function: 'heron.web.app',
      runtime: 'python3.12',
      aws_region: 'eu-north-1',
      profile_name: 'heron-dev',
      s3_bucket: 'zappa-heron-dev',
      keep_warm: false,
      environment_variables: {HERON_MODE: 'debug', HERON_LIMIT: '20'},
    });
    expect(stages.review).toEqual({app_function: 'heron.web.app', runtime: 'python3.12', aws_region: 'eu-north-1'});
    expect(stages.scratch).toEqual({runtime: 'python3.12', memory_size: 512});
    expect(stages).toEqual(safeLoad(PROJECT));
  });

  it('lets a stage\'s own key win over the merged one, wherever the merge key is', () => {
    const text = 'base: &b {region: eu-west-1, memory: 128}\ndev:\n  region: us-east-1\n  <<: *b\n';
    expect(parse(text).dev).toEqual({region: 'us-east-1', memory: 128});
    expect(parse(text)).toEqual(safeLoad(text));
  });

  it('returns separate objects for stages that share an anchor', () => {
    const stages = parse(PROJECT);
    stages.review!.runtime = 'changed';
    expect(stages.common!.runtime).toBe('python3.12');
  });

  it('resolves plain scalars with YAML 1.1 rules exactly as PyYAML does', () => {
    const words = [
      'yes', 'No', 'ON', 'off', 'True', 'FALSE', 'y', 'n', 'Y', 'null', 'Null', '~', '',
      '12', '010', '09', '0o17', '0x1F', '0b101', '1_000', '+12', '-0', '1:30', '0:30', '190:20:30',
      '1.5', '1.', '.5', '-.5', '1e3', '1.0e+3', '1.0e3', '1:30.5', '1_0.5_',
      '2020-1-1', 'heron.web.app', 'eu-north-1',
    ];
    const text = `dev:\n${words.map((word, index) => `  k${index}: ${word}`).join('\n')}\n`;
    const ours = parse(text).dev!;
    const python = (safeLoad(text) as {dev: Record<string, unknown>}).dev;
    for (const index of words.keys()) {
      expect([words[index], ours[`k${index}`]]).toEqual([words[index], python[`k${index}`]]);
    }
    expect(ours.k0).toBe(true);
    expect(ours.k6).toBe('y');
    expect(ours.k15).toBe('09');
    expect(ours.k29).toBe('1e3');
    expect(parse('dev: {a: .inf, b: -.Inf, c: .NaN}\n').dev).toEqual({a: Infinity, b: -Infinity, c: NaN});
  });

  it('reads an empty stage as an empty mapping, and accepts a leading --- and comments', () => {
    expect(parse('--- # settings\n# nothing yet\ndev:\nprod: ~\n')).toEqual({dev: {}, prod: {}});
  });

  it('reads dates as dates (PyYAML gives datetime.date)', () => {
    const value = parse('dev:\n  since: 2020-01-02\n').dev!.since;
    expect(value).toBeInstanceOf(Date);
    expect((value as Date).toISOString()).toBe('2020-01-02T00:00:00.000Z');
  });

  it.each([
    ['an empty file', '', 1, 1, 'the file is empty; expected a mapping of stages'],
    ['only comments', '# nothing\n', 1, 1, 'the file is empty; expected a mapping of stages'],
    ['only a document marker', '---\n', 1, 1, 'the file has no content; expected a mapping of stages'],
    ['a list at the top', '- dev\n', 1, 1, 'the top level must be a mapping of stages, not a list'],
    ['a second document', 'dev:\n  a: 1\n---\nprod:\n  a: 2\n', 3, 1, "a second document starts here; PyYAML's safe_load reads exactly one"],
    [
      'a duplicate key in a stage',
      'dev:\n  s3_bucket: a\n  region: b\n  s3_bucket: c\n',
      4,
      3,
      'duplicate key "s3_bucket" in stage "dev" (Zappa\'s reader would silently take the last one)',
    ],
    ['a duplicate key in a flow stage', 'dev: {a: 1, a: 2}\n', 1, 13, 'duplicate key "a" in stage "dev" (Zappa\'s reader would silently take the last one)'],
    ['a duplicate stage', 'dev:\n  a: 1\ndev:\n  a: 2\n', 3, 1, 'duplicate stage "dev" (Zappa\'s reader would silently take the last one)'],
    ['a stage that is a list', 'dev:\n  - a\n', 2, 3, 'stage "dev" must be a mapping, not a list'],
    ['a stage that is a string', 'dev:\n  a: 1\nprod: heron\n', 3, 7, 'stage "prod" must be a mapping, not a string'],
    ['an alias to a string as a stage', 'dev:\n  a: &r x\nprod: *r\n', 3, 7, 'stage "prod" must be a mapping, not a string'],
    ['a number as a stage name', '1:\n  a: 1\n', 1, 1, 'stage name 1 is a number, not a string (quote it)'],
    ['a mapping key in a stage', 'dev:\n  ? [a]\n  : 1\n', 2, 5, 'a mapping or list as a key in stage "dev" (PyYAML refuses unhashable keys)'],
    ['an unclosed flow mapping', 'dev: {a: 1\nprod: {}\n', 2, 1, 'flow map in block collection must be sufficiently indented and end with a }'],
    ['a bad indentation', 'dev:\n  a: 1\n b: 2\n', 3, 1, 'all mapping items must start at the same column'],
    ['a tab as indentation', 'dev:\n\ta: 1\n', 2, 1, 'tabs are not allowed as indentation'],
    ['a tab after a colon', 'dev:\n  a:\t1\n', 2, 5, 'a tab here: PyYAML accepts tabs only inside quoted strings, block scalars (|, >) and comments; use spaces'],
    ['an alias without an anchor', 'dev:\n  a: *nowhere\n', 2, 6, 'alias *nowhere has no anchor &nowhere before it'],
    ['a tag PyYAML cannot build', 'dev:\n  role: !GetAtt Role.Arn\n', 2, 9, "unknown tag !GetAtt (PyYAML's safe_load has no constructor for it)"],
    ['merging a scalar', 'dev:\n  <<: heron\n', 2, 7, 'a merge key (<<) needs a mapping or a list of mappings'],
    ['a control character', 'dev:\n  a: "x\u0007"\n', 2, 8, 'unacceptable character U+0007 (PyYAML refuses control characters)'],
  ])('refuses %s, at its line and column', (_, text, line, column, reason) => {
    const error = parseError(() => parse(text));
    expect({line: error.line, column: error.column, reason: error.reason}).toEqual({line, column, reason});
  });

  it('refuses what PyYAML refuses (a tab after a colon, a second document)', () => {
    for (const text of ['dev:\n  a:\t1\n', 'dev: {}\n---\nprod: {}\n']) {
      const python = spawnSync('python3', ['-c', 'import sys, yaml; yaml.safe_load(sys.stdin.read())'], {input: text, encoding: 'utf8'});
      expect(python.status).not.toBe(0);
      expect(() => parse(text)).toThrow(SettingsParseError);
    }
  });
});

describe('yamlFormat.setStageKeys', () => {
  it('rewrites only the values that differ, keeping quote styles, spacing and comments', () => {
    const result = setStageKeys(PROJECT, 'dev', {profile_name: 'heron-dev-2', s3_bucket: 'zappa-heron-dev-2', keep_warm: false});
    expect(result).toBe(
      PROJECT.replace("profile_name: 'heron-dev'", "profile_name: 'heron-dev-2'").replace('s3_bucket: "zappa-heron-dev"', 's3_bucket: "zappa-heron-dev-2"'),
    );
  });

  it('switches to double quotes when the old quote style cannot hold the value', () => {
    const result = setStageKeys(PROJECT, 'dev', {profile_name: 'tab\there'});
    expect(result).toBe(PROJECT.replace("profile_name: 'heron-dev'", 'profile_name: "tab\\there"'));
    expect(setStageKeys(PROJECT, 'dev', {profile_name: "it's"})).toContain("profile_name: 'it''s'");
  });

  it('adds a merged-only key to the stage itself, after its nested block, leaving the anchored mapping byte for byte', () => {
    const result = setStageKeys(PROJECT, 'dev', {aws_region: 'eu-west-1', manage_roles: false});
    expect(before(result, 'dev:')).toBe(before(PROJECT, 'dev:'));
    expect(result).toBe(
      PROJECT.replace(
        '        HERON_LIMIT: "20"\n',
        '        HERON_LIMIT: "20"\n    aws_region: eu-west-1\n    manage_roles: false\n',
      ),
    );
    const python = safeLoad(result) as Record<string, Record<string, unknown>>;
    const original = safeLoad(PROJECT) as Record<string, Record<string, unknown>>;
    expect(python.dev).toEqual({...original.dev, aws_region: 'eu-west-1', manage_roles: false});
    for (const other of ['common', 'prod', 'review', 'scratch']) expect(python[other]).toEqual(original[other]);
  });

  it('inserts after a list that is the stage\'s last key, and keeps the blank line before the next stage', () => {
    const result = setStageKeys(PROJECT, 'prod', {profile_name: 'heron-prod'});
    expect(result).toBe(PROJECT.replace('        - tests/\n\nreview', '        - tests/\n    profile_name: heron-prod\n\nreview'));
  });

  it('turns an alias stage into a mapping that merges the anchor, so the anchored stage stays as it was', () => {
    const result = setStageKeys(PROJECT, 'review', {profile_name: 'heron-review'});
    expect(result).toBe(PROJECT.replace('review: *common\n', 'review:\n    <<: *common\n    profile_name: heron-review\n'));
    const python = safeLoad(result) as Record<string, Record<string, unknown>>;
    expect(python.review).toEqual({app_function: 'heron.web.app', runtime: 'python3.12', aws_region: 'eu-north-1', profile_name: 'heron-review'});
    expect(python.common).toEqual((safeLoad(PROJECT) as Record<string, unknown>).common);
  });

  it('adds keys to a one-line stage before its closing brace', () => {
    const result = setStageKeys(PROJECT, 'scratch', {memory_size: 1024, profile_name: 'heron-scratch'});
    expect(result).toBe(PROJECT.replace('scratch: {runtime: python3.12, memory_size: 512}', 'scratch: {runtime: python3.12, memory_size: 1024, profile_name: heron-scratch}'));
  });

  it('appends a missing stage at the end, extends first, separated like the other stages', () => {
    const result = setStageKeys(PROJECT, 'staging', {extends: 'dev', profile_name: 'heron-staging'});
    expect(result).toBe(`${PROJECT}\nstaging:\n    extends: dev\n    profile_name: heron-staging\n`);
    expect((safeLoad(result) as Record<string, unknown>).staging).toEqual({extends: 'dev', profile_name: 'heron-staging'});
  });

  it('fills an empty stage with a mapping of the keys', () => {
    const text = 'dev:\n  a: 1\nprod:   # to do\nqa: ~\n';
    expect(setStageKeys(text, 'prod', {extends: 'dev'})).toBe('dev:\n  a: 1\nprod:   # to do\n  extends: dev\nqa: ~\n');
    expect(setStageKeys(text, 'qa', {extends: 'dev'})).toBe('dev:\n  a: 1\nprod:   # to do\nqa:\n  extends: dev\n');
  });

  it('keeps a 2-space file without a final newline without one', () => {
    expect(setStageKeys(SMALL, 'prod', {aws_region: 'eu-west-1'})).toBe(`${SMALL}\n  aws_region: eu-west-1`);
    expect(setStageKeys(SMALL, 'qa', {extends: 'dev', profile_name: 'wren-qa'})).toBe(`${SMALL}\nqa:\n  extends: dev\n  profile_name: wren-qa`);
    expect(setStageKeys(SMALL, 'dev', {profile_name: 'wren-dev-2'})).toBe(SMALL.replace('wren-dev', 'wren-dev-2'));
  });

  it('writes CRLF into a CRLF file', () => {
    const text = SMALL.replace(/\n/g, '\r\n') + '\r\n';
    const result = setStageKeys(setStageKeys(text, 'dev', {aws_region: 'eu-west-1'}), 'qa', {extends: 'dev'});
    expect(result).toBe('dev:\r\n  project_name: wren\r\n  profile_name: wren-dev\r\n  aws_region: eu-west-1\r\nprod:\r\n  extends: dev\r\n  profile_name: wren-prod\r\nqa:\r\n  extends: dev\r\n');
    expect(result.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('quotes strings that YAML 1.1 would read as something else, and Python reads them back as strings', () => {
    const values = ['yes', 'no', 'on', 'off', 'null', 'true', '~', '', '1.5', '0x1F', '010', '2020-01-01', '1:30', 'y', '<<', '# not a comment', '- dash', 'a: b'];
    const entries = Object.fromEntries(values.map((value, index) => [`k${index}`, value]));
    const result = setStageKeys(SMALL, 'dev', entries);
    for (const value of values) expect(result).toContain(`: ${JSON.stringify(value)}`);
    expect((safeLoad(result) as Record<string, unknown>).dev).toEqual({project_name: 'wren', profile_name: 'wren-dev', ...entries});
  });

  it('writes booleans and numbers so that Python reads the same values', () => {
    const entries = {manage_roles: true, keep_warm: false, memory_size: 512, tiny: 1e-7, ratio: 0.25, huge: 1e21, negative: -3};
    const result = setStageKeys(SMALL, 'dev', entries);
    expect(result).toContain('  manage_roles: true\n  keep_warm: false\n  memory_size: 512\n  tiny: 1.0e-7\n  ratio: 0.25\n  huge: 1000000000000000000000\n  negative: -3');
    expect((safeLoad(result) as Record<string, unknown>).dev).toMatchObject(entries);
  });

  it('quotes a stage name and keys that need it', () => {
    const result = setStageKeys(SMALL, 'on', {'odd key': 'x', extends: 'dev'});
    expect(result).toBe(`${SMALL}\n"on":\n  "odd key": x\n  extends: dev`);
    expect((safeLoad(result) as Record<string, unknown>).on).toEqual({'odd key': 'x', extends: 'dev'});
  });

  it('replaces a list or an alias value of one of our keys by the scalar', () => {
    const text = 'dev:\n  region: &r eu-west-1\n  exclude:\n    - a\n    - b\n  backup: *r\n';
    expect(setStageKeys(text, 'dev', {exclude: 'none', backup: 'us-east-1'})).toBe('dev:\n  region: &r eu-west-1\n  exclude: none\n  backup: us-east-1\n');
  });

  it('puts new stages before an explicit end-of-document marker', () => {
    expect(setStageKeys('dev:\n  a: 1\n...\n# trailer\n', 'qa', {extends: 'dev'})).toBe('dev:\n  a: 1\nqa:\n  extends: dev\n...\n# trailer\n');
  });

  it('is idempotent, and returns the file untouched when nothing differs', () => {
    const entries = {extends: 'dev', aws_region: 'eu-west-1', profile_name: 'yes', manage_roles: false};
    for (const stage of ['dev', 'prod', 'review', 'scratch', 'staging']) {
      const once = setStageKeys(PROJECT, stage, entries);
      expect(once).not.toBe(PROJECT);
      expect(setStageKeys(once, stage, entries)).toBe(once);
    }
    expect(setStageKeys(PROJECT, 'dev', {profile_name: 'heron-dev', keep_warm: false})).toBe(PROJECT);
  });

  it('refuses to change a value another stage reuses through an alias', () => {
    const text = 'dev:\n  role: &role heron-exec\nprod:\n  role: *role\n';
    expect(() => setStageKeys(text, 'dev', {role: 'other'})).toThrow(/anchored as &role and reused elsewhere/);
  });

  it('edits an anchored stage for its own sake, and the stages merging it inherit the change as through extends', () => {
    const edited = setStageKeys(PROJECT, 'common', {runtime: 'python3.13'});
    expect(edited).toBe(PROJECT.replace('    runtime: python3.12\n', '    runtime: python3.13\n'));
    const read = safeLoad(edited) as Record<string, Record<string, unknown>>;
    for (const stage of ['common', 'dev', 'prod', 'review']) expect(read[stage]!.runtime).toBe('python3.13');
    expect(read.scratch!.runtime).toBe('python3.12');
    // A key every merging stage overrides can change safely.
    const text = 'dev: &dev\n  region: a\nprod:\n  <<: *dev\n  region: b\n';
    expect(setStageKeys(text, 'dev', {region: 'c'})).toBe('dev: &dev\n  region: c\nprod:\n  <<: *dev\n  region: b\n');
  });

  it('does not edit a file it cannot read', () => {
    const error = parseError(() => setStageKeys('dev:\n  a: 1\n  a: 2\n', 'dev', {b: 'x'}));
    expect([error.line, error.column]).toEqual([3, 3]);
    expect(() => setStageKeys('dev: [\n', 'dev', {b: 'x'})).toThrow(SettingsParseError);
  });

  it('keeps a kept block scalar\'s trailing blank lines with it', () => {
    const text = 'dev:\n  notes: |+\n    keep these\n\n\nprod:\n  a: 1\n';
    const result = setStageKeys(text, 'dev', {profile_name: 'p'});
    expect((safeLoad(result) as {dev: unknown}).dev).toEqual({notes: 'keep these\n\n\n', profile_name: 'p'});
  });
});

describe('yamlFormat.setStageKeys, random values', () => {
  const layouts = [PROJECT, SMALL, SMALL.replace(/\n/g, '\r\n'), '{dev: {a: 1}, base: &p {b: 2}, review: *p, prod: ~}\n'];
  const tricky = fc.constantFrom('yes', 'No', 'off', 'null', '~', '', ' ', '0x1F', '1e3', '-.5', '2020-01-01', '<<', '*x', '&a', '!t', '%', '@', '`', "it's", '"q"', 'a: b', 'a #b', '- x', '[x]', '{x}', '\\', 'line\nbreak', '\t', '\u0085', '\u2028');
  const value: fc.Arbitrary<Scalar> = fc.oneof(
    tricky,
    fc.string({unit: 'binary', maxLength: 8}),
    fc.stringMatching(/^[a-z0-9._/-]{1,12}$/),
    fc.boolean(),
    fc.integer(),
    fc.double({noNaN: true, noDefaultInfinity: true}),
  );
  const stages = fc.constantFrom('dev', 'prod', 'qa', 'review', 'new stage');
  const keys = fc.constantFrom('profile_name', 's3_bucket', 'aws_region', 'manage_roles', 'role_name', 'memory_size', 'a', 'extends');

  it('Python reads back exactly the values written, and every other stage as before', {timeout: 60_000}, () => {
    const originals = safeLoadAll(layouts) as Array<Record<string, unknown>>;
    const cases: Array<{result: string; expected: Record<string, unknown>}> = [];
    fc.assert(
      fc.property(fc.nat(layouts.length - 1), stages, fc.dictionary(keys, value, {minKeys: 1, maxKeys: 4}), (layout, stage, entries) => {
        const text = layouts[layout]!;
        const result = setStageKeys(text, stage, entries);
        expect(setStageKeys(result, stage, entries)).toBe(result);
        const original = originals[layout]!;
        const expected = {...original, [stage]: {...(original[stage] as object | undefined), ...entries}};
        cases.push({result, expected});
      }),
      {numRuns: 200},
    );
    // One python3 for all the files written above.
    const python = safeLoadAll(cases.map(({result}) => result));
    cases.forEach(({result, expected}, index) => expect({result, read: python[index]}).toEqual({result, read: expected}));
  });
});
