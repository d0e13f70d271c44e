/**
 * The policy documents: the setup document's (bundled from templates/), or a
 * folder the person names with --policy. `strict` is computed elsewhere.
 */
import {readFile, stat} from 'node:fs/promises';
import {join} from 'node:path';
import deployment from '../../templates/deployment-policy.json' with {type: 'json'};
import execution from '../../templates/execution-policy.json' with {type: 'json'};
import trust from '../../templates/execution-role-trust.json' with {type: 'json'};
import {UserError} from '../errors.js';
import type {PolicyTemplates} from '../plan/desired.js';

export const DOCUMENT_TEMPLATES: PolicyTemplates = {
  deployment: JSON.stringify(deployment),
  execution: JSON.stringify(execution),
  trust: JSON.stringify(trust),
};

const FILES = {deployment: 'deployment-policy.json', execution: 'execution-policy.json', trust: 'execution-role-trust.json'} as const;

/**
 * The templates for a --policy preset: the setup document's for `document`
 * and `strict` (strict is computed from the stage in policy/policy-set.ts),
 * else the folder's files, each falling back to the document's.
 */
export async function loadTemplates(preset: string): Promise<PolicyTemplates> {
  if (preset === 'document' || preset === 'strict') return DOCUMENT_TEMPLATES;
  const isFolder = await stat(preset).then((s) => s.isDirectory(), () => false);
  if (!isFolder) {
    throw new UserError(`--policy ${preset}: not a preset and not a folder.`, {
      hint: 'Use --policy document (the setup document\'s policies), --policy strict, or a folder holding deployment-policy.json, execution-policy.json or execution-role-trust.json. Nothing was changed.',
    });
  }
  const out = {...DOCUMENT_TEMPLATES};
  for (const [key, name] of Object.entries(FILES) as [keyof PolicyTemplates, string][]) {
    const path = join(preset, name);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new UserError(`Can't read ${path}: ${(err as Error).message}`);
    }
    try {
      JSON.parse(text);
    } catch (err) {
      throw new UserError(`${path} is not valid JSON: ${(err as Error).message}`);
    }
    out[key] = text;
  }
  return out;
}
