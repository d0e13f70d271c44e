/** Help texts: plain strings, loaded before anything heavy. */
import type {Command} from './args.js';

/** One option of the help text, and the commands it means something to. */
interface OptionHelp {
  /** The flag and its explanation, laid out as they print (continuation lines indented to column 26). */
  text: string;
  commands: readonly Command[];
  /** Shown in the main help only: a per-command text says it better there. */
  mainOnly?: true;
}

const EVERY: readonly Command[] = ['setup', 'plan', 'doctor', 'rotate-key', 'teardown', 'ci', 'export'];
/** The commands that work out the setup from the stage and its flags. */
const PLANNING: readonly Command[] = ['setup', 'plan', 'doctor'];
/** The commands that call AWS with admin credentials. */
const CALLING: readonly Command[] = ['setup', 'plan', 'doctor', 'rotate-key', 'teardown', 'ci'];

const OPTIONS: readonly OptionHelp[] = [
  {commands: EVERY, text: `  --settings <file>       Zappa settings file (default: zappa_settings.json, .toml, .yml or
                          .yaml in this folder, in that order, as Zappa picks it)`},
  {commands: ['setup', 'plan'], text: `  --stage <name>          stage to set up (default: the file's only stage, else dev); a name
                          the file lacks adds that stage, extending the file's first one;
                          a,b or all: several stages in one run (one user and deployment
                          policy for all, one execution role per role name)`},
  {commands: ['doctor', 'teardown'], text: `  --stage <name>          the stage (default: the file's only stage, else dev); a,b or all:
                          several stages in one run`},
  {commands: ['rotate-key', 'ci', 'export'], text: `  --stage <name>          the stage (default: the file's only stage, else dev)`},
  {commands: ['setup', 'plan', 'doctor', 'rotate-key', 'teardown', 'export'], text: `  --user <name>           IAM user Zappa deploys as (default serverless)`},
  {commands: ['setup', 'plan', 'doctor', 'rotate-key', 'teardown'], text: `  --profile <name>        the deploy user's local AWS profile (default: the user name)`},
  {commands: PLANNING, text: `  --region <region>       region for the profile and the stage (e.g. us-east-1)`},
  {commands: [...PLANNING, 'teardown', 'export'], text: `  --role-name <name>      Lambda execution role (default: the stage's role_name, else
                          <project>-<stage>-ZappaLambdaExecutionRole)`},
  {commands: ['setup', 'plan'], text: `  --runtime <python3.x>   the stage's runtime; with --yes this is your agreement to change it
                          (a runtime Lambda blocks makes setup stop with the supported choices)`},
  {commands: ['setup', 'plan', 'export'], text: `  --bucket <name>         the stage's s3_bucket (a zappa-… name; default: the stage's own,
                          else zappa-<project>-<random>)`},
  {commands: CALLING, text: `  --admin-profile <name>  profile whose credentials create the IAM resources
                          (default: the AWS SDK's usual chain: env vars, default profile, SSO…)`},
  {commands: [...PLANNING, 'ci', 'export'], text: `  --policy <preset>       document (the setup document's policies plus what the stage's
                          settings need) | strict (only what Zappa calls for the stage) |
                          a folder with deployment-policy.json, execution-policy.json,
                          execution-role-trust.json. Recorded on the policies: later runs
                          without --policy keep it (default: the recorded one, else document)`},
  {commands: [...CALLING, 'export'], text: `  --endpoint-url <url>    send IAM, STS and S3 calls there (local emulators such as moto);
                          AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_IAM/_STS/_S3 work too; every call
                          times out after 30 s (ZAPPA_IAM_WIZARD_TIMEOUT_MS changes it)`},
  {commands: [...PLANNING, 'teardown', 'export'], text: `  --identity <kind>       user (default: the setup document's IAM user with an access key) |
                          group (for a team: the same user, the deployment policy on an IAM
                          group, --group <name>, default ZappaGroup) | role (no long-term
                          key: a role named by --user that your own identity assumes)`},
  {commands: [...PLANNING, 'teardown', 'export'], text: `  --group <name>          the IAM group of --identity group (default ZappaGroup)`},
  {commands: ['setup', 'plan', 'ci', 'export'], text: `  --permissions-boundary <arn>  set on every user and role the wizard creates`},
  {commands: ['ci'], text: `  --repo <owner/name>     the GitHub repository whose workflows may deploy (required)`},
  {commands: ['export'], text: `  --repo <owner/name>     also export ci github's OIDC provider and role for this repository`},
  {commands: ['ci', 'export'], text: `  --branch <name>         only this branch's workflows may assume the role (default main)`},
  {commands: ['ci', 'export'], text: `  --environment <name>    only jobs in this GitHub environment may assume it (instead of --branch)`},
  {commands: ['export'], text: `  --format <format>       cloudformation | terraform (required)`},
  {commands: ['export'], text: `  --output <path>         where to write the template or the Terraform files`},
  {commands: ['setup', 'rotate-key', 'teardown', 'ci'], text: `  -y, --yes               ask nothing: flags first, then values already in the files, then defaults`},
  {commands: [...CALLING, 'export'], text: `  --json                  print one JSON report on stdout instead of the checklist`},
  {commands: ['setup', 'teardown'], mainOnly: true, text: `  --force                 teardown: also remove resources and profiles the wizard did not
                          create; setup: replace a profile the wizard did not write. Never
                          the credentials the run itself signs in with`},
  {commands: ['setup'], text: `  --force                 replace a profile the wizard did not write (never the credentials
                          the run itself signs in with)`},
  {commands: ['teardown'], text: `  --force                 also remove resources and profiles the wizard did not create (never
                          the credentials the run itself signs in with)`},
  {commands: ['export'], text: `  --force                 overwrite files at --output that export did not write`},
  {commands: EVERY, text: `  -h, --help              this help (also: zappa-iam-wizard <command> --help)`},
  {commands: EVERY, text: `  -v, --version           the version`},
];

/** "--stage <name>", "-y, --yes": the flag column of an option. */
const flagOf = (o: OptionHelp): string => o.text.trim().split(/ {2,}/)[0]!;

/** The options section: every option once for the main help, only the command's own for `<command> --help`. */
export function optionsText(command?: Command): string {
  const shown = command
    ? OPTIONS.filter((o) => o.commands.includes(command) && !o.mainOnly)
    : OPTIONS.filter((o, i) => {
      const flag = flagOf(o);
      const main = OPTIONS.find((x) => x.mainOnly && flagOf(x) === flag);
      return main ? main === o : OPTIONS.findIndex((x) => flagOf(x) === flag) === i;
    });
  return ['Options:', ...shown.map((o) => o.text)].join('\n');
}

const EXIT_CODES = `Exit status: 0 everything in place · 1 a step failed (the report says which and why)
             2 bad usage or input, nothing changed · 3 plan: changes pending · 130 cancelled`;

const MAIN = `zappa-iam-wizard: gives a Zappa project a least-privilege "serverless" IAM user.

Run it in the folder that holds zappa_settings.json (or .toml, .yml, .yaml), signed in with an AWS identity
that may create IAM users, policies and roles. It creates the user and its access key,
writes the [serverless] profile to ~/.aws/credentials and ~/.aws/config, points the
stage of zappa_settings.json at them, and creates the deployment policy, the execution
policy and the Lambda execution role. Running it again checks everything and repairs
only what is missing or has changed. --identity group puts the deployment policy on an IAM
group the user joins; --identity role makes a role your own sign-in assumes, with no key on disk.

Usage: zappa-iam-wizard [command] [options]

Commands:
  setup        walk through the setup, then apply it (default)
  plan         show what setup would change; changes nothing (exit 3 if changes are pending)
  doctor       diagnose the files and the AWS setup; each finding with its fix
  rotate-key   replace the user's access key: new key, write, verify, delete the old one
  teardown     remove what setup created, after confirmation
  ci github    GitHub Actions deploys with no stored key (OIDC role + workflow file)
  export       the same IAM end state as CloudFormation or Terraform

${optionsText()}

${EXIT_CODES}

Examples:
  npx zappa-iam-wizard                          interactive walk-through
  npx zappa-iam-wizard setup --yes --stage prod  unattended, e.g. in CI
  npx zappa-iam-wizard plan --json              what would change, as JSON`;

const PER_COMMAND: Record<Command, string> = {
  setup: `zappa-iam-wizard setup: checks all twelve parts of the setup, shows a plan, asks once, applies it,
then proves the new key works. Re-running repairs whatever is missing or has drifted.

Example: npx zappa-iam-wizard setup --stage dev --region eu-west-1`,
  plan: `zappa-iam-wizard plan: runs the same checks as setup and prints what it would change.
Makes no change to AWS or to any file: only read calls. Exit 0 when everything is in place,
3 when changes are pending (2 on bad usage).

Examples:
  npx zappa-iam-wizard plan --stage prod
  npx zappa-iam-wizard plan --json | jq '.steps[] | select(.status != "unchanged")'`,
  doctor: `zappa-iam-wizard doctor: read-only diagnosis with the very checks setup and plan use, so
the three never disagree. Each finding names the file or AWS resource, what is wrong, and the
command that fixes it (usually setup):
  ✖ a problem: a deploy or a later run would fail (a part of the setup missing or drifted, a
    key that is inactive, deleted or someone else's, a runtime Lambda no longer takes);
  ! a warning: works, but worth a look (an s3_bucket without a random suffix, a key older than
    90 days or unused for 90, a deprecated runtime, [serverless] in the config file without the
    "profile " prefix);
  • a note: a name setup corrects so that Zappa can use it.
The file checks work offline; without admin credentials it says which AWS checks it skipped.
Makes no change anywhere. Exit 0 when no ✖ is left (warnings allowed), 1 otherwise, 2 bad usage.

Examples:
  npx zappa-iam-wizard doctor --stage prod
  npx zappa-iam-wizard doctor --json | jq -r '.findings[] | "\\(.id): \\(.fix)"'`,
  'rotate-key': `zappa-iam-wizard rotate-key: creates a new access key for the user, writes it to the
credentials file at once, waits until AWS accepts it, then deactivates and deletes the old key.
If the user already has two keys, an Inactive one is deleted first. Before any change it shows
when each Active key it will delete was last used (date, service, region) and asks once; --yes
answers (required without a terminal and with --json). If a step fails, the file still holds a
working key and the report lists the user's keys. Exit 0 rotated, 1 a step failed, 2 bad usage.

Examples:
  npx zappa-iam-wizard rotate-key
  npx zappa-iam-wizard rotate-key --yes --json     unattended, e.g. a scheduled job`,
  teardown: `zappa-iam-wizard teardown: removes what setup created: detaches the policies, deletes their old
versions and the policies, the user's keys and the user, and the execution role; then removes the
profile's sections from ~/.aws/credentials and ~/.aws/config (backups are kept, other profiles are
untouched). Only resources tagged ManagedBy=zappa-iam-wizard are removed, a policy still attached
elsewhere is left, and the profile's sections go only when the key in them is one of the user's,
unless --force. [default] and a profile holding the credentials this run signs in with are never
removed. zappa_settings.json is left as it is.
Shows the list and asks once; --yes skips the question (required without a terminal).
Exit 0 done (also when nothing was left), 1 an action failed, 2 bad usage.

Examples:
  npx zappa-iam-wizard teardown --stage dev
  npx zappa-iam-wizard teardown --yes --force       also what the wizard did not create`,
  ci: `zappa-iam-wizard ci github --repo OWNER/NAME [--branch B | --environment E]: lets GitHub Actions
deploy the stage with no stored key. Creates (or reuses: one per account) the OIDC provider for
token.actions.githubusercontent.com, a deploy role only that repository's branch (default main) or
environment may assume, the deployment policy attached to it, and .github/workflows/zappa-deploy.yml
(written when absent, printed when present). Re-running changes only what drifted.

Example: npx zappa-iam-wizard ci github --repo acme/shop --branch main --stage prod`,
  export: `zappa-iam-wizard export --format cloudformation|terraform [--output <path>]: writes the IAM end
state setup would create (policies, execution role, the deploy user, group or role) as a
CloudFormation template or Terraform files, for teams that manage IAM as code or roll it out to
many accounts (one stack per account, e.g. with StackSets). Names are parameters, the account and
partition are never literal, and there is no secret in it: the access key comes afterwards from
setup or rotate-key, which find the exported resources in place.

Examples:
  npx zappa-iam-wizard export --format cloudformation --output zappa-iam.yml
  npx zappa-iam-wizard export --format terraform --output infra/zappa-iam`,
};

export function helpText(command?: Command): string {
  if (!command) return MAIN;
  return `${PER_COMMAND[command]}\n\n${optionsText(command)}\n\n${EXIT_CODES}`;
}
