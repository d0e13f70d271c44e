/**
 * The documents export writes are built by the same code setup uses, for a
 * stand-in account and partition. Here those stand-ins (and the names that
 * become parameters) are turned into tokens, which the CloudFormation and
 * Terraform writers then render as Fn::Sub / interpolations. Pure.
 */

/** Stand-ins no real account or partition uses: 12 digits, and a partition-shaped word. */
export const SENTINEL_ACCOUNT = '100000000001';
export const SENTINEL_PARTITION = 'zwpartition';
export const SENTINEL_IDENTITY = {account: SENTINEL_ACCOUNT, partition: SENTINEL_PARTITION} as const;

/** A reference inside a string: the account, the partition, a name parameter, or the GitHub OIDC provider's ARN. */
export type Ref = {ref: 'account'} | {ref: 'partition'} | {ref: 'name'; key: string} | {ref: 'oidc-provider'};

/** A string as literal text and references, in order. */
export type Part = string | Ref;

const OPEN = '\u27e6';
const CLOSE = '\u27e7';
const TOKEN = new RegExp(`${OPEN}([^${CLOSE}]+)${CLOSE}`, 'g');

const tokenOf = (body: string): string => `${OPEN}${body}${CLOSE}`;
export const NAME_TOKEN = (key: string): string => tokenOf(`name:${key}`);
export const OIDC_TOKEN = tokenOf('oidc-provider');

/** What an IAM ARN's resource part starts with, for each kind of name the export makes a parameter. */
export type NamedKind = 'user' | 'role' | 'group';

/** A name that becomes a parameter: where it appears in ARNs inside the documents is replaced by the parameter. */
export interface NameSubstitution { kind: NamedKind; value: string; key: string }

/**
 * Every string of `value` with the stand-ins and the names tokenised. A name
 * is replaced only where an ARN ends with it (`:role/NAME`), so a word that
 * merely contains it is left alone.
 */
export function tokenize<T>(value: T, names: readonly NameSubstitution[], wholeValues: Record<string, string> = {}): T {
  const inString = (s: string): string => {
    if (Object.hasOwn(wholeValues, s)) return wholeValues[s]!;
    let out = s.replaceAll(SENTINEL_ACCOUNT, tokenOf('account')).replaceAll(SENTINEL_PARTITION, tokenOf('partition'));
    for (const n of names) {
      const tail = `:${n.kind}/${n.value}`;
      if (out.endsWith(tail)) out = `${out.slice(0, -n.value.length)}${NAME_TOKEN(n.key)}`;
    }
    return out;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return inString(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [inString(k), walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** The string cut into literal text and references. */
export function partsOf(s: string): Part[] {
  const parts: Part[] = [];
  let at = 0;
  for (const m of s.matchAll(TOKEN)) {
    if (m.index > at) parts.push(s.slice(at, m.index));
    parts.push(refOf(m[1]!));
    at = m.index + m[0].length;
  }
  if (at < s.length) parts.push(s.slice(at));
  return parts;
}

function refOf(body: string): Ref {
  if (body === 'account' || body === 'partition' || body === 'oidc-provider') return {ref: body};
  if (body.startsWith('name:')) return {ref: 'name', key: body.slice('name:'.length)};
  throw new Error(`unknown export token ${body}`);
}

/** True when a stand-in survived tokenising: the export would then hold a wrong literal. */
export function holdsSentinel(value: unknown): boolean {
  const text = JSON.stringify(value);
  return text.includes(SENTINEL_ACCOUNT) || text.includes(SENTINEL_PARTITION);
}
