import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {parseIni, removeSection, upsertSection} from '../../src/files/ini-document.js';
import {OURS, iniEntries as entries, iniFile as file, renderIni as render, type GeneratedFile} from './ini-arbitraries.js';

/** The exact text before our section's header and after its last line, when the file has it. */
function textAround(generated: GeneratedFile): {before: string; after: string} | undefined {
  const index = generated.sections.findIndex((section) => section.name === OURS);
  if (index < 0) return undefined;
  const before = render({...generated, trailingNewline: true}, generated.sections.slice(0, index));
  const afterRows = generated.sections.slice(index + 1).flatMap((section) => section.lines);
  const after = afterRows.length === 0 ? '' : afterRows.join(generated.eol) + (generated.trailingNewline ? generated.eol : '');
  return {before, after};
}

const RUNS = {numRuns: 200};

describe('upsertSection on generated files', () => {
  it('the generator only produces files our parser accepts', () => {
    fc.assert(fc.property(file, (generated) => void parseIni(render(generated))), RUNS);
  });

  it('leaves every byte outside our section as it was', () => {
    fc.assert(
      fc.property(file, entries, (generated, values) => {
        const original = render(generated);
        const result = upsertSection(original, OURS, values);
        const around = textAround(generated);
        if (around) {
          expect(result.startsWith(around.before)).toBe(true);
          expect(result.endsWith(around.after)).toBe(true);
        } else {
          // An unterminated last line gets the file's line ending (LF if it has none yet).
          const lastLineEnded = original === '' || original.endsWith('\n');
          const eol = original.includes('\r\n') ? '\r\n' : '\n';
          expect(result.startsWith(lastLineEnded ? original : original + eol)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('reads back the values written, and every other section unchanged', () => {
    fc.assert(
      fc.property(file, entries, (generated, values) => {
        const original = render(generated);
        const before = parseIni(original);
        const after = parseIni(upsertSection(original, OURS, values));
        expect(after.get(OURS)).toEqual({...lowercaseMatched(before.get(OURS) ?? {}, values), ...values});
        for (const [name, keys] of before) if (name !== OURS) expect(after.get(name)).toEqual(keys);
        expect([...after.keys()].filter((name) => name !== OURS)).toEqual([...before.keys()].filter((name) => name !== OURS));
      }),
      RUNS,
    );
  });

  it('is idempotent and keeps the line endings of the file', () => {
    fc.assert(
      fc.property(file, entries, (generated, values) => {
        const original = render(generated);
        const once = upsertSection(original, OURS, values);
        expect(upsertSection(once, OURS, values)).toBe(once);
        // A file with no line ending yet gives nothing to copy, and gets LF.
        if (original.includes('\r\n')) expect(once).not.toMatch(/[^\r]\n|^\n/);
        else expect(once).not.toContain('\r');
      }),
      RUNS,
    );
  });

  it('removeSection undoes the append of a new section', () => {
    const withoutOurs = file.filter((generated) => !generated.sections.some((section) => section.name === OURS));
    fc.assert(
      fc.property(withoutOurs, entries, (generated, values) => {
        const original = render(generated);
        const endsBlank = /(^|\n)[ \t]*\r?\n$/.test(original);
        fc.pre(original === '' || (original.endsWith('\n') && !endsBlank));
        expect(removeSection(upsertSection(original, OURS, values), OURS)).toBe(original);
      }),
      RUNS,
    );
  });
});

/** Existing keys that our entries respell (Region -> region) disappear under their old spelling. */
function lowercaseMatched(existing: Record<string, string>, values: Record<string, string>): Record<string, string> {
  const ours = new Set(Object.keys(values).map((key) => key.toLowerCase()));
  return Object.fromEntries(Object.entries(existing).filter(([key]) => !ours.has(key.toLowerCase())));
}
