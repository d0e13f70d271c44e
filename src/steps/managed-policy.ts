/**
 * Rows 7 and 9: a customer-managed policy whose default version equals the
 * template and whose PRESET_TAG records the preset in force (no tag counts
 * as `document`). Reads iam:GetPolicy + iam:GetPolicyVersion (documents
 * compared as parsed JSON). Writes iam:CreatePolicy (tagged) or, on drift,
 * iam:TagPolicy for a stale preset and iam:CreatePolicyVersion as the new
 * default, first deleting the oldest non-default version when the policy is
 * at IAM's limit of five. The tag goes first, so a failure in between leaves
 * the preset last asked for recorded, and a plain re-run finishes it. After a
 * failure the old default stays in force; a re-run tries again.
 */
import {isKind} from '../aws/aws-error.js';
import {managedTags, type Tags} from '../aws/port.js';
import {IDENTITY_TAG, PRESET_TAG} from '../plan/desired.js';
import {allowedActions, canonicalize, placeholdersIn, samePolicy, type PolicyDocument, type Statement} from '../plan/policy.js';
import type {PolicyState} from '../engine/reads.js';
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

/** The version a new one would push out: the oldest non-default one, when the policy is at IAM's limit. */
async function versionToPrune(ctx: StepContext, arn: string): Promise<string | undefined> {
  const versions = await ctx.aws.listPolicyVersions(arn);
  if (versions.length < VERSION_LIMIT) return undefined;
  return versions
    .filter((v) => !v.isDefault)
    .sort((a, b) => (a.created?.getTime() ?? 0) - (b.created?.getTime() ?? 0) || a.id.localeCompare(b.id, 'en', {numeric: true}))[0]?.id;
}

/** Makes room for one more version by deleting the oldest non-default one. */
async function pruneVersions(ctx: StepContext, arn: string): Promise<string | undefined> {
  const oldest = await versionToPrune(ctx, arn);
  if (!oldest) return undefined;
  await ctx.aws.deletePolicyVersion(arn, oldest);
  return oldest;
}

const statementsOf = (doc: PolicyDocument): Statement[] => (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]);

/**
 * Statements of the policy in force that the new version does not have, in
 * words ("statement \"MyExtra\" (s3:GetObject, …)"): an update replaces the
 * whole default version, so what someone added by hand goes with it.
 */
export function droppedStatements(actual: PolicyDocument, wanted: PolicyDocument): string[] {
  const kept = new Set(statementsOf(wanted).map((s) => JSON.stringify(canonicalize(s))));
  // A statement whose Sid the new version has is changed, not dropped: the plan's action delta tells that part.
  const sids = new Set(statementsOf(wanted).map((s) => s.Sid).filter(Boolean));
  return statementsOf(actual).filter((s) => !(s.Sid && sids.has(s.Sid)) && !kept.has(JSON.stringify(canonicalize(s)))).map((s) => {
    const actions = [s.Action ?? s.NotAction].flat().filter((a): a is string => typeof a === 'string');
    const shown = actions.length > 3 ? `${actions.slice(0, 3).join(', ')}, …` : actions.join(', ');
    return `${s.Sid ? `statement "${s.Sid}"` : 'a statement'} (${s.Effect} ${shown || 'no action'})`;
  });
}

async function updateDocument(ctx: StepContext, target: PolicyTarget): Promise<string> {
  const pruned = await pruneVersions(ctx, target.arn);
  await ctx.aws.createPolicyVersion(target.arn, target.document);
  return pruned ? `; deleted old version ${pruned} (IAM keeps at most ${VERSION_LIMIT})` : '';
}

/** The preset the policy records: its tag, or `document` when it has none. */
export function recordedPreset(tags: Tags): string {
  return tags[PRESET_TAG] || 'document';
}

/** The identity kind the policy records: its tag, or `user` when it has none. */
const recordedIdentity = (tags: Tags): string => tags[IDENTITY_TAG] || 'user';

/** The identity tag to write: the kind in force, when it differs from what the policy records. */
function staleIdentity(state: PolicyState | undefined, target: PolicyTarget): string | undefined {
  if (target.identityTag === undefined) return undefined;
  if (state && recordedIdentity(state.policy.tags) === target.identityTag) return undefined;
  return target.identityTag;
}

/** The preset tag to write: the one in force, when it differs from what the policy records. */
function stalePreset(state: PolicyState | undefined, target: PolicyTarget): string | undefined {
  if (target.presetTag === undefined) return undefined;
  if (state && recordedPreset(state.policy.tags) === target.presetTag) return undefined;
  return target.presetTag;
}

export function managedPolicyStep(id: StepId, pick: (d: DesiredState) => PolicyTarget): StepDefinition {
  return {
    id,
    dependsOn: ['identity'],
    title: (d) => `Policy ${pick(d).name}`,
    async check(ctx) {
      const target = pick(ctx.desired);
      const state = await ctx.reads.policy(target.arn);
      const kind = id === 'deployment-policy' ? 'deployment-policy' : 'execution-policy';
      if (!state) return {...missing(`will create ${target.name}`), reason: `${kind}-missing`};
      const parts: string[] = [];
      const placeholders = placeholdersIn(state.document);
      if (placeholders.length) {
        parts.push(`default version ${state.policy.defaultVersionId} still holds ${placeholders.join(', ')} where the account ID belongs, so it matches none of your resources; will write it with the account filled in`);
      } else if (!samePolicy(state.document, target.document)) {
        parts.push(`default version ${state.policy.defaultVersionId} differs from the template: ${actionDelta(state.document, target.document)}`);
        const dropped = droppedStatements(state.document, target.document);
        if (dropped.length) parts.push(`the new version leaves out ${dropped.join(', ')} of ${state.policy.defaultVersionId}`);
      }
      if (placeholders.length || !samePolicy(state.document, target.document)) {
        // Everything an update deletes is in the plan, before the one yes.
        const pruned = await versionToPrune(ctx, target.arn).catch(() => undefined);
        if (pruned) parts.push(`will delete old version ${pruned} to make room (IAM keeps at most ${VERSION_LIMIT})`);
      }
      const preset = stalePreset(state, target);
      if (preset !== undefined) parts.push(`records preset ${recordedPreset(state.policy.tags)}, will record ${preset} (tag ${PRESET_TAG})`);
      const identity = staleIdentity(state, target);
      if (identity !== undefined) parts.push(`records deploy identity ${recordedIdentity(state.policy.tags)}, will record ${identity} (tag ${IDENTITY_TAG})`);
      const tagParts = (preset === undefined ? 0 : 1) + (identity === undefined ? 0 : 1);
      const reason = placeholders.length ? `${kind}-placeholder` : parts.length > tagParts ? `${kind}-outdated` : preset !== undefined ? `${kind}-preset` : `${kind}-identity`;
      if (parts.length) return {...drifted(parts.join('; ')), reason};
      return present(`${target.arn} (${state.policy.defaultVersionId})`);
    },
    async apply(ctx, check) {
      const target = pick(ctx.desired);
      if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
      if (check.state === 'missing') {
        try {
          const tags = {
            ...managedTags(),
            ...(target.presetTag === undefined ? {} : {[PRESET_TAG]: target.presetTag}),
            ...(target.identityTag === undefined ? {} : {[IDENTITY_TAG]: target.identityTag}),
          };
          await ctx.aws.createPolicy(target.name, target.document, target.description, tags);
          return {status: 'created', detail: target.arn};
        } catch (err) {
          if (!isKind(err, 'AlreadyExists')) throw err;
        }
      }
      // The check's reads (memoised); none when the policy appeared since the check: then write both.
      const state = check.state === 'missing' ? undefined : await ctx.reads.policy(target.arn);
      const done: string[] = [];
      const preset = stalePreset(state, target);
      const identity = staleIdentity(state, target);
      if (preset !== undefined || identity !== undefined) {
        await ctx.aws.tagPolicy(target.arn, {
          ...(preset === undefined ? {} : {[PRESET_TAG]: preset}),
          ...(identity === undefined ? {} : {[IDENTITY_TAG]: identity}),
        });
        if (preset !== undefined) done.push(`records preset ${preset}`);
        if (identity !== undefined) done.push(`records deploy identity ${identity}`);
      }
      if (!state || !samePolicy(state.document, target.document)) {
        const note = await updateDocument(ctx, target);
        done.push(`new default version matches the template${note}`);
      }
      return {status: 'updated', detail: done.join('; ') || 'matches the template'};
    },
  };
}

export const deploymentPolicyStep = managedPolicyStep('deployment-policy', (d) => d.deploymentPolicy);
export const executionPolicyStep = managedPolicyStep('execution-policy', (d) => d.executionPolicy);
