/**
 * Whose is the profile the run is about to write? The rows that change it
 * (the key, the credentials and config sections, the keys that redirect it)
 * ask here first, so that a profile the wizard did not write is never
 * overwritten on --yes alone, and the credentials this run signs in with are
 * never overwritten at all.
 *
 * The profile is the wizard's when its key is one of the user's keys, a key
 * the user's tags say the wizard wrote there, or a key that answers STS as
 * the user; or when the tags say the wizard wrote this profile before (then
 * whatever is in it now is repaired, as any other drift). A key STS refuses
 * (deleted, or temporary and expired) gives access to nothing here. Anything
 * else is someone else's: another user, another account, or the admin
 * identity of this very run (its key, another of its keys, or the profile its
 * credentials are read from), which no flag lets the wizard overwrite.
 */
import {isKind} from '../aws/aws-error.js';
import type {CallerIdentity} from '../aws/port.js';
import {maskKeyId, type Consent, type StepContext} from '../engine/step.js';
import type {Reads} from '../engine/reads.js';
import type {Check} from '../plan/types.js';
import {localKey, type LocalKey} from './local-key.js';
import {taggedKeys} from './key-tags.js';
import {redirectsIn, whereFound, whereItLeads, type RedirectEntry} from './profile-redirects.js';
import {isWantedRoleKey} from './role-profile.js';

export type ProfileHolder =
  | {kind: 'ours'}
  /** The credentials this run signs in with: never overwritten. */
  | {kind: 'admin'; sentence: string}
  /** Another identity's, or nobody can tell whose: overwritten only with the person's explicit yes. */
  | {kind: 'foreign'; sentence: string; what: string};

/** What a run without --yes may count on: the walk-through shows the plan and asks once. --json and --yes ask nothing. */
export function consentOf(options: {command: string; yes: boolean; json: boolean; force: boolean}): Consent {
  return {confirmsPlan: options.command === 'setup' && !options.yes && !options.json, force: options.force};
}

/**
 * The profile the AWS SDK's chain reads the admin credentials from: the
 * flag, else AWS_PROFILE (which wins over key variables), else `default`
 * unless the key variables supply them.
 */
export function adminProfileOf(flag: string | undefined, env: Record<string, string | undefined>): string | undefined {
  if (flag) return flag;
  if (env.AWS_PROFILE) return env.AWS_PROFILE;
  return env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY ? undefined : 'default';
}

/** Every redirect key of the profile, in the credentials file's [x] and the config file's section. */
export function profileRedirects(ctx: StepContext): RedirectEntry[] {
  const {profileName, configSection} = ctx.desired;
  return [
    ...redirectsIn(ctx.files.section('credentials', profileName), 'credentials', profileName),
    // --identity role: role_arn and its source, naming the deploy role, are what the profile is for.
    ...redirectsIn(ctx.files.section('config', configSection), 'config', configSection).filter((e) => !isWantedRoleKey(ctx.desired, e.key, e.value)),
  ];
}

const settle = <T>(p: Promise<T>): Promise<T | undefined> => p.catch(() => undefined);

/** Who holds the profile. Reads only what is memoised anyway; a read that fails (no admin in doctor) only proves less. */
export async function profileHolder(ctx: StepContext): Promise<ProfileHolder> {
  const {profileName, userName} = ctx.desired;
  const local = localKey(ctx.files, profileName);
  const redirects = profileRedirects(ctx);
  if (!local && !redirects.length) return {kind: 'ours'};
  const [keys, user] = await Promise.all([settle(ctx.reads.accessKeys(userName)), settle(ctx.reads.user(userName))]);
  const tagged = taggedKeys(user?.tags ?? {}, profileName);
  if (local && (keys?.some((k) => k.id === local.id) || local.id === tagged.written || local.id === tagged.replaced)) return {kind: 'ours'};
  const who = local ? await ctx.reads.keyIdentity(local) : undefined;
  if (who && !(who instanceof Error) && answersAsUser(who, ctx)) return {kind: 'ours'};
  const admin = await adminHold(ctx.reads, {profileName, credentialsPath: ctx.files.path('credentials'), adminProfile: ctx.adminProfile}, local, who);
  if (admin) return {kind: 'admin', sentence: admin};
  // Written by the wizard before (its tag names this profile): what is in it now is drift to repair.
  if (tagged.written) return {kind: 'ours'};
  // A key STS refuses works for no identity here (deleted, or temporary and expired): replacing it loses no access.
  if (local && (isKind(who, 'InvalidCredentials') || (await standInAnswer(ctx.reads, local, who)))) return {kind: 'ours'};
  return foreign(ctx, local, who, redirects);
}

/** Where the profile is, and where the admin credentials come from. */
export interface ProfilePlace { profileName: string; credentialsPath: string; adminProfile?: string }

/**
 * Why the profile holds the credentials this run signs in with, if it does:
 * the admin's chain reads that profile, or the key is the admin's key, or
 * another key of the admin identity (STS says so, and IAM knows the key).
 */
export async function adminHold(reads: Reads, place: ProfilePlace, local: LocalKey | undefined, who: CallerIdentity | Error | undefined): Promise<string | undefined> {
  const {profileName, credentialsPath, adminProfile} = place;
  if (adminProfile === profileName) return `this run signs in with the credentials of profile [${profileName}]`;
  if (!local) return undefined;
  const here = `[${profileName}] in ${credentialsPath}`;
  if (local.id === (await reads.adminKeyId())) return `${here} holds the very key this run signs in with (${maskKeyId(local.id)})`;
  const admin = await settle(reads.identity());
  if (!admin || !who || who instanceof Error || who.arn !== admin.arn) return undefined;
  if (await unknownToIam(reads, local)) return undefined;
  return `${here} holds key ${maskKeyId(local.id)} of ${admin.arn}, the identity this run signs in with`;
}

/**
 * STS and IAM must agree before an answer counts as the admin's: an emulator
 * answers any key it does not know with one stand-in identity (the admin's
 * too, when the admin key is a dummy), and IAM then knows no such key.
 */
async function unknownToIam(reads: Reads, local: LocalKey): Promise<boolean> {
  return reads.keyLastUsed(local.id).then(() => false, (err: unknown) => isKind(err, 'NotFound'));
}

/** STS answered with the admin's identity for a key IAM does not know: no identity of this account holds it. */
async function standInAnswer(reads: Reads, local: LocalKey, who: CallerIdentity | Error | undefined): Promise<boolean> {
  const admin = await settle(reads.identity());
  return Boolean(admin && who && !(who instanceof Error) && who.arn === admin.arn) && unknownToIam(reads, local);
}

function answersAsUser(who: CallerIdentity, ctx: StepContext): boolean {
  return who.account === ctx.desired.account && who.arn.endsWith(`:user/${ctx.desired.userName}`);
}

function foreign(ctx: StepContext, local: LocalKey | undefined, who: CallerIdentity | Error | undefined, redirects: RedirectEntry[]): ProfileHolder {
  const {profileName, userName} = ctx.desired;
  if (!local || !who) {
    const found = whereFound(redirects, (f) => ctx.files.path(f));
    return {
      kind: 'foreign', what: `the sign-in set up there (${found})`,
      sentence: `profile ${profileName} is set up for another identity: with it the AWS CLI and Zappa ${whereItLeads(redirects)} (${found}), so the wizard did not write it`,
    };
  }
  const key = maskKeyId(local.id);
  const owner = who instanceof Error ? `, whose owner STS could not tell (${who.message})` : ` of ${who.arn}`;
  return {
    kind: 'foreign',
    what: `key ${key}${who instanceof Error ? '' : ` of ${who.arn}`}`,
    sentence: `[${profileName}] in ${ctx.files.path('credentials')} holds key ${key}${owner}, not a key of ${userName}, so the wizard did not write it`,
  };
}

function otherProfile(ctx: StepContext): string {
  const {profileName, userName} = ctx.desired;
  return profileName === userName ? `--profile ${userName}-deploy` : `--profile ${userName}`;
}

const ADMIN_HINT = (ctx: StepContext) =>
  `Give the deploy user a profile of its own (${otherProfile(ctx)}), or move your admin credentials to another profile first and sign in with --admin-profile <name>; then run again. --force does not change this.`;

const FOREIGN_HINT = (ctx: StepContext) =>
  `Give the deploy user a profile of its own (${otherProfile(ctx)}), or move what is in [${ctx.desired.profileName}] to another profile first. To replace it anyway, run setup in a terminal and confirm the plan, or add --force.`;

/**
 * The other rows blocked by the same profile point to the key row, which says
 * whose the profile is and what to do: the sentence is said once, not on
 * every row that would have changed the profile.
 */
const SEE_KEY_ROW = 'The access key row says whose it is and what to do.';

/**
 * A row's check, for a row that would change the profile: blocked when the
 * profile holds the run's own admin credentials, or someone else's without
 * the person's explicit yes; else the check, with what it replaces named
 * when `names` is set. `names` marks the key row (the row that overwrites the
 * profile): it alone carries the whole sentence and hint; the other rows
 * (the credentials and config sections, the redirect keys) say in a few
 * words that they leave the profile alone, and point to it.
 */
export async function guardProfileChange(ctx: StepContext, check: Check, names = false): Promise<Check> {
  if (check.state === 'present' || check.state === 'blocked') return check;
  const holder = await profileHolder(ctx);
  if (holder.kind === 'ours') return check;
  const findings = check.findings ? {findings: check.findings} : {};
  const profile = ctx.desired.profileName;
  if (holder.kind === 'admin') {
    return names
      ? {state: 'blocked', reason: 'profile-holds-admin', detail: `${holder.sentence}; the wizard never overwrites the credentials a run signs in with`, hint: ADMIN_HINT(ctx), ...findings}
      : {state: 'blocked', reason: 'profile-holds-admin', detail: `left as it is: profile ${profile} holds the credentials this run signs in with`, hint: SEE_KEY_ROW, ...findings};
  }
  const consent = ctx.consent;
  if (!consent?.force && !consent?.confirmsPlan) {
    return names
      ? {state: 'blocked', reason: 'profile-not-wizards', detail: `${holder.sentence}; --yes alone does not overwrite it`, hint: FOREIGN_HINT(ctx), ...findings}
      : {state: 'blocked', reason: 'profile-not-wizards', detail: `left as it is: profile ${profile} is not the wizard's (${holder.what})`, hint: SEE_KEY_ROW, ...findings};
  }
  if (!names) return check;
  const why = consent.force ? 'as --force asks' : 'once you confirm this plan';
  return {...check, detail: `${check.detail}; this replaces ${holder.what} in [${ctx.desired.profileName}], ${why} (the file's .bak backup keeps it until the next write)`};
}
