/**
 * Rows 7 and 9: a customer-managed policy whose default version equals the
 * template. Reads iam:GetPolicy + iam:GetPolicyVersion (documents compared as
 * parsed JSON). Writes iam:CreatePolicy (tagged) or, on drift,
 * iam:CreatePolicyVersion as the new default, first deleting the oldest
 * non-default version when the policy is at IAM's limit of five. After a
 * failure the old default stays in force; a re-run tries again.
 */
import {isKind} from '../aws/aws-error.js';
import {managedTags} from '../aws/port.js';
import {allowedActions, samePolicy, type PolicyDocument} from '../plan/policy.js';
import type {DesiredState, PolicyTarget, StepId} from '../plan/types.js';
import {drifted, missing, present, type StepContext, type StepDefinition} from '../engine/step.js';

const VERSION_LIMIT = 5;

function actionDelta(actual: PolicyDocument, wanted: PolicyDocument): string {
  const have = new Set(allowedActions(actual));
  const want = new Set(allowedActions(wanted));
  const added = [...want].filter((a) => !have.has(a));
  const removed = [...have].filter((a) => !want.has(a));
  const parts = [];
  if (added.length) parts.push(`${added.length} action(s) missing, e.g. ${added[0]}`);
  if (removed.length) parts.push(`${removed.length} extra action(s), e.g. ${removed[0]}`);
  return parts.length ? parts.join('; ') : 'resources or conditions differ';
}

/** Makes room for one more version by deleting the oldest non-default one. */
async function pruneVersions(ctx: StepContext, arn: string): Promise<string | undefined> {
  const versions = await ctx.aws.listPolicyVersions(arn);
  if (versions.length < VERSION_LIMIT) return undefined;
  const oldest = versions
    .filter((v) => !v.isDefault)
    .sort((a, b) => (a.created?.getTime() ?? 0) - (b.created?.getTime() ?? 0) || a.id.localeCompare(b.id, 'en', {numeric: true}))[0];
  if (!oldest) return undefined;
  await ctx.aws.deletePolicyVersion(arn, oldest.id);
  return oldest.id;
}

async function updateDocument(ctx: StepContext, target: PolicyTarget): Promise<string> {
  const pruned = await pruneVersions(ctx, target.arn);
  await ctx.aws.createPolicyVersion(target.arn, target.document);
  return pruned ? `; deleted old version ${pruned} (IAM keeps at most ${VERSION_LIMIT})` : '';
}

export function managedPolicyStep(id: StepId, pick: (d: DesiredState) => PolicyTarget): StepDefinition {
  return {
    id,
    dependsOn: ['identity'],
    title: (d) => `Policy ${pick(d).name}`,
    async check(ctx) {
      const target = pick(ctx.desired);
      const state = await ctx.reads.policy(target.arn);
      if (!state) return missing(`will create ${target.name}`);
      if (!samePolicy(state.document, target.document)) {
        return drifted(`default version ${state.policy.defaultVersionId} differs from the template: ${actionDelta(state.document, target.document)}`);
      }
      return present(`${target.arn} (${state.policy.defaultVersionId})`);
    },
    async apply(ctx, check) {
      const target = pick(ctx.desired);
      if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
      if (check.state === 'missing') {
        try {
          await ctx.aws.createPolicy(target.name, target.document, target.description, managedTags());
          return {status: 'created', detail: target.arn};
        } catch (err) {
          if (!isKind(err, 'AlreadyExists')) throw err;
        }
      }
      const note = await updateDocument(ctx, target);
      return {status: 'updated', detail: `new default version matches the template${note}`};
    },
  };
}

export const deploymentPolicyStep = managedPolicyStep('deployment-policy', (d) => d.deploymentPolicy);
export const executionPolicyStep = managedPolicyStep('execution-policy', (d) => d.executionPolicy);
