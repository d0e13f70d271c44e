#!/usr/bin/env bash
# The setup document's steps, scripted with the AWS CLI: one `aws` command per
# step, run one after another. This is the path people take without the
# wizard, and the benchmark's baseline. It reaches the same end state as
# `zappa-iam-wizard setup` (DESIGN.md rows 1-12), but it cannot be re-run:
# the second create-user fails with EntityAlreadyExists.
#
# Usage:
#   baseline.sh --endpoint-url URL --project DIR [--home DIR] [--templates DIR]
#               [--user NAME] [--region REGION] [--stage NAME] [--role-name NAME] [--bucket NAME]
#
# Admin credentials come from the environment (AWS_ACCESS_KEY_ID, ...).
# Without --home a throwaway HOME is created, so ~/.aws of whoever runs this
# is never touched. The new secret is passed to `aws configure set` and goes
# to the credentials file; it is never printed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
endpoint='' project='' home='' templates="$here/../../templates"
user=serverless region=us-east-1 stage=dev role='' bucket=''

while (($#)); do
  case "$1" in
    --endpoint-url) endpoint="$2"; shift 2 ;;
    --project) project="$2"; shift 2 ;;
    --home) home="$2"; shift 2 ;;
    --templates) templates="$2"; shift 2 ;;
    --user) user="$2"; shift 2 ;;
    --region) region="$2"; shift 2 ;;
    --stage) stage="$2"; shift 2 ;;
    --role-name) role="$2"; shift 2 ;;
    --bucket) bucket="$2"; shift 2 ;;
    *) echo "baseline.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [[ -z "$endpoint" || -z "$project" ]]; then
  echo 'baseline.sh: --endpoint-url and --project are required' >&2
  exit 2
fi
for tool in aws jq; do
  command -v "$tool" >/dev/null || { echo "baseline.sh: needs $tool on PATH" >&2; exit 2; }
done
settings="$project/zappa_settings.json"
[[ -f "$settings" ]] || { echo "baseline.sh: $settings not found" >&2; exit 2; }

if [[ -z "$home" ]]; then
  home="$(mktemp -d "${TMPDIR:-/tmp}/zw-baseline-home.XXXXXX")"
  echo "baseline.sh: using throwaway HOME $home" >&2
fi
export HOME="$home"
# Only the files in the throwaway HOME: a profile or file named elsewhere
# would send the script's writes to someone's real configuration.
unset AWS_PROFILE AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE

project_name="$(jq -r --arg s "$stage" '.[$s].project_name // "zappa-app"' "$settings")"
role="${role:-$project_name-$stage-ZappaLambdaExecutionRole}"
# Globally unique, so a random suffix (letters and digits).
bucket="${bucket:-zappa-$project_name-$(printf 'b%04d%05d' "$RANDOM" "$RANDOM")}"
work="$(mktemp -d "${TMPDIR:-/tmp}/zw-baseline-docs.XXXXXX")"
trap 'rm -rf "$work"' EXIT

iam() { aws iam "$@" --endpoint-url "$endpoint" --output json >/dev/null; }

# Step 1: the account ID, which the deployment policy needs.
account="$(aws sts get-caller-identity --endpoint-url "$endpoint" --query Account --output text)"
partition=aws

# Steps 2-3: the user and its access key (the "Download .csv" moment).
iam create-user --user-name "$user"
read -r key_id key_secret < <(aws iam create-access-key --user-name "$user" --endpoint-url "$endpoint" \
  --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
[[ -n "${key_id:-}" && -n "${key_secret:-}" ]] || { echo 'baseline.sh: create-access-key returned no key' >&2; exit 1; }

# Steps 4-5: [serverless] in credentials, [profile serverless] in config.
aws configure set aws_access_key_id "$key_id" --profile "$user"
aws configure set aws_secret_access_key "$key_secret" --profile "$user"
unset key_secret
aws configure set region "$region" --profile "$user"
aws configure set output json --profile "$user"

# Steps 7-8: the deployment policy with the account ID filled in, attached to the user.
fill() { sed -e "s/<ACCOUNT_ID>/$account/g" -e "s/<PARTITION>/$partition/g" "$1" >"$2"; }
fill "$templates/deployment-policy.json" "$work/deployment-document.json"
# Without the three role-management actions, as the wizard's document preset
# (Zappa needs them only when it manages roles, which step 6 turns off).
jq '.Statement |= map(.Action |= map(select(. != "iam:CreateRole" and . != "iam:PutRolePolicy" and . != "iam:AttachRolePolicy")))' \
  "$work/deployment-document.json" >"$work/deployment.json"
iam create-policy --policy-name ZappaLambdaDeploymentPolicy --policy-document "file://$work/deployment.json"
iam attach-user-policy --user-name "$user" --policy-arn "arn:$partition:iam::$account:policy/ZappaLambdaDeploymentPolicy"

# Steps 9-11: the execution policy, the role (Lambda only, as the console
# creates it), the policy attached to it.
fill "$templates/execution-policy.json" "$work/execution.json"
iam create-policy --policy-name ZappaLambdaExecutionPolicy --policy-document "file://$work/execution.json"
cat >"$work/trust-lambda.json" <<'JSON'
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
JSON
iam create-role --role-name "$role" --assume-role-policy-document "file://$work/trust-lambda.json"
iam attach-role-policy --role-name "$role" --policy-arn "arn:$partition:iam::$account:policy/ZappaLambdaExecutionPolicy"

# The "Edit trust relationship" step: API Gateway may assume the role too, and
# EventBridge, since the demo project leaves keep_warm on (Zappa's default)
# and Zappa hands the role to EventBridge for the warm-up rule.
fill "$templates/execution-role-trust.json" "$work/trust-document.json"
jq '.Statement[0].Principal.Service += ["events.amazonaws.com"]' "$work/trust-document.json" >"$work/trust.json"
iam update-assume-role-policy --role-name "$role" --policy-document "file://$work/trust.json"

# Step 6: the stage's settings (an editor, in the document; jq here).
jq --arg s "$stage" --arg p "$user" --arg r "$region" --arg role "$role" --arg b "$bucket" \
  '.[$s] += {profile_name: $p, aws_region: $r, manage_roles: false, role_name: $role, s3_bucket: $b}' \
  "$settings" >"$work/settings.json"
cat "$work/settings.json" >"$settings"

# Step 12: the new key answers as the user.
aws sts get-caller-identity --profile "$user" --endpoint-url "$endpoint" --query Arn --output text
