/**
 * A line-based editor for the AWS shared `credentials` and `config` files.
 *
 * Ini libraries parse into an object and print it back, which throws away
 * comments, nested `s3 =` blocks and the person's layout, and quotes values
 * that contain `=`. Here the file stays a list of lines: an edit replaces or
 * inserts whole lines of one section, and every other byte is copied through.
 *
 * Validation follows the stricter of the two real readers: the AWS CLI and
 * Zappa (boto3) read these files with Python's configparser in strict mode,
 * the JavaScript SDK with its own tolerant parser. A file either of them
 * would read differently from us is refused rather than edited.
 */

/** A line the AWS CLI (Python configparser, strict) would refuse. line is 1-based. */
export class IniParseError extends Error {
  readonly line: number;
  readonly reason: string;

  constructor(line: number, reason: string) {
    super(`line ${line}: ${reason}`);
    this.name = 'IniParseError';
    this.line = line;
    this.reason = reason;
  }
}

/** An edit the editor will not make exactly (e.g. a key with an indented block under it). line is 1-based. */
export class IniEditError extends Error {
  constructor(readonly line: number, readonly reason: string) {
    super(reason);
    this.name = 'IniEditError';
  }
}

type LineKind = 'blank' | 'comment' | 'header' | 'key' | 'continuation';

interface IniLine {
  text: string; // without its line ending
  eol: string; // '\n', '\r\n', or '' on a last line that has none
  kind: LineKind;
  name?: string; // header lines: the section name
  key?: string; // key lines: the key as written
  value?: string; // key lines: the value as configparser returns it
}

interface Section {
  name: string;
  start: number; // index of the header line
  end: number; // index of the next header, or lines.length
}

interface IniDoc {
  lines: IniLine[];
  sections: Section[];
  /** Each section by name, so a look-up does not walk every header of a large file. */
  byName: Map<string, Section>;
}

// The name is the exact text between the brackets: both configparser and the
// SDK keep surrounding spaces, so `[ serverless ]` is not profile "serverless".
const HEADER = /^\s*\[([^[\]]+)\]\s*(?:[#;].*)?$/;
// Everything up to the first `=` or `:` is the key, as in configparser.
const KEY_LINE = /^(\s*)([^=:]*?)(\s*)([=:])(\s*)(.*)$/;

/**
 * Parses and validates; throws IniParseError. Returns section name -> top-level
 * key/values, keys as written and values as configparser reads them (an inline
 * `# …` after a value is part of it). Nested blocks are not expanded: their
 * parent key maps to the text on its own line, usually ''.
 */
export function parseIni(text: string): Map<string, Record<string, string>> {
  const doc = scanIni(text);
  const result = new Map<string, Record<string, string>>();
  for (const section of doc.sections) result.set(section.name, sectionKeys(doc, section));
  return result;
}

/**
 * Top-level keys of `[section]` (e.g. 'profile serverless', 'serverless', 'default').
 * Section names are case-sensitive, like the AWS readers. Throws IniParseError.
 */
export function getSection(text: string, section: string): Record<string, string> | undefined {
  const doc = scanIni(text);
  const found = doc.byName.get(section);
  return found && sectionKeys(doc, found);
}

/** Section names in file order. Throws IniParseError. */
export function listSections(text: string): string[] {
  return scanIni(text).sections.map((section) => section.name);
}

/**
 * Sets the given keys in [section]: replaces existing top-level `key = value`
 * lines of that section in place, appends missing keys after the section's last
 * header/key/continuation line (comments and blanks that follow it are left to
 * whatever comes next), or appends a new section at the end after one blank line.
 * Every other byte stays as it was; CRLF files stay CRLF. Idempotent.
 * Throws IniParseError for a file the AWS CLI would refuse, and Error for a
 * key or value that would not read back as written (messages never include values).
 */
export function upsertSection(text: string, section: string, entries: Record<string, string>): string {
  assertSectionName(section);
  const pairs = checkedEntries(entries);
  const doc = scanIni(text);
  const eol = detectEol(doc.lines);
  const target = doc.byName.get(section);
  const lines = [...doc.lines];
  if (!target) {
    const separator = keySeparator(doc);
    const added = pairs.map(([key, value]) => newLine(`${key}${separator}${value}`, eol));
    return joinLines(appendSection(lines, section, added, eol));
  }
  const separator = keySeparator(doc, target);
  const added: IniLine[] = [];
  for (const [key, value] of pairs) {
    const index = findKeyLine(doc, target, key);
    if (index === undefined) added.push(newLine(`${key}${separator}${value}`, eol));
    else lines[index] = rewriteKeyLine(doc, target, index, key, value);
  }
  if (added.length > 0) {
    const after = lastContentLine(doc, target);
    lines[after] = withEol(lines[after]!, eol);
    lines.splice(after + 1, 0, ...added);
  }
  return joinLines(lines);
}

/**
 * Removes [section] up to its last header/key/continuation line, and the blank
 * line before it that upsertSection added; every other byte stays. No-op if
 * absent. Throws IniParseError.
 */
export function removeSection(text: string, section: string): string {
  const doc = scanIni(text);
  const target = doc.byName.get(section);
  if (!target) return text;
  let from = target.start;
  let to = lastContentLine(doc, target) + 1;
  if (from > 0 && doc.lines[from - 1]!.kind === 'blank') from -= 1;
  // A first section has no blank line before it; drop the one that follows instead.
  else if (from === 0 && doc.lines[to]?.kind === 'blank') to += 1;
  const lines = [...doc.lines];
  lines.splice(from, to - from);
  return joinLines(lines);
}

/**
 * Removes top-level `key = value` lines from [section]; every other byte
 * stays. No-op when the section or the keys are absent. Throws IniParseError,
 * and Error for a key with an indented block under it.
 */
export function removeKeys(text: string, section: string, keys: string[]): string {
  const doc = scanIni(text);
  const target = doc.byName.get(section);
  if (!target) return text;
  const drop = new Set(keys.map((key) => findKeyLine(doc, target, key)).filter((i): i is number => i !== undefined));
  if (drop.size === 0) return text;
  for (const index of drop) {
    if (doc.lines[index + 1]?.kind === 'continuation') throw new IniEditError(index + 1, `key "${doc.lines[index]!.key}" has an indented block under it; refusing to remove it`);
  }
  return joinLines(doc.lines.filter((_, index) => !drop.has(index)));
}

/**
 * A fresh object per call: the caller may change the record it gets back.
 * fromEntries defines own properties, so a key named __proto__ stays data.
 */
function sectionKeys(doc: IniDoc, section: Section): Record<string, string> {
  const pairs: Array<[string, string]> = [];
  for (let index = section.start + 1; index < section.end; index++) {
    const line = doc.lines[index]!;
    if (line.kind === 'key') pairs.push([line.key!, line.value!]);
  }
  return Object.fromEntries(pairs);
}

/**
 * The last few texts scanned, newest last. A run asks about the same
 * credentials and config text many times (load, every section look-up, each
 * edit), and a file with 120,000 profiles takes about a second to scan; the
 * same text scans to the same result. Nothing here
 * changes a cached IniDoc: every edit copies `lines` and replaces, never
 * mutates, the line objects it changes.
 */
const recentScans: Array<{text: string; doc: IniDoc}> = [];
const RECENT_SCANS_KEPT = 4;

function scanIni(text: string): IniDoc {
  const cached = recentScans.find((entry) => entry.text === text);
  if (cached) return cached.doc;
  // A text that does not parse throws here and is not cached: the caller gets the same error each time.
  const doc = scanLines(text);
  recentScans.push({text, doc});
  if (recentScans.length > RECENT_SCANS_KEPT) recentScans.shift();
  return doc;
}

function scanLines(text: string): IniDoc {
  const lines = splitLines(text);
  const sections: Section[] = [];
  const byName = new Map<string, Section>();
  // Keys of the current section only: a section cannot appear twice, so keys can only collide within one.
  const seenKeys = new Set<string>();
  // Indentation of the last key line: deeper lines continue its value.
  let keyIndent: number | undefined;
  for (const [index, line] of lines.entries()) {
    const lineNo = index + 1;
    assertPlainCharacters(line, lineNo);
    const trimmed = line.text.trim();
    if (trimmed === '') continue; // splitLines marks every line blank to begin with
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) {
      line.kind = 'comment';
      continue;
    }
    const indent = indentOf(line.text);
    if (keyIndent !== undefined && indent > keyIndent) {
      // configparser reads this as part of a value, the SDK as a new section.
      if (HEADER.test(line.text)) throw new IniParseError(lineNo, 'indented section header inside a nested value; remove the indentation');
      line.kind = 'continuation';
    } else if (trimmed.startsWith('[')) {
      const section = readHeader(line, lineNo, byName, lines.length);
      sections.push(section);
      byName.set(section.name, section);
      seenKeys.clear();
      keyIndent = undefined;
    } else {
      const current = sections.at(-1);
      if (!current) throw new IniParseError(lineNo, 'text before the first [section] header');
      readKeyLine(line, lineNo, current.name, seenKeys);
      keyIndent = indent;
    }
  }
  sections.forEach((section, index) => (section.end = sections[index + 1]?.start ?? lines.length));
  return {lines, sections, byName};
}

/** Where the first non-whitespace character is (as /\S/ finds it); most lines start with one. */
function indentOf(text: string): number {
  const first = text.charCodeAt(0);
  return first > 0x20 && first < 0x7f ? 0 : text.search(/\S/);
}

function splitLines(text: string): IniLine[] {
  const parts = text.split('\n');
  const endsWithNewline = parts.at(-1) === '';
  if (endsWithNewline) parts.pop();
  return parts.map((part, index) => {
    const hasEol = index < parts.length - 1 || endsWithNewline;
    const crlf = hasEol && part.endsWith('\r');
    // Every field from the start: lines of one shape keep the scan's property reads fast.
    const line: IniLine = {text: crlf ? part.slice(0, -1) : part, eol: hasEol ? (crlf ? '\r\n' : '\n') : '', kind: 'blank', name: undefined, key: undefined, value: undefined};
    return line;
  });
}

function assertPlainCharacters(line: IniLine, lineNo: number): void {
  // Python opens files with universal newlines, so a lone CR splits a line there but not for the SDK.
  if (line.text.includes('\r')) throw new IniParseError(lineNo, 'carriage return without a line feed; save the file with LF or CRLF line endings');
  if (line.text.startsWith('\ufeff')) throw new IniParseError(lineNo, 'byte-order mark (BOM) at the start of the line; save the file as UTF-8 without BOM');
}

function readHeader(line: IniLine, lineNo: number, seen: Map<string, Section>, end: number): Section {
  const match = HEADER.exec(line.text);
  if (!match) throw new IniParseError(lineNo, 'malformed section header; expected "[name]", optionally followed by a # or ; comment');
  const name = match[1]!;
  if (seen.has(name)) throw new IniParseError(lineNo, `duplicate section [${name}]`);
  line.kind = 'header';
  line.name = name;
  return {name, start: lineNo - 1, end};
}

function readKeyLine(line: IniLine, lineNo: number, section: string, seenKeys: Set<string>): void {
  const match = KEY_LINE.exec(line.text);
  if (!match) throw new IniParseError(lineNo, 'expected "key = value", a [section] header, a comment or an indented continuation');
  const key = match[2]!;
  if (key === '') throw new IniParseError(lineNo, `missing key name before "${match[4]}"`);
  // configparser lowercases keys, so Region and region collide for the CLI.
  const seen = key.toLowerCase();
  if (seenKeys.has(seen)) throw new IniParseError(lineNo, `duplicate key "${key}" in [${section}]`);
  seenKeys.add(seen);
  line.kind = 'key';
  line.key = key;
  line.value = match[6]!.trim();
}

function findKeyLine(doc: IniDoc, section: Section, key: string): number | undefined {
  const wanted = key.toLowerCase();
  for (let index = section.start + 1; index < section.end; index++) {
    if (doc.lines[index]!.key?.toLowerCase() === wanted) return index;
  }
  return undefined;
}

function rewriteKeyLine(doc: IniDoc, section: Section, index: number, key: string, value: string): IniLine {
  const line = doc.lines[index]!;
  // Python reads the indented lines as part of the value, so even an equal first line is not "in place".
  if (hasBlockUnder(doc, section, index)) throw new IniEditError(index + 1, `key "${key}" has an indented block under it; refusing to overwrite it`);
  const [, indent, , gap = '', delimiter, space = ''] = KEY_LINE.exec(line.text)!;
  if (line.key === key && line.value === value && delimiter === '=') return line;
  // Always `=`: the SDK skips `key: value` lines. `key: value` becomes `key = value`.
  const before = delimiter === ':' && space !== '' ? gap || ' ' : gap;
  // Keep the person's spacing; a formerly empty value still needs a space if the file uses them.
  const after = line.value === '' ? (before ? ' ' : '') : space;
  return {...line, text: `${indent}${key}${before}=${after}${value}`, key, value};
}

/**
 * Whether indented lines continue the key on line `index`. They can only come
 * before the section's end: a header ends the value it follows (an indented
 * one is refused by the scan).
 */
function hasBlockUnder(doc: IniDoc, section: Section, index: number): boolean {
  for (let later = index + 1; later < section.end; later++) {
    const kind = doc.lines[later]!.kind;
    if (kind !== 'blank' && kind !== 'comment') return kind === 'continuation';
  }
  return false;
}

function lastContentLine(doc: IniDoc, section: Section): number {
  let index = section.end - 1;
  while (index > section.start && ['blank', 'comment'].includes(doc.lines[index]!.kind)) index -= 1;
  return index;
}

function appendSection(lines: IniLine[], section: string, added: IniLine[], eol: string): IniLine[] {
  const last = lines.at(-1);
  if (last) {
    lines[lines.length - 1] = withEol(last, eol);
    if (last.kind !== 'blank') lines.push(newLine('', eol, 'blank'));
  }
  return [...lines, newLine(`[${section}]`, eol, 'header'), ...added];
}

/** `key = value` unless the file (this section first) writes `key=value`. */
function keySeparator(doc: IniDoc, section?: Section): string {
  const isKey = (line: IniLine) => line.kind === 'key';
  const inSection = section ? doc.lines.slice(section.start, section.end).find(isKey) : undefined;
  const sample = inSection ?? doc.lines.find(isKey);
  const match = sample && KEY_LINE.exec(sample.text);
  return match && match[3] === '' && match[5] === '' ? '=' : ' = ';
}

function detectEol(lines: IniLine[]): string {
  return lines.find((line) => line.eol !== '')?.eol ?? '\n';
}

function newLine(text: string, eol: string, kind: LineKind = 'key'): IniLine {
  return {text, eol, kind};
}

function withEol(line: IniLine, eol: string): IniLine {
  return line.eol === '' ? {...line, eol} : line;
}

function joinLines(lines: IniLine[]): string {
  return lines.map((line) => line.text + line.eol).join('');
}

function assertSectionName(section: string): void {
  // Each rule keeps `[name]` reading back as `name` in configparser and in the SDK.
  const unsafe = section === '' || /[[\]\r\n]/.test(section) || /\s[#;]/.test(section) || section.trim() !== section;
  if (unsafe || /^(profile )?__proto__$/.test(section)) throw new Error(`invalid section name ${JSON.stringify(section)}`);
}

function checkedEntries(entries: Record<string, string>): Array<[string, string]> {
  const pairs = Object.entries(entries);
  const lowered = new Set(pairs.map(([key]) => key.toLowerCase()));
  if (lowered.size !== pairs.length) throw new Error('keys differ only in case; the AWS CLI would read them as one key');
  for (const [key, value] of pairs) {
    if (!/^[^\s=:[\]#;][^\s=:[\]]*$/.test(key)) throw new Error(`invalid key ${JSON.stringify(key)}`);
    // The SDK cuts a line at " #" or " ;", trims values, and reads an empty value as a nested block.
    const unsafe = typeof value !== 'string' || value === '' || value.trim() !== value || /[\r\n]|(^|\s)[#;]/.test(value);
    if (unsafe) throw new Error(`value for key "${key}" cannot be written to an AWS ini file as is`);
  }
  return pairs;
}
