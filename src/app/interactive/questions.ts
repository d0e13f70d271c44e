/**
 * The questions, in the order the setup document works through them. Every
 * question has a default (a flag, else what the files already say, else a
 * fix or a proposal), so pressing Enter all the way through sets everything
 * up. A question whose answer a flag already gave, or that has only one
 * possible answer, is not asked; its answer is shown the way Inquirer shows
 * an answered question.
 */
import type {Options} from '../../args.js';
import type {BucketOwnership} from '../../aws/port.js';
import {UserError} from '../../errors.js';
import {proposeBucketName, validateBucketName, validateRoleName, validateUserName} from '../../plan/names.js';
import {OTHER_REGIONS, RECOMMENDED_REGIONS, validateRegion} from '../../plan/regions.js';
import regionData from '../../data/regions.json' with {type: 'json'};
import {isSupportedRuntime, suggestRuntime} from '../../plan/runtimes.js';
import {bucketRegionProblem} from '../../plan/region-features.js';
import type {Answers, Fix} from '../../plan/types.js';
import {newStageProblem, resolveAnswers, type Resolution, type Settings} from '../resolve.js';
import {configSectionFor} from '../../plan/desired.js';
import {aboutBucket, aboutRegion, aboutRole, aboutRuntime, aboutUser} from './explain.js';
import type {AdminChoice, SignedIn, SignIn} from './preflight.js';
import type {Prompter, SelectChoice} from './prompter.js';

/** Where the walk-through's words go: a paragraph (wrapped by the sink) or a status line. */
export interface Narrator {
  paragraph(text: string): void;
  line(text: string): void;
}

/** Shows an answer that was not asked for, in the shape of an answered question. */
const given = (say: Narrator, label: string, value: string, why: string) => say.line(`✔ ${label} ${value}  (${why})`);

export interface AdminQuestionContext {
  choices: AdminChoice[];
  signedIn?: SignedIn;
  problem?: string;
  signIn: SignIn;
}

/**
 * Which credentials provision IAM: the ones that already worked come first.
 * A choice that fails to sign in is explained and dropped, and the question
 * is asked again; with none left the run stops.
 */
export async function askAdmin(ctx: AdminQuestionContext, prompter: Prompter, say: Narrator): Promise<SignedIn> {
  let choices = ctx.choices;
  if (ctx.problem) say.line(`! ${ctx.problem}`);
  for (;;) {
    let choice = choices[0]!;
    if (choices.length > 1) {
      const picked = await prompter.select({
        message: 'Which credentials should create the IAM user, policies and role?',
        choices: choices.map((c, i): SelectChoice<string> => ({value: String(i), name: c.label, description: describeChoice(c, ctx.signedIn)})),
        default: '0',
      });
      choice = choices[Number(picked)]!;
    }
    if (ctx.signedIn && ctx.signedIn.choice === choice) {
      if (choices.length === 1) say.line(`✔ Admin credentials: ${choice.label}\n  signed in as ${ctx.signedIn.identity.arn}`);
      return ctx.signedIn;
    }
    try {
      const signedIn = await ctx.signIn(choice);
      say.line(`✔ Signed in as ${signedIn.identity.arn} (account ${signedIn.identity.account})`);
      return signedIn;
    } catch (err) {
      const reason = (err as Error)?.message ?? String(err);
      choices = choices.filter((c) => c !== choice);
      if (choices.length === 0) {
        throw new UserError(`${choice.label} did not work either (${reason}).`, {
          hint: 'Sign in first (`aws sso login`, `aws configure`), or pass --admin-profile <name>, then run again.',
        });
      }
      say.line(`! ${choice.label} did not work: ${reason}. Choose another.`);
    }
  }
}

function describeChoice(choice: AdminChoice, signedIn: SignedIn | undefined): string {
  if (signedIn?.choice === choice) return `Signed in as ${signedIn.identity.arn}`;
  return `Not checked yet; the wizard signs in with it when you choose it.`;
}

export interface AnswerContext {
  options: Options;
  settings: Settings;
  stages: string[];
  /** The stage already chosen (askStages), so it is not asked again. */
  picked?: string;
  /** The region set in a section of the config file ("profile x" or "default"), if any. */
  configRegion(section: string): string | undefined;
  /** Who owns a bucket name (S3 HeadBucket with the admin credentials, in the chosen region). */
  bucketOwnership(bucket: string, region: string): Promise<BucketOwnership>;
  /** What setup would take without questions, when the caller already worked it out (the defaults shown). */
  base?: Resolution;
  /** The deploy identity's kind: with a role, the name asked for is the role's. */
  identity?: 'user' | 'group' | 'role';
}

async function askStage(ctx: AnswerContext, prompter: Prompter, say: Narrator): Promise<string> {
  const {options, stages} = ctx;
  if (ctx.picked) return ctx.picked;
  if (options.stage) {
    given(say, 'Stage:', options.stage, '--stage');
    return options.stage;
  }
  if (stages.length === 1) {
    given(say, 'Stage:', stages[0]!, `the only stage in ${options.settings}`);
    return stages[0]!;
  }
  return prompter.select({
    message: `Which stage of ${options.settings} should deploy as this user?`,
    choices: stages.map((s) => ({value: s, name: s})),
    default: stages.includes('dev') ? 'dev' : stages[0],
  });
}

const NEW_STAGE = '(new)';

/**
 * Which stages this user deploys: with several in the file, every one is
 * ticked (Enter takes them all) and a new one can be added; with one, it is
 * the one. --stage answers it. Returns the names; a new one is not in the file.
 */
export async function askStages(ctx: AnswerContext, prompter: Prompter, say: Narrator): Promise<string[]> {
  const {options, stages} = ctx;
  if (options.stage || stages.length < 2) return [await askStage(ctx, prompter, say)];
  const picked = await prompter.checkbox({
    message: `Which stages of ${options.settings} should deploy as this user?`,
    choices: [
      ...stages.map((s) => ({value: s, name: s, checked: true})),
      {value: NEW_STAGE, name: 'A new stage…', description: `added to ${options.settings}, extending ${stages[0]}`},
    ],
    validate: (values) => values.length > 0 || 'Tick at least one stage.',
  });
  if (!picked.includes(NEW_STAGE)) return picked;
  const name = await prompter.input({
    message: 'Name of the new stage',
    default: ['prod', 'staging', 'test'].find((s) => !stages.includes(s)) ?? 'stage2',
    validate: (n) => validateNewStage(n, stages),
  });
  return [...picked.filter((s) => s !== NEW_STAGE), name];
}

function validateNewStage(name: string, stages: readonly string[]): true | string {
  if (stages.includes(name)) return `${name} is already a stage; tick it in the list instead.`;
  // The same rule as --stage <new name> (resolve.ts), worded as a sentence for the prompt.
  const problem = newStageProblem(name);
  return problem === undefined || `${problem.charAt(0).toUpperCase()}${problem.slice(1)}.`;
}

/** With several stages the user is asked once; each stage keeps its own region, role and bucket (shown, from the files or defaults). */
export async function askSharedAnswers(ctx: AnswerContext, stages: Answers[], prompter: Prompter, say: Narrator): Promise<{userName: string}> {
  for (const a of stages) given(say, `Stage ${a.stage}:`, `${a.region}, role ${a.roleName}, bucket ${a.bucket}`, a.newStage ? `new, extending ${a.newStage.extends ?? 'nothing'}` : 'from the stage, or defaults');
  aboutUser(ctx.identity).forEach((p) => say.paragraph(p));
  const userName = await prompter.input({message: ctx.identity === 'role' ? 'IAM role for deploying' : 'IAM user for deploying', default: ctx.options.user, validate: validateUserName});
  return {userName};
}

const OTHER = '(other)';

/** AWS's place name of a region ("Europe (Ireland)"), from src/data/regions.json; undefined for one it does not list. */
export function placeOf(region: string): string | undefined {
  return Object.hasOwn(regionData.regions, region) ? (regionData.regions as Record<string, string>)[region] : undefined;
}

/** "eu-west-1       Europe (Ireland)": the code, then where it is. */
const regionName = (region: string, note = '') => `${region.padEnd(16)}${placeOf(region) ?? ''}${note}`.trimEnd();

/** The three recommended regions, then every other one, each with its place name; typing filters them. */
export function regionChoices(current: string): Array<SelectChoice<string>> {
  const known = new Set<string>([...RECOMMENDED_REGIONS.map((r) => r.region), ...OTHER_REGIONS]);
  return [
    ...(known.has(current) ? [] : [{value: current, name: regionName(current, placeOf(current) ? '  (from your files)' : 'from your files'), short: current}]),
    ...RECOMMENDED_REGIONS.map((r) => ({value: r.region, name: regionName(r.region, "  (recommended)"), short: r.region})),
    ...OTHER_REGIONS.map((r) => ({value: r as string, name: regionName(r), short: r as string})),
    {value: OTHER, name: 'Another region (type its name)', alwaysShown: true},
  ];
}

async function askRegion(ctx: AnswerContext, current: string, prompter: Prompter, say: Narrator): Promise<string> {
  if (ctx.options.region) {
    given(say, 'Region:', ctx.options.region, '--region');
    return ctx.options.region;
  }
  aboutRegion().forEach((p) => say.paragraph(p));
  const picked = await prompter.select({message: 'Region', choices: regionChoices(current), default: current, pageSize: 7, filterable: true});
  if (picked !== OTHER) return picked;
  return prompter.input({message: 'Region name', validate: validateRegion});
}

function announceFix(fixes: Fix[], field: string, say: Narrator): void {
  for (const f of fixes.filter((x) => x.field === field)) say.line(`! Your settings say ${field} "${f.from}": ${f.reason}. Suggesting "${f.to}" instead.`);
}

async function askRole(ctx: AnswerContext, fallback: string, fixes: Fix[], prompter: Prompter, say: Narrator): Promise<string> {
  if (ctx.options.roleName && validateRoleName(ctx.options.roleName) === true) {
    given(say, 'Execution role:', ctx.options.roleName, '--role-name');
    return ctx.options.roleName;
  }
  aboutRole().forEach((p) => say.paragraph(p));
  announceFix(fixes, 'role_name', say);
  return prompter.input({message: 'Execution role name', default: fallback, validate: validateRoleName});
}

/** A bucket default nobody else owns: the proposal changes when the name is taken. */
async function askBucket(ctx: AnswerContext, answers: Answers, fixes: Fix[], prompter: Prompter, say: Narrator): Promise<string> {
  aboutBucket().forEach((p) => say.paragraph(p));
  announceFix(fixes, 's3_bucket', say);
  let fallback = answers.bucket;
  const trouble = bucketTrouble(await ownership(ctx, fallback, answers.region), answers.region);
  if (trouble) {
    const next = proposeBucketName(answers.projectName);
    say.line(`! The bucket "${fallback}" ${trouble}. Suggesting "${next}" instead.`);
    fallback = next;
  }
  return prompter.input({
    message: 'Deployment bucket (S3)',
    default: fallback,
    validate: async (name) => {
      const ok = validateBucketName(name);
      if (ok !== true) return ok;
      const refused = bucketTrouble(await ownership(ctx, name, answers.region), answers.region);
      if (refused) return `"${name}" ${refused}; choose another name, e.g. ${proposeBucketName(answers.projectName)}.`;
      return true;
    },
  });
}

/** Why the stage cannot use a bucket S3 told us about, or undefined when it can. */
function bucketTrouble(owner: BucketOwnership, region: string): string | undefined {
  if (owner === 'taken') return 'belongs to another AWS account';
  if (typeof owner === 'object') return `cannot hold the code: ${bucketRegionProblem(owner.elsewhere, region)}`;
  return undefined;
}

/** Ownership, or 'free' when S3 cannot tell us: the plan checks again anyway. */
async function ownership(ctx: AnswerContext, bucket: string, region: string): Promise<BucketOwnership> {
  return ctx.bucketOwnership(bucket, region).catch((): BucketOwnership => 'free');
}

async function askRuntime(stage: Record<string, unknown>, prompter: Prompter, say: Narrator): Promise<string | undefined> {
  const runtime = typeof stage.runtime === 'string' ? stage.runtime : undefined;
  const today = new Date();
  if (!runtime || isSupportedRuntime(runtime, today)) return undefined;
  const suggested = suggestRuntime(runtime, today);
  aboutRuntime(runtime, suggested).forEach((p) => say.paragraph(p));
  const agreed = await prompter.confirm({message: `Change the stage's runtime from ${runtime} to ${suggested}?`, default: true});
  return agreed ? suggested : undefined;
}

/** Asks everything after the admin credentials; returns the answers the plan is built from. */
export async function askAnswers(ctx: AnswerContext, prompter: Prompter, say: Narrator): Promise<Answers> {
  const stage = await askStage(ctx, prompter, say);
  const profileFlag = ctx.options.profile;
  const base = ctx.base ?? resolveAnswers(ctx.options, ctx.settings, stage, ctx.configRegion(configSectionFor(profileFlag ?? ctx.options.user)));
  aboutUser(ctx.identity).forEach((p) => say.paragraph(p));
  const userName = await prompter.input({message: ctx.identity === 'role' ? 'IAM role for deploying' : 'IAM user for deploying', default: base.answers.userName, validate: validateUserName});
  const profileName = profileFlag ?? userName;
  const region = await askRegion(ctx, base.answers.region, prompter, say);
  // role_arn names the role Zappa uses: there is no name to choose.
  const roleName = base.answers.roleArn ? base.answers.roleName : await askRole(ctx, base.answers.roleName, base.fixes, prompter, say);
  const answers: Answers = {...base.answers, userName, profileName, region, roleName};
  answers.bucket = await askBucket(ctx, answers, base.fixes, prompter, say);
  const runtime = await askRuntime(ctx.settings[stage] ?? {}, prompter, say);
  return runtime ? {...answers, runtime} : answers;
}
