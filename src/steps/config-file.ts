/**
 * Row 5: [profile x] in the config file with the region and JSON output.
 * Only our section's region/output lines are touched; every other byte stays.
 */
import {upsertSection} from '../files/ini-document.js';
import {drifted, missing, present, type StepDefinition} from '../engine/step.js';

function wanted(region: string): Record<string, string> {
  return {region, output: 'json'};
}

export const configFileStep: StepDefinition = {
  id: 'config-file',
  dependsOn: [],
  title: (d) => `[${d.configSection}] in the config file`,
  async check(ctx) {
    const {configSection, region} = ctx.desired;
    const path = ctx.files.path('config');
    const section = ctx.files.section('config', configSection);
    if (!section) return {...missing(`will add [${configSection}] with region ${region} to ${path}`), reason: 'config-profile-missing'};
    const diffs = Object.entries(wanted(region))
      .filter(([k, v]) => section[k] !== v)
      .map(([k, v]) => `${k}: ${section[k] === undefined ? 'missing' : `"${section[k]}"`} → "${v}"`);
    if (diffs.length) return {...drifted(diffs.join(', ')), reason: 'config-profile-drifted'};
    return present(`${path} [${configSection}] region ${region}`);
  },
  async apply(ctx, check) {
    if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
    const {configSection, region} = ctx.desired;
    await ctx.files.assertWritable('config');
    await ctx.files.write('config', upsertSection(ctx.files.text('config') ?? '', configSection, wanted(region)));
    return {status: check.state === 'missing' ? 'created' : 'updated', detail: check.detail.replace(/^will add/, 'added')};
  },
};
