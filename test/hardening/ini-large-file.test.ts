/**
 * Issue 16, item 16: a credentials file with 120,000 profiles is read and
 * edited as exactly as a small one. Each section look-up used to re-parse
 * the whole file, and the duplicate-section check compared every header with
 * every other, so one read of this file took minutes.
 *
 * How long an edit takes is measured by the benchmark (`npm run bench`,
 * "setup --yes with a 120,000-profile credentials file"), not here. What is
 * checked here: a thousand look-ups split the text into lines once (counted,
 * not timed), and one read of the whole file stays under a tripwire far
 * above what a linear read needs even on a loaded machine (a second or a
 * few) and far below what the quadratic one took (minutes). The scan is
 * synchronous, so vitest's own timeout could not stop it: the time is taken
 * around the call.
 */
import {performance} from 'node:perf_hooks';
import {describe, expect, it, vi} from 'vitest';
import {getSection, IniParseError, listSections, parseIni, removeKeys, removeSection, upsertSection} from '../../src/files/ini-document.js';
import {LARGE_CREDENTIALS_PROFILES, largeCredentialsText} from '../../scripts/bench/large-credentials.js';

const LIMIT_MS = 120_000;
/** A linear read of this file takes about a second; the quadratic one took minutes. */
const TRIPWIRE_MS = 30_000;
const OURS = {aws_access_key_id: 'AKIAIOSFODNN7EXAMPLE', aws_secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'};
const text = largeCredentialsText();
const name = (i: number) => `team-${String(i).padStart(6, '0')}`;

function parseErrorOf(run: () => unknown): IniParseError | undefined {
  try {
    run();
  } catch (err) {
    if (err instanceof IniParseError) return err;
    throw err;
  }
  return undefined;
}

describe(`a credentials file with ${LARGE_CREDENTIALS_PROFILES.toLocaleString('en-US')} profiles`, () => {
  it('is read whole: every section, in order, with its keys, in one linear pass', () => {
    const started = performance.now();
    const sections = listSections(text);
    expect(performance.now() - started).toBeLessThan(TRIPWIRE_MS);
    expect(sections).toHaveLength(LARGE_CREDENTIALS_PROFILES);
    expect(sections.at(-1)).toBe(name(LARGE_CREDENTIALS_PROFILES));
    expect(parseIni(text).get(name(60_000))).toEqual({aws_access_key_id: 'AKIAEXAMPLE000060000', aws_secret_access_key: 'dummy060000'});
  }, LIMIT_MS);

  it('answers a thousand section look-ups from one reading of the file', () => {
    // Counted, so the size does not matter: a text no other test has read yet.
    const file = `${largeCredentialsText(2_000)}\n[last]\nregion = eu-west-1\n`;
    const split = vi.spyOn(String.prototype, 'split');
    // Each reading splits the whole text into lines once.
    const readings = () => split.mock.contexts.filter((context) => String(context).length === file.length).length;
    try {
      for (let i = 0; i < 1_000; i++) {
        expect(getSection(file, name(1 + (i % 2_000)))?.aws_access_key_id).toBe(`AKIAEXAMPLE000${String(1 + (i % 2_000)).padStart(6, '0')}`);
        expect(readings(), `after ${i + 1} look-ups`).toBe(1);
      }
      expect(getSection(file, 'serverless')).toBeUndefined();
      expect(getSection(file, 'last')).toEqual({region: 'eu-west-1'});
      expect(readings()).toBe(1);
    } finally {
      split.mockRestore();
    }
  });

  it('adds [serverless] at the end, every other byte as it was, and removing it gives the file back', () => {
    const added = upsertSection(text, 'serverless', OURS);
    expect(added.startsWith(text)).toBe(true);
    expect(added.slice(text.length)).toBe(`\n[serverless]\naws_access_key_id = ${OURS.aws_access_key_id}\naws_secret_access_key = ${OURS.aws_secret_access_key}\n`);
    expect(removeKeys(added, 'serverless', ['aws_session_token'])).toBe(added);
    expect(removeSection(added, 'serverless')).toBe(text);
  }, LIMIT_MS);

  it('replaces a key of a profile in the middle in place', () => {
    const edited = upsertSection(text, name(60_000), {aws_secret_access_key: 'rotated'});
    expect(edited.length).toBe(text.length - 'dummy060000'.length + 'rotated'.length);
    expect(getSection(edited, name(60_000))).toEqual({aws_access_key_id: 'AKIAEXAMPLE000060000', aws_secret_access_key: 'rotated'});
    expect(getSection(edited, name(60_001))).toEqual(getSection(text, name(60_001)));
  }, LIMIT_MS);

  it('still finds a duplicate section or key at the very end, with its line', () => {
    const lines = text.split('\n').length;
    const duplicateSection = parseErrorOf(() => parseIni(`${text}\n[${name(1)}]\nregion = eu-west-1\n`));
    expect(duplicateSection).toMatchObject({line: lines + 1, reason: `duplicate section [${name(1)}]`});
    const duplicateKey = parseErrorOf(() => parseIni(`${text}aws_secret_access_key = again\n`));
    expect(duplicateKey).toMatchObject({line: lines, reason: `duplicate key "aws_secret_access_key" in [${name(LARGE_CREDENTIALS_PROFILES)}]`});
  }, LIMIT_MS);
});

describe('reading a text once and answering from it', () => {
  it('a section handed out may be changed by its caller without changing the next answer', () => {
    const small = '[a]\nx = 1\n';
    const first = getSection(small, 'a')!;
    first.x = 'changed';
    first.y = 'added';
    expect(getSection(small, 'a')).toEqual({x: '1'});
    expect(parseIni(small).get('a')).toEqual({x: '1'});
  });

  it('a text that does not parse fails the same way every time', () => {
    const broken = '[a]\nx = 1\n[a]\n';
    expect(parseErrorOf(() => getSection(broken, 'a'))?.message).toBe('line 3: duplicate section [a]');
    expect(parseErrorOf(() => upsertSection(broken, 'a', {x: '2'}))?.message).toBe('line 3: duplicate section [a]');
  });

  it('edits answer from the text they are given, whatever was read before', () => {
    const one = '[a]\nx = 1\n';
    const two = '[a]\nx = 2\n\n[b]\ny = 3\n';
    expect(getSection(one, 'a')).toEqual({x: '1'});
    expect(getSection(two, 'a')).toEqual({x: '2'});
    expect(upsertSection(one, 'b', {y: '4'})).toBe('[a]\nx = 1\n\n[b]\ny = 4\n');
    expect(upsertSection(two, 'b', {y: '4'})).toBe('[a]\nx = 2\n\n[b]\ny = 4\n');
    // Texts the cache has long let go of still read right.
    for (let i = 0; i < 10; i++) expect(getSection(`[s${i}]\nk = ${i}\n`, `s${i}`)).toEqual({k: String(i)});
    expect(getSection(one, 'a')).toEqual({x: '1'});
  });
});
