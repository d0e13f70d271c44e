/**
 * The end of a successful setup, the same for the walk-through and for
 * `setup --yes`: the permission proof in one line (in full only when it finds
 * a problem), what now exists with its console links, then the next command,
 * last, so that it is what the person sees when the run ends.
 */
import {maskKeyId} from '../engine/step.js';
import type {LocalFiles} from '../engine/local-files.js';
import type {DesiredState} from '../plan/types.js';
import type {ProofVerdict} from '../policy/verdict.js';
import {deployCommands} from './stages-text.js';
import {localKey} from '../steps/local-key.js';
import {roleArnOf} from '../plan/deploy-identity.js';

const WIDER = 'wider than Zappa needs';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * One line for a proof with no problem: what is wider than Zappa needs, or
 * that nothing is. Undefined when the proof found a problem: then it is shown
 * in full. `doctor` shows it in full on request.
 */
export function proofSummaryLine(verdict: ProofVerdict, preset: string, stages: ReadonlyArray<{stage: string}>): string | undefined {
  if (verdict.problems.length) return undefined;
  const wider = verdict.warnings.filter((w) => w.includes(WIDER)).length;
  const unread = verdict.warnings.filter((w) => w.includes('could not read') || w.includes('not checked')).length;
  const where = preset === 'strict' ? 'see `doctor`' : 'see `doctor` or `--policy strict`';
  const parts = [
    ...(wider ? [`${plural(wider, 'grant', 'grants')} wider than Zappa needs`] : []),
    ...(unread ? [`${plural(unread, 'policy', 'policies')} not read`] : []),
  ];
  if (parts.length) return `! Permissions checked offline: every Zappa command is allowed; ${parts.join(', ')} — ${where}.`;
  const names = stages.map((s) => s.stage).join(', ');
  return `✔ Permissions checked offline: every Zappa command for ${stages.length > 1 ? 'stages' : 'stage'} ${names} is allowed, and nothing more.`;
}

const CONSOLE = 'https://console.aws.amazon.com/iam/home#';

/** The console page of an IAM user or role (the console picks the partition's host itself only for aws). */
export function consoleLink(kind: 'users' | 'roles' | 'groups', name: string, partition = 'aws'): string {
  const base = partition === 'aws-us-gov' ? 'https://console.amazonaws-us-gov.com/iam/home#' : partition === 'aws-cn' ? 'https://console.amazonaws.cn/iam/home#' : CONSOLE;
  return `${base}/${kind}/details/${encodeURIComponent(name)}`;
}

const item = (text: string) => `  ${text}`;
const value = (text: string) => `    ${text}`;

/** The deploy identity's lines: the user (with its key) or the role, each with its ARN and console link. */
function identityLines(d: DesiredState, files: LocalFiles): string[] {
  const identity = d.deployIdentity;
  if (identity?.kind === 'role') {
    return [item(`Deploy role ${d.userName}, assumed through [profile ${d.profileName}]; no key on disk`), value(identity.roleArn), value(consoleLink('roles', d.userName, d.partition))];
  }
  const keyId = localKey(files, d.profileName)?.id;
  return [
    item(`IAM user ${d.userName}`), value(d.userArn), value(consoleLink('users', d.userName, d.partition)),
    ...(keyId ? [item(`Access key ${maskKeyId(keyId)}, in [${d.profileName}] of the credentials file`)] : []),
    ...(identity?.kind === 'group' ? [item(`IAM group ${identity.group}, holding the deployment policy`), value(identity.groupArn), value(consoleLink('groups', identity.group, d.partition))] : []),
  ];
}

/**
 * What now exists, for every stage of the run: identity, roles, policies and
 * buckets. ARNs and links stand alone on their lines, never cut, so they can
 * be copied or clicked whole (the terminal wraps a long one).
 */
export function resourceLines(stages: readonly DesiredState[], files: LocalFiles): string[] {
  const [first] = stages;
  if (!first) return [];
  const roles = [...new Map(stages.map((d) => [d.roleName, d])).values()];
  const buckets = [...new Set(stages.map((d) => d.bucket))];
  return [
    'What now exists:',
    ...identityLines(first, files),
    ...roles.flatMap((d) => [
      item(`Execution role ${d.roleName}${stages.length > 1 ? ` (${stages.filter((s) => s.roleName === d.roleName).map((s) => s.stage).join(', ')})` : ''}`),
      value(d.roleArn ?? roleArnOf(d.partition, d.account, d.roleName)),
      ...(d.roleInAccount ? [value(consoleLink('roles', d.roleName, d.partition))] : []),
    ]),
    item(`Policies ${first.deploymentPolicy.name}, ${first.executionPolicy.name}`), value(first.deploymentPolicy.arn), value(first.executionPolicy.arn),
    item(`${buckets.length > 1 ? 'Buckets' : 'Bucket'} ${buckets.join(', ')} (Zappa creates ${buckets.length > 1 ? 'them' : 'it'} on the first deploy)`),
  ];
}

/** The next command, one per stage (`zappa deploy dev · zappa deploy prod`): the last line of a successful run. */
export function nextLine(stages: ReadonlyArray<{stage: string}>, profile: string): string {
  return `Next: ${deployCommands(stages).join(' · ')}   (runs as profile ${profile})`;
}
