/**
 * `teardown`: removes what setup created, after showing it and asking once
 * (--yes skips the question; without a terminal it is required). Leaves
 * zappa_settings.json as it is. Exit 0 when everything it may remove is
 * gone (also when there was nothing to do), 1 when an action failed, 2 on bad
 * usage, 130 when the person said no.
 */
import type {Options} from '../args.js';
import {EXIT, UserError} from '../errors.js';
import {isKind} from '../aws/aws-error.js';
import {SYMBOL, paint, useColor} from '../ui/symbols.js';
import {terminalConfirm} from '../lifecycle/confirm.js';
import {applyTeardown, type ActionResult} from '../lifecycle/teardown/apply.js';
import {takeInventory} from '../lifecycle/teardown/inventory.js';
import {planTeardown, type Kept, type TeardownPlan} from '../lifecycle/teardown/plan.js';
import {teardownSteps} from '../lifecycle/teardown/summary.js';
import {adminProfileOf} from '../steps/profile-guard.js';
import type {DesiredState} from '../plan/types.js';
import {describeError} from './describe-error.js';
import {printJson, type Report} from './report.js';
import {desiredStateOf, openSession, type Session} from './session.js';

/** The --json report of teardown: the common fields plus what was left and why. */
export interface TeardownReport extends Report {
  command: 'teardown';
  kept: Kept[];
}

const CONFLICT_HINT = 'IAM refuses while something still depends on it: inline policies, group memberships, a console password or MFA device on the user, or an instance profile on the role. Remove those in the IAM console, then run teardown again.';

export async function runTeardown(options: Options): Promise<number> {
  const session = await openSession(options);
  try {
    const {desired, identity} = await desiredStateOf(session);
    const plan = planTeardown(await inventory(session, desired, identity.arn), options.force);
    const log = (line: string) => !options.json && process.stdout.write(`${line}\n`);
    const settingsNote = settingsLeft(session, desired);
    const describe = (err: unknown) => (isKind(err, 'Conflict') ? {error: describeError(err, identity.arn).error, hint: CONFLICT_HINT} : describeError(err, identity.arn));

    log(`Teardown of stage "${desired.stage}" in account ${identity.account}${options.force ? ' (--force: also what the wizard did not create)' : ''}`);
    showPlan(plan, settingsNote, log);
    let results: ActionResult[] = [];
    if (plan.actions.length) {
      const yes = await terminalConfirm(options)({
        question: `Remove ${plan.actions.length === 1 ? 'this' : `these ${plan.actions.length} items`}?`,
        motivation: `Teardown would make ${plan.actions.length} change(s) that cannot be undone`,
      });
      if (!yes) {
        log('Cancelled. Nothing was removed.');
        return EXIT.cancelled;
      }
      results = await applyTeardown(plan.actions, {aws: session.gateway, files: session.files, emit: printResult(log, describe)});
    }
    const steps = [...teardownSteps(plan, results, describe), {id: 'zappa-settings', status: 'unchanged' as const, detail: settingsNote}];
    const ok = results.every((r) => r.status === 'done');
    if (options.json) {
      const report: TeardownReport = {
        command: 'teardown', ok, account: identity.account, stage: desired.stage, steps,
        files: session.files.fileReports(), apiCalls: {...session.gateway.counts}, fixes: [], warnings: [], kept: plan.kept,
      };
      printJson(report);
    } else {
      printEnd(session, results, log);
    }
    return ok ? EXIT.ok : EXIT.failed;
  } finally {
    session.gateway.destroy();
  }
}

async function inventory(session: Session, desired: DesiredState, who: string) {
  try {
    const {force, adminProfile} = session.options;
    return await takeInventory(desired, session.reads, session.gateway, session.files, {force, adminProfile: adminProfileOf(adminProfile, process.env)});
  } catch (err) {
    const {error, hint} = describeError(err, who);
    throw new UserError(`Can't find out what to remove: ${error}`, {hint, exitCode: EXIT.failed, cause: err});
  }
}

function settingsLeft(session: Session, desired: DesiredState): string {
  const conf = session.files.settings()[desired.stage] ?? {};
  const named = (['profile_name', 'role_name', 's3_bucket'] as const).filter((k) => typeof conf[k] === 'string').map((k) => `${k} ${conf[k]}`);
  const still = named.length ? `stage "${desired.stage}" still names ${named.join(', ')}; ` : '';
  return `${session.files.path('settings')}, as it is: ${still}run setup to create everything again`;
}

function showPlan(plan: TeardownPlan, settingsNote: string, log: (line: string) => void): void {
  if (plan.actions.length) {
    log(`Will remove (${plan.actions.length}):`);
    for (const a of plan.actions) log(`  - ${a.title}`);
  } else {
    log(plan.kept.length ? 'Nothing to remove without --force.' : 'Nothing to remove: none of what setup creates is left.');
  }
  log('Will leave:');
  for (const k of plan.kept) log(`  • ${k.what}: ${k.reason}`);
  log(`  • ${settingsNote}`);
}

function printResult(log: (line: string) => void, describe: (err: unknown) => {error: string; hint?: string}) {
  const color = useColor();
  return (r: ActionResult): void => {
    if (r.status === 'done') log(`${paint(SYMBOL.updated, 'green', color)} ${r.action.title}`);
    else if (r.status === 'not-run') log(`${SYMBOL.skipped} not run: ${r.action.title}`);
    else {
      const {error, hint} = describe(r.error);
      log(`${paint(SYMBOL.failed, 'red', color)} ${r.action.title} failed: ${error}`);
      if (hint) log(`  ${hint}`);
    }
  };
}

function printEnd(session: Session, results: ActionResult[], log: (line: string) => void): void {
  if (results.length === 0) return;
  const failed = results.find((r) => r.status === 'failed');
  if (failed) {
    log(`Stopped at "${failed.action.title}". Run teardown again: it removes only what is left.`);
    return;
  }
  log(`Done: ${results.length} change(s).`);
  for (const f of session.files.fileReports()) if (f.backup) log(`  backup of ${f.path}: ${f.backup}`);
}
