/**
 * JSON text the person wrote (a settings file, a policy template), checked
 * before any parser that recurses sees it, and parsed with the place of the
 * first error. Pure, and linear in the length of the text.
 */
import {parse, printParseErrorCode, type ParseError} from 'jsonc-parser';
import {JSON_REASONS} from './settings-document.js';

/**
 * Deeper than this, a JSON file is refused. No settings file or policy
 * comes near it; Python's json.load (Zappa's reader) gives up near 1,000
 * levels, and the parsers here would run out of stack long before 20,000.
 */
export const MAX_JSON_DEPTH = 256;

/** 1-based line and column of an offset. */
export function lineColumnOf(text: string, offset: number): {line: number; column: number} {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return {line, column: offset - lineStart + 1};
}

/** The offset of the first `[` or `{` (outside strings) that opens a level deeper than `limit`, else undefined. */
export function tooDeepAt(text: string, limit = MAX_JSON_DEPTH): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '[' || c === '{') {
      if (++depth > limit) return i;
    } else if (c === ']' || c === '}') {
      depth--;
    }
  }
  return undefined;
}

/** Where and why a JSON text cannot be read. */
export interface JsonProblem { line: number; column: number; reason: string }

export const tooDeepReason = (limit = MAX_JSON_DEPTH) =>
  `nested more than ${limit} levels deep; no settings file or policy needs that many, and Python's json.load (which Zappa uses) gives up near 1,000`;

/**
 * Strict JSON (no comments, no trailing commas), or the place of the first
 * problem: too deep a nesting, or the first syntax error.
 */
export function parseJsonText(text: string): {value: unknown} | {problem: JsonProblem} {
  const deep = tooDeepAt(text);
  if (deep !== undefined) return {problem: {...lineColumnOf(text, deep), reason: tooDeepReason()}};
  const errors: ParseError[] = [];
  parse(text, errors, {disallowComments: true, allowTrailingComma: false, allowEmptyContent: false});
  const first = errors[0];
  if (first) {
    const code = printParseErrorCode(first.error);
    return {problem: {...lineColumnOf(text, first.offset), reason: JSON_REASONS[code] ?? code}};
  }
  try {
    return {value: JSON.parse(text)};
  } catch (err) {
    // What jsonc-parser lets through and JSON.parse does not (a byte-order mark): at the start.
    return {problem: {line: 1, column: 1, reason: (err as Error).message}};
  }
}
