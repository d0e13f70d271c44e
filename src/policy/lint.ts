/**
 * Policy lint: every action must exist in AWS's Service Authorization
 * Reference, and every resource pattern must be able to match something the
 * statement's actions act on. IAM accepts a misspelled action or a dead
 * resource without complaint; Zappa then fails much later with AccessDenied.
 * And no policy may grant what would make the deploy identity an
 * administrator, nor let outsiders assume the execution role (escalation.ts).
 * Pure apart from the bundled catalog.
 */
import {UserError} from '../errors.js';
import type {PolicyDocument, Statement} from '../plan/policy.js';
import {expandActionPattern, findAction, serviceActions, servicePrefixes, type CatalogAction} from './catalog.js';
import {identityEscalations, trustEscalations} from './escalation.js';
import {arnsOverlap, hasWildcard} from './glob.js';
import {listOf, statementLabel, statementsOf} from './statements.js';
import type {DesiredState} from '../plan/types.js';

/**
 * What is linted: a document with a name, and whether it is the execution
 * role's trust policy (no Resource). `account` is the account the wizard
 * works in: a trust principal in any other account is refused.
 */
export interface LintInput { name: string; document: PolicyDocument; kind?: 'identity' | 'trust'; account?: string }

/**
 * One problem, in words a person can act on. `escalation` marks a grant no
 * deploy identity may hold (as opposed to a mistake AWS would only report
 * later).
 */
export interface LintIssue { policy: string; where: string; message: string; escalation?: true }

/** IAM's size limits, counted without whitespace (IAM quotas; a trust policy's limit can be raised to 4,096). */
const MANAGED_POLICY_MAX_CHARS = 6144;
const TRUST_POLICY_MAX_CHARS = 2048;

/** Names people write that AWS never had, with what to write instead. */
const KNOWN_MISTAKES: Record<string, string> = {
  's3:createmultipartupload': 'S3 authorizes every multipart-upload step with s3:PutObject.',
  's3:uploadpart': 'S3 authorizes every multipart-upload step with s3:PutObject.',
  's3:completemultipartupload': 'S3 authorizes every multipart-upload step with s3:PutObject.',
  's3:headbucket': 'S3 authorizes HeadBucket with s3:ListBucket.',
  's3:headobject': 'S3 authorizes HeadObject with s3:GetObject.',
  'apigateway:options': 'API Gateway\'s management verbs are GET, POST, PUT, PATCH and DELETE.',
};

/** Lints one document. */
export function lintPolicy(input: LintInput): LintIssue[] {
  const issues: LintIssue[] = [];
  const statements = statementsOf(input.document);
  if (!statements.length) issues.push({policy: input.name, where: 'document', message: 'has no Statement.'});
  const size = JSON.stringify(input.document).replace(/\s+/g, '').length;
  const limit = input.kind === 'trust' ? TRUST_POLICY_MAX_CHARS : MANAGED_POLICY_MAX_CHARS;
  if (size > limit) {
    issues.push({policy: input.name, where: 'document', message: `is ${size} characters long (without whitespace); IAM accepts at most ${limit} for ${input.kind === 'trust' ? 'a role trust policy' : 'a managed policy'}.`});
  }
  const kind = input.kind ?? 'identity';
  statements.forEach((statement, index) => {
    const where = statementLabel(statement, index);
    for (const message of lintStatement(statement, kind)) issues.push({policy: input.name, where, message});
    const escalations = kind === 'trust' ? trustEscalations(statement, input) : identityEscalations(statement, input);
    for (const message of escalations) issues.push({policy: input.name, where, message, escalation: true});
  });
  return issues;
}

/** Lints several documents. */
export function lintPolicies(inputs: LintInput[]): LintIssue[] {
  return inputs.flatMap(lintPolicy);
}

/**
 * Stops the run (exit 2, nothing changed) when any policy has an issue.
 * `hint` says where the documents came from, e.g. the --policy folder.
 */
/** The three documents a run deploys (both managed policies and the execution role's trust), in the account they are for. */
export function deployedDocuments(d: Pick<DesiredState, 'account' | 'deploymentPolicy' | 'executionPolicy' | 'trust'>): LintInput[] {
  const {account} = d;
  return [
    {name: d.deploymentPolicy.name, document: d.deploymentPolicy.document, account},
    {name: d.executionPolicy.name, document: d.executionPolicy.document, account},
    {name: 'execution role trust policy', document: d.trust, kind: 'trust', account},
  ];
}

export function assertPoliciesLintClean(inputs: LintInput[], hint?: string): void {
  const issues = lintPolicies(inputs);
  if (!issues.length) return;
  // Grants that make the deploy identity an administrator come first: they matter most.
  const ordered = [...issues.filter((i) => i.escalation), ...issues.filter((i) => !i.escalation)];
  const lines = ordered.slice(0, 12).map((i) => `  ${i.policy}, ${i.where}: ${i.message}`);
  if (issues.length > 12) lines.push(`  … and ${issues.length - 12} more.`);
  const grants = issues.filter((i) => i.escalation).length;
  const summary = grants
    ? `The policies to deploy have ${issues.length} problem(s); ${grants === issues.length ? 'each' : `${grants} of them`} would give the deploy identity more than deploying needs (a way to become an administrator, or a role anyone can assume)`
    : `The policies to deploy have ${issues.length} problem(s) AWS would not report until Zappa fails`;
  throw new UserError(`${summary}:\n${lines.join('\n')}`, {
    hint: `${hint ? `${hint} ` : ''}Nothing was changed.`,
  });
}

function lintStatement(statement: Statement, kind: 'identity' | 'trust'): string[] {
  const messages: string[] = [];
  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') messages.push(`Effect must be "Allow" or "Deny", not ${JSON.stringify(statement.Effect)}.`);
  messages.push(...placeholderMessages(statement));

  const negated = statement.Action === undefined && statement.NotAction !== undefined;
  const actions = listOf(negated ? statement.NotAction : statement.Action);
  if (!actions.length) messages.push('has no Action.');
  const known = new Map<string, CatalogAction[]>();
  for (const action of actions) {
    const problem = actionProblem(action);
    if (problem) messages.push(problem);
    else if (action !== '*') known.set(action, hasWildcard(action) ? expandActionPattern(action) : [findAction(action)!]);
  }

  if (kind === 'trust') return messages;
  const resources = listOf(statement.Resource ?? statement.NotResource);
  if (!resources.length) {
    messages.push('has no Resource.');
    return messages;
  }
  const malformed = resources.filter((r) => r !== '*' && !r.startsWith('arn:'));
  for (const resource of malformed) messages.push(`Resource "${resource}" is neither "*" nor an ARN (arn:…); IAM rejects it.`);
  // Matching resources to actions only makes sense for Action + Resource, and
  // only when every action and resource is well-formed (problems are reported above).
  if (negated || statement.Resource === undefined || actions.includes('*') || known.size !== actions.length || malformed.length) return messages;
  messages.push(...resourceMessages(known, resources));
  return messages;
}

/** Leftover `<ACCOUNT_ID>`-style placeholders: the wizard fills only <ACCOUNT_ID> and <PARTITION>. */
function placeholderMessages(statement: Statement): string[] {
  const found = new Set(JSON.stringify(statement).match(/<[A-Z][A-Z0-9_]*>/g) ?? []);
  return [...found].map((p) => `contains the placeholder ${p}, which the wizard does not fill (it fills <ACCOUNT_ID> and <PARTITION>).`);
}

function actionProblem(action: string): string | undefined {
  if (action === '*') return undefined;
  const colon = action.indexOf(':');
  if (colon <= 0) return `"${action}" is not an action: write service:Action, e.g. s3:GetObject.`;
  const prefix = action.slice(0, colon);
  const name = action.slice(colon + 1);
  const actions = serviceActions(prefix);
  if (!actions) {
    const close = closest(prefix.toLowerCase(), servicePrefixes());
    return `"${action}": AWS has no service "${prefix}".${close ? ` Did you mean ${close}?` : ''}`;
  }
  if (hasWildcard(name)) {
    return expandActionPattern(action).length ? undefined : `"${action}" matches no ${prefix} action.`;
  }
  if (actions.has(name.toLowerCase())) return undefined;
  const known = KNOWN_MISTAKES[action.toLowerCase()];
  if (known) return `"${action}" is not an IAM action. ${known}`;
  const names = [...actions.values()].map((a) => a.id.slice(a.id.indexOf(':') + 1));
  const close = closest(name, names);
  return `"${action}" is not an IAM action.${close ? ` Did you mean ${prefix}:${close}?` : ''}`;
}

function resourceMessages(actions: Map<string, CatalogAction[]>, resources: string[]): string[] {
  const messages: string[] = [];
  const all = [...actions.values()].flat();
  const wildcardGranted = resources.includes('*');
  for (const resource of resources) {
    if (resource === '*') continue;
    const reachable = all.some((a) => a.resources.some((r) => arnsOverlap(resource, r.arn)));
    if (!reachable) messages.push(`Resource "${resource}" can never match: none of the statement's actions acts on a resource of that shape.`);
  }
  if (wildcardGranted) return messages;
  // Named actions (not patterns) that no resource in the statement can reach.
  for (const [name, [action]] of actions) {
    if (hasWildcard(name) || !action) continue;
    if (!action.resources.length) {
      messages.push(`${name} is authorized on no specific resource; only "Resource": "*" grants it, so this statement never does.`);
    } else if (!action.resources.some((r) => resources.some((p) => arnsOverlap(p, r.arn)))) {
      const shapes = action.resources.map((r) => r.arn).join(', ');
      messages.push(`${name} acts on ${shapes}; none of the statement's resources can match that, so it is never granted.`);
    }
  }
  return messages;
}

/** The nearest name by edit distance (at most 2 edits), or a known name the input starts with. */
function closest(input: string, names: string[]): string | undefined {
  const lower = input.toLowerCase();
  let best: {name: string; d: number} | undefined;
  for (const name of names) {
    const d = editDistance(lower, name.toLowerCase(), 3);
    if (d <= 2 && (!best || d < best.d)) best = {name, d};
  }
  if (best) return best.name;
  return names.filter((n) => lower.startsWith(n.toLowerCase()) && n.length >= 4).sort((a, b) => b.length - a.length)[0];
}

/** Levenshtein distance, giving up (returning `limit`) once it exceeds `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let prev = Array.from({length: b.length + 1}, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    if (Math.min(...row) >= limit) return limit;
    prev = row;
  }
  return Math.min(prev[b.length]!, limit);
}
