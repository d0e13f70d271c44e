/**
 * The policy documents: the setup document's (bundled from templates/), or a
 * folder the person names with --policy. `strict` is computed elsewhere.
 *
 * A folder is read whole before anything else happens (checkPolicyFlag, from
 * the flags' validation): a misspelt preset, a folder that is not there or
 * holds none of the three files, and a file that is not a policy document
 * each stop the run with exit 2, naming the file and the line, before any
 * AWS call.
 */
import {readFileSync, readdirSync, statSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {findNodeAtLocation, parseTree} from 'jsonc-parser';
import deployment from '../../templates/deployment-policy.json' with {type: 'json'};
import execution from '../../templates/execution-policy.json' with {type: 'json'};
import trust from '../../templates/execution-role-trust.json' with {type: 'json'};
import {UserError} from '../errors.js';
import {lineColumnOf, parseJsonText} from '../files/json-text.js';
import type {PolicyTemplates} from '../plan/desired.js';

export const DOCUMENT_TEMPLATES: PolicyTemplates = {
  deployment: JSON.stringify(deployment),
  execution: JSON.stringify(execution),
  trust: JSON.stringify(trust),
};

const FILES = {deployment: 'deployment-policy.json', execution: 'execution-policy.json', trust: 'execution-role-trust.json'} as const;
const BUILT_IN = new Set(['document', 'strict']);
const NOTHING_CHANGED = 'Nothing was changed.';
const PRESETS_HINT = `Use --policy document (the setup document's policies), --policy strict (only what the stage needs), or --policy <folder> holding ${Object.values(FILES).join(', ')}. ${NOTHING_CHANGED}`;

/**
 * --policy as given, checked before any AWS call: a preset, or a folder whose
 * policy files all read as policy documents. Throws UserError (exit 2).
 */
export function checkPolicyFlag(preset: string | undefined): void {
  if (preset !== undefined && !BUILT_IN.has(preset)) readPolicyFolder(preset);
}

/**
 * The templates for a --policy preset: the setup document's for `document`
 * and `strict` (strict is computed from the stage in policy/policy-set.ts),
 * else the folder's files, each falling back to the document's.
 */
export async function loadTemplates(preset: string): Promise<PolicyTemplates> {
  if (BUILT_IN.has(preset)) return DOCUMENT_TEMPLATES;
  return readPolicyFolder(preset);
}

function readPolicyFolder(preset: string): PolicyTemplates {
  const folder = resolve(preset);
  const kind = fileKind(folder);
  if (kind !== 'folder') {
    const what = kind === 'missing' ? `there is no folder ${folder}` : `${folder} is not a folder`;
    throw new UserError(`--policy ${preset}: not a preset (document, strict), and ${what}.`, {hint: PRESETS_HINT});
  }
  const present = new Set(listFolder(folder));
  const found = (Object.entries(FILES) as [keyof PolicyTemplates, string][]).filter(([, name]) => present.has(name));
  if (!found.length) {
    throw new UserError(`--policy ${preset}: the folder ${folder} holds none of ${Object.values(FILES).join(', ')}, so it would change nothing.`, {hint: PRESETS_HINT});
  }
  const out = {...DOCUMENT_TEMPLATES};
  for (const [key, name] of found) out[key] = readPolicyFile(join(folder, name));
  return out;
}

function fileKind(path: string): 'folder' | 'other' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'other';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return 'missing';
    throw new UserError(`Can't read the policy folder ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`, {hint: `Check its permissions. ${NOTHING_CHANGED}`});
  }
}

function listFolder(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch (err) {
    throw new UserError(`Can't read the policy folder ${folder}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`, {hint: `Check its permissions. ${NOTHING_CHANGED}`});
  }
}

/** One template's text, once it reads as a policy document (JSON object with a Statement). */
function readPolicyFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`Can't read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`, {hint: `Check that it is a readable file. ${NOTHING_CHANGED}`});
  }
  const parsed = parseJsonText(text);
  if ('problem' in parsed) throw notAPolicy(path, parsed.problem);
  const shape = shapeProblem(text, parsed.value);
  if (shape) throw notAPolicy(path, shape);
  return text;
}

function notAPolicy(path: string, at: {line: number; column: number; reason: string}): UserError {
  return new UserError(`Can't use ${path} (line ${at.line}, column ${at.column}): ${at.reason}.`, {
    hint: `Fix the file (an IAM policy document: {"Version": "2012-10-17", "Statement": [...]}) or leave out --policy, and run again. ${NOTHING_CHANGED}`,
  });
}

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);

/** What keeps a parsed template from being a policy document, at its place in the text. */
function shapeProblem(text: string, value: unknown): {line: number; column: number; reason: string} | undefined {
  const root = parseTree(text);
  const at = (path: (string | number)[]) => lineColumnOf(text, (path.length ? findNodeAtLocation(root!, path) : root)?.offset ?? 0);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {...at([]), reason: `a policy document is a JSON object with a "Statement", not ${typeName(value)}`};
  }
  if (!Object.hasOwn(value, 'Statement')) return {...at([]), reason: 'the policy document has no "Statement"'};
  const statement = (value as {Statement: unknown}).Statement;
  const statements = Array.isArray(statement) ? statement : [statement];
  const bad = statements.findIndex((s) => typeof s !== 'object' || s === null || Array.isArray(s));
  if (bad !== -1) {
    const path = Array.isArray(statement) ? ['Statement', bad] : ['Statement'];
    return {...at(path), reason: `each statement is a JSON object, not ${typeName(statements[bad])}`};
  }
  return undefined;
}
