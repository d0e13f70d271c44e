/**
 * Reads and edits zappa_settings.yml / zappa_settings.yaml without
 * reformatting it.
 *
 * Zappa reads these files with PyYAML's `yaml.safe_load`: YAML 1.1, merge keys
 * (`<<: *base`), exactly one document. The `yaml` package parses with the same
 * rules here, its 1.1 scalar resolvers swapped for PyYAML's own regular
 * expressions (the package also reads `y`/`n` as booleans and `1e3` or `-.5` as
 * numbers; PyYAML reads them as strings).
 *
 * Edits are small text replacements and insertions at the offsets the parsed
 * document reports (node ranges and the source tokens kept with
 * `keepSourceTokens`). `doc.toString()` is never used: it lays the whole file
 * out again and loses spacing, indentation and quoting. Every edit is checked
 * by parsing the result again before it is returned.
 */
import {isDeepStrictEqual} from 'node:util';
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  parseDocument,
  visit,
  type CST,
  type Document,
  type Pair,
  type ParsedNode,
  type ScalarTag,
  type Tags,
  type YAMLMap,
} from 'yaml';
import {SettingsParseError, type Scalar as Value, type SettingsFormat, type Stages} from './format.js';

export const yamlFormat: SettingsFormat = {name: 'yaml', parse: parseYamlSettings, setStageKeys: setYamlStageKeys};

// ---------------------------------------------------------------------------
// PyYAML's implicit types (yaml/resolver.py and yaml/constructor.py, SafeLoader)

const BOOL = 'tag:yaml.org,2002:bool';
const INT = 'tag:yaml.org,2002:int';
const FLOAT = 'tag:yaml.org,2002:float';
const TIMESTAMP = 'tag:yaml.org,2002:timestamp';
const MERGE = 'tag:yaml.org,2002:merge';

const PY_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PY_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const PY_INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const PY_FLOAT =
  /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const PY_TIMESTAMP =
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/;
const PY_BOOL_WORDS: Record<string, boolean> = {yes: true, no: false, true: true, false: false, on: true, off: false};

/** construct_yaml_int: underscores ignored, 0b / 0x / leading-0 octal, and base-60 `1:30`. */
function pyInt(source: string): number {
  const [sign, digits] = splitSign(source.replace(/_/g, ''));
  let value: number;
  if (digits === '0') value = 0;
  else if (/^0b[01]+$/.test(digits)) value = parseInt(digits.slice(2), 2);
  else if (/^0x[0-9a-fA-F]+$/.test(digits)) value = parseInt(digits.slice(2), 16);
  else if (/^0[0-7]+$/.test(digits)) value = parseInt(digits, 8);
  else if (/^[0-9]+(?::[0-9]+)+$/.test(digits)) value = sexagesimal(digits);
  else if (/^[0-9]+$/.test(digits)) value = parseInt(digits, 10);
  else throw new Error(`invalid integer ${JSON.stringify(source)}`);
  // Python's ints have no -0.
  return value === 0 ? 0 : sign * value;
}

/** construct_yaml_float: underscores ignored, `.inf` / `.nan`, and base-60 `1:30.5`. */
function pyFloat(source: string): number {
  const [sign, digits] = splitSign(source.replace(/_/g, '').toLowerCase());
  if (digits === '.inf') return sign * Infinity;
  if (digits === '.nan') return NaN;
  if (/^[0-9]+(?::[0-9]+)*:[0-9]+\.[0-9]*$/.test(digits)) return sign * sexagesimal(digits);
  if (!/^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[-+]?[0-9]+)?$/.test(digits)) throw new Error(`invalid float ${JSON.stringify(source)}`);
  return sign * Number(digits);
}

function splitSign(source: string): [number, string] {
  if (source.startsWith('-')) return [-1, source.slice(1)];
  return [1, source.startsWith('+') ? source.slice(1) : source];
}

function sexagesimal(digits: string): number {
  return digits.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

function pyBool(source: string): boolean {
  const value = PY_BOOL_WORDS[source.toLowerCase()];
  if (value === undefined) throw new Error(`invalid boolean ${JSON.stringify(source)}`);
  return value;
}

function refuseMergeValue(): never {
  throw new Error('a plain << is a merge key, not a value (quote it: "<<")');
}

/**
 * The package's yaml-1.1 tags with bool, int, float and timestamp resolved as
 * PyYAML resolves them. Each type gets a tag for plain scalars (with `test`)
 * and one for explicit `!!int` etc. (without `test`, so any text is converted
 * as PyYAML's constructor would, or refused).
 */
function withPyYamlResolvers(tags: Tags): Tags {
  const replaced = new Set([BOOL, INT, FLOAT, TIMESTAMP]);
  const timestamp = tags.find((tag): tag is ScalarTag => typeof tag === 'object' && tag.tag === TIMESTAMP);
  const kept = tags.filter((tag) => typeof tag !== 'object' || !replaced.has(tag.tag));
  const own: ScalarTag[] = [
    {tag: BOOL, default: true, test: PY_TRUE, resolve: () => true, identify: (value) => value === true},
    {tag: BOOL, default: true, test: PY_FALSE, resolve: () => false, identify: (value) => value === false},
    {tag: BOOL, resolve: pyBool},
    {tag: INT, default: true, test: PY_INT, resolve: pyInt, identify: Number.isInteger},
    {tag: INT, resolve: pyInt},
    {tag: FLOAT, default: true, test: PY_FLOAT, resolve: pyFloat, identify: (value) => typeof value === 'number'},
    {tag: FLOAT, resolve: pyFloat},
    // The package's merge tag (kept above) only applies to keys; PyYAML cannot construct a `<<` value.
    {tag: MERGE, default: true, test: /^<<$/, resolve: refuseMergeValue},
  ];
  if (timestamp) own.push({...timestamp, test: PY_TIMESTAMP}, {...timestamp, default: false, test: undefined});
  return [...kept, ...own];
}

const READ_OPTIONS = {
  version: '1.1',
  schema: 'yaml-1.1',
  merge: true,
  customTags: withPyYamlResolvers,
  // Duplicates are reported here with their stage; PyYAML keeps the last one deeper down.
  uniqueKeys: false,
  keepSourceTokens: true,
} as const;

// ---------------------------------------------------------------------------
// Reading

/** The file as parsed, with what the editor needs to find its way. */
interface Loaded {
  text: string;
  doc: Document.Parsed;
  root: YAMLMap.Parsed;
  /** Stage name → its top-level pair. */
  stages: Map<string, Pair<ParsedNode, ParsedNode | null>>;
  values: Stages;
}

function parseYamlSettings(text: string): Stages {
  const {values} = load(text);
  // Separate copies: aliases and merge keys make stages share objects.
  return Object.fromEntries(Object.entries(values).map(([name, stage]) => [name, structuredClone(stage)]));
}

function load(text: string): Loaded {
  assertPrintable(text);
  const doc = singleDocument(text);
  const root = rootMapping(text, doc);
  assertNoTabsBetweenTokens(text, doc);
  assertAliasesResolve(text, doc);
  assertMergesAreMappings(text, doc);
  const stages = stagePairs(text, doc, root);
  return {text, doc, root, stages, values: stageValues(text, doc)};
}

/** PyYAML's reader refuses these characters anywhere in the file, even in comments. */
function assertPrintable(text: string): void {
  const match = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.exec(text);
  if (!match) return;
  const code = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  throw errorAt(text, match.index, `unacceptable character U+${code} (PyYAML refuses control characters)`);
}

function singleDocument(text: string): Document.Parsed {
  const docs = parseAllDocuments(text, READ_OPTIONS);
  const [first, second] = Array.isArray(docs) ? docs : [];
  if (!first) throw errorAt(text, 0, 'the file is empty; expected a mapping of stages');
  const problem = first.errors[0] ?? first.warnings.find((warning) => UNCONSTRUCTABLE.has(warning.code));
  if (problem) throw errorAt(text, problem.pos[0], libraryReason(problem.message));
  if (second) throw errorAt(text, second.range[0], `a second document starts here; PyYAML's safe_load reads exactly one`);
  return first;
}

/** Warnings from the package that are errors for PyYAML's SafeLoader (it has no constructor for the tag). */
const UNCONSTRUCTABLE = new Set(['TAG_RESOLVE_FAILED', 'BAD_COLLECTION_TYPE']);

/** "Missing closing "quote at line 2, column 1:\n\n…" → "missing closing "quote". */
function libraryReason(message: string): string {
  const reason = message.replace(/ at line \d+, column \d+:[\s\S]*$/, '').trim();
  const tag = /^Unresolved tag: (.*)$/.exec(reason)?.[1];
  if (tag) return `unknown tag ${tag} (PyYAML's safe_load has no constructor for it)`;
  return reason.charAt(0).toLowerCase() + reason.slice(1);
}

function rootMapping(text: string, doc: Document.Parsed): YAMLMap.Parsed {
  const root = doc.contents;
  if (root === null || isNull(root)) throw errorAt(text, doc.range[0], 'the file has no content; expected a mapping of stages');
  if (!isMap(root)) throw errorAt(text, root.range[0], `the top level must be a mapping of stages, not ${describe(doc, root)}`);
  return root;
}

/**
 * PyYAML's scanner refuses a tab anywhere but inside a quoted string, a block
 * scalar or a comment (`a:<tab>1`, a trailing tab, a tab on a blank line); the
 * package accepts those.
 */
function assertNoTabsBetweenTokens(text: string, doc: Document.Parsed): void {
  if (!text.includes('\t')) return;
  const skip = tabFriendlyRanges(doc);
  let inComment = false;
  for (let offset = 0, next = 0; offset < text.length; offset += 1) {
    while (next < skip.length && skip[next]![1] <= offset) next += 1;
    const range = skip[next];
    if (range && range[0] <= offset) {
      offset = range[1] - 1;
      continue;
    }
    const char = text[offset];
    if (char === '\n') inComment = false;
    else if (char === '#' && (offset === 0 || /[ \t\n]/.test(text[offset - 1]!))) inComment = true;
    else if (char === '\t' && !inComment) throw errorAt(text, offset, 'a tab here: PyYAML accepts tabs only inside quoted strings, block scalars (|, >) and comments; use spaces');
  }
}

/** Quoted and block scalars, where a tab is part of the text. */
function tabFriendlyRanges(doc: Document.Parsed): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  visit(doc, {
    Scalar(_, scalar) {
      if (scalar.type !== 'PLAIN' && scalar.range) ranges.push([scalar.range[0], scalar.range[1]]);
    },
  });
  return ranges.sort((a, b) => a[0] - b[0]);
}

function assertAliasesResolve(text: string, doc: Document.Parsed): void {
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc) === undefined) {
        throw errorAt(text, alias.range?.[0] ?? 0, `alias *${alias.source} has no anchor &${alias.source} before it`);
      }
    },
  });
}

/** The package only notices a bad merge source when converting to JS, without a position. */
function assertMergesAreMappings(text: string, doc: Document.Parsed): void {
  visit(doc, {
    Pair(_, pair) {
      if (!isMergeKey(pair.key)) return;
      const value = resolve(doc, pair.value as ParsedNode | null);
      const sources = isSeq(value) ? value.items.map((item) => resolve(doc, item as ParsedNode)) : [value];
      if (!sources.every((source) => isMap(source))) {
        const at = nodeStart(pair.value as ParsedNode | null) ?? nodeStart(pair.key as ParsedNode) ?? 0;
        throw errorAt(text, at, 'a merge key (<<) needs a mapping or a list of mappings');
      }
    },
  });
}

function stagePairs(text: string, doc: Document.Parsed, root: YAMLMap.Parsed): Loaded['stages'] {
  const stages: Loaded['stages'] = new Map();
  for (const pair of root.items) {
    const name = stageName(text, doc, pair);
    // PyYAML keeps the last duplicate; editing the first would change nothing Zappa sees.
    if (stages.has(name)) throw errorAt(text, pairStart(pair), `duplicate stage "${name}" (Zappa's reader would silently take the last one)`);
    assertStageShape(text, doc, name, pair);
    stages.set(name, pair);
  }
  return stages;
}

function stageName(text: string, doc: Document.Parsed, pair: Pair<ParsedNode, ParsedNode | null>): string {
  const key = pair.key;
  if (isMergeKey(key)) throw errorAt(text, pairStart(pair), 'a merge key (<<) at the top level is not supported; write each stage out');
  if (isScalar(key) && typeof key.value === 'string') return key.value;
  // Zappa looks stages up by the name given on its command line, always a string.
  const shown = isScalar(key) ? ` ${String(key.source ?? key.value)}` : '';
  throw errorAt(text, pairStart(pair), `stage name${shown} is ${describe(doc, key)}, not a string (quote it)`);
}

function assertStageShape(text: string, doc: Document.Parsed, name: string, pair: Pair<ParsedNode, ParsedNode | null>): void {
  const value = resolve(doc, pair.value);
  if (isNull(value)) return;
  if (!isMap(value)) throw errorAt(text, nodeStart(pair.value) ?? pairStart(pair), `stage "${name}" must be a mapping, not ${describe(doc, value)}`);
  if (isAlias(pair.value)) return; // its keys are checked where the anchor is
  const seen = new Set<string>();
  for (const item of value.items) {
    if (isMergeKey(item.key)) continue;
    const key = keyName(item.key);
    if (key === undefined) throw errorAt(text, pairStart(item), `a mapping or list as a key in stage "${name}" (PyYAML refuses unhashable keys)`);
    if (seen.has(key)) throw errorAt(text, pairStart(item), `duplicate key "${key}" in stage "${name}" (Zappa's reader would silently take the last one)`);
    seen.add(key);
  }
}

function stageValues(text: string, doc: Document.Parsed): Stages {
  let values: unknown;
  try {
    values = doc.toJS({maxAliasCount: 100});
  } catch (error) {
    // e.g. "Excessive alias count" (a billion-laughs file); no position is known.
    throw errorAt(text, 0, libraryReason(error instanceof Error ? error.message : String(error)));
  }
  const stages = values as Record<string, Record<string, unknown> | null>;
  for (const name of Object.keys(stages)) stages[name] ??= {};
  return stages as Stages;
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol';
}

/** The key as it appears in the JS object, or undefined for a mapping or list used as a key. */
function keyName(key: unknown): string | undefined {
  if (key === null || key === undefined) return '';
  if (isScalar(key)) return String(key.value ?? '');
  return undefined;
}

function resolve(doc: Document.Parsed, node: ParsedNode | null): ParsedNode | null {
  return isAlias(node) ? ((node.resolve(doc) as ParsedNode | undefined) ?? null) : node;
}

function isNull(node: ParsedNode | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

function describe(doc: Document.Parsed, node: unknown): string {
  const target = isAlias(node) ? node.resolve(doc) : node;
  if (isMap(target)) return 'a mapping';
  if (isSeq(target)) return 'a list';
  if (!isScalar(target) || target.value === null) return 'null';
  if (target.value instanceof Date) return 'a date';
  return `a ${typeof target.value}`;
}

function nodeStart(node: ParsedNode | null | undefined): number | undefined {
  return node?.range[0];
}

function pairStart(pair: Pair<unknown, unknown>): number {
  const key = pair.key as ParsedNode | null;
  return key?.range[0] ?? valueIndicator(pair)?.offset ?? (pair.value as ParsedNode | null)?.range[0] ?? 0;
}

function errorAt(text: string, offset: number, reason: string): SettingsParseError {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return new SettingsParseError(line, offset - (before.lastIndexOf('\n') + 1) + 1, reason);
}

// ---------------------------------------------------------------------------
// Writing scalars

type Quote = 'plain' | 'single' | 'double';

/** Characters that are never special in a plain scalar, in block or flow context. */
const PLAIN_CHARS = /^[A-Za-z0-9_][A-Za-z0-9_.\/@+-]*$/;
/** What PyYAML's reader refuses, and line breaks in YAML 1.1 (NEL, LS, PS): only as escapes. */
const NEEDS_ESCAPE = /[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udfff]/u;
const STOCK_1_1 = {version: '1.1'} as const;

function renderValue(value: Value, quote: Quote): string {
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return renderNumber(value);
  if (quote === 'plain' && isPlainSafe(value)) return value;
  if (quote === 'single' && !NEEDS_ESCAPE.test(value)) return `'${value.replace(/'/g, "''")}'`;
  return doubleQuoted(value);
}

function renderKey(key: string): string {
  return isPlainSafe(key) ? key : doubleQuoted(key);
}

/**
 * Plain only when it reads back as the same string, both as PyYAML reads it and
 * as stock YAML 1.1 does (which also takes `y`/`n` for booleans): `yes`, `null`,
 * `1.5`, `0x1F` or `2020-01-01` are quoted.
 */
function isPlainSafe(value: string): boolean {
  if (!PLAIN_CHARS.test(value)) return false;
  return [READ_OPTIONS, STOCK_1_1].every((options) => parseDocument(value, options).toJS() === value);
}

/** JSON's string syntax is valid YAML double-quoted; escape what JSON leaves raw but YAML must not see. */
function doubleQuoted(value: string): string {
  return JSON.stringify(value).replace(/[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** PyYAML's floats need a dot (`1.0e-7`, not `1e-7`), and NaN/Infinity have their own spelling. */
function renderNumber(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
  if (Object.is(value, -0)) return '-0.0';
  if (Number.isInteger(value)) return BigInt(value).toString();
  const text = String(value);
  return text.includes('e') && !text.includes('.') ? text.replace('e', '.0e') : text;
}

function quoteOf(node: ParsedNode | null): Quote {
  if (isScalar(node) && node.type === 'QUOTE_SINGLE') return 'single';
  if (isScalar(node) && node.type === 'QUOTE_DOUBLE') return 'double';
  return 'plain';
}

// ---------------------------------------------------------------------------
// Layout

interface Layout {
  eol: string;
  /** One level of indentation, e.g. '  ' or '    '. */
  unit: string;
  /** Stages are separated by blank lines. */
  spaced: boolean;
}

function detectLayout(loaded: Loaded): Layout {
  const {text, root} = loaded;
  return {eol: text.includes('\r\n') ? '\r\n' : '\n', unit: detectUnit(loaded), spaced: stagesSpaced(text, root)};
}

/** From the first stage written as a block mapping: its keys' column minus the stage name's. */
function detectUnit({text, stages}: Loaded): string {
  for (const pair of stages.values()) {
    const value = pair.value;
    if (!isMap(value) || !isBlock(value)) continue;
    const step = column(text, value.range[0]) - column(text, pairStart(pair));
    if (step > 0) return ' '.repeat(step);
  }
  return '  ';
}

function stagesSpaced(text: string, root: YAMLMap.Parsed): boolean {
  return root.items.slice(1).some((pair, index) => {
    const previous = root.items[index]!;
    return /\n[ \t]*\r?\n/.test(text.slice(pairEnd(text, previous), pairStart(pair)));
  });
}

/** `key : value` when the stage writes its last key that way, else `key: value`. */
function detectColon(text: string, map: YAMLMap.Parsed): string {
  const last = map.items.at(-1);
  const key = last?.key as ParsedNode | null | undefined;
  const indicator = last && valueIndicator(last);
  if (!key || !indicator) return ': ';
  return text.slice(key.range[1], indicator.offset) === ' ' ? ' : ' : ': ';
}

function column(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** Where the line holding offset ends (before its \r\n or \n). */
function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  if (newline === -1) return text.length;
  return text[newline - 1] === '\r' ? newline - 1 : newline;
}

function isBlock(node: ParsedNode): boolean {
  const type = node.srcToken?.type;
  return type === 'block-map' || type === 'block-seq';
}

function isFlowMap(node: ParsedNode | null): boolean {
  return isMap(node) && node.srcToken?.type === 'flow-collection';
}

// ---------------------------------------------------------------------------
// Where things are in the text

/** The `:` of a pair, from its source tokens (absent for `{a}` or `? a`). */
function valueIndicator(pair: Pair<unknown, unknown>): CST.SourceToken | undefined {
  return pair.srcToken?.sep?.find((token) => token.type === 'map-value-ind');
}

/** Anchor and tag tokens written before a pair's value. */
function valueProps(pair: Pair<unknown, unknown>): CST.SourceToken[] {
  const sep = pair.srcToken?.sep ?? [];
  const indicator = sep.findIndex((token) => token.type === 'map-value-ind');
  return sep.slice(indicator + 1).filter((token) => token.type === 'anchor' || token.type === 'tag');
}

/** The end of a node's own text: its range without the line breaks and indentation after it. */
function contentEnd(text: string, node: ParsedNode): number {
  let end = node.range[1];
  while (end > node.range[0] && /[ \t\r\n]/.test(text[end - 1]!)) end -= 1;
  return end;
}

function hasValueText(node: ParsedNode | null): node is ParsedNode {
  return node !== null && node.range[1] > node.range[0];
}

/** Where a pair's text ends: after its value, else after its props, `:` or key. */
function pairEnd(text: string, pair: Pair<unknown, unknown>): number {
  const value = pair.value as ParsedNode | null;
  if (hasValueText(value)) return contentEnd(text, value);
  const props = valueProps(pair).at(-1);
  if (props) return props.offset + props.source.length;
  const indicator = valueIndicator(pair);
  if (indicator) return indicator.offset + 1;
  return (pair.key as ParsedNode | null)?.range[1] ?? 0;
}

/**
 * A `|+` block scalar owns the blank lines after it; text inserted before them
 * would take them away from it.
 */
function endsWithKeptBlockScalar(text: string, pair: Pair<unknown, unknown>): boolean {
  const value = pair.value as ParsedNode | null;
  return isScalar(value) && (value.type === 'BLOCK_LITERAL' || value.type === 'BLOCK_FOLDED') && /^[|>][0-9]?\+/.test(text.slice(value.range[0]));
}

/** The column of a pair's key; a stage's own keys sit one indentation unit further in. */
function keyColumn(text: string, pair: Pair<unknown, unknown>): number {
  return column(text, pairStart(pair));
}

// ---------------------------------------------------------------------------
// Editing

interface Edit {
  start: number;
  end: number;
  text: string;
}

type Entry = [key: string, value: Value];

function setYamlStageKeys(text: string, stage: string, entries: Record<string, Value>): string {
  const loaded = load(text);
  const pairs = checkedEntries(entries);
  const edits = stageEdits(loaded, detectLayout(loaded), stage, pairs);
  const result = applyEdits(text, edits);
  verifyEdit(loaded, result, stage, pairs);
  return result;
}

function checkedEntries(entries: Record<string, Value>): Entry[] {
  return Object.entries(entries).map(([key, value]) => {
    if (typeof value !== 'string' && typeof value !== 'boolean' && typeof value !== 'number') {
      throw new Error(`value for "${key}" must be a string, a boolean or a number`);
    }
    return [key, value];
  });
}

function stageEdits(loaded: Loaded, layout: Layout, stage: string, entries: Entry[]): Edit[] {
  const pair = loaded.stages.get(stage);
  if (!pair) return [appendStage(loaded, layout, stage, entries)];
  const value = pair.value;
  if (isMap(value)) return mapStageEdits(loaded, layout, stage, value, entries);
  // An alias or null stage has no own keys: every entry is new.
  if (entries.length === 0) return [];
  return isAlias(value) ? aliasStageEdits(loaded, layout, pair, entries) : nullStageEdits(loaded, layout, pair, entries);
}

function mapStageEdits(loaded: Loaded, layout: Layout, stage: string, map: YAMLMap.Parsed, entries: Entry[]): Edit[] {
  const edits: Edit[] = [];
  const missing: Entry[] = [];
  for (const [key, value] of entries) {
    const own = map.items.find((item) => !isMergeKey(item.key) && keyName(item.key) === key);
    if (!own) missing.push([key, value]);
    // Own keys win over merged ones, so the stage's value is this pair's.
    else if (!isDeepStrictEqual(loaded.values[stage]?.[key], value)) edits.push(replaceValue(loaded, stage, own, value));
  }
  if (missing.length === 0) return edits;
  edits.push(isFlowMap(map) ? insertIntoFlowMap(loaded.text, map, flowPairs(missing)) : insertIntoBlockMap(loaded.text, layout, map, missing));
  return edits;
}

/** Replaces the value's text (and its tag/anchor), keeping `key : ` and any comment after it. */
function replaceValue(loaded: Loaded, stage: string, pair: Pair<ParsedNode, ParsedNode | null>, value: Value): Edit {
  const {text} = loaded;
  const key = keyName(pair.key) ?? '';
  assertNotShared(loaded, pair.value, `the value of "${key}" in stage "${stage}"`);
  const indicator = valueIndicator(pair);
  const rendered = renderValue(value, quoteOf(pair.value));
  if (!indicator) {
    // `{a}` in a flow mapping; `? a` in a block one would need its `:` on the next line.
    if (!isFlowMap(loaded.stages.get(stage)?.value ?? null)) throw new Error(`key "${key}" in stage "${stage}" is written as an explicit "? key" without a value; edit it by hand`);
    const end = pair.key.range[1];
    return {start: end, end, text: `: ${rendered}`};
  }
  const colonEnd = indicator.offset + 1;
  const old = pair.value;
  const start = old && isBlock(old) ? colonEnd : (valueProps(pair)[0]?.offset ?? (hasValueText(old) ? old.range[0] : colonEnd));
  const end = Math.max(start, pairEnd(text, pair));
  return {start, end, text: start === colonEnd ? ` ${rendered}` : rendered};
}

/**
 * An anchor inside text about to be replaced, used by an alias: the alias
 * would lose its target or change with it.
 */
function assertNotShared(loaded: Loaded, node: ParsedNode | null, what: string): void {
  if (!node) return;
  const anchors = new Set<string>();
  visit(node, {
    Node(_, inner) {
      if (inner.anchor) anchors.add(inner.anchor);
    },
  });
  if (node.anchor) anchors.add(node.anchor);
  const used = [...aliasNames(loaded.doc)].find((name) => anchors.has(name));
  if (used) throw new Error(`${what} is anchored as &${used} and reused elsewhere through *${used}; changing it here would change it there too. Edit it by hand`);
}

function aliasNames(doc: Document.Parsed): Set<string> {
  const names = new Set<string>();
  visit(doc, {
    Alias(_, alias) {
      names.add(alias.source);
    },
  });
  return names;
}

/** New keys go on their own lines after the stage's last pair, before any comments or blank lines that follow it. */
function insertIntoBlockMap(text: string, layout: Layout, map: YAMLMap.Parsed, entries: Entry[]): Edit {
  const last = map.items.at(-1)!;
  const indent = ' '.repeat(column(text, map.range[0]));
  const colon = detectColon(text, map);
  const lines = entries.map((entry) => indent + renderPair(entry, colon));
  const keptEnd = endsWithKeptBlockScalar(text, last) ? (last.value as ParsedNode).range[1] : undefined;
  if (keptEnd !== undefined && text[keptEnd - 1] === '\n') return {start: keptEnd, end: keptEnd, text: lines.map((line) => line + layout.eol).join('')};
  const at = lineEnd(text, pairEnd(text, last));
  return {start: at, end: at, text: lines.map((line) => layout.eol + line).join('')};
}

/** `{a: 1}` → `{a: 1, key: value}`; `{}` → `{key: value}`. */
function insertIntoFlowMap(text: string, map: YAMLMap.Parsed, items: string[]): Edit {
  const body = items.join(', ');
  const last = map.items.at(-1);
  if (last) {
    const at = pairEnd(text, last);
    return {start: at, end: at, text: `, ${body}`};
  }
  const token = map.srcToken as CST.FlowCollection;
  const open = token.start.offset + 1;
  // Only whitespace sits between the braces of an empty mapping.
  const close = token.end.find((item) => item.type === 'flow-map-end')?.offset ?? open;
  return {start: open, end: close, text: body};
}

function flowPairs(entries: Entry[]): string[] {
  return entries.map((entry) => renderPair(entry, ': '));
}

/**
 * `staging: *dev` is dev itself: new keys there would land in dev. It becomes
 * `staging:` with `<<: *dev` and the new keys (or the keys alone when the
 * anchor is a null stage, which PyYAML cannot merge).
 */
function aliasStageEdits(loaded: Loaded, layout: Layout, pair: Pair<ParsedNode, ParsedNode | null>, entries: Entry[]): Edit[] {
  const {text} = loaded;
  const alias = pair.value!;
  const aliasText = text.slice(alias.range[0], alias.range[1]);
  const target = resolve(loaded.doc, alias);
  if (isFlowMap(loaded.root)) {
    const merge = isNull(target) ? [] : [`<<: ${aliasText}`];
    return [{start: alias.range[0], end: alias.range[1], text: `{${[...merge, ...flowPairs(entries)].join(', ')}}`}];
  }
  const colonEnd = valueIndicator(pair)!.offset + 1;
  const indent = ' '.repeat(keyColumn(text, pair)) + layout.unit;
  const merge: Edit = {start: colonEnd, end: alias.range[1], text: isNull(target) ? '' : `${layout.eol}${indent}<<: ${aliasText}`};
  const at = lineEnd(text, alias.range[1]);
  return [merge, {start: at, end: at, text: entries.map((entry) => layout.eol + indent + renderPair(entry, ': ')).join('')}];
}

/** `dev:`, `dev: ~` or `dev: null` becomes a mapping with the keys. */
function nullStageEdits(loaded: Loaded, layout: Layout, pair: Pair<ParsedNode, ParsedNode | null>, entries: Entry[]): Edit[] {
  const {text} = loaded;
  const indicator = valueIndicator(pair);
  const value = pair.value;
  const props = valueProps(pair);
  const start = props[0]?.offset ?? (hasValueText(value) ? value.range[0] : undefined);
  const end = pairEnd(text, pair);
  if (isFlowMap(loaded.root)) {
    const body = `{${flowPairs(entries).join(', ')}}`;
    if (!indicator) return [{start: end, end, text: `: ${body}`}];
    return [{start: start ?? end, end, text: start === undefined ? ` ${body}` : body}];
  }
  if (!indicator) throw new Error(`stage "${keyName(pair.key)}" is written as an explicit "? key" without a value; edit it by hand`);
  const colonEnd = indicator.offset + 1;
  const indent = ' '.repeat(keyColumn(text, pair)) + layout.unit;
  const at = lineEnd(text, end);
  const insert: Edit = {start: at, end: at, text: entries.map((entry) => layout.eol + indent + renderPair(entry, ': ')).join('')};
  if (start === undefined) return [insert];
  // `dev: ~  # c` → `dev:  # c`, then the keys below it.
  const onKeyLine = /^[ \t]*$/.test(text.slice(colonEnd, start));
  return [{start: onKeyLine ? colonEnd : start, end, text: ''}, insert];
}

/** A stage the file lacks goes at the end of the document, in the file's indentation. */
function appendStage(loaded: Loaded, layout: Layout, stage: string, entries: Entry[]): Edit {
  const {text, root} = loaded;
  if (isFlowMap(root)) return insertIntoFlowMap(text, root, [`${renderKey(stage)}: {${flowPairs(entries).join(', ')}}`]);
  const indent = ' '.repeat(column(text, root.range[0]));
  // `name:` alone would be None for PyYAML, which Zappa cannot use as a stage.
  const head = `${indent}${renderKey(stage)}:${entries.length === 0 ? ' {}' : ''}`;
  const lines = [head, ...entries.map((entry) => indent + layout.unit + renderPair(entry, ': '))];
  const at = documentEndMarker(loaded) ?? text.length;
  const before = text.slice(0, at);
  const gap = layout.spaced && !/\n[ \t]*\r?\n$/.test(before) ? layout.eol : '';
  if (at < text.length || before.endsWith('\n')) {
    const lead = before.endsWith('\n') ? '' : layout.eol;
    return {start: at, end: at, text: lead + gap + lines.join(layout.eol) + layout.eol};
  }
  // No final newline: keep it that way.
  return {start: at, end: at, text: layout.eol + gap + lines.join(layout.eol)};
}

/** The start of the line holding an explicit `...` after the stages: new stages go before it. */
function documentEndMarker({text, doc, root}: Loaded): number | undefined {
  if (!doc.directives?.docEnd) return undefined;
  const match = /(?:^|\n)\.\.\.(?=[ \t\r\n]|$)/.exec(text.slice(root.range[1]));
  if (!match) return undefined;
  return root.range[1] + match.index + (match[0].startsWith('\n') ? 1 : 0);
}

function renderPair([key, value]: Entry, colon: string): string {
  return `${renderKey(key)}${colon}${renderValue(value, 'plain')}`;
}

function applyEdits(text: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let result = text;
  let limit = text.length;
  for (const edit of sorted) {
    if (edit.end > limit) throw new Error('bug: overlapping edits');
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
    limit = edit.start;
  }
  return result;
}

// ---------------------------------------------------------------------------
// The check before returning

/**
 * Parses the result again: the stage must now have the entries as its own
 * keys, its other keys and every other stage must read as before. Never
 * return a file that says something else.
 */
function verifyEdit(before: Loaded, result: string, stage: string, entries: Entry[]): void {
  let after: Loaded;
  try {
    after = load(result);
  } catch (error) {
    throw new Error(`bug: editing stage "${stage}" produced a file that does not parse (${error instanceof Error ? error.message : String(error)})`);
  }
  const names = new Set([...Object.keys(before.values), stage]);
  if (!isDeepStrictEqual(new Set(Object.keys(after.values)), names)) throw new Error(`bug: editing stage "${stage}" changed the list of stages`);
  for (const name of names) {
    if (name === stage || isDeepStrictEqual(after.values[name], before.values[name])) continue;
    // A stage that merges (or is an alias of) the edited one inherits its new keys, as a stage that extends it would.
    if (!changedOnlyThroughMerge(before, after, stage, name, entries)) throw sharedStageError(before, stage, name);
  }
  const wanted = {...before.values[stage], ...Object.fromEntries(entries)};
  if (!isDeepStrictEqual(after.values[stage], wanted) || !ownKeysPresent(after, stage, entries)) {
    throw new Error(`bug: editing stage "${stage}" did not give it exactly the requested keys`);
  }
}

/** `name` takes `stage`'s mapping by anchor, and differs only in the edited keys, which now read as written. */
function changedOnlyThroughMerge(before: Loaded, after: Loaded, stage: string, name: string, entries: Entry[]): boolean {
  const anchor = before.stages.get(stage)?.value?.anchor;
  if (!anchor || !takesAnchor(before, name, anchor)) return false;
  const edited = new Map(entries);
  const was = before.values[name] ?? {};
  const now = after.values[name] ?? {};
  const keys = new Set([...Object.keys(was), ...Object.keys(now)]);
  return [...keys].every((key) => isDeepStrictEqual(now[key], was[key]) || (edited.has(key) && isDeepStrictEqual(now[key], edited.get(key))));
}

/** The stage's value is `*anchor`, or its mapping merges `*anchor` (alone or in a list). */
function takesAnchor(loaded: Loaded, name: string, anchor: string): boolean {
  const value = loaded.stages.get(name)?.value ?? null;
  const isIt = (node: unknown) => isAlias(node) && node.source === anchor;
  if (isIt(value)) return true;
  if (!isMap(value)) return false;
  return value.items.some((item) => isMergeKey(item.key) && (isIt(item.value) || (isSeq(item.value) && item.value.items.some(isIt))));
}

function ownKeysPresent(loaded: Loaded, stage: string, entries: Entry[]): boolean {
  const value = loaded.stages.get(stage)?.value ?? null;
  if (entries.length === 0) return true;
  if (!isMap(value)) return false;
  return entries.every(([key]) => value.items.some((item) => !isMergeKey(item.key) && keyName(item.key) === key));
}

function sharedStageError(before: Loaded, stage: string, other: string): Error {
  const anchor = before.stages.get(stage)?.value?.anchor;
  if (anchor && aliasNames(before.doc).has(anchor)) {
    return new Error(`stage "${other}" reuses stage "${stage}" through *${anchor}; setting keys in "${stage}" would change "${other}" too. Edit the file by hand`);
  }
  return new Error(`bug: editing stage "${stage}" would change stage "${other}"`);
}
