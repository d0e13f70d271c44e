/**
 * `setup` and `plan`: check everything, show the plan, (confirm,) apply,
 * report. The interactive walk-through plugs in through `SetupHooks`.
 */
import type {Options} from '../args.js';
import {EXIT} from '../errors.js';
import {applyPlan, checkAll, hasChanges, type PlanItem, type RunEvent, type StepResult} from '../engine/run.js';
import type {StepContext} from '../engine/step.js';
import {SETUP_STEPS} from '../steps/index.js';
import type {DesiredState, Fix, StepId} from '../plan/types.js';
import type {FileKind} from '../engine/local-files.js';
import {describeError} from './describe-error.js';
import {printJson, reportSteps, type Report} from './report.js';
import {assertInteractive, desiredStateOf, openSession, stepContext, type Session} from './session.js';
import {printPlan} from '../ui/plan-text.js';
import {proofLines} from '../policy/proof-text.js';
import type {Proof} from '../policy/proof.js';
import {plainReporter} from '../ui/plain-reporter.js';

/** How a front end (plain or Ink) takes part in a run. */
export interface SetupHooks {
  /** Shows the plan and asks once; false cancels. */
  confirm(plan: PlanItem[], desired: DesiredState): Promise<boolean>;
  /** Runs the apply while showing progress; returns the results. */
  present(run: (emit: (e: RunEvent) => void, signal: AbortSignal) => Promise<StepResult[]>, planned: Planned): Promise<StepResult[]>;
}

export interface Planned { session: Session; desired: DesiredState; ctx: StepContext; plan: PlanItem[]; fixes: Fix[] }

export async function planSetup(options: Options, session?: Session): Promise<Planned> {
  const s = session ?? (await openSession(options));
  const {desired, fixes} = await desiredStateOf(s);
  const ctx = stepContext(s, desired);
  const plan = await checkAll(SETUP_STEPS, ctx);
  return {session: s, desired, ctx, plan, fixes};
}

function baseReport(command: string, p: Planned): Report {
  return {
    command, ok: true, account: p.desired.account, stage: p.desired.stage, steps: [],
    files: p.session.files.fileReports(), apiCalls: {...p.session.gateway.counts},
    fixes: p.fixes, warnings: p.session.resolution.warnings,
  };
}

/** `plan`: no write anywhere; exit 3 when something would change. */
export async function runPlan(options: Options): Promise<number> {
  const p = await planSetup(options);
  const pending = hasChanges(p.plan);
  if (options.json) {
    const steps = p.plan.map((item) => ({id: item.id, status: planStatus(item), detail: item.check.detail}));
    printJson({...baseReport('plan', p), steps, apiCalls: {...p.session.gateway.counts}});
  } else {
    printPlan(p.plan, p.fixes, p.session.resolution.warnings, (l) => process.stdout.write(`${l}\n`));
  }
  p.session.gateway.destroy();
  return pending ? EXIT.pending : EXIT.ok;
}

/** What `apply` would report for a step, from its check. */
export function planStatus(item: PlanItem): Report['steps'][number]['status'] {
  switch (item.check.state) {
    case 'present': return 'unchanged';
    case 'missing': return 'created';
    case 'drifted': return 'updated';
    case 'blocked': return 'failed';
  }
}

const plainHooks = (options: Options): SetupHooks => ({
  async confirm() {
    return true;
  },
  async present(run, planned) {
    const titles = new Map(planned.plan.map((p) => [p.id, p.title]));
    if (!options.json) printHeader(planned, (l) => process.stdout.write(`${l}\n`));
    const emit = options.json ? () => {} : plainReporter(titles);
    return run(emit, new AbortController().signal);
  },
});

/** `setup`: plan, confirm, apply, report. */
export async function runSetup(options: Options, hooks: SetupHooks = plainHooks(options), session?: Session): Promise<number> {
  const p = await planSetup(options, session);
  const log = (l: string) => !options.json && process.stdout.write(`${l}\n`);
  try {
    if (hasChanges(p.plan)) {
      if (!options.yes) assertInteractive(options);
      if (!(await hooks.confirm(p.plan, p.desired))) return EXIT.cancelled;
    }
    await assertPendingFilesWritable(p);
    const who = (await p.session.reads.identity()).arn;
    const results = await hooks.present((emit, signal) => applyPlan(SETUP_STEPS, p.plan, p.ctx, {
      emit, signal, describeError: (err) => describeError(err, who),
    }), p);
    const ok = results.every((r) => r.status !== 'failed' && r.status !== 'skipped');
    const proof = ok ? await proofAfterSetup(p) : undefined;
    const report: Report = {...baseReport('setup', p), ok, steps: reportSteps(results), files: p.session.files.fileReports(), apiCalls: {...p.session.gateway.counts}, ...(proof ? {proof} : {})};
    if (options.json) printJson(report);
    else printSummary(report, p.desired, log, proof ? proofLines(proof, options.policy) : []);
    return ok ? EXIT.ok : EXIT.failed;
  } finally {
    p.session.gateway.destroy();
  }
}

/** Steps that edit each file: a pending one means the file must be writable. */
const FILE_STEPS: Record<FileKind, StepId[]> = {
  credentials: ['access-key', 'credentials-file'],
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
  log(`Setting up stage "${p.desired.stage}" for IAM user ${p.desired.userName} in account ${p.desired.account}`);
  for (const f of p.fixes) log(`! ${f.field}: "${f.from}" → "${f.to}" (${f.reason})`);
  for (const w of p.session.resolution.warnings) log(`! ${w}`);
}

/** The permission proof (offline, no AWS write; reads only policies not already known). */
async function proofAfterSetup(p: Planned): Promise<Proof> {
  const {proveAfterSetup} = await import('../policy/after-setup.js');
  return proveAfterSetup(p.session.reads, p.desired, p.session.files.settings());
}

function printSummary(report: Report, desired: DesiredState, log: (l: string) => void, proof: string[] = []): void {
  const changed = report.steps.filter((s) => s.status === 'created' || s.status === 'updated').length;
  if (report.ok) {
    log(changed ? `Done: ${changed} change(s) applied.` : '✔ Everything is already set up.');
    for (const f of report.files) if (f.backup) log(`  backup of ${f.path}: ${f.backup}`);
    for (const line of proof) log(line);
    log(`Next: zappa deploy ${desired.stage}   (runs as profile ${desired.profileName})`);
  } else {
    const failed = report.steps.find((s) => s.status === 'failed');
    log(`Stopped at "${failed?.id}". Re-running the wizard resumes from there; finished steps are detected and skipped.`);
  }
}
