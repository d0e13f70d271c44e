/**
 * Reading policy statements the way IAM does: a single statement or a list,
 * and every Action/Resource field as a string or a list of strings. Pure.
 */
import type {PolicyDocument, Statement} from '../plan/policy.js';

/** A policy document with a name to cite in messages. */
export interface NamedPolicy { name: string; document: PolicyDocument }

/** The statements of a document, always as a list. */
export function statementsOf(doc: PolicyDocument): Statement[] {
  const s = doc.Statement;
  if (Array.isArray(s)) return s;
  return s && typeof s === 'object' ? [s] : [];
}

/** A string-or-list field as a list of strings (non-strings dropped). */
export function listOf(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.filter((v): v is string => typeof v === 'string');
}

/** How to cite a statement: `statement 2 ("AllowLambda")`, 1-based as people count. */
export function statementLabel(statement: Statement, index: number): string {
  return typeof statement.Sid === 'string' && statement.Sid ? `statement ${index + 1} ("${statement.Sid}")` : `statement ${index + 1}`;
}

/** The service prefix of an action (`s3` for `s3:GetObject`), `*` for `*`. */
export function serviceOf(action: string): string {
  const i = action.indexOf(':');
  return i < 0 ? action : action.slice(0, i).toLowerCase();
}
