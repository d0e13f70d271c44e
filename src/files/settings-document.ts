/**
 * Reads and edits zappa_settings.json without reformatting it.
 *
 * jsonc-parser gives the syntax tree with exact offsets; edits are then made
 * as small text insertions and replacements at those offsets. jsonc-parser's
 * own `modify` re-formats every line an insertion touches (joining or
 * splitting arrays and objects written on one line), so the inserted text is
 * built here in the file's own style (indent unit, line ending) instead.
 */
import {isDeepStrictEqual} from 'node:util';
import {applyEdits, parseTree, printParseErrorCode, type Edit, type Node, type ParseError} from 'jsonc-parser';
import {SettingsParseError} from './settings/format.js';

/**
 * A place where Python's json.load (which Zappa uses) would refuse the file, or
 * a shape that is not a settings file. line and column are 1-based.
 */
export class JsonParseError extends SettingsParseError {
  override name = 'JsonParseError';
}

/** How the file is written, so inserted text looks like the rest of it. */
interface Layout {
  eol: string;
  unit: string; // one level of indentation: '\t' or N spaces
  compact: boolean; // the whole object is on one line
  colon: string; // between a key and its value
  comma: string; // between members on one line
}

const REASONS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected "," or a closing bracket',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'unexpected text after the end of the top-level object',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'incomplete number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape sequence in a string',
  InvalidCharacter: 'control character inside a string (write it as an escape such as \\t or \\n)',
};

/** The same words for other JSON files the person writes (policy templates: json-text.ts). */
export const JSON_REASONS: Readonly<Record<string, string>> = REASONS;

/**
 * Strict JSON (what Python's json.load accepts: no comments, no trailing commas).
 * The top level must be an object whose values (stages) are objects, without
 * duplicate stage names or duplicate keys in a stage; otherwise JsonParseError
 * at the offending place.
 */
export function parseSettings(text: string): Record<string, Record<string, unknown>> {
  parseRoot(text);
  // Already validated; JSON.parse keeps a "__proto__" key as plain data.
  return JSON.parse(text) as Record<string, Record<string, unknown>>;
}

/**
 * Sets keys in settings[stage] and leaves every other byte alone: other stages,
 * other keys, key order, indentation (tabs or N spaces), CRLF and the trailing
 * newline. Existing keys keep their position and are rewritten only when their
 * value differs; new keys go at the end of the stage; a missing stage is added
 * at the end of the top-level object. Idempotent. Throws JsonParseError.
 */
export function setStageKeys(text: string, stage: string, entries: Record<string, unknown>): string {
  const root = parseRoot(text);
  const pairs = jsonEntries(entries);
  const layout = detectLayout(text, root);
  const stageNode = valueOf(findProperty(root, stage));
  if (!stageNode) return applyEdits(text, [insertMembers(text, root, [[stage, Object.fromEntries(pairs)]], layout)]);
  const edits: Edit[] = [];
  const missing: Array<[string, unknown]> = [];
  for (const [key, value] of pairs) {
    const current = valueOf(findProperty(stageNode, key));
    if (!current) missing.push([key, value]);
    else if (!isDeepStrictEqual(nodeValue(text, current), value)) edits.push(replaceValue(text, current, value, layout));
  }
  if (missing.length > 0) edits.push(insertMembers(text, stageNode, missing, layout));
  return applyEdits(text, edits);
}

function parseRoot(text: string): Node {
  if (text.startsWith('\ufeff')) throw errorAt(text, 0, 'byte-order mark (BOM) at the start; save the file as UTF-8 without BOM');
  if (text.trim() === '') throw errorAt(text, 0, 'the file is empty; expected a JSON object of stages');
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, {disallowComments: true, allowTrailingComma: false, allowEmptyContent: false});
  if (errors[0]) throw describeError(text, errors[0]);
  if (root?.type !== 'object') throw errorAt(text, root?.offset ?? 0, `the top level must be an object of stages, not ${typeName(root)}`);
  assertUniqueKeys(text, root, (name) => `duplicate stage "${name}"`);
  for (const member of root.children ?? []) {
    const [key, value] = member.children ?? [];
    if (value?.type !== 'object') throw errorAt(text, value?.offset ?? member.offset, `stage "${key?.value}" must be an object, not ${typeName(value)}`);
    assertUniqueKeys(text, value, (name) => `duplicate key "${name}" in stage "${key?.value}" (json.load, which Zappa reads it with, would silently take the last one; keep the one you mean)`);
  }
  return root;
}

function describeError(text: string, error: ParseError): JsonParseError {
  const code = printParseErrorCode(error.error);
  if (code === 'PropertyNameExpected' || code === 'ValueExpected') {
    // jsonc reports a trailing comma as a missing name or value at the bracket; point at the comma.
    const comma = text.slice(0, error.offset).trimEnd();
    if (comma.endsWith(',') && /^[}\]]/.test(text.slice(error.offset))) {
      return errorAt(text, comma.length - 1, `trailing comma before "${text[error.offset]}"`);
    }
  }
  return errorAt(text, error.offset, REASONS[code] ?? code);
}

function assertUniqueKeys(text: string, object: Node, reason: (name: string) => string): void {
  const seen = new Set<string>();
  for (const member of object.children ?? []) {
    const key = member.children?.[0];
    const name = String(key?.value);
    // Python keeps the last duplicate; editing the first would change nothing Zappa sees.
    if (seen.has(name)) throw errorAt(text, key?.offset ?? member.offset, reason(name));
    seen.add(name);
  }
}

function errorAt(text: string, offset: number, reason: string): JsonParseError {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return new JsonParseError(line, offset - (before.lastIndexOf('\n') + 1) + 1, reason);
}

function typeName(node: Node | undefined): string {
  if (!node) return 'nothing';
  if (node.type === 'null') return 'null';
  return node.type === 'array' || node.type === 'object' ? `an ${node.type}` : `a ${node.type}`;
}

function jsonEntries(entries: Record<string, unknown>): Array<[string, unknown]> {
  return Object.entries(entries).map(([key, value]) => {
    const json = JSON.stringify(value);
    if (json === undefined) throw new Error(`value for "${key}" is not a JSON value`);
    // Compare and write what JSON would store, so e.g. a Date compares as its string.
    return [key, JSON.parse(json) as unknown];
  });
}

function findProperty(object: Node, key: string): Node | undefined {
  return object.children?.find((member) => member.children?.[0]?.value === key);
}

function valueOf(property: Node | undefined): Node | undefined {
  return property?.children?.[1];
}

function nodeValue(text: string, node: Node): unknown {
  return JSON.parse(text.slice(node.offset, node.offset + node.length));
}

function detectLayout(text: string, root: Node): Layout {
  const rootText = text.slice(root.offset, root.offset + root.length);
  const first = root.children?.[0];
  const colon = detectColon(text, first);
  // With no comma to copy, a spaced colon suggests a spaced comma.
  const spacedComma = rootText.includes(',') ? /,[ \t]/.test(rootText) : colon.endsWith(' ');
  return {
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    unit: detectUnit(text, first),
    // An empty `{}` gives no hint; lay it out on several lines as Zappa does.
    compact: first !== undefined && !rootText.includes('\n'),
    colon,
    comma: spacedComma ? ', ' : ',',
  };
}

/** The text between the first key and its value, e.g. `": "`, when it is plain. */
function detectColon(text: string, member: Node | undefined): string {
  const [key, value] = member?.children ?? [];
  const between = key && value ? text.slice(key.offset + key.length, value.offset) : '';
  return /^[ \t]*:[ \t]*$/.test(between) ? between : ': ';
}

function detectUnit(text: string, firstStage: Node | undefined): string {
  const own = firstStage && ownLineIndent(text, firstStage);
  const sample = own || /\n([ \t]+)\S/.exec(text)?.[1];
  if (!sample) return '    ';
  return sample.startsWith('\t') ? '\t' : sample;
}

/** Leading whitespace of the line where offset sits. */
function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

/** The node's indentation when it starts its own line, else undefined. */
function ownLineIndent(text: string, node: Node): string | undefined {
  const indent = lineIndent(text, node.offset);
  const start = text.lastIndexOf('\n', node.offset - 1) + 1;
  return start + indent.length === node.offset ? indent : undefined;
}

function render(value: unknown, indent: string, layout: Layout): string {
  if (layout.compact) return layout.colon.endsWith(' ') ? spacedOneLine(value) : JSON.stringify(value);
  // JSON.stringify escapes newlines inside strings, so every '\n' here is layout.
  return JSON.stringify(value, null, layout.unit).split('\n').join(layout.eol + indent);
}

/** `{"a": [1, 2]}`: one line, spaced like a file written with `": "` and `", "`. */
function spacedOneLine(value: unknown): string {
  return JSON.stringify(value, null, 1)
    .replace(/([[{])\n */g, '$1')
    .replace(/\n *([\]}])/g, '$1')
    .replace(/,\n */g, ', ');
}

function renderMember([key, value]: [string, unknown], indent: string, layout: Layout): string {
  return `${JSON.stringify(key)}${layout.colon}${render(value, indent, layout)}`;
}

function replaceValue(text: string, node: Node, value: unknown, layout: Layout): Edit {
  return {offset: node.offset, length: node.length, content: render(value, lineIndent(text, node.offset), layout)};
}

function insertMembers(text: string, object: Node, members: Array<[string, unknown]>, layout: Layout): Edit {
  const last = object.children?.at(-1);
  if (layout.compact) {
    const body = members.map((member) => renderMember(member, '', layout)).join(layout.comma);
    if (last) return {offset: last.offset + last.length, length: 0, content: layout.comma + body};
    return {offset: object.offset, length: object.length, content: `{${body}}`};
  }
  const outer = lineIndent(text, object.offset);
  if (!last) {
    // Only whitespace is inside an empty object, so rewriting it loses nothing.
    const inner = outer + layout.unit;
    const body = members.map((member) => inner + renderMember(member, inner, layout)).join(`,${layout.eol}`);
    return {offset: object.offset, length: object.length, content: `{${layout.eol}${body}${layout.eol}${outer}}`};
  }
  const indent = ownLineIndent(text, last) ?? outer + layout.unit;
  const content = members.map((member) => `,${layout.eol}${indent}${renderMember(member, indent, layout)}`).join('');
  return {offset: last.offset + last.length, length: 0, content};
}
