/**
 * IAM's wildcards: `*` (any run of characters) and `?` (one character), in
 * actions (case-insensitive) and in ARNs. ARNs match segment by segment:
 * a wildcard in the region never reaches into the account, while the
 * resource part (everything after the fifth colon) is one free-form string.
 * Pure functions.
 */

/** True when `pattern` (with `*`/`?`) matches all of `text`. */
export function globMatch(pattern: string, text: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const t = ignoreCase ? text.toLowerCase() : text;
  // Iterative matcher with single backtrack point: linear in practice, no regex escaping.
  let pi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === t[ti])) {
      pi++;
      ti++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = ti;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

/**
 * True when some string matches both patterns. Both sides may hold `*` and
 * `?`; this walks the product of the two patterns, so it answers "could
 * these ever meet?" exactly.
 */
export function globsOverlap(a: string, b: string, ignoreCase = false): boolean {
  const x = ignoreCase ? a.toLowerCase() : a;
  const y = ignoreCase ? b.toLowerCase() : b;
  const seen = new Set<number>();
  const width = y.length + 1;
  const stack: [number, number][] = [[0, 0]];
  while (stack.length) {
    const [i, j] = stack.pop()!;
    const key = i * width + j;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === x.length && j === y.length) return true;
    const ci = x[i];
    const cj = y[j];
    // A star may stand for nothing…
    if (ci === '*') stack.push([i + 1, j]);
    if (cj === '*') stack.push([i, j + 1]);
    if (ci === undefined || cj === undefined) continue;
    // …or swallow one character the other side produces.
    if (ci === '*' && cj !== '*') stack.push([i, j + 1]);
    if (cj === '*' && ci !== '*') stack.push([i + 1, j]);
    if (ci !== '*' && cj !== '*' && (ci === '?' || cj === '?' || ci === cj)) stack.push([i + 1, j + 1]);
  }
  return false;
}

/** partition, service, region, account, resource. */
export type ArnParts = [string, string, string, string, string];

/**
 * Splits `arn:partition:service:region:account:resource`. A short pattern
 * (fewer segments) is padded with `*`, as IAM reads it in identity policies.
 * Returns undefined when the text is not an ARN.
 */
export function splitArn(arn: string): ArnParts | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  const parts = arn.slice(4).split(':');
  while (parts.length < 5) parts.push('*');
  const [partition, service, region, account, ...rest] = parts as [string, string, string, string, ...string[]];
  return [partition, service, region, account, rest.join(':')];
}

/** Does a policy's resource pattern match a concrete (or `*`-holding) request ARN? */
export function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const p = splitArn(pattern);
  const a = splitArn(arn);
  if (!p || !a) return pattern === arn;
  return p.every((segment, i) => globMatch(segment, a[i]!));
}

/** Could some ARN match both patterns? */
export function arnsOverlap(a: string, b: string): boolean {
  if (a === '*' || b === '*') return true;
  const x = splitArn(a);
  const y = splitArn(b);
  if (!x || !y) return false;
  return x.every((segment, i) => globsOverlap(segment, y[i]!));
}

/** True when the pattern holds a wildcard. */
export const hasWildcard = (pattern: string): boolean => /[*?]/.test(pattern);
