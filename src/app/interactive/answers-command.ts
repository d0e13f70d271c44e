/**
 * The one-line command that gives the answers of a walk-through the person
 * declined at the confirmation, so they are not lost: only the flags whose
 * answers differ from what `setup` would take by itself (DESIGN.md: flags,
 * then what the files say, then defaults), plus the flags the run was started
 * with. Never a secret: the admin credentials are named by profile only.
 */
import type {Options} from '../../args.js';
import {quoteIfNeeded as quote, wizardCommand} from '../../lifecycle/command-line.js';
import type {Answers} from '../../plan/types.js';

export interface GivenAnswers {
  /** The stages chosen (one, or several). */
  stages: string[];
  /** The stage setup picks by itself: the file's only stage, else dev. */
  defaultStage: string;
  /** The answers of the (first) stage, and what setup would have taken without questions. */
  answers?: Answers;
  defaults?: Answers;
  userName: string;
  adminProfile?: string;
  policy?: string;
  identity?: string;
}


/** `npx zappa-iam-wizard setup --stage production --user zappa-deployer --region ap-south-1`. */
export function answersCommand(options: Options, given: GivenAnswers): string {
  const {answers: a, defaults: d} = given;
  const stage = given.stages.join(',');
  const carried: Options = {
    ...options,
    stage: options.stage ?? (stage === given.defaultStage ? undefined : stage),
    user: given.userName,
    adminProfile: given.adminProfile,
    ...(a && d && a.roleName !== d.roleName && !a.roleArn ? {roleName: a.roleName} : {roleName: options.roleName}),
  };
  const extra: string[] = [];
  const flag = (name: string, value: string | undefined) => {
    if (value !== undefined) extra.push(name, quote(value));
  };
  flag('--region', options.region ?? (a && d && a.region !== d.region ? a.region : undefined));
  flag('--bucket', options.bucket ?? (a && d && a.bucket !== d.bucket ? a.bucket : undefined));
  flag('--runtime', options.runtime ?? a?.runtime);
  flag('--policy', options.policy ?? (given.policy && given.policy !== 'document' ? given.policy : undefined));
  flag('--identity', options.identity ?? (given.identity && given.identity !== 'user' ? given.identity : undefined));
  flag('--group', options.group);
  flag('--permissions-boundary', options.permissionsBoundary);
  flag('--endpoint-url', options.endpointUrl);
  return wizardCommand('setup', carried, extra);
}
