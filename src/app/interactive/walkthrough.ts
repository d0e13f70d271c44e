/**
 * `setup` in a terminal: quick checks, questions with explanations, the plan
 * with one confirmation, then the live checklist. Inquirer owns the terminal
 * for the questions and Ink for the checklist, never both at once.
 *
 * Ctrl-C before applying leaves everything as it was (exit 130); during the
 * checklist it stops after the running step (exit 130, or 1 if a step failed).
 */
import type {Options} from '../../args.js';
import {endpointsFrom} from '../../aws/credentials.js';
import {SdkGateway} from '../../aws/sdk-gateway.js';
import {maskKeyId} from '../../engine/step.js';
import {Reads} from '../../engine/reads.js';
import {CheckError, hasChanges, type StepResult} from '../../engine/run.js';
import {EXIT, UserError} from '../../errors.js';
import type {Answers} from '../../plan/types.js';
import {useColor} from '../../ui/symbols.js';
import {describeError} from '../describe-error.js';
import {assertPendingFilesWritable, planSetup, type Planned} from '../setup.js';
import {stageRuns, type Session} from '../session.js';
import {newStageOf} from '../resolve.js';
import {deployCommands, stagesPhrase, stagesProofLines} from '../stages-text.js';
import {INTRO} from './explain.js';
import {resolveKeyLimit} from './key-limit.js';
import {applyWithChecklist} from './live-run.js';
import {noteLines, planView} from './plan-view.js';
import {runPreflight, type Preflight, type SignedIn} from './preflight.js';
import {inquirerPrompter, isPromptCancel, type Prompter} from './prompter.js';
import {askAnswers, askSharedAnswers, askStages, type Narrator} from './questions.js';
import {chooseAdmin, SignInFirst} from './credentials-choice.js';
import {fitLine, shortenPaths, textWidth, wrapText} from '../../ui/text.js';

function narrator(width: number, write: (line: string) => void): Narrator {
  return {
    paragraph: (text) => [''].concat(wrapText(text, width)).forEach(write),
    line: (text) => text.split('\n').flatMap((l) => fitLine(l, width)).forEach(write),
  };
}

/**
 * Admin gateways, one per region so that S3 is asked in the region the
 * person chose; all share the signed-in credentials (asked for MFA once).
 */
function gateways(options: Options) {
  const made = new Map<string, {gateway: SdkGateway; reads: Reads}>();
  let admin: SignedIn | undefined;
  const get = (region: string) => {
    let entry = made.get(region);
    if (!entry) {
      const gateway = new SdkGateway({credentials: admin?.provider, region, endpoints: endpointsFrom(options.endpointUrl, process.env)});
      entry = {gateway, reads: new Reads(gateway)};
      made.set(region, entry);
    }
    return entry;
  };
  return {use: (signedIn: SignedIn) => (admin = signedIn), admin: () => admin, get, destroyAll: () => made.forEach((e) => e.gateway.destroy())};
}

/** A session built from the answers instead of from flags alone. */
function sessionFor(options: Options, pre: Preflight, admin: SignedIn, answers: Answers, entry: {gateway: SdkGateway; reads: Reads}): Session {
  const chosen: Options = {
    ...options, stage: answers.stage, user: answers.userName, profile: answers.profileName,
    region: answers.region, adminProfile: admin.choice.profile,
    // With role_arn the role is the stage's, not a name to pass on.
    ...(answers.roleArn ? {} : {roleName: answers.roleName}),
  };
  return {options: chosen, files: pre.files, gateway: entry.gateway, reads: entry.reads, resolution: {answers, fixes: [], warnings: []}, stages: [{choice: {stage: answers.stage, created: false}, resolution: {answers, fixes: [], warnings: []}}]};
}

function exitCodeOf(results: StepResult[], stopped: boolean): number {
  if (results.some((r) => r.status === 'failed')) return EXIT.failed;
  if (results.some((r) => r.status === 'skipped')) return stopped ? EXIT.cancelled : EXIT.failed;
  return EXIT.ok;
}

/** Shows the plan and asks once; first clears a full set of access keys if the person wants. */
async function reviewPlan(p: Planned, prompter: Prompter, say: Narrator, note: (deleted: string) => void): Promise<'apply' | 'nothing' | 'cancel' | 'blocked'> {
  const limit = await resolveKeyLimit(p.plan, p.rows, p.ctx, p.session.gateway, prompter, say);
  if (limit.deleted) note(limit.deleted);
  if (limit.stopped) return 'cancel';
  p.plan = limit.plan;
  if (!hasChanges(p.plan)) {
    say.line('');
    say.line('✔ Everything is already set up. Nothing to change.');
    noteLines(p.plan, textWidth(), useColor()).forEach((l) => say.line(l));
    say.line(`Next: ${deployCommands(p.desireds).join(' · ')}   (runs as profile ${p.desired.profileName})`);
    return 'nothing';
  }
  say.line('');
  planView({plan: p.plan, desired: p.desired, stages: p.desireds, files: p.session.files, width: textWidth(), color: useColor()}).forEach((l) => say.line(l));
  say.line('');
  // As setup --yes does: a row that cannot be brought into place would leave a half-done setup.
  if (p.plan.some((item) => item.check.state === 'blocked')) {
    say.line('Nothing was changed. Fix the row marked "blocked" above and run again.');
    return 'blocked';
  }
  const changes = p.plan.filter((item) => item.check.state !== 'present').length;
  const ok = await prompter.confirm({message: `Apply these ${changes} changes?`, default: true});
  return ok ? 'apply' : 'cancel';
}

/** A problem the person can act on, worded for the terminal; undefined for a bug. */
function expectedProblem(err: unknown): {message: string; hint?: string; exitCode: number} | undefined {
  if (err instanceof UserError) return {message: err.message, hint: err.hint, exitCode: err.exitCode};
  if (err instanceof CheckError) {
    const {error, hint} = describeError(err.cause);
    return {message: `Can't check ${err.title}: ${error}`, hint, exitCode: EXIT.failed};
  }
  return undefined;
}

/** Preflight and questions, up to the checked plan. */
async function prepare(options: Options, prompter: Prompter, say: Narrator, pool: ReturnType<typeof gateways>): Promise<Planned> {
  INTRO.forEach((p) => say.paragraph(p));
  say.line('');
  const mfa = (serial: string) => prompter.password({message: `MFA code for ${serial}`, validate: (v) => /^\d{6}$/.test(v) || 'An MFA code has 6 digits.'});
  const pre = await runPreflight(options, mfa);
  say.line(`✔ Settings: ${options.settings} (stages: ${pre.stages.join(', ')})`);
  const admin = await chooseAdmin(pre, prompter, say);
  pool.use(admin);
  const ctx = {
    options, settings: pre.settings, stages: pre.stages,
    configRegion: (section: string) => pre.files.section('config', section)?.region,
    bucketOwnership: (bucket: string, region: string) => pool.get(region).reads.bucket(bucket),
  };
  const picked = await askStages(ctx, prompter, say);
  if (picked.length > 1) return planSeveral(options, pre, admin, picked, prompter, say, pool);
  const [stage] = picked as [string];
  // Own keys only: a new stage typed as "constructor" is not found on Object.prototype.
  const known = Object.hasOwn(pre.settings, stage);
  const parent = known ? undefined : pre.stages[0];
  // A new stage is planned in the files first, so its answers come from what it will inherit.
  if (!known) pre.files.planStage(stage, parent);
  const answers = await askAnswers({...ctx, settings: pre.files.settings(), picked: stage}, prompter, say);
  const own = known ? answers : {...answers, newStage: newStageOf(parent)};
  const session = sessionFor(options, pre, admin, own, pool.get(own.region));
  return planSetup(session.options, session);
}

/**
 * Several stages: one user for all (asked), each stage's region, role and
 * bucket from its settings or the defaults (shown), then one plan, as
 * `setup --stage a,b` makes it.
 */
async function planSeveral(options: Options, pre: Preflight, admin: SignedIn, stages: string[], prompter: Prompter, say: Narrator, pool: ReturnType<typeof gateways>): Promise<Planned> {
  const draft = stageRuns({...options, stage: stages.join(',')}, pre.files);
  const ctx = {options, settings: pre.files.settings(), stages: pre.stages, configRegion: () => undefined, bucketOwnership: async () => 'free' as const};
  const {userName} = await askSharedAnswers(ctx, draft.map((s) => s.resolution.answers), prompter, say);
  const chosen: Options = {...options, stage: stages.join(','), user: userName, adminProfile: admin.choice.profile};
  const runs = stageRuns(chosen, pre.files);
  const entry = pool.get(runs[0]!.resolution.answers.region);
  const session: Session = {options: chosen, files: pre.files, gateway: entry.gateway, reads: entry.reads, resolution: runs[0]!.resolution, stages: runs};
  return planSetup(chosen, session);
}

/** What the new user may now do, per Zappa command, proven offline (reads only). */
async function showProof(p: Planned, say: Narrator): Promise<void> {
  const [{proveStages}, {proofLines}] = await Promise.all([import('../../policy/stage-proofs.js'), import('../../policy/proof-text.js')]);
  const proofs = await proveStages(p.session.reads, p.desireds, p.session.files.settings());
  say.line('');
  stagesProofLines(proofs, p.desired.preset, proofLines).forEach((l) => say.line(l));
}

/** Runs the walk-through; returns the exit code. */
export async function runWalkthrough(options: Options, prompter: Prompter = inquirerPrompter()): Promise<number> {
  const write = (line: string) => process.stdout.write(`${line}\n`);
  const say = narrator(textWidth(), write);
  let deletedKey: string | undefined;
  const cancelMessage = () => (deletedKey
    ? `Cancelled. Only the access key ${maskKeyId(deletedKey)} was deleted, as you chose; nothing else was changed.`
    : 'Cancelled. No changes were made.');
  const pool = gateways(options);
  // Said last, however the run ends: e.g. the reminder to deactivate a pasted key.
  const farewell = () => {
    const lines = pool.admin()?.farewell ?? [];
    if (lines.length) say.line('');
    lines.forEach((l) => say.line(l));
  };
  // Outside a prompt the terminal is in cooked mode and Ctrl-C is a signal.
  const onSigint = () => {
    write(`\n${cancelMessage()}`);
    farewell();
    process.exit(EXIT.cancelled);
  };
  process.on('SIGINT', onSigint);
  try {
    const planned = await prepare(options, prompter, say, pool);
    const decision = await reviewPlan(planned, prompter, say, (id) => (deletedKey = id));
    if (decision === 'nothing') return EXIT.ok;
    if (decision === 'blocked') return EXIT.failed;
    if (decision === 'cancel') {
      write(cancelMessage());
      return EXIT.cancelled;
    }
    // A read-only file found half-way would leave AWS changed and the files not.
    await assertPendingFilesWritable(planned);
    // From here on Ctrl-C means "stop after the running step": the live run handles it.
    process.off('SIGINT', onSigint);
    say.line('');
    const {desired} = planned;
    const {results, stopped} = await applyWithChecklist(planned, `Setting up ${stagesPhrase(planned.desireds)} for IAM user ${desired.userName} in account ${desired.account}`);
    const code = exitCodeOf(results, stopped);
    if (code === EXIT.ok) await showProof(planned, say);
    return code;
  } catch (err) {
    if (isPromptCancel(err)) {
      write(cancelMessage());
      return EXIT.cancelled;
    }
    if (err instanceof SignInFirst) return err.exitCode;
    const problem = expectedProblem(err);
    if (!problem) throw err;
    say.line('');
    wrapText(`✖ ${shortenPaths(problem.message)}`, textWidth()).forEach(write);
    if (problem.hint) wrapText(problem.hint, textWidth(), '  ').forEach(write);
    return problem.exitCode;
  } finally {
    process.off('SIGINT', onSigint);
    pool.destroyAll();
    farewell();
  }
}
