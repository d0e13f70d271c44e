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
import type {ZappaTarget} from '../policy/target.js';

export const DOCUMENT_TEMPLATES: PolicyTemplates = {
  deployment: JSON.stringify(deployment),
  execution: JSON.stringify(execution),
  trust: JSON.stringify(trust),
};

const FILES = {deployment: 'deployment-policy.json', execution: 'execution-policy.json', trust: 'execution-role-trust.json'} as const;

/**
 * The templates for a --policy preset. `strict` computes the deployment
 * policy from Zappa's calls for the stage, so it needs `target`; the
 * execution policy and trust stay the setup document's.
 */
export async function loadTemplates(preset: string, target?: ZappaTarget): Promise<PolicyTemplates> {
  if (preset === 'document') return DOCUMENT_TEMPLATES;
  if (preset === 'strict') {
    if (!target) throw new UserError('--policy strict is not available for this command.', {hint: 'Run it with --policy document (the default).'});
    const {strictDeploymentPolicy} = await import('../policy/strict.js');
    return {...DOCUMENT_TEMPLATES, deployment: JSON.stringify(strictDeploymentPolicy(target))};
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
