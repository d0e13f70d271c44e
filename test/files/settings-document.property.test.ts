import fc from 'fast-check';
import {parseTree, type Node} from 'jsonc-parser';
import {describe, expect, it} from 'vitest';
import {parseSettings, setStageKeys} from '../../src/files/settings-document.js';

// Integer-like names are left out: JavaScript objects list them first whatever the file order.
const name = fc.stringMatching(/^[a-z_][a-z0-9_-]{0,10}$/);
const jsonValue = fc.jsonValue({maxDepth: 2});
const stageBody = fc.dictionary(name, jsonValue, {maxKeys: 5});

interface Case {
  settings: Record<string, Record<string, unknown>>;
  indent: string | undefined; // undefined: the whole file on one line
  eol: string;
  trailingNewline: boolean;
  stage: string;
  entries: Record<string, unknown>;
}

const settingsCase: fc.Arbitrary<Case> = fc
  .record({
    settings: fc.dictionary(name, stageBody, {maxKeys: 4}),
    indent: fc.constantFrom('\t', '  ', '    ', undefined),
    eol: fc.constantFrom('\n', '\r\n'),
    trailingNewline: fc.boolean(),
    newStage: name,
    pickExisting: fc.nat(),
    entries: fc.dictionary(fc.oneof(name, fc.constantFrom('profile_name', 'role_name', 'manage_roles')), jsonValue, {minKeys: 1, maxKeys: 4}),
  })
  .map(({newStage, pickExisting, ...rest}) => {
    const stages = Object.keys(rest.settings);
    // Half the time edit a stage that exists.
    const stage = stages.length > 0 && pickExisting % 2 === 0 ? stages[pickExisting % stages.length]! : newStage;
    return {...rest, stage};
  });

function render({settings, indent, eol, trailingNewline}: Case): string {
  const text = JSON.stringify(settings, null, indent).split('\n').join(eol);
  return trailingNewline ? text + eol : text;
}

/** What JSON stores for a value (e.g. -0 becomes 0). */
function stored<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The span of text a stage's value occupies, or the point where a new stage goes. */
function editedSpan(text: string, stage: string): {start: number; end: number} {
  const root = parseTree(text)!;
  const member = root.children?.find((child) => child.children?.[0]?.value === stage);
  const value = member?.children?.[1];
  if (value) return {start: value.offset, end: value.offset + value.length};
  const last: Node | undefined = root.children?.at(-1);
  // An empty top-level object is rewritten as a whole.
  if (!last) return {start: root.offset, end: root.offset + root.length};
  return {start: last.offset + last.length, end: last.offset + last.length};
}

const RUNS = {numRuns: 200};

describe('setStageKeys on generated settings files', () => {
  it('sets the keys, keeping existing keys in place and adding new ones at the end', () => {
    fc.assert(
      fc.property(settingsCase, (testCase) => {
        const result = parseSettings(setStageKeys(render(testCase), testCase.stage, testCase.entries));
        const before = stored(testCase.settings[testCase.stage] ?? {});
        expect(result[testCase.stage]).toEqual({...before, ...stored(testCase.entries)});
        const added = Object.keys(testCase.entries).filter((key) => !(key in before));
        expect(Object.keys(result[testCase.stage]!)).toEqual([...Object.keys(before), ...added]);
      }),
      RUNS,
    );
  });

  it('leaves the other stages equal, and every byte outside the edited stage as it was', () => {
    fc.assert(
      fc.property(settingsCase, (testCase) => {
        const text = render(testCase);
        const result = setStageKeys(text, testCase.stage, testCase.entries);
        const {start, end} = editedSpan(text, testCase.stage);
        expect(result.startsWith(text.slice(0, start))).toBe(true);
        expect(result.endsWith(text.slice(end))).toBe(true);
        const others = (settings: Record<string, unknown>) => Object.entries(settings).filter(([key]) => key !== testCase.stage);
        expect(others(parseSettings(result))).toEqual(others(stored(testCase.settings)));
      }),
      RUNS,
    );
  });

  it('is idempotent and keeps CRLF and tab indentation', () => {
    fc.assert(
      fc.property(settingsCase, (testCase) => {
        const text = render(testCase);
        const result = setStageKeys(text, testCase.stage, testCase.entries);
        expect(setStageKeys(result, testCase.stage, testCase.entries)).toBe(result);
        if (text.includes('\r\n')) expect(result).not.toMatch(/[^\r]\n|^\n/);
        else expect(result).not.toContain('\r');
        // `{}` shows no indentation to copy; otherwise a tab-indented file must stay tabs only.
        if (/\n\t/.test(text)) expect(result).not.toMatch(/^ /m);
      }),
      RUNS,
    );
  });
});
