/**
 * `setup` in a terminal: quick checks, questions with explanations, the plan
 * with one confirmation, then the live checklist. Inquirer owns the terminal
 * for the questions and Ink for the checklist, never both at once.
 *
 * Ctrl-C before applying leaves everything as it was (exit 130); during the
 * checklist it stops after the running step (exit 130, or 1 if a step failed).
 */
import type {IdentityKind, Options} from '../../args.js';
import {endpointsFrom} from '../../aws/credentials.js';
import {SdkGateway} from '../../aws/sdk-gateway.js';
import {Reads} from '../../engine/reads.js';
import {CheckError, hasChanges, type StepResult} from '../../engine/run.js';
import {EXIT, UserError} from '../../errors.js';
import type {Answers} from '../../plan/types.js';
import {describeError} from '../describe-error.js';
import {assertPendingFilesWritable, planSetup, type Planned} from '../setup.js';
import {stageRuns, type Session} from '../session.js';
import {newStageOf, resolveAnswers, type Resolution} from '../resolve.js';
import {configSectionFor} from '../../plan/desired.js';
import {stagesPhrase, stagesProofLines} from '../stages-text.js';
import {nextLine, proofSummaryLine, resourceLines} from '../setup-result-text.js';
import {deployIdentityPhrase} from '../identity-text.js';
import {INTRO} from './explain.js';
import {answersCommand, type GivenAnswers} from './answers-command.js';
import {reviewPlan, sayNothingToDo} from './confirm-plan.js';
import {askIdentity, askPolicy} from './kind-questions.js';
import {applyWithChecklist} from './live-run.js';
import {noteLines} from './plan-view.js';
import {runPreflight, type Preflight, type SignedIn} from './preflight.js';
import {inquirerPrompter, isPromptCancel, type Prompter} from './prompter.js';
import {askAnswers, askSharedAnswers, askStages, type Narrator} from './questions.js';
import {chooseAdmin, SignInFirst} from './credentials-choice.js';
import {useColor} from '../../ui/symbols.js';
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

/** A problem the person can act on, worded for the terminal; undefined for a bug. */
function expectedProblem(err: unknown): {message: string; hint?: string; exitCode: number} | undefined {
  if (err instanceof UserError) return {message: err.message, hint: err.hint, exitCode: err.exitCode};
  if (err instanceof CheckError) {
    const {error, hint} = describeError(err.cause);
    return {message: `Can't check ${err.title}: ${error}`, hint, exitCode: EXIT.failed};
  }
  return undefined;
}

/** The checked plan, the answers that made it, and whether a re-run found everything in place and the person kept it. */
interface Prepared {
  planned: Planned;
  given: GivenAnswers;
  upToDate?: boolean;
}

/**
 * A re-run says first what it found: with everything in place, one question
 * ("Change something?", No by default) instead of all the others. True when
 * the person keeps it as it is.
 */
async function keepAsItIs(p: Planned, prompter: Prompter, say: Narrator): Promise<boolean> {
  if (hasChanges(p.plan)) return false;
  const {desired: d} = p;
  say.line('');
  say.line(`✔ Everything is already set up for ${stagesPhrase(p.desireds)}: ${deployIdentityPhrase(d)}, region ${d.region}, account ${d.account}.`);
  noteLines(p.plan, textWidth(), useColor()).forEach((l) => say.line(l));
  return !(await prompter.confirm({message: 'Change something?', default: false}));
}

/** The deploy identity's kind the draft plan works with: what Enter keeps (a CI role is not setup's to choose). */
function kindInPlace(p: Planned): IdentityKind | undefined {
  const kind = p.desired.deployIdentity?.kind;
  return kind === 'user' || kind === 'group' || kind === 'role' ? kind : undefined;
}

/** Preflight and questions, up to the checked plan. */
async function prepare(options: Options, prompter: Prompter, say: Narrator, pool: ReturnType<typeof gateways>): Promise<Prepared> {
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
  const defaultStage = pre.stages.length === 1 ? pre.stages[0]! : 'dev';
  const picked = await askStages(ctx, prompter, say);
  if (picked.length > 1) return planSeveral(options, pre, admin, picked, prompter, say, pool, defaultStage);
  const [stage] = picked as [string];
  // Own keys only: a new stage typed as "constructor" is not found on Object.prototype.
  const known = Object.hasOwn(pre.settings, stage);
  const parent = known ? undefined : pre.stages[0];
  // A new stage is planned in the files first, so its answers come from what it will inherit.
  if (!known) pre.files.planStage(stage, parent);
  const settings = pre.files.settings();
  const withStage = (a: Answers): Answers => (known ? a : {...a, newStage: newStageOf(parent)});
  // What setup would do without questions: planned first, so that a finished setup is said at once.
  const base: Resolution = resolveAnswers(options, settings, stage, ctx.configRegion(configSectionFor(options.profile ?? options.user)));
  const draft = await planSetup(options, sessionFor(options, pre, admin, withStage(base.answers), pool.get(base.answers.region)));
  const given: GivenAnswers = {stages: [stage], defaultStage, userName: base.answers.userName, adminProfile: admin.choice.profile, answers: base.answers, defaults: base.answers};
  if (await keepAsItIs(draft, prompter, say)) return {planned: draft, given, upToDate: true};
  const identity = await askIdentity(options, prompter, say, kindInPlace(draft));
  const answers = withStage(await askAnswers({...ctx, settings, picked: stage, base, identity}, prompter, say));
  const policy = await askPolicy(options, draft.desired.presetSource, prompter);
  // The answer sets what --policy sets.
  const chosen: Options = {...options, identity, ...(policy ? {policy} : {})};
  const session = sessionFor(chosen, pre, admin, answers, pool.get(answers.region));
  return {planned: await planSetup(session.options, session), given: {...given, userName: answers.userName, answers, policy, identity}};
}

/**
 * Several stages: one user for all (asked), each stage's region, role and
 * bucket from its settings or the defaults (shown), then one plan, as
 * `setup --stage a,b` makes it.
 */
async function planSeveral(options: Options, pre: Preflight, admin: SignedIn, stages: string[], prompter: Prompter, say: Narrator, pool: ReturnType<typeof gateways>, defaultStage: string): Promise<Prepared> {
  const sessionOf = (chosen: Options): Session => {
    const runs = stageRuns(chosen, pre.files);
    const entry = pool.get(runs[0]!.resolution.answers.region);
    return {options: chosen, files: pre.files, gateway: entry.gateway, reads: entry.reads, resolution: runs[0]!.resolution, stages: runs};
  };
  const several: Options = {...options, stage: stages.join(','), adminProfile: admin.choice.profile};
  const draft = await planSetup(several, sessionOf(several));
  const given: GivenAnswers = {stages, defaultStage, userName: options.user, adminProfile: admin.choice.profile};
  if (await keepAsItIs(draft, prompter, say)) return {planned: draft, given, upToDate: true};
  const ctx = {options, settings: pre.files.settings(), stages: pre.stages, configRegion: () => undefined, bucketOwnership: async () => 'free' as const};
  const identity = await askIdentity(options, prompter, say, kindInPlace(draft));
  const {userName} = await askSharedAnswers(ctx, draft.session.stages.map((s) => s.resolution.answers), prompter, say);
  const policy = await askPolicy(options, draft.desired.presetSource, prompter);
  const chosen: Options = {...several, user: userName, identity, ...(policy ? {policy} : {})};
  return {planned: await planSetup(chosen, sessionOf(chosen)), given: {...given, userName, policy, identity}};
}

/**
 * After a successful run: the permission proof (one line, or in full when it
 * finds a problem), what now exists, and the next command, last. Returns the
 * exit code: a proof with a problem means zappa deploy would still fail.
 */
async function finish(p: Planned, say: Narrator): Promise<number> {
  const [{proveStages, stagesVerdict}, {proofLines}] = await Promise.all([import('../../policy/stage-proofs.js'), import('../../policy/proof-text.js')]);
  const proofs = await proveStages(p.session.reads, p.desireds, p.session.files.settings());
  const verdict = stagesVerdict(proofs);
  say.line('');
  const short = proofSummaryLine(verdict, p.desired.preset, p.desireds);
  if (!short) {
    stagesProofLines(proofs, p.desired.preset, proofLines).forEach((l) => say.line(l));
    say.line('✖ IAM is set up, but zappa deploy would still fail:');
    verdict.problems.forEach((problem) => say.line(`✖ ${problem}`));
    return EXIT.failed;
  }
  say.line(short);
  say.line('');
  // Written as they are: an ARN or a link cut and indented by the wrapper could not be copied whole.
  resourceLines(p.desireds, p.session.files).forEach((l) => process.stdout.write(`${l}\n`));
  say.line('');
  say.line(nextLine(p.desireds, p.desired.profileName));
  return EXIT.ok;
}

/** Runs the walk-through; returns the exit code. */
export async function runWalkthrough(options: Options, prompter: Prompter = inquirerPrompter()): Promise<number> {
  const write = (line: string) => process.stdout.write(`${line}\n`);
  const say = narrator(textWidth(), write);
  // Nothing changes before the one yes (a key chosen at the two-key limit too): one message for every way out.
  const cancelMessage = () => 'Cancelled. No changes were made.';
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
    const {planned, given, upToDate} = await prepare(options, prompter, say, pool);
    if (upToDate) {
      say.line(nextLine(planned.desireds, planned.desired.profileName));
      return EXIT.ok;
    }
    const decision = await reviewPlan(planned, prompter, say, given.policy !== undefined);
    if (decision === 'nothing') return EXIT.ok;
    if (decision === 'blocked') return EXIT.failed;
    if (decision === 'cancel' || decision === 'declined') {
      write(cancelMessage());
      if (decision === 'declined') {
        say.line('To run it again with these answers (add --yes to apply them without questions):');
        // Unwrapped, so that it pastes as one command however narrow the terminal.
        write(`  ${answersCommand(options, given)}`);
      }
      return EXIT.cancelled;
    }
    // A read-only file found half-way would leave AWS changed and the files not.
    await assertPendingFilesWritable(planned);
    // From here on Ctrl-C means "stop after the running step": the live run handles it.
    process.off('SIGINT', onSigint);
    say.line('');
    const {desired} = planned;
    const {results, stopped} = await applyWithChecklist(planned, `Setting up ${stagesPhrase(planned.desireds)} for ${deployIdentityPhrase(desired)} in account ${desired.account}`);
    const code = exitCodeOf(results, stopped);
    return code === EXIT.ok ? finish(planned, say) : code;
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
