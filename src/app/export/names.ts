/** What the export says in both engines' files: the rules for names, the one-stack-per-account note. Pure. */
import type {ExportModel} from './model.js';

/** IAM's characters for user, group and role names (the length is each parameter's own). */
export const IAM_NAME_PATTERN = '^[\\w+=,.@-]+$';
/** A permissions boundary: a managed policy's ARN, or nothing. */
export const BOUNDARY_PATTERN = '^$|^arn:[\\w-]+:iam::(\\d{12}|aws):policy/[\\w+=,.@/-]+$';

/** The sentence both engines' files and the README carry: IAM is global, so one stack per account. */
export const ONE_PER_ACCOUNT = 'IAM is global to an account: deploy this once per account (with StackSets, one stack instance per account, in one region).';

export function summaryOf(m: ExportModel, engine: string): string {
  const stages = m.stages.length === 1 ? `stage ${m.stages[0]}` : `stages ${m.stages.join(', ')}`;
  const who = {user: 'an IAM user', group: 'an IAM user in a group', role: 'a deploy role (no long-term key)'}[m.identity.kind];
  const ci = m.ci ? ` and GitHub Actions of ${m.ci.scope.repo} through OIDC` : '';
  return `Zappa IAM for ${stages} (policy preset ${m.preset}; Zappa deploys as ${who}${ci}), exported by zappa-iam-wizard as ${engine}. ${ONE_PER_ACCOUNT} No access key is made here: run zappa-iam-wizard setup afterwards for the key and the local files; it finds these resources in place.`;
}
