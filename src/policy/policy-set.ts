/**
 * The three documents a stage gets (deployment policy, execution policy,
 * execution role trust) for a preset, computed from one model of what the
 * stage needs (needs/):
 *
 * - `document`: the setup document's policies, plus exactly what the stage's
 *   settings require and the document lacks, each addition named with its
 *   reason. For the document's own example settings nothing is added.
 * - `strict`: only what the stage needs, scoped to its function, role,
 *   bucket and log group.
 * - a folder: the person's templates as written (the proof reports gaps);
 *   only the trust gets the services that must assume the role.
 *
 * Pure.
 */
import {renderTemplate, type PolicyDocument, type Statement} from '../plan/policy.js';
import type {PolicyTemplates} from '../plan/desired.js';
import type {PolicyAddition, PolicySet} from '../plan/types.js';
import {missingTrustedServices, withTrustedServices} from '../plan/trust.js';
import {evaluate} from './evaluate.js';
import {executionRoleNeeds, trustNeeds, type PermissionNeed} from './needs/execution-role.js';
import {stageFeatures} from './needs/features.js';
import {settingOfCall} from './needs/reasons.js';
import {requestContext, requestOf} from './proof.js';
import {refusedActions} from './role-proof.js';
import {listOf, statementsOf, type NamedPolicy} from './statements.js';
import {strictDeploymentPolicy} from './strict.js';
import {allZappaCalls, type ZappaCall, type ZappaTarget} from './zappa-calls.js';

/**
 * Zappa calls these only when it manages roles, which the wizard turns off;
 * together with iam:PassRole and lambda:CreateFunction they would let the
 * deploy user give the execution role any rights and run code with them.
 */
export const ROLE_MANAGEMENT_ACTIONS = ['iam:AttachRolePolicy', 'iam:CreateRole', 'iam:PutRolePolicy'] as const;

const ROLE_MANAGEMENT_REASON = 'Zappa calls them only when it manages roles (the wizard sets manage_roles to false), and with iam:PassRole they would let the deploy user give the role any rights';

export function policySetFor(preset: string, templates: PolicyTemplates, target: ZappaTarget, userName: string): PolicySet {
  const fill = (t: string): PolicyDocument => renderTemplate(t, {accountId: target.account, partition: target.partition});
  const trust = trustNeeds(stageFeatures(target.settings));
  const trustServices = trust.map((n) => n.service).sort();
  const trustAdditions = (base: PolicyDocument): PolicyAddition[] =>
    trust.filter((n) => missingIn(base, n.service))
      .map((n) => ({policy: 'trust', setting: settingOfTrust(n.service), reason: n.reason, actions: [n.service]}));

  if (preset === 'strict') {
    const needs = executionRoleNeeds(target);
    return {
      preset,
      deployment: strictDeploymentPolicy(target),
      execution: {Version: '2012-10-17', Statement: needs.map((n) => n.statement)},
      trust: {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: trustServices}, Action: 'sts:AssumeRole'}]},
      trustServices,
      additions: needs.filter((n) => n.setting !== '(always)').map((n) => additionOf(n)),
      omissions: [],
    };
  }

  const baseTrust = fill(templates.trust);
  const trustDoc = withTrustedServices(baseTrust, trustServices);
  if (preset !== 'document') {
    return {preset, deployment: fill(templates.deployment), execution: fill(templates.execution), trust: trustDoc, trustServices, additions: trustAdditions(baseTrust), omissions: []};
  }

  const deploymentBase = withoutActions(fill(templates.deployment), ROLE_MANAGEMENT_ACTIONS);
  const deployerAdds = deployerAdditions(deploymentBase, target, userName);
  const executionBase = fill(templates.execution);
  const executionAdds = executionRoleNeeds(target).filter((n) => !covered(executionBase, n.statement, target));
  return {
    preset,
    deployment: appendStatements(deploymentBase, deployerAdds.map((a) => a.statement)),
    execution: appendStatements(executionBase, executionAdds.map((n) => n.statement)),
    trust: trustDoc,
    trustServices,
    additions: [...deployerAdds.map((a) => a.addition), ...executionAdds.map(additionOf), ...trustAdditions(baseTrust)],
    omissions: [{actions: [...ROLE_MANAGEMENT_ACTIONS], reason: ROLE_MANAGEMENT_REASON}],
  };
}

const missingIn = (doc: PolicyDocument, service: string): boolean => missingTrustedServices(doc, [service]).length > 0;

function settingOfTrust(service: string): string {
  if (service.startsWith('events.')) return 'keep_warm / events';
  if (service.startsWith('apigateway.')) return 'apigateway_enabled';
  return '(always)';
}

const additionOf = (n: PermissionNeed): PolicyAddition => ({policy: 'execution', setting: n.setting, reason: n.reason, actions: listOf(n.statement.Action)});

/** The document with the given actions taken out of every Allow statement (a statement left empty goes). */
export function withoutActions(doc: PolicyDocument, actions: readonly string[]): PolicyDocument {
  const drop = new Set(actions.map((a) => a.toLowerCase()));
  const statements = statementsOf(doc).flatMap((s): Statement[] => {
    if (s.Effect !== 'Allow' || s.Action === undefined) return [s];
    const kept = listOf(s.Action).filter((a) => !drop.has(a.toLowerCase()));
    if (!kept.length) return [];
    return [{...s, Action: kept}];
  });
  return {...doc, Statement: statements};
}

function appendStatements(doc: PolicyDocument, statements: Statement[]): PolicyDocument {
  if (!statements.length) return doc;
  return {...doc, Statement: [...statementsOf(doc), ...statements]};
}

/** Every (action, resource) of the statement is allowed by the document (statements with conditions or NotAction never count as covered). */
function covered(doc: PolicyDocument, statement: Statement, t: ZappaTarget): boolean {
  if (statement.Condition || statement.NotAction || statement.NotResource || statement.Effect !== 'Allow') return false;
  return refusedActions([{name: 'base', document: doc}], statement, t).length === 0;
}

interface DeployerAddition { statement: Statement; addition: PolicyAddition }

/**
 * Zappa's calls (and AWS's implicit checks) for every relevant command that
 * the base document refuses, grouped by the setting that causes them; calls
 * Zappa carries on without are left to the proof's warnings.
 */
function deployerAdditions(base: PolicyDocument, t: ZappaTarget, userName: string): DeployerAddition[] {
  const policies: NamedPolicy[] = [{name: 'base', document: base}];
  const context = requestContext(t, userName);
  const refused = allZappaCalls(t).filter((c) => !c.free && !c.tolerated &&
    evaluate(policies, requestOf(c, context)).decision !== 'allowed');
  const bySetting = new Map<string, {reason: string; calls: ZappaCall[]}>();
  for (const call of refused) {
    const {setting, reason} = t.roleArn && call.resource === t.roleArn
      ? {setting: 'role_arn', reason: 'Zappa passes the role_arn role, whose name is outside the document\'s *-ZappaLambdaExecutionRole pattern'}
      : settingOfCall(call);
    const group = bySetting.get(setting) ?? {reason, calls: []};
    group.calls.push(call);
    bySetting.set(setting, group);
  }
  return [...bySetting.entries()].flatMap(([setting, {reason, calls}]) => statementsByResources(setting, calls).map((statement) => ({
    statement,
    addition: {policy: 'deployment' as const, setting, reason, actions: listOf(statement.Action)},
  })));
}

/** Actions with the same resources share a statement, so nothing is granted on more than it needs. */
function statementsByResources(setting: string, calls: ZappaCall[]): Statement[] {
  const resourcesOf = new Map<string, Set<string>>();
  for (const c of calls) resourcesOf.set(c.action, (resourcesOf.get(c.action) ?? new Set()).add(c.resource));
  const groups = new Map<string, string[]>();
  for (const [action, resources] of resourcesOf) {
    const key = [...resources].sort().join('\n');
    groups.set(key, [...(groups.get(key) ?? []), action]);
  }
  const base = `Wizard${setting.split(/[^a-z0-9]+/i).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}`;
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, actions], i) => ({
    Sid: i ? `${base}${i + 1}` : base,
    Effect: 'Allow',
    Action: actions.sort(),
    Resource: key.split('\n'),
  }));
}
