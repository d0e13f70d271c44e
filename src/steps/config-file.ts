/**
 * Row 5: [profile x] in the config file with the region and JSON output and,
 * for --identity role, role_arn and its source credentials (role-profile.ts).
 * Only our section's lines are touched; every other byte stays. A role run
 * that finds the profile's old static key in the credentials file removes
 * that section and deactivates the key (it is the user's): nothing secret is
 * left on disk, and nothing can deploy with it any more.
 */
import {getSection, removeKeys, removeSection, upsertSection} from '../files/ini-document.js';
import {UserError} from '../errors.js';
import {drifted, maskKeyId, missing, present, type StepContext, type StepDefinition} from '../engine/step.js';
import type {Check, DesiredState} from '../plan/types.js';
import type {Edit} from '../engine/local-files.js';
import {guardProfileChange} from './profile-guard.js';
import {joinWords, redirectsIn, whereItLeads, withoutRedirects} from './profile-redirects.js';
import {isWantedRoleKey, roleProfileEntries} from './role-profile.js';
import {localKey} from './local-key.js';

/** source_profile and credential_source exclude each other: the one not wanted goes. */
const SOURCE_KEYS = ['source_profile', 'credential_source'];

function wanted(region: string, roleEntries: Record<string, string>): Record<string, string> {
  return {...roleEntries, region, output: 'json'};
}

export const configFileStep: StepDefinition = {
  id: 'config-file',
  dependsOn: [],
  title: (d) => `[${d.configSection}] in the config file`,
  async check(ctx) {
    // A section the wizard did not write is changed only with the person's yes (profile-guard.ts).
    const check = await guardProfileChange(ctx, sectionCheck(ctx));
    // Made in memory before setup's first AWS write (LocalFiles.assertWritable), like every edit a row will make.
    ctx.files.expectEdit('config', 'config-file', check.state === 'present' ? undefined : configEdit(ctx.desired));
    if (check.state !== 'present' && leftoverKey(ctx)) ctx.files.expectEdit('credentials', 'config-file', removeSectionEdit(ctx.desired.profileName));
    return check;
  },
  async apply(ctx, check) {
    if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
    if (check.state === 'blocked') throw new UserError(`Can't change [${ctx.desired.configSection}]: ${check.detail}.`, {hint: check.hint, exitCode: 1});
    // Made to the file as it is at the moment of writing: a change saved meanwhile stays.
    await ctx.files.write('config', configEdit(ctx.desired));
    const retired = await retireLeftoverKey(ctx);
    const detail = check.detail.replace(/^will add/, 'added');
    return {status: check.state === 'missing' ? 'created' : 'updated', detail: retired ? `${detail}; ${retired}` : detail};
  },
};

const configEdit = (d: DesiredState): Edit => (text) => configText(text ?? '', d.configSection, d.region, roleProfileEntries(d));
const removeSectionEdit = (profile: string): Edit => (text) => removeSection(text ?? '', profile);

/** The section with our keys, and without the keys that would send the profile elsewhere. */
export function configText(text: string, section: string, region: string, roleEntries: Record<string, string> = {}): string {
  const unwantedSource = SOURCE_KEYS.filter((k) => roleEntries[k] === undefined && roleEntries.role_arn !== undefined);
  const present = Object.keys(getSection(text, section) ?? {}).filter((k) => unwantedSource.includes(k.toLowerCase()));
  const cleared = present.length ? removeKeys(text, section, present) : text;
  const withKeys = upsertSection(cleared, section, wanted(region, roleEntries));
  const redirects = redirectsIn(getSection(withKeys, section), 'config', section).filter((e) => roleEntries[e.key.toLowerCase()] !== e.value);
  return withoutRedirects(withKeys, section, redirects);
}

/** --identity role: the static key still in [profile] of the credentials file, if any. */
function leftoverKey(ctx: StepContext) {
  return ctx.desired.deployIdentity.kind === 'role' ? localKey(ctx.files, ctx.desired.profileName) : undefined;
}

/** Removes the leftover section and deactivates its key when it is the user's; says what was done. */
async function retireLeftoverKey(ctx: StepContext): Promise<string | undefined> {
  const key = leftoverKey(ctx);
  if (!key) return undefined;
  const {profileName, userName} = ctx.desired;
  await ctx.files.write('credentials', removeSectionEdit(profileName));
  const keys = await ctx.reads.accessKeys(userName).catch(() => []);
  const own = keys.find((k) => k.id === key.id);
  if (own?.status === 'Active') await ctx.aws.updateAccessKey(userName, key.id, 'Inactive');
  return `removed [${profileName}] from ${ctx.files.path('credentials')}${own ? `, deactivated key ${maskKeyId(key.id)} of ${userName}` : ''}`;
}

function sectionCheck(ctx: StepContext): Check {
  const d = ctx.desired;
  const {configSection, region} = d;
  const path = ctx.files.path('config');
  const section = ctx.files.section('config', configSection);
  const roleEntries = roleProfileEntries(d);
  const leftover = leftoverKey(ctx);
  const retire = leftover ? [`will remove [${d.profileName}] with its key ${maskKeyId(leftover.id)} from ${ctx.files.path('credentials')} and deactivate that key (a role needs no key)`] : [];
  if (!section) {
    const what = roleEntries.role_arn ? `role_arn ${roleEntries.role_arn} and region ${region}` : `region ${region}`;
    return {...missing([`will add [${configSection}] with ${what} to ${path}`, ...retire].join('; ')), reason: 'config-profile-missing'};
  }
  const diffs = Object.entries(wanted(region, roleEntries))
    .filter(([k, v]) => section[k] !== v)
    .map(([k, v]) => `${k}: ${section[k] === undefined ? 'missing' : `"${section[k]}"`} → "${v}"`);
  // role_arn, sso_… and the like take precedence over the key for the AWS CLI and boto3 (profile-redirects.ts).
  const redirects = redirectsIn(section, 'config', configSection).filter((e) => !isWantedRoleKey(d, e.key, e.value) && !(roleEntries.role_arn && e.key.toLowerCase() in roleEntries));
  if (redirects.length) {
    const keys = joinWords(redirects.map((r) => r.key));
    const instead = roleEntries.role_arn ? `instead of assuming ${roleEntries.role_arn}` : `instead of using the key of ${d.userName}`;
    const found = `[${configSection}] in ${path} has ${keys}: the AWS CLI and Zappa ${whereItLeads(redirects)} ${instead}; will remove ${redirects.length > 1 ? 'them' : 'it'}`;
    return {...drifted([found, ...diffs, ...retire].join('; ')), reason: 'profile-redirected'};
  }
  if (diffs.length || retire.length) return {...drifted([diffs.join(', '), ...retire].filter(Boolean).join('; ')), reason: diffs.length ? 'config-profile-drifted' : 'credentials-key-left'};
  return present(`${path} [${configSection}] region ${region}${roleEntries.role_arn ? `, role_arn ${roleEntries.role_arn}` : ''}`);
}
