/**
 * fast-check generators for AWS ini files, shared by the property tests and
 * the differential tests against the real readers. Files are generated as a
 * list of sections, each a list of lines, so a test knows exactly which text
 * lies before and after the section under edit.
 */
import fc from 'fast-check';

/** The section the tests edit. */
export const OURS = 'profile serverless';

/** A file as sections of lines, so tests know which text lies before and after a section. */
export interface GeneratedFile {
  preamble: string[];
  sections: Array<{name: string; lines: string[]}>;
  eol: string;
  trailingNewline: boolean;
}

/** Values the writer accepts, with the characters of secrets and tokens. */
export const iniValue = fc.stringMatching(/^[A-Za-z0-9/+=.:_-]{1,24}$/);
// Keys start with a-m; nested-block parents start with "z_", so they never collide.
const plainKey = fc.stringMatching(/^[a-m][a-z0-9_]{0,8}$/);
const comment = fc.constantFrom('# a comment', '; another', '   # indented', '#', ';[not a header]');
const blank = fc.constantFrom('', '  ', '\t');

const keyLine = (key: string) =>
  fc.tuple(fc.constantFrom(' = ', '=', ': ', ' =  '), iniValue).map(([sep, v]) => [`${key}${sep}${v}`]);
const nestedBlock = (key: string) =>
  fc.array(fc.tuple(plainKey, iniValue), {minLength: 1, maxLength: 3}).map((rows) => [
    `z_${key} =`,
    ...rows.map(([k, v]) => `  ${k} = ${v}`),
  ]);
const keyItem = (key: string) => fc.oneof(keyLine(key), keyLine(key), nestedBlock(key));
const filler = fc.oneof(comment, blank).map((line) => [line]);

// Each unit (a key line, a nested block with its indented lines, a comment) is kept whole while shuffling.
const sectionBody = fc
  .uniqueArray(plainKey, {selector: (key) => key.toLowerCase(), maxLength: 5})
  .chain((keys) => fc.tuple(fc.tuple(...keys.map(keyItem)), fc.array(filler, {maxLength: 3})))
  .chain(([keyUnits, fillerUnits]) => {
    const units = [...keyUnits, ...fillerUnits];
    return fc.shuffledSubarray(units, {minLength: units.length});
  })
  .map((units) => units.flat());

// No indented header: after a key line, configparser would read it as a continuation.
const header = (name: string) => fc.constantFrom(`[${name}]`, `[${name}]   # comment`, `[${name}] ; c`);

const sectionName = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9._-]{0,8}$/),
  fc.stringMatching(/^[a-z][a-z0-9._-]{0,8}$/).map((name) => `profile ${name}`),
  fc.stringMatching(/^[a-z]{1,6}$/).map((name) => `sso-session ${name}`),
);

/** Random valid files: LF or CRLF, comments, blank lines, nested blocks, header comments. */
export const iniFile: fc.Arbitrary<GeneratedFile> = fc
  .record({
    names: fc.uniqueArray(sectionName.filter((name) => name !== OURS), {maxLength: 4}),
    includeOurs: fc.boolean(),
    oursAt: fc.nat(),
    preamble: fc.array(fc.oneof(comment, blank), {maxLength: 2}),
    eol: fc.constantFrom('\n', '\r\n'),
    trailingNewline: fc.boolean(),
  })
  .chain(({names, includeOurs, oursAt, ...rest}) => {
    const all = includeOurs ? [...names.slice(0, oursAt % (names.length + 1)), OURS, ...names.slice(oursAt % (names.length + 1))] : names;
    const sections = all.map((name) => fc.tuple(header(name), sectionBody).map(([head, body]) => ({name, lines: [head, ...body]})));
    return fc.tuple(...sections).map((built) => ({...rest, sections: built}));
  });

/** Keys and values to upsert: secret-like values, keys that often exist already. */
export const iniEntries = fc.dictionary(
  fc.oneof(fc.constantFrom('aws_access_key_id', 'aws_secret_access_key', 'region', 'output'), plainKey),
  iniValue,
  {minKeys: 1, maxKeys: 4},
).filter((record) => new Set(Object.keys(record).map((key) => key.toLowerCase())).size === Object.keys(record).length);

/** The file's text; `sections` renders only some of them (with the same preamble). */
export function renderIni(generated: GeneratedFile, sections = generated.sections): string {
  const rows = [...generated.preamble, ...sections.flatMap((section) => section.lines)];
  const text = rows.join(generated.eol);
  return rows.length > 0 && generated.trailingNewline ? text + generated.eol : text;
}

