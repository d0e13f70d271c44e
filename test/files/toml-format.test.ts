import {spawnSync} from 'node:child_process';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {SettingsParseError, type Scalar} from '../../src/files/settings/format.js';
import {tomlFormat} from '../../src/files/settings/toml-format.js';

const {parse, setStageKeys} = tomlFormat;

/**
 * A settings file as a person keeps it: comments on their own lines and after
 * values, a literal string, a sub-table after the stage's keys, a multi-line
 * array whose lines start with `[`, and a second stage with a date-time.
 * Invented for this test.
 */
const PROJECT = `# Settings for the heron bird-count API
[dev] # day-to-day work
app_function = "heron.api.app"   # the WSGI app
aws_region = 'eu-west-1'  # close to the team
profile_name = "heron-old"
routes = [
[ "GET", "/counts" ],
[ "POST", "/counts" ], # added in March
]

[dev.environment_variables]
HERON_MODE = "debug"

# production runs in the US
[prod]
extends = "dev"
aws_region = "us-east-2"
last_deploy = 2024-03-01T09:30:00+01:00 # by CI
`;

const TOMLLIB = String.raw`
import json, sys, tomllib
docs = json.loads(sys.stdin.buffer.read().decode('utf-8'))
out = []
for doc in docs:
    try:
        out.append({'ok': tomllib.loads(doc)})
    except Exception as error:
        out.append({'error': str(error)})
sys.stdout.write(json.dumps(out, default=str))
`;

/** Reads each document with Python's tomllib, as Zappa does; one process for the lot. */
function readWithTomllib(docs: string[]): Array<Record<string, Record<string, unknown>>> {
  const result = spawnSync('python3', ['-c', TOMLLIB], {input: JSON.stringify(docs), encoding: 'utf8'});
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return (JSON.parse(result.stdout) as Array<{ok?: Record<string, Record<string, unknown>>; error?: string}>).map((item, index) => {
    if (item.error !== undefined) throw new Error(`tomllib refused document ${index}: ${item.error}\n${docs[index]}`);
    return item.ok!;
  });
}

/** tomllib sees `entries` in `stage` and everything else exactly as before the edit. */
function expectTomllibSees(before: string, after: string, stage: string, entries: Record<string, Scalar>): void {
  const [old, edited] = readWithTomllib([before, after]);
  expect(edited).toEqual({...old, [stage]: {...old![stage], ...entries}});
}

/** Sets the entries, checks the edit is idempotent and that tomllib reads what was meant. */
function edit(text: string, stage: string, entries: Record<string, Scalar>): string {
  const result = setStageKeys(text, stage, entries);
  expect(setStageKeys(result, stage, entries)).toBe(result);
  expectTomllibSees(text, result, stage, entries);
  return result;
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

describe('tomlFormat.parse', () => {
  it('gives the stages as plain objects', () => {
    const stages = parse(PROJECT);
    expect(tomlFormat.name).toBe('toml');
    expect(stages).toEqual({
      dev: {
        app_function: 'heron.api.app',
        aws_region: 'eu-west-1',
        profile_name: 'heron-old',
        routes: [['GET', '/counts'], ['POST', '/counts']],
        environment_variables: {HERON_MODE: 'debug'},
      },
      prod: {extends: 'dev', aws_region: 'us-east-2', last_deploy: new Date('2024-03-01T08:30:00Z')},
    });
    expect(Object.getPrototypeOf(stages)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(stages.dev)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(stages.dev!.environment_variables)).toBe(Object.prototype);
  });

  it('reports a syntax error at its line and column, in lower case', () => {
    const error = parseError(() => parse('[dev]\nproject_name = "heron\naws_region = "eu-west-1"\n'));
    expect([error.line, error.column]).toEqual([2, 22]);
    expect(error.reason).toMatch(/^[a-z].*string/);
  });

  it('refuses a top-level key that is not a stage table, naming it', () => {
    const error = parseError(() => parse('# stages below\nregion = "eu-west-1"\n[dev]\nproject_name = "heron"\n'));
    expect(error.reason).toBe('top-level key "region" is not a stage table');
    expect([error.line, error.column]).toEqual([2, 1]);
    expect(parseError(() => parse('[dev]\n[[batch]]\nsize = 1\n')).reason).toBe('top-level key "batch" is not a stage table');
  });

  it('refuses a byte-order mark, which tomllib does not accept', () => {
    expect(parseError(() => parse('\ufeff[dev]\n')).reason).toMatch(/BOM/);
  });

  it.each([
    ['a line break inside an inline table', '[dev]\nvpc_config = {SubnetIds = [],\n  SecurityGroupIds = []}\n', 2, 30],
    ['a trailing comma in an inline table', '[dev]\nvpc_config = {SubnetIds = [],}\n', 2, 30],
    ['a \\e escape', '[dev]\nbanner = "\\e[1m"\n', 2, 11],
    ['a time without seconds', '[dev]\nwindow = 07:30\n', 2, 10],
  ])('refuses %s (TOML 1.1, which smol-toml accepts and tomllib does not)', (_what, text, line, column) => {
    const error = parseError(() => parse(text));
    expect(error.reason).toMatch(/TOML 1\.1/);
    expect([error.line, error.column]).toEqual([line, column]);
  });

  it('accepts an empty file as no stages', () => {
    expect(parse('')).toEqual({});
  });
});

describe('tomlFormat.setStageKeys', () => {
  it('replaces values and adds keys after the last key, keeping comments, quote style and the sub-table', () => {
    const entries = {aws_region: 'eu-central-1', profile_name: 'serverless', role_name: 'heron-dev-exec', manage_roles: false};
    expect(edit(PROJECT, 'dev', entries)).toBe(`# Settings for the heron bird-count API
[dev] # day-to-day work
app_function = "heron.api.app"   # the WSGI app
aws_region = 'eu-central-1'  # close to the team
profile_name = "serverless"
routes = [
[ "GET", "/counts" ],
[ "POST", "/counts" ], # added in March
]
role_name = "heron-dev-exec"
manage_roles = false

[dev.environment_variables]
HERON_MODE = "debug"

# production runs in the US
[prod]
extends = "dev"
aws_region = "us-east-2"
last_deploy = 2024-03-01T09:30:00+01:00 # by CI
`);
  });

  it('leaves the text untouched when the values are already there', () => {
    expect(setStageKeys(PROJECT, 'dev', {aws_region: 'eu-west-1', app_function: 'heron.api.app'})).toBe(PROJECT);
  });

  it('writes a basic string where a literal one cannot hold the value', () => {
    const result = edit(PROJECT, 'dev', {aws_region: "it's\nmultiline"});
    expect(result).toContain(`aws_region = "it's\\nmultiline"  # close to the team\n`);
  });

  it('keeps tab indentation for added keys', () => {
    const text = '[dev]\n\tproject_name = "heron"\n\ts3_bucket = "heron-dev"\n';
    expect(edit(text, 'dev', {aws_region: 'eu-west-1'})).toBe('[dev]\n\tproject_name = "heron"\n\ts3_bucket = "heron-dev"\n\taws_region = "eu-west-1"\n');
  });

  it('puts new keys into the stage, before an indented sub-table, not into it', () => {
    const text = '[dev]\n    project_name = "heron"\n\n    [dev.environment_variables]\n    HERON_MODE = "debug"\n';
    const result = edit(text, 'dev', {aws_region: 'eu-west-1'});
    expect(result).toBe('[dev]\n    project_name = "heron"\n    aws_region = "eu-west-1"\n\n    [dev.environment_variables]\n    HERON_MODE = "debug"\n');
    expect(parse(result).dev!.environment_variables).toEqual({HERON_MODE: 'debug'});
  });

  it('adds after a multi-line array that is the last key, before comments that lead to the next stage', () => {
    const text = '[dev]\nexclude = [\n    "*.gz",\n    "*.rar",  # archives\n]  # big files\n# next: production\n[prod]\nkeep_warm = false\n';
    expect(edit(text, 'dev', {aws_region: 'eu-west-1'})).toBe(
      '[dev]\nexclude = [\n    "*.gz",\n    "*.rar",  # archives\n]  # big files\naws_region = "eu-west-1"\n# next: production\n[prod]\nkeep_warm = false\n',
    );
  });

  it('replaces the whole span of a multi-line or inline-table value', () => {
    // '''…''''' ends with two quotes of its own: the span runs to the fifth.
    const text = "[dev]\nrole_name = \"\"\"\nold-role\"\"\"  # to rename\nprofile_name = { legacy = true }\nmotto = '''say 'hi'''''\nkeep_warm = false\n";
    expect(edit(text, 'dev', {role_name: 'heron-exec', profile_name: 'heron', motto: 'hello', keep_warm: true})).toBe(
      "[dev]\nrole_name = \"heron-exec\"  # to rename\nprofile_name = \"heron\"\nmotto = 'hello'\nkeep_warm = true\n",
    );
  });

  it('finds quoted and spaced headers and quoted keys, and quotes keys that need it', () => {
    const text = `[ dev ] # spaced\nproject_name = "a"\n\n["my stage"]\n"aws_region" = "eu-west-1"\n'profile_name'="old"\n`;
    const result = edit(text, 'my stage', {aws_region: 'us-west-2', profile_name: 'new', 'odd key': 1});
    expect(result).toBe(`[ dev ] # spaced\nproject_name = "a"\n\n["my stage"]\n"aws_region" = "us-west-2"\n'profile_name'="new"\n"odd key"=1\n`);
    expect(edit(text, 'dev', {timeout_seconds: 30})).toBe(`[ dev ] # spaced\nproject_name = "a"\ntimeout_seconds = 30\n\n["my stage"]\n"aws_region" = "eu-west-1"\n'profile_name'="old"\n`);
    expect(edit(text, "stage's.name", {aws_region: 'x'})).toContain(`\n["stage's.name"]\naws_region = "x"\n`);
  });

  it('keeps CRLF line endings', () => {
    const text = '[dev]\r\nproject_name = "heron"\r\naws_region = "eu-west-1" # near\r\n';
    const result = edit(text, 'dev', {aws_region: 'eu-north-1', role_name: 'r'});
    expect(result).toBe('[dev]\r\nproject_name = "heron"\r\naws_region = "eu-north-1" # near\r\nrole_name = "r"\r\n');
    const added = edit(text, 'prod', {extends: 'dev'});
    expect(added).toBe(`${text}\r\n[prod]\r\nextends = "dev"\r\n`);
    expect(added.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('keeps a missing final newline', () => {
    const text = '[dev]\nproject_name = "heron"';
    expect(edit(text, 'dev', {aws_region: 'eu-west-1'})).toBe('[dev]\nproject_name = "heron"\naws_region = "eu-west-1"');
    expect(edit(text, 'prod', {extends: 'dev'})).toBe('[dev]\nproject_name = "heron"\n\n[prod]\nextends = "dev"');
  });

  it('adds keys right under an empty stage header', () => {
    expect(edit('[dev]\n\n[prod]\n  a = 1\n', 'dev', {aws_region: 'eu-west-1'})).toBe('[dev]\n  aws_region = "eu-west-1"\n\n[prod]\n  a = 1\n');
  });

  it('adds a [stage] header for a stage that only has sub-tables', () => {
    const text = '[dev.environment_variables]\nHERON_MODE = "debug"\n';
    expect(edit(text, 'dev', {aws_region: 'eu-west-1'})).toBe(`${text}\n[dev]\naws_region = "eu-west-1"\n`);
  });

  it('refuses to overwrite a key that is a table', () => {
    expect(() => setStageKeys('[dev.environment_variables]\nA = "1"\n', 'dev', {environment_variables: 'x'})).toThrow(/"environment_variables" in stage "dev" is a table/);
    expect(() => setStageKeys('[dev]\nvpc.id = "v"\n', 'dev', {vpc: 'x'})).toThrow(/is a table/);
  });

  it('appends a new stage, extends first, after a blank line', () => {
    const result = edit(PROJECT, 'staging', {extends: 'dev', aws_region: 'eu-west-3', keep_warm: false});
    expect(result).toBe(`${PROJECT}\n[staging]\nextends = "dev"\naws_region = "eu-west-3"\nkeep_warm = false\n`);
    expect(edit('[dev]\na = 1\n\n', 'prod', {extends: 'dev'})).toBe('[dev]\na = 1\n\n[prod]\nextends = "dev"\n');
    expect(edit('', 'dev', {aws_region: 'eu-west-1'})).toBe('[dev]\naws_region = "eu-west-1"\n');
  });

  it('refuses a stage written as an inline table or dotted keys, saying what to do', () => {
    expect(() => setStageKeys('dev = { project_name = "heron" }\n', 'dev', {aws_region: 'eu-west-1'})).toThrow(
      /stage "dev" is written as an inline table .* write it as a \[dev\] table/,
    );
    expect(() => setStageKeys('dev.project_name = "heron"\n', 'dev', {aws_region: 'eu-west-1'})).toThrow(/dotted keys .* \[dev\] table/);
    // Only the stage's own layout matters: another stage may be inline.
    expect(edit('dev = { project_name = "heron" }\n', 'prod', {extends: 'dev'})).toBe('dev = { project_name = "heron" }\n\n[prod]\nextends = "dev"\n');
    // A key named like the stage inside another table is not the stage.
    expect(edit('[prod]\ndev = { note = "x" }\n', 'dev', {extends: 'prod'})).toBe('[prod]\ndev = { note = "x" }\n\n[dev]\nextends = "prod"\n');
  });

  it('refuses to edit text that does not parse', () => {
    const error = parseError(() => setStageKeys('[dev]\naws_region = \n', 'dev', {aws_region: 'eu-west-1'}));
    expect(error.line).toBe(2);
  });

  it('writes booleans, numbers and awkward strings that tomllib reads back exactly', () => {
    const entries = {xray_tracing: true, timeout_seconds: 30, memory: 1.5, big: 2 ** 60, zero: -0, note: 'tab\t"q" \\ é 😀 \u007f \u0001'};
    const result = edit(PROJECT, 'dev', entries);
    expect(parse(result).dev).toMatchObject(entries);
  });

  it('is not fooled by a `[` at the start of a line inside a multi-line string', () => {
    const text = '[dev]\nbanner = """\n[not.a.header]\n"""\n[prod]\nextends = "dev"\n';
    expect(edit(text, 'dev', {aws_region: 'eu-west-1'})).toBe('[dev]\nbanner = """\n[not.a.header]\n"""\naws_region = "eu-west-1"\n[prod]\nextends = "dev"\n');
  });
});

describe('tomlFormat.setStageKeys over random values', () => {
  const FILES = [
    PROJECT,
    '[dev]\r\n\tproject_name = "heron"\r\n\taws_region = \'eu-west-1\'\r\n',
    '[prod]\nprofile_name="p"\n\n["my stage".sub]\nx = 1',
  ];
  const region = fc.stringMatching(/^[a-z]{2}-[a-z]{4,9}-[1-9]$/);
  const name = fc.stringMatching(/^[A-Za-z0-9_+=,.@-]{1,40}$/);
  const awkward = fc.string({unit: fc.constantFrom("'", '"', '\\', '\n', '\r', '\t', 'é', '😀', '\u007f', '\u0000', '#', '[', ']', '=', ' ', 'a')});
  const value = fc.oneof(region, name, awkward, fc.string({unit: 'binary'}));
  const sample = fc.record({
    file: fc.constantFrom(...FILES),
    stage: fc.constantFrom('dev', 'prod', 'my stage', 'new'),
    entries: fc.record({aws_region: value, profile_name: value, role_name: value}, {requiredKeys: ['aws_region']}),
  });

  it('sets exactly the given keys, idempotently, as smol-toml and tomllib read them', () => {
    const edited: Array<{file: string; stage: string; entries: Record<string, string>; result: string}> = [];
    fc.assert(
      fc.property(sample, ({file, stage, entries}) => {
        const result = setStageKeys(file, stage, entries);
        expect(setStageKeys(result, stage, entries)).toBe(result);
        expect(parse(result)).toEqual({...parse(file), [stage]: {...parse(file)[stage], ...entries}});
        edited.push({file, stage, entries, result});
      }),
      {numRuns: 200},
    );
    // One python3 for every document: spawning one per run would dominate the test's time.
    const read = readWithTomllib([...FILES, ...edited.map(({result}) => result)]);
    edited.forEach(({file, stage, entries}, index) => {
      const before = read[FILES.indexOf(file)]!;
      expect(read[FILES.length + index]).toEqual({...before, [stage]: {...before[stage], ...entries}});
    });
  });
});
