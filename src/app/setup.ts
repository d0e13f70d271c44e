/**
 * `setup` and `plan`: check everything, then show the plan or apply it and
 * report. The interactive walk-through (src/app/interactive) reuses planSetup.
 */
import type {Options} from '../args.js';
import {EXIT, UserError} from '../errors.js';
import {applyPlan, checkAll, hasChanges, type PlanItem} from '../engine/run.js';
import type {StepContext} from '../engine/step.js';
import {stepsFor} from '../steps/index.js';
import {deployIdentityPhrase} from './identity-text.js';
import type {DesiredState, Fix, StepId} from '../plan/types.js';
import type {FileKind} from '../engine/local-files.js';
import {describeError} from './describe-error.js';
import {printJson, reportSteps, type Report} from './report.js';
import {desiredStagesOf, inputWarnings, openSession, stepContext, type Session} from './session.js';
import {rowsFor, type Row} from '../engine/rows.js';
import {inputNotes, plannedSteps, problemTexts, sideFindings, stageFields} from '../engine/verdict.js';
import type {Finding} from '../plan/types.js';
import {findingLines, fit, textStyle} from '../ui/findings-text.js';
import {planView} from './interactive/plan-view.js';
import {proofLines} from '../policy/proof-text.js';
import {presetLine} from './preset.js';
import type {StageProof} from '../policy/stage-proofs.js';
import {stagesPhrase, stagesProofLines} from './stages-text.js';
import {plainReporter} from '../ui/plain-reporter.js';
import {changesPhrase} from '../ui/plan-text.js';
import {nextLine, proofSummaryLine, resourceLines} from './setup-result-text.js';
import type {ProofVerdict} from '../policy/verdict.js';

export interface Planned {
  session: Session;
  /** The first stage's end state; `desireds` has every stage's (one, unless several were named). */
  desired: DesiredState;
  desireds: DesiredState[];
  ctx: StepContext;
  rows: Row[];
  plan: PlanItem[];
  fixes: Fix[];
}

export async function planSetup(options: Options, session?: Session): Promise<Planned> {
  const s = session ?? (await openSession(options));
  const {desired, desireds, fixes} = await desiredStagesOf(s);
  const ctx = stepContext(s, desired, desireds);
  const rows = rowsFor(stepsFor(desireds[0]!.identityKind ?? 'user'), desireds);
  const plan = await checkAll(rows, ctx);
  return {session: s, desired, desireds, ctx, rows, plan, fixes};
}

/**
 * What plan and setup say besides the rows: the names the wizard corrects,
 * warnings about the inputs, and what the checks noticed (the same findings
 * doctor lists, in the same words).
 */
export function notesOf(p: Planned): Finding[] {
  return [...inputNotes(p.fixes, inputWarnings(p.session), p.session.files.path('settings'), p.desired.stage), ...sideFindings(p.plan)];
}

function baseReport(command: string, p: Planned): Report {
  const notes = notesOf(p);
  return {
    command, ok: true, account: p.desired.account, stage: p.desired.stage,
    ...(p.desireds.length > 1 ? {stages: p.desireds.map((d) => d.stage)} : {}), steps: [],
    files: p.session.files.fileReports(), apiCalls: {...p.session.gateway.counts},
    fixes: p.fixes, warnings: problemTexts(notes, 'warning'), findings: notes,
    policies: {preset: p.desired.preset, presetSource: p.desired.presetSource, additions: p.desired.additions, omissions: p.desired.omissions},
  };
}

/** `plan`: no write anywhere; exit 3 when something would change. */
export async function runPlan(options: Options): Promise<number> {
  const p = await planSetup(options);
  const pending = hasChanges(p.plan);
  if (options.json) {
    printJson({...baseReport('plan', p), steps: plannedSteps(p.plan), problems: problemTexts(notesOf(p), 'problem')});
  } else {
    printPlanText(p, (l) => process.stdout.write(`${l}\n`));
  }
  p.session.gateway.destroy();
  return pending ? EXIT.pending : EXIT.ok;
}

/** The walk-through's plan screen (rows, then the file diffs), then the notes: one renderer for both. */
function printPlanText(p: Planned, out: (l: string) => void): void {
  const style = textStyle();
  if (hasChanges(p.plan)) {
    planView({plan: p.plan, desired: p.desired, stages: p.desireds, files: p.session.files, width: style.width ?? Number.POSITIVE_INFINITY, color: style.color, notes: false}).forEach(out);
  } else {
    out('✔ Everything is already set up. Nothing to change.');
    out(presetLine(p.desired));
  }
  const notes = notesOf(p);
  if (notes.length && hasChanges(p.plan)) out('');
  for (const f of notes) findingLines(f, style, '  ').forEach(out);
}

/**
 * `setup` without the walk-through (no terminal, --yes or --json): check,
 * apply, report. Nothing here asks a question, so pending changes need --yes.
 */
export async function runSetup(options: Options): Promise<number> {
  const p = await planSetup(options);
  const out = (l: string) => process.stdout.write(`${l}\n`);
  try {
    if (hasChanges(p.plan) && !options.yes) throw confirmationNeeded(options);
    if (p.plan.some((item) => item.check.state === 'blocked')) return reportBlocked(p, options, out);
    await assertPendingFilesWritable(p);
    const who = (await p.session.reads.identity()).arn;
    if (!options.json) printHeader(p, out);
    const titles = new Map(p.plan.map((item) => [item.key, item.title]));
    const results = await applyPlan(p.rows, p.plan, p.ctx, {
      emit: options.json ? () => {} : plainReporter(titles),
      describeError: (err) => describeError(err, who),
    });
    const applied = results.every((r) => r.status !== 'failed' && r.status !== 'skipped');
    const proofs = applied ? await proofsAfterSetup(p) : [];
    const proof = proofs[0]?.proof;
    const {stagesVerdict} = await import('../policy/stage-proofs.js');
    const verdict = proof ? stagesVerdict(proofs) : undefined;
    // Steps done but Zappa would still be refused (a blocked runtime, a policy folder that lacks calls): not a success.
    const notes = notesOf(p);
    const problems = [...problemTexts(notes, 'problem'), ...(verdict?.problems ?? [])];
    const ok = applied && !problems.length;
    const report: Report = {
      ...baseReport('setup', p), ok, steps: reportSteps(results),
      ...(proof ? {proof} : {}), ...(proofs.length > 1 ? {stageProofs: proofs} : {}), ...(applied ? {problems} : {}),
      warnings: [...problemTexts(notes, 'warning'), ...(verdict?.warnings ?? [])],
    };
    if (options.json) printJson(report);
    else printSummary(report, p, out, stagesProofLines(proofs, p.desired.preset, proofLines), (verdict?.problems.length ?? 0) > 0, verdict);
    return ok ? EXIT.ok : EXIT.failed;
  } finally {
    p.session.gateway.destroy();
  }
}

/**
 * A row that cannot be brought into place (two keys already, a role_arn that
 * does not exist) would leave a half-done setup: the files pointing at a
 * profile with no key. Stop before the first change and say what to do.
 */
function reportBlocked(p: Planned, options: Options, out: (l: string) => void): number {
  const steps = p.plan.map((item) => item.check.state === 'blocked'
    ? {id: item.id, ...stageFields(item), status: 'failed' as const, detail: item.check.detail, ...(item.check.hint ? {hint: item.check.hint} : {})}
    : {id: item.id, ...stageFields(item), status: 'skipped' as const, detail: 'not run: setup stops before any change while a row is blocked'});
  const problems = p.plan.filter((item) => item.check.state === 'blocked').map((item) => `${item.title}: ${item.check.detail}`);
  if (options.json) {
    printJson({...baseReport('setup', p), ok: false, steps, problems});
  } else {
    for (const item of p.plan) {
      if (item.check.state !== 'blocked') continue;
      out(`✖ ${item.title}: ${item.check.detail}`);
      if (item.check.hint) out(`  ${item.check.hint}`);
    }
    out('Nothing was changed. Fix the row above and run again.');
  }
  return EXIT.failed;
}

function confirmationNeeded(options: Options): UserError {
  const why = options.json ? '--json prints a report and asks no questions' : 'no terminal is attached to confirm them';
  return new UserError(`There are changes to apply, but ${why}.`, {
    hint: 'Run again with --yes to apply without asking, or run `plan` to only see them. Nothing was changed.',
  });
}

/** Steps that edit each file: a pending one means the file must be writable. */
const FILE_STEPS: Record<FileKind, StepId[]> = {
  // verify removes a role_arn or the like from the credentials file's section before it proves the key.
  credentials: ['access-key', 'credentials-file', 'verify'],
  config: ['config-file'],
  settings: ['zappa-settings'],
};

/**
 * A read-only file found half-way would leave AWS changed and the files not:
 * check every file we are about to edit before the first AWS write.
 */
export async function assertPendingFilesWritable(p: Planned): Promise<void> {
  for (const [kind, ids] of Object.entries(FILE_STEPS) as [FileKind, StepId[]][]) {
    if (p.plan.some((item) => ids.includes(item.id) && item.check.state !== 'present')) {
      await p.session.files.assertWritable(kind);
    }
  }
}

export function printHeader(p: Planned, log: (l: string) => void): void {
  log(`Setting up ${stagesPhrase(p.desireds)} for ${deployIdentityPhrase(p.desired)} in account ${p.desired.account}`);
  const style = textStyle();
  for (const f of notesOf(p)) findingLines(f, style).forEach(log);
}

/** The permission proof of every stage (offline, no AWS write; reads only policies not already known). */
async function proofsAfterSetup(p: Planned): Promise<StageProof[]> {
  const {proveStages} = await import('../policy/stage-proofs.js');
  return proveStages(p.session.reads, p.desireds, p.session.files.settings());
}

/** `policyRefusals`: the proof (not only the stage's settings) found something Zappa would be refused. */
function printSummary(report: Report, p: Planned, log: (l: string) => void, proof: string[] = [], policyRefusals = false, verdict?: ProofVerdict): void {
  const {desired} = p;
  const created = report.steps.filter((s) => s.status === 'created').length;
  const updated = report.steps.filter((s) => s.status === 'updated').length;
  const style = textStyle();
  if (report.problems?.length) {
    for (const line of proof) fit(line, style, '', '      ').forEach(log);
    log('✖ IAM is set up, but zappa deploy would still fail:');
    for (const problem of report.problems) fit(`✖ ${problem}`, style, '  ').forEach(log);
    if (policyRefusals) {
      log(desired.preset === 'document' || desired.preset === 'strict'
        ? '  Something outside the wizard\'s policies refuses a call (a Deny, a boundary): check the policies attached to the user and the role.'
        : `  The policies in ${desired.preset} lack what is refused: add it, or run with --policy document or --policy strict.`);
    }
    return;
  }
  if (report.ok) {
    // The result, then what exists, then the next command: the last line is what to do now.
    log(created + updated ? `✔ Done: ${changesPhrase(created, updated)} applied.` : '✔ Everything is already set up.');
    for (const f of report.files) if (f.backup) log(`  backup of ${f.path}: ${f.backup}`);
    const short = verdict && proofSummaryLine(verdict, desired.preset, p.desireds);
    for (const line of short ? [short] : proof) fit(line, style, '', '      ').forEach(log);
    log('');
    // As they are: an ARN or a link cut by the wrapper could not be copied whole.
    resourceLines(p.desireds, p.session.files).forEach(log);
    log('');
    log(nextLine(p.desireds, desired.profileName));
  } else {
    const failed = report.steps.find((s) => s.status === 'failed');
    log(`Stopped at "${failed?.id}". Re-running the wizard resumes from there; finished steps are detected and skipped.`);
  }
}
