/**
 * Row 6: the stage in zappa_settings.json points at our profile, region,
 * role and a zappa- bucket, with manage_roles false. Only those keys change;
 * other keys, stages, order, indentation and line endings stay.
 *
 * The check also says what AWS itself will refuse about the stage whatever
 * the policies (plan/stage-checks.ts), and when a bucket name is free today
 * but likely to be taken: setup keeps such a name, so it is a warning.
 */
import {setStageKeys} from '../files/settings-document.js';
import {hasRandomSuffix, BUCKET_PREFIX} from '../plan/names.js';
import {stageFindings} from '../plan/stage-checks.js';
import type {Finding} from '../plan/types.js';
import {stageSettings} from '../policy/target.js';
import {drifted, present, type StepContext, type StepDefinition} from '../engine/step.js';

export function settingsDifferences(current: Record<string, unknown>, wantedEntries: Record<string, unknown>): string[] {
  return Object.entries(wantedEntries)
    .filter(([k, v]) => JSON.stringify(current[k]) !== JSON.stringify(v))
    .map(([k, v]) => `${k}: ${current[k] === undefined ? 'missing' : JSON.stringify(current[k])} → ${JSON.stringify(v)}`);
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** What the stage's settings will meet in AWS, in the words every command prints. */
async function settingsFindings(ctx: StepContext): Promise<Finding[]> {
  const d = ctx.desired;
  const where = `${ctx.files.path('settings')} stage "${d.stage}"`;
  const effective = stageSettings(ctx.files.settings(), d.stage);
  const found: Finding[] = stageFindings({settings: effective, region: d.region, runtime: d.runtime ?? text(effective.runtime), today: new Date()})
    .map((f) => ({id: f.id, severity: f.severity, where, problem: f.message, fix: f.id.startsWith('runtime') ? `${ctx.setup} --runtime <python3.x>` : 'edit the stage as the sentence says'}));
  // A bucket this account already owns is fine whatever its name; an unreadable owner counts as not ours.
  const owner = await ctx.reads.bucket(d.bucket).catch(() => undefined);
  if (owner !== 'ours' && !hasRandomSuffix(d.bucket)) {
    found.push({
      id: 'bucket-suffix', severity: 'warning', where,
      problem: `s3_bucket "${d.bucket}" has no random suffix; bucket names are shared by all AWS accounts, so a plain name is often taken by someone else before the first deploy`,
      fix: `remove s3_bucket from the stage and run ${ctx.setup}, which picks ${BUCKET_PREFIX}<project>-<random>`,
    });
  }
  return found;
}

export const zappaSettingsStep: StepDefinition = {
  id: 'zappa-settings',
  dependsOn: [],
  title: (d) => `Stage "${d.stage}" of zappa_settings.json`,
  async check(ctx) {
    const stage = ctx.files.settings()[ctx.desired.stage] ?? {};
    const diffs = settingsDifferences(stage, ctx.desired.settingsEntries);
    const findings = await settingsFindings(ctx);
    const check = diffs.length ? {...drifted(diffs.join(', ')), reason: 'settings-drifted'} : present(`profile ${ctx.desired.profileName}, role ${ctx.desired.roleName}, bucket ${ctx.desired.bucket}`);
    return findings.length ? {...check, findings} : check;
  },
  async apply(ctx, check) {
    if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
    await ctx.files.assertWritable('settings');
    const text = setStageKeys(ctx.files.text('settings') ?? '{}', ctx.desired.stage, ctx.desired.settingsEntries);
    await ctx.files.write('settings', text);
    return {status: 'updated', detail: check.detail};
  },
};
