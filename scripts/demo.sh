#!/usr/bin/env bash
# Shows the wizard working with no AWS account: a local moto_server plays IAM,
# STS and S3, a throwaway HOME holds ~/.aws, and a copy of examples/demo-project
# is the Zappa project. Nothing outside a temp folder is touched, and that
# folder is removed when the demo ends: at the end, on a failure, on Ctrl-C.
# Needs (README "Try it without an AWS account"): Node, moto_server, the aws CLI.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
command -v moto_server >/dev/null || { echo "moto_server not found: pip install 'moto[server]>=5,<6'" >&2; exit 2; }
command -v aws >/dev/null || { echo "The aws CLI is not found: the demo reads the new profile back with it. Install it (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html, or pip install awscli) and run the demo again." >&2; exit 2; }

work=
moto_pid=
# Stop moto first (it writes its log in there), then remove the folder.
cleanup() {
  if [ -n "$moto_pid" ]; then kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true; fi
  if [ -n "$work" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT
# A signal ends the script through `exit`, so the EXIT trap above runs then too.
trap 'exit 130' INT
trap 'exit 143' TERM HUP
work=$(mktemp -d "${TMPDIR:-/tmp}/zappa-iam-wizard-demo.XXXXXX")
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 1 100); do
  node -e "fetch('http://127.0.0.1:$port/moto-api/').then(()=>process.exit(0),()=>process.exit(1))" 2>/dev/null && break
  sleep 0.1
done

mkdir -p "$work/home" "$work/tmp"
cp -r "$repo/examples/demo-project" "$work/project"
cd "$work/project"
# A clean environment: the demo must never see (or touch) your real AWS setup.
# Its own TMPDIR too, so whatever the tools put there goes with the folder.
run_env=(env -i PATH="$PATH" HOME="$work/home" TMPDIR="$work/tmp" TERM="${TERM:-xterm-256color}" LANG="${LANG:-C.UTF-8}"
  AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=moto-demo-secret AWS_REGION=us-east-1
  AWS_ENDPOINT_URL="http://127.0.0.1:$port" ${NO_COLOR:+NO_COLOR=1} ${PYENV_ROOT:+PYENV_ROOT=$PYENV_ROOT} ${PYENV_VERSION:+PYENV_VERSION=$PYENV_VERSION})

echo "Demo: moto_server on 127.0.0.1:$port, HOME=$work/home, project $work/project (removed when the demo ends)"
if [ -t 0 ] && [ -t 1 ]; then
  "${run_env[@]}" node "$repo/bin/zappa-iam-wizard.js" setup
else
  "${run_env[@]}" node "$repo/bin/zappa-iam-wizard.js" setup --yes
fi

echo
echo "What the AWS CLI now sees (as the new serverless profile):"
"${run_env[@]}" aws sts get-caller-identity --profile serverless --output text --query Arn
echo "Region of [profile serverless]: $("${run_env[@]}" aws configure get region --profile serverless)"
echo
echo "Files written (secret hidden, key ID masked):"
sed -E -e 's/(aws_secret_access_key *= *).*/\1(hidden)/' -e 's/(aws_access_key_id *= *)(....)[A-Z0-9]*(....)$/\1\2…\3/' "$work/home/.aws/credentials"
cat "$work/home/.aws/config"
cat "$work/project/zappa_settings.json"
echo
echo "Run it again to see that a finished setup changes nothing:"
"${run_env[@]}" node "$repo/bin/zappa-iam-wizard.js" plan || true
