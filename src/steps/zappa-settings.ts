/**
 * Row 6: the stage in zappa_settings.json points at our profile, region,
 * role and a zappa- bucket, with manage_roles false. Only those keys change;
 * other keys, stages, order, indentation and line endings stay.
 */
import {setStageKeys} from '../files/settings-document.js';
import {drifted, present, type StepDefinition} from '../engine/step.js';

export function settingsDifferences(current: Record<string, unknown>, wantedEntries: Record<string, unknown>): string[] {
  return Object.entries(wantedEntries)
    .filter(([k, v]) => JSON.stringify(current[k]) !== JSON.stringify(v))
    .map(([k, v]) => `${k}: ${current[k] === undefined ? 'missing' : JSON.stringify(current[k])} → ${JSON.stringify(v)}`);
}

export const zappaSettingsStep: StepDefinition = {
  id: 'zappa-settings',
  dependsOn: [],
  title: (d) => `Stage "${d.stage}" of zappa_settings.json`,
  async check(ctx) {
    const stage = ctx.files.settings()[ctx.desired.stage] ?? {};
    const diffs = settingsDifferences(stage, ctx.desired.settingsEntries);
    return diffs.length ? drifted(diffs.join(', ')) : present(`profile ${ctx.desired.profileName}, role ${ctx.desired.roleName}, bucket ${ctx.desired.bucket}`);
  },
  async apply(ctx, check) {
    if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
    await ctx.files.assertWritable('settings');
    const text = setStageKeys(ctx.files.text('settings') ?? '{}', ctx.desired.stage, ctx.desired.settingsEntries);
    await ctx.files.write('settings', text);
    return {status: 'updated', detail: check.detail};
  },
};
