/**
 * The policy documents: the setup document's (bundled from templates/), or a
 * folder the person names with --policy. `strict` is computed elsewhere.
 */
import {readFile} from 'node:fs/promises';
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

export async function loadTemplates(preset: string): Promise<PolicyTemplates> {
  if (preset === 'document') return DOCUMENT_TEMPLATES;
  if (preset === 'strict') {
    throw new UserError('--policy strict is not available yet.', {hint: 'Use --policy document (the default) or a folder of templates.'});
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
