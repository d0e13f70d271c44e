/** Help texts: plain strings, loaded before anything heavy. */
import type {Command} from './args.js';

const FLAGS = `Options:
  --settings <file>       Zappa settings file (default ./zappa_settings.json)
  --stage <name>          stage to set up (default: the file's only stage, else dev)
  --user <name>           IAM user Zappa deploys as (default serverless)
  --profile <name>        local AWS profile to write (default: the user name)
  --region <region>       region for the profile and the stage (e.g. us-east-1)
  --role-name <name>      Lambda execution role (default: the stage's role_name, else
                          <project>-<stage>-ZappaLambdaExecutionRole)
  --admin-profile <name>  profile whose credentials create the IAM resources
                          (default: the AWS SDK's usual chain: env vars, default profile, SSO…)
  --policy <preset>       document (the setup document's policies, default) | strict |
                          a folder with deployment-policy.json, execution-policy.json,
                          execution-role-trust.json
  --endpoint-url <url>    send IAM, STS and S3 calls there (local emulators such as moto);
                          AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_IAM/_STS/_S3 work too
  -y, --yes               ask nothing: flags first, then values already in the files, then defaults
  --json                  print one JSON report on stdout instead of the checklist
  --force                 teardown: also remove resources the wizard did not create
  -h, --help              this help (also: zappa-iam-wizard <command> --help)
  -v, --version           the version`;

const EXIT_CODES = `Exit status: 0 everything in place · 1 a step failed (the report says which and why)
             2 bad usage or input, nothing changed · 3 plan: changes pending · 130 cancelled`;

const MAIN = `zappa-iam-wizard: gives a Zappa project a least-privilege "serverless" IAM user.

Run it in the folder that holds zappa_settings.json, signed in with an AWS identity
that may create IAM users, policies and roles. It creates the user and its access key,
writes the [serverless] profile to ~/.aws/credentials and ~/.aws/config, points the
stage of zappa_settings.json at them, and creates the deployment policy, the execution
policy and the Lambda execution role. Running it again checks everything and repairs
only what is missing or has changed.

Usage: zappa-iam-wizard [command] [options]

Commands:
  setup        walk through the setup, then apply it (default)
  plan         show what setup would change; changes nothing (exit 3 if changes are pending)
  doctor       diagnose the files and the AWS setup; each finding with its fix
  rotate-key   replace the user's access key: new key, write, verify, delete the old one
  teardown     remove what setup created, after confirmation

${FLAGS}

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
Makes no change to AWS or to any file. Exit 0 when everything is in place, 3 when changes are pending.

Example: npx zappa-iam-wizard plan --json | jq '.steps[] | select(.status != "unchanged")'`,
  doctor: `zappa-iam-wizard doctor: read-only diagnosis. Prints one finding per line: what is wrong, where,
and the command that fixes it. File checks work offline; AWS checks need credentials.
Exit 0 healthy, 1 findings.

Example: npx zappa-iam-wizard doctor --stage prod`,
  'rotate-key': `zappa-iam-wizard rotate-key: creates a new access key for the user, writes it to the
credentials file, waits until AWS accepts it, then deactivates and deletes the old key.

Example: npx zappa-iam-wizard rotate-key --yes`,
  teardown: `zappa-iam-wizard teardown: removes the user, its keys, the two policies and the execution
role that setup created (only those tagged ManagedBy=zappa-iam-wizard unless --force), and the
profile's sections in ~/.aws/credentials and ~/.aws/config. zappa_settings.json is left as it is.

Example: npx zappa-iam-wizard teardown --stage dev`,
};

export function helpText(command?: Command): string {
  if (!command) return MAIN;
  return `${PER_COMMAND[command]}\n\n${FLAGS}\n\n${EXIT_CODES}`;
}
