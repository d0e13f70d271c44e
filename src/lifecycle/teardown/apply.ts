/**
 * Carries out a teardown plan in order, one action at a time, and stops at
 * the first failure: what is done stays done, and a re-run plans only what
 * is left. "Already gone" (NotFound) counts as done, so a race with someone
 * deleting the same thing by hand is not a failure.
 */
import {isKind} from '../../aws/aws-error.js';
import type {AwsPort} from '../../aws/port.js';
import type {Edit, LocalFiles} from '../../engine/local-files.js';
import {getSection, removeSection} from '../../files/ini-document.js';
import type {TeardownAction} from './plan.js';

export type ActionStatus = 'done' | 'failed' | 'not-run';

export interface ActionResult {
  action: TeardownAction;
  status: ActionStatus;
  error?: unknown;
}

export interface ApplyDeps {
  aws: AwsPort;
  files: LocalFiles;
  emit(result: ActionResult): void;
}

export async function applyTeardown(actions: TeardownAction[], deps: ApplyDeps): Promise<ActionResult[]> {
  const results: ActionResult[] = [];
  let failed = false;
  for (const action of actions) {
    let result: ActionResult;
    if (failed) {
      result = {action, status: 'not-run'};
    } else {
      try {
        await perform(action, deps);
        result = {action, status: 'done'};
      } catch (error) {
        failed = !isKind(error, 'NotFound');
        result = failed ? {action, status: 'failed', error} : {action, status: 'done'};
      }
    }
    results.push(result);
    deps.emit(result);
  }
  return results;
}

async function perform(action: TeardownAction, {aws, files}: ApplyDeps): Promise<void> {
  switch (action.kind) {
    case 'detach-user-policy': return aws.detachUserPolicy(action.user, action.arn);
    case 'detach-role-policy': return aws.detachRolePolicy(action.role, action.arn);
    case 'detach-group-policy': return aws.detachGroupPolicy(action.group, action.arn);
    case 'delete-policy-version': return aws.deletePolicyVersion(action.arn, action.versionId);
    case 'delete-policy': return aws.deletePolicy(action.arn);
    case 'delete-access-key': return aws.deleteAccessKey(action.user, action.id);
    case 'delete-user': return aws.deleteUser(action.user);
    case 'delete-role': return aws.deleteRole(action.role);
    case 'remove-user-from-group': return aws.removeUserFromGroup(action.group, action.user);
    case 'delete-group': return aws.deleteGroup(action.group);
    case 'remove-section': {
      await files.assertWritable(action.file);
      return files.write(action.file, removeSectionEdit(action.section, files.section(action.file, action.section)));
    }
  }
}

/**
 * Removes [section] from the file as it is at the moment of the write, so a
 * profile the person added meanwhile stays. The section itself must still be
 * what teardown judged (`judged`, as read): one changed meanwhile is no
 * longer known to be the wizard's, and the write stops and says so
 * (LocalFiles words it: the file changed while the wizard ran). One already
 * gone is left gone.
 */
function removeSectionEdit(section: string, judged: Record<string, string> | undefined): Edit {
  return (current) => {
    const text = current ?? '';
    const now = getSection(text, section);
    if (!now) return text;
    if (!sameSection(now, judged)) throw new Error(`[${section}] itself changed since teardown looked at it, so it stays`);
    return removeSection(text, section);
  };
}

function sameSection(a: Record<string, string>, b: Record<string, string> | undefined): boolean {
  if (!b) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && b[k] === a[k]);
}
