/**
 * Condition blocks, evaluated against what the wizard knows about a request
 * made with the serverless user's access key. Some keys are known (region,
 * principal), some are known to be absent (MFA: an access key carries
 * none), and the rest (source IP, time…) cannot be known offline: a
 * condition on those is "unknown", never guessed. Pure.
 */
import {arnMatches, globMatch} from './glob.js';

export type Tri = 'true' | 'false' | 'unknown';

/** What is known about the request's context keys (names are case-insensitive). */
export interface RequestContext {
  /** Keys present in the request, with their values. */
  values: Record<string, string | string[]>;
  /** Keys known to be absent from the request. */
  absent?: string[];
}

type Lookup = {kind: 'present'; values: string[]} | {kind: 'absent'} | {kind: 'unknown'};

function lookup(ctx: RequestContext, key: string): Lookup {
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(ctx.values)) {
    if (k.toLowerCase() === lower) return {kind: 'present', values: Array.isArray(v) ? v : [v]};
  }
  if (ctx.absent?.some((k) => k.toLowerCase() === lower)) return {kind: 'absent'};
  return {kind: 'unknown'};
}

/** Replaces `${aws:username}`-style variables; undefined when one is not known. */
export function substituteVariables(text: string, ctx: RequestContext): string | undefined {
  let unknown = false;
  const out = text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    if (name === '*' || name === '?' || name === '$') return name;
    const found = lookup(ctx, name);
    if (found.kind === 'present' && found.values.length === 1) return found.values[0]!;
    unknown = true;
    return '';
  });
  return unknown ? undefined : out;
}

type Compare = (actual: string, expected: string) => boolean;

const COMPARE: Record<string, {test: Compare; negated: boolean}> = {
  stringequals: {test: (a, e) => a === e, negated: false},
  stringnotequals: {test: (a, e) => a === e, negated: true},
  stringequalsignorecase: {test: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false},
  stringnotequalsignorecase: {test: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: true},
  stringlike: {test: (a, e) => globMatch(e, a), negated: false},
  stringnotlike: {test: (a, e) => globMatch(e, a), negated: true},
  // IAM treats ArnEquals like ArnLike: wildcards allowed, segment by segment.
  arnequals: {test: (a, e) => arnMatches(e, a), negated: false},
  arnlike: {test: (a, e) => arnMatches(e, a), negated: false},
  arnnotequals: {test: (a, e) => arnMatches(e, a), negated: true},
  arnnotlike: {test: (a, e) => arnMatches(e, a), negated: true},
  bool: {test: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false},
};

/** Evaluates a statement's whole Condition block (all operators and keys must hold). */
export function evaluateConditions(condition: unknown, ctx: RequestContext): Tri {
  if (condition === undefined) return 'true';
  if (!condition || typeof condition !== 'object') return 'unknown';
  let result: Tri = 'true';
  for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
    if (!block || typeof block !== 'object') return 'unknown';
    for (const [key, expected] of Object.entries(block as Record<string, unknown>)) {
      const one = evaluateOne(operator, key, expected, ctx);
      if (one === 'false') return 'false';
      if (one === 'unknown') result = 'unknown';
    }
  }
  return result;
}

function evaluateOne(operatorName: string, key: string, expectedRaw: unknown, ctx: RequestContext): Tri {
  const expectedList = (Array.isArray(expectedRaw) ? expectedRaw : [expectedRaw]).map(String);
  let op = operatorName.toLowerCase();
  let set: 'any' | 'all' | undefined;
  if (op.startsWith('foranyvalue:')) [set, op] = ['any', op.slice('foranyvalue:'.length)];
  else if (op.startsWith('forallvalues:')) [set, op] = ['all', op.slice('forallvalues:'.length)];
  const ifExists = op.endsWith('ifexists');
  if (ifExists) op = op.slice(0, -'ifexists'.length);

  const found = lookup(ctx, key);
  if (op === 'null') {
    if (found.kind === 'unknown') return 'unknown';
    const wantsAbsent = expectedList.some((e) => e.toLowerCase() === 'true');
    return (found.kind === 'absent') === wantsAbsent ? 'true' : 'false';
  }
  const compare = COMPARE[op];
  if (!compare) return 'unknown';
  if (found.kind === 'unknown') return 'unknown';
  if (found.kind === 'absent') {
    // IAM: a missing key fails a positive test and passes a negated one;
    // IfExists and ForAllValues pass.
    if (ifExists || set === 'all') return 'true';
    return compare.negated && set !== 'any' ? 'true' : 'false';
  }
  const expected: string[] = [];
  for (const e of expectedList) {
    const value = substituteVariables(e, ctx);
    if (value === undefined) return 'unknown';
    expected.push(value);
  }
  const matchesOne = (actual: string) => expected.some((e) => compare.test(actual, e));
  const holds = (actual: string) => (compare.negated ? !matchesOne(actual) : matchesOne(actual));
  if (set === 'all') return found.values.every(holds) ? 'true' : 'false';
  if (set === 'any') return found.values.some(holds) ? 'true' : 'false';
  // Single-valued key: negated operators require that no expected value matches.
  return compare.negated ? (found.values.every(holds) ? 'true' : 'false') : found.values.some(holds) ? 'true' : 'false';
}
