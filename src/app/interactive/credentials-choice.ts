/**
 * Which credentials provision IAM. When the default ones work, the usual
 * question picks among them and the profiles (askAdmin). When they do not,
 * the person hears why in one sentence and is offered the ways in: sign in
 * with IAM Identity Center or `aws login` and come back, use a profile from
 * ~/.aws by name, or paste a temporary admin access key.
 */
import {UserError, EXIT} from '../../errors.js';
import type {LocalFiles} from '../../engine/local-files.js';
import {maskKeyId} from '../../engine/step.js';
import {configSectionFor} from '../../plan/desired.js';
import {aboutPastedKey, askPastedKey} from './pasted-key.js';
import type {AdminChoice, Preflight, SignedIn} from './preflight.js';
import type {Prompter, SelectChoice} from './prompter.js';
import {askAdmin, type Narrator} from './questions.js';

/** The person chose to sign in with the AWS CLI first; the commands are on screen. Nothing changed. */
export class SignInFirst extends Error {
  readonly exitCode = EXIT.usage;
  constructor() {
    super('Sign in first, then run the wizard again.');
    this.name = 'SignInFirst';
  }
}

const SIGN_IN = 'sign-in';
const PASTE = 'paste';

/** What kind of profile it is, from its entries in the config and credentials files. */
export function describeProfile(files: LocalFiles, name: string): {text: string; sso: boolean} {
  const entries = {...files.section('config', configSectionFor(name)), ...files.section('credentials', name)};
  // Short: Inquirer cuts a description at the terminal's width.
  if (entries.sso_session || entries.sso_start_url) {
    return {text: `IAM Identity Center (SSO)${entries.sso_role_name ? `, role ${entries.sso_role_name}` : ''}.`, sso: true};
  }
  if (entries.login_session) return {text: 'Console sign-in (aws login).', sso: false};
  if (entries.role_arn) {
    const role = entries.role_arn.split('/').at(-1);
    return {text: `Assumes the role ${role}${entries.mfa_serial ? ' with a code from your MFA device' : ''}.`, sso: false};
  }
  if (entries.credential_process) return {text: 'Credentials from a program (credential_process).', sso: false};
  if (entries.aws_access_key_id) return {text: `Access key ${maskKeyId(entries.aws_access_key_id.trim())}.`, sso: false};
  return {text: 'The wizard signs in with it when you choose it.', sso: false};
}

/** The ways in, each in a sentence, before the question. */
export function waysIn(profiles: string[]): string[] {
  return [
    'The wizard needs an administrator\'s credentials to create the IAM user, policies and role. Ways in:',
    '• Sign in with IAM Identity Center (`aws configure sso`) or with your console sign-in (`aws login`), then come back. The safest way: those credentials expire by themselves.',
    ...(profiles.length ? [`• Use a profile from your AWS files by name: ${profiles.join(', ')}.`] : []),
    '• Paste a temporary access key of an administrator. It stays in memory for this run only, is never written to a file, and you deactivate it afterwards.',
  ];
}

/** What to run to sign in, and how to come back. */
export function signInCommands(ssoProfiles: string[]): string[] {
  return [
    'To sign in, run one of these, then run the wizard again:',
    '  aws configure sso    IAM Identity Center: sets up a profile and signs you in',
    '  aws login            console sign-in, default profile (AWS CLI 2.32+)',
    ...ssoProfiles.map((p) => `  aws sso login --profile ${p}   renews the sign-in of profile ${p}`),
    'Then run `npx zappa-iam-wizard` again: it lists the new profile (or pass --admin-profile <name>).',
  ];
}

async function pastedChoice(prompter: Prompter, say: Narrator): Promise<AdminChoice> {
  aboutPastedKey().forEach((p) => say.paragraph(p));
  const key = await askPastedKey(prompter);
  return {label: `Pasted key ${maskKeyId(key.id)}`, pasted: key};
}

/**
 * No usable default credentials: says why, offers the ways in, and signs in
 * with the one chosen. A choice that fails is explained and the question is
 * asked again (an SSO profile can be chosen again after `aws sso login`).
 * Throws SignInFirst when the person goes to sign in with the AWS CLI.
 */
export async function offerWaysIn(pre: Preflight, prompter: Prompter, say: Narrator): Promise<SignedIn> {
  const profiles = pre.choices.filter((c) => c.profile !== undefined);
  const kinds = new Map(profiles.map((c) => [c, describeProfile(pre.files, c.profile!)]));
  say.line(`! ${pre.problem ?? 'No usable AWS admin credentials were found.'}`);
  const [intro, ...ways] = waysIn(profiles.map((c) => c.profile!));
  say.paragraph(intro!);
  ways.forEach((l) => say.line(l));
  // What failed, in words, per choice: the default chain's profile arrives with its failure already.
  const failed = new Map<AdminChoice, string>(profiles.filter((c) => c.failure).map((c) => [c, c.failure!]));
  let last: string | undefined;
  for (;;) {
    const choices: Array<SelectChoice<string>> = [
      ...profiles.map((c, i) => ({
        value: String(i), name: `${c.label}${failed.has(c) ? '  (did not work)' : ''}`,
        description: failed.has(c) ? `Did not work: ${failed.get(c)}` : kinds.get(c)!.text,
      })),
      {value: SIGN_IN, name: 'Sign in with aws configure sso or aws login first', description: 'Shows the commands and exits; nothing is changed.'},
      {value: PASTE, name: 'Paste a temporary admin access key', description: 'Masked, kept in memory for this run only; deactivate it afterwards.'},
    ];
    const untried = profiles.findIndex((c) => !failed.has(c));
    const fallback = last === PASTE ? PASTE : untried >= 0 ? String(untried) : SIGN_IN;
    last = await prompter.select({message: 'How do you want to sign in?', choices, default: fallback});
    if (last === SIGN_IN) {
      say.line('');
      signInCommands(profiles.filter((c) => kinds.get(c)!.sso).map((c) => c.profile!)).forEach((l) => say.line(l));
      throw new SignInFirst();
    }
    const choice = last === PASTE ? await pastedChoice(prompter, say) : profiles[Number(last)]!;
    try {
      const signedIn = await pre.signIn(choice);
      say.line(`✔ Signed in as ${signedIn.identity.arn} (account ${signedIn.identity.account})`);
      return signedIn;
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      failed.set(choice, err.message);
      say.line(`! ${choice.label} did not work: ${err.message}`);
    }
  }
}

/** The admin credentials for this run: the working ones (asked among several), else a way in. */
export function chooseAdmin(pre: Preflight, prompter: Prompter, say: Narrator): Promise<SignedIn> {
  return pre.signedIn ? askAdmin(pre, prompter, say) : offerWaysIn(pre, prompter, say);
}
