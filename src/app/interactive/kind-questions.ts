/**
 * The two choices of the walk-through that set what a flag would set:
 * the kind of deploy identity (--identity) and the deployment policy
 * (--policy). Each is asked once, as a list with one sentence per choice;
 * a flag (or, for the policy, the preset an earlier run recorded) answers it.
 */
import {IDENTITY_KINDS, type IdentityKind, type Options} from '../../args.js';
import type {PresetSource} from '../../plan/types.js';
import type {Prompter} from './prompter.js';
import type {Narrator} from './questions.js';

const IDENTITY_CHOICES: ReadonlyArray<{value: IdentityKind; name: string; description: string}> = [
  {
    value: 'user', name: 'IAM user with an access key (the setup document\'s way)',
    description: 'For one person on this computer: the key is kept in your credentials file.',
  },
  {
    value: 'group', name: 'The same user in an IAM group (standard practice for a team that will grow)',
    description: 'When more people will deploy: the policy sits on the group; new users join it.',
  },
  {
    value: 'role', name: 'A role you assume, no long-term key (recommended if you sign in with SSO)',
    description: 'When you sign in with SSO: the profile assumes the role; no secret on disk.',
  },
];

/**
 * --identity, or the person's choice. Enter keeps `current`, the kind already
 * in place (the user with a key on a first run), so a repair never switches kinds.
 */
export async function askIdentity(options: Options, prompter: Prompter, say: Narrator, current: IdentityKind = 'user'): Promise<IdentityKind> {
  if (options.identity) {
    say.line(`✔ Deploy identity: ${options.identity}  (--identity)`);
    return options.identity;
  }
  const picked = await prompter.select({
    message: 'What should Zappa deploy as?',
    choices: IDENTITY_CHOICES.map((c) => ({...c, short: c.value})),
    default: current,
  });
  return IDENTITY_KINDS.includes(picked) ? picked : current;
}

export type PolicyChoice = 'document' | 'strict';

/**
 * --policy, the preset recorded on the deployment policy, or the person's
 * choice. Returns undefined when it is not the walk-through's to set (the
 * flag or the recorded preset stays in force).
 */
export async function askPolicy(options: Options, recorded: PresetSource, prompter: Prompter): Promise<PolicyChoice | undefined> {
  if (options.policy !== undefined || recorded === 'recorded') return undefined;
  return prompter.select<PolicyChoice>({
    message: 'Which deployment policy?',
    choices: [
      {value: 'document', name: 'The setup document\'s policies', short: 'document', description: 'The setup guide\'s policies as written, minus 3 role-management actions.'},
      {value: 'strict', name: 'Strict, recommended: only what Zappa calls for this stage', short: 'strict', description: 'Only the calls Zappa makes for this stage, on this stage\'s own resources.'},
    ],
    default: 'document',
  });
}
