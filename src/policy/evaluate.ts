/**
 * IAM's decision for one request against a principal's identity policies:
 * an explicit Deny wins, then any Allow, else the request is implicitly
 * denied. Wildcards and conditions follow IAM's rules; a condition that
 * depends on something unknowable offline makes the answer "uncertain"
 * rather than a guess. Pure. (Tests check it against @cloud-copilot/iam-simulate.)
 */
import type {Statement} from '../plan/policy.js';
import {evaluateConditions, substituteVariables, type RequestContext, type Tri} from './conditions.js';
import {arnMatches, arnsOverlap, globMatch} from './glob.js';
import {listOf, statementsOf, type NamedPolicy} from './statements.js';

export type Decision = 'allowed' | 'explicit-deny' | 'implicit-deny' | 'uncertain';

/** One request: who does what on which resource. */
export interface EvalRequest {
  action: string;
  /** A concrete ARN, `*`, or an ARN holding `*` for names not known in advance. */
  resource: string;
  /** AWS authorizes the action on `*` only (no resource types). */
  wildcardOnly?: boolean;
  context: RequestContext;
}

/** The statement that decided, to cite to a person. */
export interface DecidingStatement { policy: string; index: number; sid?: string }

export interface Evaluation { decision: Decision; by?: DecidingStatement }

/** Evaluates a request against every statement of every policy. */
export function evaluate(policies: NamedPolicy[], request: EvalRequest): Evaluation {
  let allow: DecidingStatement | undefined;
  let maybeAllow: DecidingStatement | undefined;
  let maybeDeny: DecidingStatement | undefined;
  for (const {name, document} of policies) {
    const statements = statementsOf(document);
    for (let index = 0; index < statements.length; index++) {
      const statement = statements[index]!;
      const applies = statementApplies(statement, request);
      if (applies === 'false') continue;
      const by = {policy: name, index, ...(typeof statement.Sid === 'string' ? {sid: statement.Sid} : {})};
      if (statement.Effect === 'Deny') {
        if (applies === 'true') return {decision: 'explicit-deny', by};
        maybeDeny ??= by;
      } else if (statement.Effect === 'Allow') {
        if (applies === 'true') allow ??= by;
        else maybeAllow ??= by;
      }
    }
  }
  if (maybeDeny) return {decision: 'uncertain', by: maybeDeny};
  if (allow) return {decision: 'allowed', by: allow};
  if (maybeAllow) return {decision: 'uncertain', by: maybeAllow};
  return {decision: 'implicit-deny'};
}

function statementApplies(statement: Statement, request: EvalRequest): Tri {
  if (!actionMatches(statement, request.action)) return 'false';
  const resource = resourceMatches(statement, request);
  if (resource === 'false') return 'false';
  const condition = evaluateConditions(statement.Condition, request.context);
  if (condition === 'false') return 'false';
  return resource === 'unknown' || condition === 'unknown' ? 'unknown' : 'true';
}

function actionMatches(statement: Statement, action: string): boolean {
  if (statement.Action !== undefined) return listOf(statement.Action).some((p) => actionPatternMatches(p, action));
  if (statement.NotAction !== undefined) return !listOf(statement.NotAction).some((p) => actionPatternMatches(p, action));
  return false;
}

function actionPatternMatches(pattern: string, action: string): boolean {
  if (pattern === '*') return true;
  const [ps, pn] = splitAction(pattern);
  const [as, an] = splitAction(action);
  return ps === as && globMatch(pn, an, true);
}

function splitAction(action: string): [string, string] {
  const i = action.indexOf(':');
  return i < 0 ? [action.toLowerCase(), ''] : [action.slice(0, i).toLowerCase(), action.slice(i + 1)];
}

function resourceMatches(statement: Statement, request: EvalRequest): Tri {
  const deny = statement.Effect === 'Deny';
  const negated = statement.Resource === undefined && statement.NotResource !== undefined;
  const raw = listOf(negated ? statement.NotResource : statement.Resource);
  let unknown = false;
  const patterns: string[] = [];
  for (const p of raw) {
    const resolved = substituteVariables(p, request.context);
    if (resolved === undefined) unknown = true;
    else patterns.push(resolved);
  }
  const hit = patterns.some((p) => patternHits(p, request, negated ? !deny : deny));
  const result = negated ? !hit : hit;
  if (result) return 'true';
  return unknown ? 'unknown' : 'false';
}

/**
 * Whether one pattern covers the request's resource. A request resource
 * holding `*` stands for "some name we can't know yet": an Allow counts if
 * it could cover that name, a Deny only if it surely covers every such name
 * (iam-simulate reads wildcard requests the same way).
 */
function patternHits(pattern: string, request: EvalRequest, mustCover: boolean): boolean {
  if (pattern === '*') return true;
  if (request.resource === '*') return !request.wildcardOnly && !mustCover;
  if (!request.resource.includes('*')) return arnMatches(pattern, request.resource);
  return mustCover ? arnMatches(pattern, request.resource) : arnsOverlap(pattern, request.resource);
}
