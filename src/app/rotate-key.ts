/**
 * `rotate-key`: new key → write → verify → deactivate and delete the old one.
 * Exit 0 rotated, 1 a step failed (the credentials file still holds a working
 * key and the report lists the user's keys), 2 bad usage or nothing to
 * rotate (nothing changed), 130 when the person declined.
 */
import type {Options} from '../args.js';
import {EXIT} from '../errors.js';
import {SYMBOL, paint, useColor} from '../ui/symbols.js';
import {terminalConfirm} from '../lifecycle/confirm.js';
import {wizardCommand} from '../lifecycle/command-line.js';
import {rotateKey, type KeySummary, type RotateEvent, type RotateOutcome} from '../lifecycle/rotate-key/rotate.js';
import {describeError} from './describe-error.js';
import {printJson, type Report} from './report.js';
import {desiredStateOf, openSession, stepContext} from './session.js';
import {UserError} from '../errors.js';

function nothingToRotate(roleArn: string, profile: string): UserError {
  return new UserError(`Profile ${profile} assumes the deploy role ${roleArn} with your own credentials: there is no access key to rotate.`, {
    hint: 'Nothing was changed. Temporary credentials for the role come fresh with every deploy; to switch back to a user with a key, run setup --identity user.',
  });
}

/** The --json report of rotate-key: the common fields plus the user's keys (masked). */
export interface RotateReport extends Report {
  command: 'rotate-key';
  keys: KeySummary[];
}

export async function runRotateKey(options: Options): Promise<number> {
  const session = await openSession(options);
  try {
    const {desired, identity} = await desiredStateOf(session);
    // A role is assumed with the person's own credentials: there is no long-term key to rotate.
    if (desired.deployIdentity.kind === 'role') throw nothingToRotate(desired.deployIdentity.roleArn, desired.profileName);
    const log = (line: string) => !options.json && process.stdout.write(`${line}\n`);
    log(`Rotating the access key of IAM user ${desired.userName} (profile ${desired.profileName}, account ${identity.account})`);
    const outcome = await rotateKey(stepContext(session, desired), {
      confirm: terminalConfirm(options),
      emit: printEvent(log),
      describeError: (err) => describeError(err, identity.arn),
      setup: wizardCommand('setup', options),
    });
    if (options.json) {
      const report: RotateReport = {
        command: 'rotate-key', ok: outcome.ok, account: desired.account, stage: desired.stage,
        steps: outcome.steps, files: session.files.fileReports(), apiCalls: {...session.gateway.counts},
        fixes: [], warnings: [], keys: outcome.keys, ...(outcome.error ? {error: outcome.error} : {}),
      };
      printJson(report);
    } else {
      printEnd(outcome, desired.userName, log);
    }
    if (outcome.cancelled) return EXIT.cancelled;
    return outcome.ok ? EXIT.ok : EXIT.failed;
  } finally {
    session.gateway.destroy();
  }
}

function printEvent(log: (line: string) => void): (event: RotateEvent) => void {
  const color = useColor();
  return (event) => {
    if (event.type === 'progress') log(`… ${event.message}`);
    else if (event.type === 'note') log(`  ${event.message}`);
    else log(`${paint(SYMBOL[event.status], event.status === 'unchanged' ? 'dim' : 'green', color)} ${event.detail}`);
  };
}

function describeKeys(keys: KeySummary[]): string {
  if (keys.length === 0) return 'none';
  return keys.map((k) => `${k.id} (${k.status}${k.inFile ? ', in the credentials file' : ''})`).join(', ');
}

function printEnd(outcome: RotateOutcome, userName: string, log: (line: string) => void): void {
  const failed = outcome.steps.find((s) => s.status === 'failed');
  if (failed) {
    log(`${SYMBOL.failed} failed at "${failed.id}": ${failed.detail}`);
    if (failed.hint) log(`  ${failed.hint}`);
  }
  if (outcome.cancelled) log('Cancelled. No key was created or deleted.');
  log(`Keys of ${userName} now: ${describeKeys(outcome.keys)}.`);
  if (outcome.ok) log('Done. The profile now uses the new key; the old one no longer exists.');
}
