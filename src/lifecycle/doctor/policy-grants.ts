/**
 * Just enough IAM policy evaluation to answer "does this document let the
 * user do <action> on <resource>": Allow statements whose Action and Resource
 * patterns (with * and ?) match, and no matching Deny. Conditions are taken
 * as met, which is what the setup document's policies need. Pure.
 */
import type {PolicyDocument, Statement} from '../../plan/policy.js';

function statementsOf(doc: PolicyDocument): Statement[] {
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

function listOf(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/** IAM wildcards: `*` any run of characters, `?` one character. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${body}$`, ignoreCase ? 'is' : 's').test(value);
}

function matchesField(s: Statement, field: 'Action' | 'Resource', value: string): boolean {
  // Action names are case-insensitive in IAM; ARNs are not.
  const ignoreCase = field === 'Action';
  const positive = s[field];
  const negative = s[`Not${field}`];
  if (positive !== undefined) return listOf(positive).some((p) => wildcardMatch(p, value, ignoreCase));
  if (negative !== undefined) return !listOf(negative).some((p) => wildcardMatch(p, value, ignoreCase));
  return false;
}

const applies = (s: Statement, action: string, resource: string): boolean =>
  matchesField(s, 'Action', action) && matchesField(s, 'Resource', resource);

export function grants(doc: PolicyDocument, action: string, resource: string): boolean {
  const matching = statementsOf(doc).filter((s) => applies(s, action, resource));
  return matching.some((s) => s.Effect === 'Allow') && !matching.some((s) => s.Effect === 'Deny');
}

/** Placeholders the setup document asks people to fill in by hand, e.g. `<ACCOUNT_ID>`. */
export function placeholdersIn(doc: PolicyDocument): string[] {
  return [...new Set(JSON.stringify(doc).match(/<[A-Z][A-Z_]*>/g) ?? [])];
}
