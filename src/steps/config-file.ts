/**
 * Row 5: [profile x] in the config file with the region and JSON output.
 * Only our section's region/output lines are touched; every other byte stays.
 */
import {getSection, upsertSection} from '../files/ini-document.js';
import {UserError} from '../errors.js';
import {drifted, missing, present, type StepContext, type StepDefinition} from '../engine/step.js';
import type {Check} from '../plan/types.js';
import type {Edit} from '../engine/local-files.js';
import {guardProfileChange} from './profile-guard.js';
import {joinWords, redirectsIn, whereItLeads, withoutRedirects} from './profile-redirects.js';

function wanted(region: string): Record<string, string> {
  return {region, output: 'json'};
}

export const configFileStep: StepDefinition = {
  id: 'config-file',
  dependsOn: [],
  title: (d) => `[${d.configSection}] in the config file`,
  async check(ctx) {
    // A section the wizard did not write is changed only with the person's yes (profile-guard.ts).
    const check = await guardProfileChange(ctx, sectionCheck(ctx));
    // Made in memory before setup's first AWS write (LocalFiles.assertWritable), like every edit a row will make.
    ctx.files.expectEdit('config', 'config-file', check.state === 'present' ? undefined : configEdit(ctx.desired.configSection, ctx.desired.region));
    return check;
  },
  async apply(ctx, check) {
    if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
    if (check.state === 'blocked') throw new UserError(`Can't change [${ctx.desired.configSection}]: ${check.detail}.`, {hint: check.hint, exitCode: 1});
    const {configSection, region} = ctx.desired;
    // Made to the file as it is at the moment of writing: a change saved meanwhile stays.
    await ctx.files.write('config', configEdit(configSection, region));
    return {status: check.state === 'missing' ? 'created' : 'updated', detail: check.detail.replace(/^will add/, 'added')};
  },
};

const configEdit = (section: string, region: string): Edit => (text) => configText(text ?? '', section, region);

/** The section with our region and output, and without the keys that would send the profile elsewhere. */
export function configText(text: string, section: string, region: string): string {
  const withRegion = upsertSection(text, section, wanted(region));
  return withoutRedirects(withRegion, section, redirectsIn(getSection(withRegion, section), 'config', section));
}

function sectionCheck(ctx: StepContext): Check {
  const {configSection, region} = ctx.desired;
  const path = ctx.files.path('config');
  const section = ctx.files.section('config', configSection);
  if (!section) return {...missing(`will add [${configSection}] with region ${region} to ${path}`), reason: 'config-profile-missing'};
  const diffs = Object.entries(wanted(region))
    .filter(([k, v]) => section[k] !== v)
    .map(([k, v]) => `${k}: ${section[k] === undefined ? 'missing' : `"${section[k]}"`} → "${v}"`);
  // role_arn, sso_… and the like take precedence over the key for the AWS CLI and boto3 (profile-redirects.ts).
  const redirects = redirectsIn(section, 'config', configSection);
  if (redirects.length) {
    const keys = joinWords(redirects.map((r) => r.key));
    const found = `[${configSection}] in ${path} has ${keys}: the AWS CLI and Zappa ${whereItLeads(redirects)} instead of using the key of ${ctx.desired.userName}; will remove ${redirects.length > 1 ? 'them' : 'it'}`;
    return {...drifted([found, ...diffs].join('; ')), reason: 'profile-redirected'};
  }
  if (diffs.length) return {...drifted(diffs.join(', ')), reason: 'config-profile-drifted'};
  return present(`${path} [${configSection}] region ${region}`);
}
