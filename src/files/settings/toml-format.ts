/**
 * Reads and edits zappa_settings.toml without reformatting it.
 *
 * smol-toml is the reader. No TOML library edits a file in place, so edits are
 * made here by a small statement scanner instead. It finds every header and
 * every `key = value` with exact offsets. It steps over whole values (strings,
 * arrays, inline tables) instead of reading line by line, so a `[` that starts
 * a line inside a multi-line array is never taken for a header. Each edit is a
 * small insertion or replacement at those offsets. The result is read back and
 * compared with what was intended before it is returned.
 *
 * Zappa reads the file with Python's tomllib, which implements TOML 1.0.
 * smol-toml 1.9 also accepts some TOML 1.1 syntax (line breaks and trailing
 * commas in inline tables, \e and \x escapes, times without seconds), so the
 * scanner rejects those. Otherwise a file Zappa refuses would pass as valid.
 */
import {isDeepStrictEqual} from 'node:util';
import {parse as parseToml, TomlError} from 'smol-toml';
import {SettingsParseError, type Scalar, type SettingsFormat, type Stages} from './format.js';

type Table = Record<string, unknown>;
type Entry = [key: string, value: Scalar];

/** `[a.b]` or `[[a.b]]`. Offsets into the text; `end` is where the line's content stops (before its line break). */
interface Header {
  kind: 'header';
  array: boolean;
  path: string[];
  start: number;
  lineStart: number;
  end: number;
}

/** `a.b = value`, where the value may span several lines. `end` as for Header, on the value's last line. */
interface Pair {
  kind: 'pair';
  path: string[];
  start: number;
  lineStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
  end: number;
}

type Statement = Header | Pair;

/** How the file is written, so inserted lines look like the rest of it. */
interface Style {
  eol: string;
  indent: string; // before a key in a table
  equals: string; // '=' or ' = '
}

interface Edit {
  start: number;
  end: number;
  content: string;
}

interface Cursor {
  readonly text: string;
  pos: number;
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;
const BARE_KEY_AT = /[A-Za-z0-9_-]+/y;
const BLANKS = /[ \t]*/y;
const BLANKS_AND_BREAKS = /[ \t\r\n]*/y;
const SCALAR_TEXT = /[^#\r\n]*/y;
/** hh:mm not followed by seconds, where a time starts (not the minutes of hh:mm:ss, nor a +hh:mm offset). */
const SHORT_TIME = /(?<![\d:+-])\d\d:\d\d(?![:\d])/y;
/** A literal string cannot hold a quote, a line break or control characters other than tab. */
const LITERAL_SAFE = /^[^'\u0000-\u0008\u000a-\u001f\u007f]*$/;
/** With the u flag this matches only unpaired surrogates, which no TOML string can hold. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const KEY_ESCAPES: Record<string, string> = {b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\'};
const SHORT_ESCAPES: Record<string, string> = {'"': '\\"', '\\': '\\\\', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r'};

export const tomlFormat: SettingsFormat = {
  name: 'toml',
  parse: (text) => toPlain(readDocument(text).table) as Stages,
  setStageKeys,
};

/**
 * Sets `entries` in `[stage]`: existing key lines keep their place, comment
 * and quoting style and are rewritten only when the value differs; new keys go
 * after the stage's last key (before its sub-tables); a missing stage is added
 * at the end. Refuses stages written as `stage = {…}` or `stage.key = …`.
 */
function setStageKeys(text: string, stage: string, entries: Record<string, Scalar>): string {
  const {table, statements} = readDocument(text);
  const values = scalarEntries(entries);
  const edited = editStage(text, statements, table, stage, values);
  assertEdited(table, edited, stage, values);
  return edited;
}

// ---------------------------------------------------------------- reading

function readDocument(text: string): {table: Table; statements: Statement[]} {
  // smol-toml skips a BOM; tomllib stops at it.
  if (text.startsWith('\ufeff')) throw new SettingsParseError(1, 1, 'byte-order mark (BOM) at the start; save the file as UTF-8 without BOM');
  const table = parseWithSmolToml(text);
  const statements = scanStatements(text);
  assertStageTables(text, table, statements);
  return {table, statements};
}

function parseWithSmolToml(text: string): Table {
  try {
    // tomllib reads integers of any size; smol-toml refuses those beyond 2^53 unless asked for BigInt.
    return parseToml(text, {integersAsBigInt: 'asNeeded'}) as Table;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    throw new SettingsParseError(error.line, error.column, tomlReason(error));
  }
}

/** "Invalid TOML document: unfinished string\n\n<code block>" → "unfinished string". */
function tomlReason(error: TomlError): string {
  const reason = error.message.replace(/^Invalid TOML document: /, '').split('\n')[0] ?? '';
  return reason.charAt(0).toLowerCase() + reason.slice(1);
}

function assertStageTables(text: string, table: Table, statements: Statement[]): void {
  for (const [name, value] of Object.entries(table)) {
    if (isTable(value)) continue;
    const {line, column} = positionOf(text, definitionOf(statements, name) ?? 0);
    throw new SettingsParseError(line, column, `top-level key ${JSON.stringify(name)} is not a stage table`);
  }
}

/** Where a top-level non-table was defined: `name = …` before any header, or `[[name]]`. */
function definitionOf(statements: Statement[], name: string): number | undefined {
  let atTop = true;
  for (const statement of statements) {
    if (statement.kind === 'header') atTop = false;
    const topLevelPair = statement.kind === 'pair' && atTop;
    const arrayHeader = statement.kind === 'header' && statement.array;
    if ((topLevelPair || arrayHeader) && statement.path.length === 1 && statement.path[0] === name) return statement.start;
  }
  return undefined;
}

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** smol-toml's tables have no prototype; callers get ordinary objects (dates stay TomlDate). */
function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlain);
  // Object.fromEntries defines "__proto__" as an own key instead of setting the prototype.
  if (isTable(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toPlain(item)]));
  return value;
}

// ---------------------------------------------------------------- scanning

/** Headers and key/value statements of a document smol-toml has accepted, in order. */
function scanStatements(text: string): Statement[] {
  const cursor: Cursor = {text, pos: 0};
  const statements: Statement[] = [];
  for (skipTrivia(cursor); cursor.pos < text.length; skipTrivia(cursor)) {
    statements.push(text[cursor.pos] === '[' ? readHeader(cursor) : readPair(cursor));
  }
  return statements;
}

function readHeader(cursor: Cursor): Header {
  const start = cursor.pos;
  const array = cursor.text.startsWith('[[', start);
  cursor.pos += array ? 2 : 1;
  const {path} = readKeyPath(cursor);
  expect(cursor, array ? ']]' : ']');
  return {kind: 'header', array, path, start, lineStart: lineStartOf(cursor.text, start), end: restOfLine(cursor)};
}

function readPair(cursor: Cursor): Pair {
  const start = cursor.pos;
  const {path, end: keyEnd} = readKeyPath(cursor);
  expect(cursor, '=');
  skip(cursor, BLANKS);
  const valueStart = cursor.pos;
  skipValue(cursor);
  const valueEnd = cursor.pos;
  return {kind: 'pair', path, start, lineStart: lineStartOf(cursor.text, start), keyEnd, valueStart, valueEnd, end: restOfLine(cursor)};
}

/** `a . "b c" . 'd'` → ['a', 'b c', 'd']; `end` is just after the last part. */
function readKeyPath(cursor: Cursor): {path: string[]; end: number} {
  const path: string[] = [];
  for (;;) {
    skip(cursor, BLANKS);
    path.push(readKeyPart(cursor));
    const end = cursor.pos;
    skip(cursor, BLANKS);
    if (cursor.text[cursor.pos] !== '.') return {path, end};
    cursor.pos++;
  }
}

function readKeyPart(cursor: Cursor): string {
  const start = cursor.pos;
  const quote = cursor.text[start];
  if (quote === '"' || quote === "'") {
    skipString(cursor);
    const raw = cursor.text.slice(start + 1, cursor.pos - 1);
    return quote === '"' ? decodeBasicKey(raw) : raw;
  }
  BARE_KEY_AT.lastIndex = start;
  const bare = BARE_KEY_AT.exec(cursor.text)?.[0];
  if (bare === undefined) throw unexpected(cursor);
  cursor.pos += bare.length;
  return bare;
}

function decodeBasicKey(raw: string): string {
  return raw.replace(/\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|([\s\S]))/g, (_match, u4?: string, u8?: string, other?: string) => {
    const hex = u4 ?? u8;
    return hex ? String.fromCodePoint(parseInt(hex, 16)) : (KEY_ESCAPES[other ?? ''] ?? '');
  });
}

function skipValue(cursor: Cursor): void {
  const first = cursor.text[cursor.pos];
  if (first === '"' || first === "'") skipString(cursor);
  else if (first === '[' || first === '{') skipNested(cursor);
  else skipScalar(cursor);
}

/** A number, boolean or date: up to a comment or the line's end, without trailing blanks. */
function skipScalar(cursor: Cursor): void {
  const start = cursor.pos;
  skip(cursor, SCALAR_TEXT);
  while (cursor.pos > start && /[ \t]/.test(cursor.text[cursor.pos - 1] ?? '')) cursor.pos--;
  for (let at = start; at < cursor.pos; at++) rejectShortTime(cursor.text, at);
}

/** An array or inline table, with whatever strings, comments and nesting it holds. */
function skipNested(cursor: Cursor): void {
  const open: string[] = [];
  let previous = ''; // last character that is not blank, to spot `, }`
  do {
    const char = cursor.text[cursor.pos];
    if (char === undefined) throw unexpected(cursor);
    if (char === '"' || char === "'") {
      skipString(cursor);
      previous = char;
      continue;
    }
    if (char === '#') {
      skipComment(cursor);
      continue;
    }
    if (char === '[' || char === '{') open.push(char);
    else if (char === ']' || char === '}') closeNested(cursor, open, previous);
    else if (char === '\n' && open.at(-1) === '{') throw toml11(cursor.text, cursor.pos, 'line break inside an inline table');
    else rejectShortTime(cursor.text, cursor.pos);
    if (!/[ \t\r\n]/.test(char)) previous = char;
    cursor.pos++;
  } while (open.length > 0);
}

function closeNested(cursor: Cursor, open: string[], previous: string): void {
  if (cursor.text[cursor.pos] === '}' && previous === ',') throw toml11(cursor.text, cursor.pos, 'trailing comma in an inline table');
  open.pop();
}

function skipString(cursor: Cursor): void {
  const quote = cursor.text[cursor.pos] as '"' | "'";
  if (cursor.text.startsWith(quote.repeat(3), cursor.pos)) skipMultilineString(cursor, quote);
  else if (quote === '"') skipBasicString(cursor);
  else skipLiteralString(cursor);
}

function skipBasicString(cursor: Cursor): void {
  for (cursor.pos++; cursor.text[cursor.pos] !== '"'; cursor.pos++) {
    if (cursor.pos >= cursor.text.length) throw unexpected(cursor);
    if (cursor.text[cursor.pos] === '\\') skipEscape(cursor);
  }
  cursor.pos++;
}

function skipLiteralString(cursor: Cursor): void {
  const close = cursor.text.indexOf("'", cursor.pos + 1);
  if (close === -1) throw unexpected(cursor);
  cursor.pos = close + 1;
}

function skipMultilineString(cursor: Cursor, quote: '"' | "'"): void {
  const delimiter = quote.repeat(3);
  for (cursor.pos += 3; !cursor.text.startsWith(delimiter, cursor.pos); cursor.pos++) {
    if (cursor.pos >= cursor.text.length) throw unexpected(cursor);
    if (quote === '"' && cursor.text[cursor.pos] === '\\') skipEscape(cursor);
  }
  cursor.pos += 3;
  // Up to two more quotes are the string's own last characters: """a""""" is 'a""'.
  for (let extra = 0; extra < 2 && cursor.text[cursor.pos] === quote; extra++) cursor.pos++;
}

/** Leaves the cursor on the escaped character, so the caller's step passes it. */
function skipEscape(cursor: Cursor): void {
  const escaped = cursor.text[cursor.pos + 1];
  if (escaped === 'e' || escaped === 'x') throw toml11(cursor.text, cursor.pos, `\\${escaped} escape in a string`);
  cursor.pos++;
}

function rejectShortTime(text: string, at: number): void {
  SHORT_TIME.lastIndex = at;
  if (SHORT_TIME.test(text)) throw toml11(text, at, 'time without seconds (write hh:mm:ss)');
}

/** Blanks, line breaks and comments between statements. */
function skipTrivia(cursor: Cursor): void {
  for (skip(cursor, BLANKS_AND_BREAKS); cursor.text[cursor.pos] === '#'; skip(cursor, BLANKS_AND_BREAKS)) skipComment(cursor);
}

function skipComment(cursor: Cursor): void {
  const lineBreak = cursor.text.indexOf('\n', cursor.pos);
  cursor.pos = lineBreak === -1 ? cursor.text.length : lineBreak;
}

/** Steps over a statement's trailing blanks and comment; returns where its line's content ends. */
function restOfLine(cursor: Cursor): number {
  skip(cursor, BLANKS);
  if (cursor.text[cursor.pos] === '#') skipComment(cursor);
  // A comment runs to the '\n', so on CRLF lines it has swallowed the '\r'.
  const crBefore = cursor.text[cursor.pos] === '\n' && cursor.text[cursor.pos - 1] === '\r';
  return crBefore ? cursor.pos - 1 : cursor.pos;
}

function skip(cursor: Cursor, pattern: RegExp): void {
  pattern.lastIndex = cursor.pos;
  pattern.exec(cursor.text);
  cursor.pos = pattern.lastIndex;
}

function expect(cursor: Cursor, token: string): void {
  if (!cursor.text.startsWith(token, cursor.pos)) throw unexpected(cursor);
  cursor.pos += token.length;
}

/** The scanner met something smol-toml accepted but TOML 1.0 does not have. */
function unexpected(cursor: Cursor): SettingsParseError {
  const char = cursor.text[cursor.pos];
  const what = char === undefined ? 'end of file' : `character ${JSON.stringify(char)}`;
  return errorAt(cursor.text, cursor.pos, `unexpected ${what} (not valid TOML 1.0, which Zappa's reader expects)`);
}

function toml11(text: string, offset: number, what: string): SettingsParseError {
  return errorAt(text, offset, `${what} is TOML 1.1; Zappa's reader (TOML 1.0) refuses it`);
}

function errorAt(text: string, offset: number, reason: string): SettingsParseError {
  const {line, column} = positionOf(text, offset);
  return new SettingsParseError(line, column, reason);
}

function positionOf(text: string, offset: number): {line: number; column: number} {
  const before = text.slice(0, offset);
  return {line: before.split('\n').length, column: offset - (before.lastIndexOf('\n') + 1) + 1};
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

// ---------------------------------------------------------------- editing

function editStage(text: string, statements: Statement[], table: Table, stage: string, values: Entry[]): string {
  const style = detectStyle(text, statements);
  const header = statements.findIndex((statement) => isOwnHeader(statement, stage));
  const stageTable = isTable(table[stage]) && Object.hasOwn(table, stage) ? table[stage] : {};
  if (header !== -1) return editBody(text, statements, header, stageTable, stage, values, style);
  refuseInlineStage(statements, stage);
  // Without a [stage] header any key it has comes from a [stage.key] sub-table.
  for (const [key] of values) refuseTableKey(stageTable, stage, key);
  return appendStage(text, stage, values, style);
}

function isOwnHeader(statement: Statement, stage: string): statement is Header {
  return statement.kind === 'header' && !statement.array && statement.path.length === 1 && statement.path[0] === stage;
}

function editBody(text: string, statements: Statement[], header: number, stageTable: Table, stage: string, values: Entry[], style: Style): string {
  const body = bodyOf(statements, header);
  const own = new Map(body.filter((pair) => pair.path.length === 1).map((pair) => [pair.path[0], pair]));
  const edits: Edit[] = [];
  const missing: Entry[] = [];
  for (const [key, value] of values) {
    const pair = own.get(key);
    if (!pair) {
      refuseTableKey(stageTable, stage, key);
      missing.push([key, value]);
    } else if (!isDeepStrictEqual(stageTable[key], value)) {
      edits.push(replaceValue(text, pair, value));
    }
  }
  const anchor = body.at(-1) ?? (statements[header] as Header);
  if (missing.length > 0) edits.push(insertPairs(text, anchor, missing, style));
  return applyEdits(text, edits);
}

/** The key/value statements directly under a header: up to the next header of any kind. */
function bodyOf(statements: Statement[], header: number): Pair[] {
  const body: Pair[] = [];
  for (const statement of statements.slice(header + 1)) {
    if (statement.kind === 'header') break;
    body.push(statement);
  }
  return body;
}

function refuseInlineStage(statements: Statement[], stage: string): void {
  const pair = statements.find((statement): statement is Pair => statement.kind === 'pair' && statement.path[0] === stage);
  // Pairs after the first header belong to a table, so only top-level ones can define the stage.
  const firstHeader = statements.findIndex((statement) => statement.kind === 'header');
  if (!pair || (firstHeader !== -1 && statements.indexOf(pair) > firstHeader)) return;
  const name = renderKey(stage);
  const layout = pair.path.length === 1 ? `an inline table (${name} = {…})` : `dotted keys (${name}.key = …)`;
  throw new Error(
    `stage "${stage}" is written as ${layout}, which this tool cannot edit safely; ` +
      `write it as a [${name}] table with one key per line and run again`,
  );
}

function refuseTableKey(stageTable: Table, stage: string, key: string): void {
  if (!Object.hasOwn(stageTable, key)) return;
  throw new Error(
    `key "${key}" in stage "${stage}" is a table here (a [${renderKey(stage)}.${renderKey(key)}] section or dotted keys), ` +
      'not a single value; refusing to replace it',
  );
}

function replaceValue(text: string, pair: Pair, value: Scalar): Edit {
  return {start: pair.valueStart, end: pair.valueEnd, content: renderValue(value, text.slice(pair.valueStart, pair.valueEnd))};
}

/** New lines after the anchor's last line, so they stay above blank lines and comments before the next header. */
function insertPairs(text: string, anchor: Statement, entries: Entry[], style: Style): Edit {
  const indent = anchor.kind === 'pair' ? indentOf(text, anchor) : style.indent;
  const equals = anchor.kind === 'pair' ? equalsOf(text, anchor) : style.equals;
  const content = entries.map((entry) => style.eol + indent + renderPair(entry, equals)).join('');
  return {start: anchor.end, end: anchor.end, content};
}

function appendStage(text: string, stage: string, values: Entry[], style: Style): string {
  const lines = [`[${renderKey(stage)}]`, ...values.map((entry) => style.indent + renderPair(entry, style.equals))];
  const block = lines.join(style.eol);
  if (text.trim() === '') return text + block + style.eol;
  // Without a final newline before, there is none after either.
  if (!text.endsWith('\n')) return text + style.eol + style.eol + block;
  const endsWithBlankLine = /\n[ \t]*\r?\n$/.test(text);
  return text + (endsWithBlankLine ? '' : style.eol) + block + style.eol;
}

function applyEdits(text: string, edits: Edit[]): string {
  // From the end backwards, so earlier offsets stay valid.
  return [...edits].sort((a, b) => b.start - a.start).reduce((result, edit) => result.slice(0, edit.start) + edit.content + result.slice(edit.end), text);
}

function detectStyle(text: string, statements: Statement[]): Style {
  const lineBreak = text.indexOf('\n');
  const firstHeader = statements.findIndex((statement) => statement.kind === 'header');
  const pairs = statements.filter((statement): statement is Pair => statement.kind === 'pair');
  const inTable = firstHeader === -1 ? undefined : statements.slice(firstHeader).find((statement): statement is Pair => statement.kind === 'pair');
  return {
    eol: lineBreak > 0 && text[lineBreak - 1] === '\r' ? '\r\n' : '\n',
    indent: inTable ? indentOf(text, inTable) : '',
    equals: pairs[0] ? equalsOf(text, pairs[0]) : ' = ',
  };
}

function indentOf(text: string, pair: Pair): string {
  return text.slice(pair.lineStart, pair.start);
}

/** Copies `key=value` when the file writes it so; aligned `key   = value` is not copied. */
function equalsOf(text: string, pair: Pair): string {
  return text.slice(pair.keyEnd, pair.valueStart) === '=' ? '=' : ' = ';
}

// ---------------------------------------------------------------- writing values

function scalarEntries(entries: Record<string, Scalar>): Entry[] {
  return Object.entries(entries).map(([key, value]) => {
    if (typeof value === 'string' && LONE_SURROGATE.test(value)) throw new Error(`value for "${key}" is not valid Unicode (unpaired surrogate)`);
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`value for "${key}" must be a finite number, not ${value}`);
    if (!['string', 'number', 'boolean'].includes(typeof value)) throw new Error(`value for "${key}" must be a string, number or boolean`);
    return [key, value];
  });
}

function renderPair([key, value]: Entry, equals: string): string {
  return renderKey(key) + equals + renderValue(value);
}

function renderKey(key: string): string {
  return BARE_KEY.test(key) ? key : basicString(key);
}

/** `previous` is the value text being replaced: a literal string stays literal when it can. */
function renderValue(value: Scalar, previous = ''): string {
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return renderNumber(value);
  return previous.startsWith("'") && LITERAL_SAFE.test(value) ? `'${value}'` : basicString(value);
}

function renderNumber(value: number): string {
  // String(-0) is "0", which reads back as +0.
  if (Object.is(value, -0)) return '-0.0';
  // TOML integers are 64-bit and smol-toml reads only safe ones as numbers; as a float it reads back equal.
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) return value.toExponential();
  return String(value);
}

/**
 * A TOML basic string. Like JSON.stringify, except that DEL (U+007F) must be
 * escaped too and the escapes are TOML's.
 */
function basicString(value: string): string {
  return `"${value.replace(/["\\\u0000-\u001f\u007f]/g, escapeChar)}"`;
}

function escapeChar(char: string): string {
  return SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

// ---------------------------------------------------------------- checking

/** Reads the edited text back: only the stage's given keys may differ. Never returns a wrong file. */
function assertEdited(before: Table, edited: string, stage: string, values: Entry[]): void {
  let after: Table;
  try {
    after = readDocument(edited).table;
  } catch (error) {
    throw new Error(`internal error: editing stage "${stage}" produced TOML that does not parse (${(error as Error).message}); nothing was written`);
  }
  const stageBefore = Object.hasOwn(before, stage) ? toPlain(before[stage]) : {};
  // Computed keys and spreads define "__proto__" as an own key, as toPlain does.
  const expected = {...(toPlain(before) as Table), [stage]: {...(stageBefore as Table), ...Object.fromEntries(values)}};
  if (!isDeepStrictEqual(toPlain(after), expected)) {
    throw new Error(`internal error: editing stage "${stage}" would change other settings; nothing was written`);
  }
}
