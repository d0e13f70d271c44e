/**
 * What GitHub Actions may deploy from: --repo OWNER/NAME and one branch
 * (--branch, default main) or one environment (--environment). `ci github`
 * and `export --repo` pin the same role to it, so both read the flags here;
 * a bad value is exit 2 with one sentence, before anything is read.
 */
import type {Options} from '../args.js';
import {UserError} from '../errors.js';
import {validateGithubRepo, type GithubScope} from '../plan/deploy-identity.js';

const USAGE: Partial<Record<Options['command'], string>> = {
  ci: 'zappa-iam-wizard ci github --repo OWNER/NAME [--branch B | --environment E] [--stage S]',
  export: 'zappa-iam-wizard export --format cloudformation|terraform --repo OWNER/NAME [--branch B | --environment E]',
};

/** The flags alone, before anything is read: bad ones are exit 2 with one sentence. */
export function scopeOf(options: Options): GithubScope {
  const usage = `Usage: ${USAGE[options.command] ?? USAGE.ci}. Nothing was changed.`;
  if (!options.repo) throw new UserError('ci github needs the repository that deploys: --repo OWNER/NAME.', {hint: usage});
  const repo = validateGithubRepo(options.repo);
  if (repo !== true) throw new UserError(`--repo ${repo}`, {hint: usage});
  if (options.branch !== undefined && options.environment !== undefined) {
    throw new UserError('--branch and --environment name two different things GitHub may deploy from: pass one of them.', {
      hint: '--branch B lets pushes to that branch deploy; --environment E lets jobs of that environment (with its reviewers) deploy. Nothing was changed.',
    });
  }
  if (options.environment !== undefined) {
    if (/[\u0000-\u001f\u007f]/.test(options.environment) || options.environment.length > 255) {
      throw new UserError(`--environment "${options.environment}" is not a GitHub environment name (up to 255 characters, none of them control characters).`);
    }
    return {repo: options.repo, environment: options.environment};
  }
  const branch = options.branch ?? 'main';
  const problem = branchProblem(branch);
  if (problem) throw new UserError(`--branch "${branch}" ${problem}.`, {hint: 'Name the branch as git does (e.g. main, release/2.x). Nothing was changed.'});
  return {repo: options.repo, branch};
}

/** git's rules for a branch name (git check-ref-format), which also keep GitHub's branch filters literal. */
function branchProblem(branch: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(branch)) return 'holds a character git does not allow in a branch name (space, ~ ^ : ? * [ \\ or a control character)';
  if (branch.startsWith('/') || branch.endsWith('/') || branch.endsWith('.') || branch.includes('..') || branch.includes('//') || branch.includes('@{') || branch.startsWith('-')) {
    return 'is not a branch name git allows';
  }
  return undefined;
}
