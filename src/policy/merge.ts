/**
 * One policy for several stages: the statements of every stage's document,
 * where statements that grant the same actions under the same conditions
 * become one statement over all their resources (so three stages' strict
 * policies stay well under IAM's 6,144 characters), and a statement found in
 * several documents is kept once. Sids stay unique. Pure.
 */
import {canonicalize, type PolicyDocument, type Statement} from '../plan/policy.js';
import {listOf, statementsOf} from './statements.js';

/** Everything that decides what a statement grants, except its resources. */
function grantKey(s: Statement): string {
  const {Sid: _sid, Resource: _resource, ...rest} = s;
  return JSON.stringify(canonicalize(rest));
}

/** Only plain Allow/Deny statements over Resource are merged by resources; anything else is kept whole. */
const mergeable = (s: Statement): boolean => s.Resource !== undefined && s.NotResource === undefined && s.Principal === undefined;

export function mergeDocuments(docs: readonly PolicyDocument[]): PolicyDocument {
  const [first] = docs;
  if (!first) throw new Error('mergeDocuments needs at least one document');
  if (docs.length === 1) return first;
  const merged: Statement[] = [];
  const byGrant = new Map<string, Statement>();
  const seen = new Set<string>();
  for (const statement of docs.flatMap(statementsOf)) {
    const whole = JSON.stringify(canonicalize({...statement, Sid: undefined}));
    if (seen.has(whole)) continue;
    seen.add(whole);
    const key = mergeable(statement) ? grantKey(statement) : undefined;
    const into = key === undefined ? undefined : byGrant.get(key);
    if (into) {
      into.Resource = [...new Set([...listOf(into.Resource), ...listOf(statement.Resource)])];
      continue;
    }
    const copy = {...statement};
    if (key !== undefined) byGrant.set(key, copy);
    merged.push(copy);
  }
  return {...first, Statement: uniqueSids(merged)};
}

/** IAM wants each Sid once per policy: a repeated one gets a number. */
function uniqueSids(statements: Statement[]): Statement[] {
  const used = new Set<string>();
  return statements.map((s) => {
    if (typeof s.Sid !== 'string' || !s.Sid) return s;
    let sid = s.Sid;
    for (let n = 2; used.has(sid); n++) sid = `${s.Sid}${n}`;
    used.add(sid);
    return sid === s.Sid ? s : {...s, Sid: sid};
  });
}
