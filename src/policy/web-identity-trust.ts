/**
 * A role trust policy's answer to sts:AssumeRoleWithWebIdentity: may a
 * token from this OIDC provider, with these claims, assume the role? The
 * identity-policy evaluator (evaluate.ts) judges requests on resources; a
 * trust statement has a Principal instead, so this matches the provider
 * against Principal.Federated and leaves the Condition block to the same
 * condition evaluator (conditions.ts). A token's claims reach IAM as the keys
 * `<issuer host>:<claim>` (token.actions.githubusercontent.com:sub). Pure.
 */
import type {PolicyDocument, Statement} from '../plan/policy.js';
import {evaluateConditions, type Tri} from './conditions.js';
import {globMatch} from './glob.js';
import {listOf, statementsOf} from './statements.js';

export type TrustDecision = 'allowed' | 'explicit-deny' | 'implicit-deny' | 'uncertain';

export interface WebIdentityRequest {
  /** The IAM OIDC provider's ARN that issued the token. */
  providerArn: string;
  /** Issuer host, e.g. token.actions.githubusercontent.com. */
  host: string;
  /** The token's claims (sub, aud, …). */
  claims: Record<string, string>;
}

const ACTION = 'sts:AssumeRoleWithWebIdentity';

function actionMatches(statement: Statement): boolean {
  const matches = (pattern: string) => pattern === '*' || globMatch(pattern, ACTION, true);
  if (statement.Action !== undefined) return listOf(statement.Action).some(matches);
  if (statement.NotAction !== undefined) return !listOf(statement.NotAction).some(matches);
  return false;
}

function principalMatches(statement: Statement, providerArn: string): boolean {
  if (statement.NotPrincipal !== undefined) return false;
  const principal = statement.Principal;
  if (principal === '*') return true;
  if (!principal || typeof principal !== 'object') return false;
  return listOf((principal as Record<string, unknown>).Federated).includes(providerArn);
}

function applies(statement: Statement, request: WebIdentityRequest): Tri {
  if (!actionMatches(statement) || !principalMatches(statement, request.providerArn)) return 'false';
  const values = Object.fromEntries(Object.entries(request.claims).map(([claim, value]) => [`${request.host}:${claim}`, value]));
  // The token is all there is to know about the issuer's keys: a claim it lacks is absent, not unknown.
  const absent = conditionKeys(statement).filter((key) => key.toLowerCase().startsWith(`${request.host.toLowerCase()}:`) && !(key in values));
  return evaluateConditions(statement.Condition, {values, absent});
}

function conditionKeys(statement: Statement): string[] {
  const blocks = statement.Condition && typeof statement.Condition === 'object' ? Object.values(statement.Condition as Record<string, unknown>) : [];
  return blocks.flatMap((block) => (block && typeof block === 'object' ? Object.keys(block) : []));
}

/** Deny wins, then Allow; a condition on a key the request does not tell is "uncertain", never guessed. */
export function webIdentityDecision(trust: PolicyDocument, request: WebIdentityRequest): TrustDecision {
  let allowed = false;
  let maybeAllowed = false;
  let maybeDenied = false;
  for (const statement of statementsOf(trust)) {
    const result = applies(statement, request);
    if (result === 'false') continue;
    if (statement.Effect === 'Deny') {
      if (result === 'true') return 'explicit-deny';
      maybeDenied = true;
    } else if (statement.Effect === 'Allow') {
      if (result === 'true') allowed = true;
      else maybeAllowed = true;
    }
  }
  if (maybeDenied) return 'uncertain';
  if (allowed) return 'allowed';
  return maybeAllowed ? 'uncertain' : 'implicit-deny';
}
