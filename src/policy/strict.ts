/**
 * `--policy strict`: a deployment policy computed from the calls Zappa makes
 * for this stage's settings, and nothing else. IAM only GetRole/PassRole on
 * the one execution role, S3 only on the one bucket, Lambda only on the one
 * function, Logs only on its log group; EventBridge, SNS, DynamoDB… appear
 * only when the settings make Zappa call them. Pure.
 */
import type {PolicyDocument, Statement} from '../plan/policy.js';
import {splitArn} from './glob.js';
import {serviceOf} from './statements.js';
import {allZappaCalls, logGroupArn, type ZappaTarget} from './zappa-calls.js';

/** Services first in the document, in the order a person reads them; the rest follow alphabetically. */
const ORDER = ['iam', 's3', 'lambda', 'logs'];

/** The strict deployment policy for one stage. */
export function strictDeploymentPolicy(t: ZappaTarget): PolicyDocument {
  const byService = new Map<string, Map<string, Set<string>>>();
  for (const call of allZappaCalls(t)) {
    if (call.free) continue;
    const service = serviceOf(call.action);
    const actions = byService.get(service) ?? new Map<string, Set<string>>();
    byService.set(service, actions);
    const resources = actions.get(call.action) ?? new Set<string>();
    actions.set(call.action, resources);
    for (const r of resourcesFor(call.resource, t)) resources.add(r);
  }
  const services = [...byService.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const statements: Statement[] = services.flatMap((s) => statementsFor(s, byService.get(s)!));
  return fitToSizeLimit(statements);
}

/** IAM's limit for a managed policy, in characters without whitespace. */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/**
 * Many optional settings can push the policy past IAM's size limit. Shrink
 * it without granting anything more: first gather every action that is only
 * ever granted on "*" into one statement, then drop the Sids. If it still
 * does not fit, the lint says so before anything is written.
 */
function fitToSizeLimit(statements: Statement[]): PolicyDocument {
  const fits = (list: Statement[]) => JSON.stringify({Version: '2012-10-17', Statement: list}).length <= MANAGED_POLICY_MAX_CHARS;
  if (fits(statements)) return {Version: '2012-10-17', Statement: statements};
  const anywhere = statements.filter((s) => (s.Resource as string[]).every((r) => r === '*'));
  const merged: Statement[] = [
    ...statements.filter((s) => !anywhere.includes(s)),
    ...(anywhere.length ? [{Sid: 'AnyResource', Effect: 'Allow', Action: anywhere.flatMap((s) => s.Action as string[]).sort(), Resource: ['*']}] : []),
  ];
  if (fits(merged)) return {Version: '2012-10-17', Statement: merged};
  return {Version: '2012-10-17', Statement: merged.map(({Sid: _sid, ...rest}) => rest)};
}

function rank(service: string): number {
  const i = ORDER.indexOf(service);
  return i < 0 ? ORDER.length : i;
}

/**
 * A log group's ARN appears in two spellings in authorization checks (with
 * and without a trailing `:*`); grant both so `zappa tail` works either way.
 * `undeploy --remove-logs` also deletes the API's execution logs, named
 * `API-Gateway-Execution-Logs_<api id>/<stage>`: the id is only known after
 * deploy, the stage is known now, so the grant stops at this stage's logs.
 */
function resourcesFor(resource: string, t: ZappaTarget): string[] {
  const group = logGroupArn(t);
  if (resource === group) return [group, `${group}:*`];
  if (resource.endsWith(':log-group:API-Gateway-Execution-Logs_*')) {
    const stageLogs = `${resource}/${t.stage}`;
    return [stageLogs, `${stageLogs}:*`];
  }
  return [resource];
}

/** Actions with the same resources share one statement; the Sid names the service and what it acts on. */
function statementsFor(service: string, actions: Map<string, Set<string>>): Statement[] {
  const groups = new Map<string, string[]>();
  for (const [action, resources] of actions) {
    const key = [...resources].sort().join('\n');
    groups.set(key, [...(groups.get(key) ?? []), action]);
  }
  const used = new Set<string>();
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, names]) => {
      const resources = key.split('\n');
      let sid = pascal(service) + describe(resources);
      for (let n = 2; used.has(sid); n++) sid = `${pascal(service)}${describe(resources)}${n}`;
      used.add(sid);
      return {Sid: sid, Effect: 'Allow', Action: names.sort(), Resource: resources};
    });
}

/** What a resource set is, in one word: Bucket, Objects, Function, LogGroup, Rule, AnyResource… */
function describe(resources: string[]): string {
  if (resources.every((r) => r === '*')) return 'AnyResource';
  const parts = splitArn(resources.find((r) => r !== '*')!);
  if (!parts) return '';
  if (parts[1] === 's3') return parts[4].includes('/') ? 'Objects' : 'Bucket';
  const word = parts[4].split(/[:/]/).find((w) => w && w !== '*') ?? '';
  return pascal(word);
}

const pascal = (text: string): string => text.split(/[^a-z0-9]+/i).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
