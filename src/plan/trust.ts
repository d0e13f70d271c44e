/**
 * The execution role's trust policy must let every service the stage hands
 * the role to assume it (Lambda always; API Gateway and EventBridge as the
 * settings say, see policy/needs). A repair adds what is missing and keeps
 * every statement and principal the person added themselves.
 */
import type {PolicyDocument, Statement} from './policy.js';

/** A service principal as people say it: `events` for `events.amazonaws.com`. */
export const serviceName = (service: string): string => service.replace('.amazonaws.com', '');

/** The setup document's trust: what a stage needs when the settings say nothing else. */
export const TRUSTED_SERVICES: readonly string[] = ['apigateway.amazonaws.com', 'lambda.amazonaws.com'];

function statementsOf(doc: PolicyDocument): Statement[] {
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

function asList(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

function isServiceAssume(s: Statement): boolean {
  const actions = asList(s.Action);
  const principal = s.Principal as Record<string, unknown> | undefined;
  return s.Effect === 'Allow' && actions.includes('sts:AssumeRole') && !s.Condition &&
    !!principal && typeof principal === 'object' && 'Service' in principal;
}

/** The wanted services that no Allow sts:AssumeRole statement grants yet. */
export function missingTrustedServices(doc: PolicyDocument, wanted: readonly string[] = TRUSTED_SERVICES): string[] {
  const granted = new Set(
    statementsOf(doc).filter(isServiceAssume).flatMap((s) => asList((s.Principal as Record<string, unknown>).Service)),
  );
  return wanted.filter((svc) => !granted.has(svc));
}

/**
 * Adds the missing services to the first service-assume statement (or a new
 * one), leaving every other statement untouched.
 */
export function withTrustedServices(doc: PolicyDocument, wanted: readonly string[] = TRUSTED_SERVICES): PolicyDocument {
  const missing = missingTrustedServices(doc, wanted);
  if (missing.length === 0) return doc;
  const statements = statementsOf(doc).map((s) => ({...s}));
  const target = statements.find(isServiceAssume);
  if (target) {
    const principal = {...(target.Principal as Record<string, unknown>)};
    principal.Service = [...new Set([...asList(principal.Service), ...missing])].sort();
    target.Principal = principal;
  } else {
    statements.push({Effect: 'Allow', Principal: {Service: [...missing].sort()}, Action: 'sts:AssumeRole'});
  }
  return {...doc, Version: doc.Version ?? '2012-10-17', Statement: statements};
}
