/**
 * Row 6: the stage's settings point at our profile, region, role and a
 * zappa- bucket, with manage_roles false, as Zappa computes them (a value
 * inherited through `extends` counts). Only the keys whose effective value
 * differs are written, into the stage's own keys, in the file's own format
 * (JSON, TOML or YAML) and layout; a stage the file lacks is added,
 * extending the file's first stage.
 *
 * The check also says what AWS itself will refuse about the stage whatever
 * the policies (plan/stage-checks.ts), and when a bucket name is free today
 * but likely to be taken: setup keeps such a name, so it is a warning.
 */
import {hasRandomSuffix, BUCKET_PREFIX} from '../plan/names.js';
import {stageFindings} from '../plan/stage-checks.js';
import {stageWrite, type StageWrite} from '../plan/stage-writes.js';
import type {Check, Finding} from '../plan/types.js';
import {stageSettings} from '../policy/target.js';
import {drifted, missing, present, type StepContext, type StepDefinition} from '../engine/step.js';
import type {Edit} from '../engine/local-files.js';

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

/** The writes this stage needs, with the run's other stages that it extends taken as patched. */
export const writeOf = (ctx: StepContext): StageWrite => stageWrite(ctx.files.settings(), ctx.desired, ctx.stages ?? []);

/** The stage's keys written into the settings text it is given, in the file's own format. */
const stageEdit = (ctx: StepContext, w: StageWrite): Edit => (text) => ctx.files.settingsFormat().setStageKeys(text ?? '{}', ctx.desired.stage, w.entries);

/** The inherited keys, by the parent they come from. */
function inheritedByParent(w: StageWrite): Array<[parent: string, keys: string[]]> {
  const byParent = new Map<string, string[]>();
  for (const [key, parent] of Object.entries(w.inherited)) byParent.set(parent, [...(byParent.get(parent) ?? []), key]);
  return [...byParent];
}

function inheritedNote(w: StageWrite): string {
  return inheritedByParent(w).map(([parent, keys]) => `; ${keys.join(', ')}: inherited from ${parent}`).join('');
}

/** What the stage takes from its parents, as a note every command prints (• info). */
function inheritedFindings(ctx: StepContext, w: StageWrite): Finding[] {
  const where = `${ctx.files.path('settings')} stage "${ctx.desired.stage}"`;
  return inheritedByParent(w).map(([parent, keys]) => ({
    id: 'settings-inherited', severity: 'info' as const, where,
    problem: `${keys.join(', ')}: inherited from ${parent} (extends), so not written into this stage`, fix: '',
  }));
}

function checkOf(ctx: StepContext, w: StageWrite): Check {
  const d = ctx.desired;
  const note = inheritedNote(w);
  if (w.created) {
    const parent = d.newStage?.extends;
    return {...missing(`will add stage "${d.stage}"${parent ? ` extending "${parent}"` : ''}${w.differences.length ? ` with ${Object.keys(w.entries).filter((k) => k !== 'extends').join(', ')}` : ''}${note}`), reason: 'stage-missing'};
  }
  if (w.differences.length) return {...drifted(`${w.differences.join(', ')}${note}`), reason: 'settings-drifted'};
  return present(`profile ${d.profileName}, role ${d.roleName}, bucket ${d.bucket}${note}`);
}

export const zappaSettingsStep: StepDefinition = {
  id: 'zappa-settings',
  dependsOn: [],
  title: (d) => `Stage "${d.stage}" of ${d.settingsFile ?? 'zappa_settings.json'}`,
  async check(ctx) {
    const w = writeOf(ctx);
    const check = checkOf(ctx, w);
    // Made in memory before setup's first AWS write (LocalFiles.assertWritable), like every edit a row will make.
    ctx.files.expectEdit('settings', `zappa-settings:${ctx.desired.stage}`, check.state === 'present' ? undefined : stageEdit(ctx, w));
    const findings = [...inheritedFindings(ctx, w), ...(await settingsFindings(ctx))];
    return findings.length ? {...check, findings} : check;
  },
  async apply(ctx, check) {
    if (check.state === 'present') return {status: 'unchanged', detail: check.detail};
    const w = writeOf(ctx);
    // Made to the file as it is at the moment of writing: a change saved meanwhile stays.
    await ctx.files.write('settings', stageEdit(ctx, w));
    return {status: w.created ? 'created' : 'updated', detail: check.detail};
  },
};
