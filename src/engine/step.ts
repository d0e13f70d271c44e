/**
 * The contract of one provisioning step (one row of DESIGN.md's end-state
 * table). `check` is read-only. `apply` brings the thing to the desired state
 * and is safe to call again after a partial failure: "already exists" leads
 * to a re-check, never to a failure.
 */
import type {AwsPort, NewAccessKey} from '../aws/port.js';
import type {Check, DesiredState, StepId} from '../plan/types.js';
import type {LocalFiles} from './local-files.js';
import type {Reads} from './reads.js';

/** What a step hands to later steps during one run. */
export interface RunState {
  /** The key created in this run; its secret never leaves memory and the credentials file. */
  newKey?: NewAccessKey;
}

export interface StepContext {
  desired: DesiredState;
  reads: Reads;
  aws: AwsPort;
  files: LocalFiles;
  run: RunState;
  /** Every stage of the run (unset or one with a single stage): a stage's settings see its parents' writes. */
  stages?: readonly DesiredState[];
  /** The setup command with the person's flags: the fix a finding names. */
  setup: string;
  /** What the person agreed to beyond the rows: changes to a profile the wizard did not write (steps/profile-guard.ts). Unset: nothing more. */
  consent?: Consent;
  /** The profile this run's admin credentials are read from, when they come from one (it is never written). */
  adminProfile?: string;
  /** Reports a long wait (e.g. for IAM to propagate a key) while the step runs. */
  progress(message: string): void;
  sleep(ms: number): Promise<void>;
}

/** Changing what the wizard did not write needs more than --yes. */
export interface Consent {
  /** The plan is shown and confirmed before anything changes (the walk-through): such a change waits for that yes. */
  confirmsPlan: boolean;
  /** --force: replace what the wizard did not write; never the credentials the run itself signs in with. */
  force: boolean;
}

export interface StepOutcome { status: 'created' | 'updated' | 'unchanged'; detail: string }

export interface StepDefinition {
  id: StepId;
  /** Steps whose apply must finish before this one's apply starts. */
  dependsOn: readonly StepId[];
  title(desired: DesiredState): string;
  check(ctx: StepContext): Promise<Check>;
  apply(ctx: StepContext, check: Check): Promise<StepOutcome>;
}

/** AKIA…WXYZ: enough to recognise a key, never enough to use it. */
export function maskKeyId(id: string): string {
  return id.length <= 8 ? '…' : `${id.slice(0, 4)}…${id.slice(-4)}`;
}

export const present = (detail: string): Check => ({state: 'present', detail});
export const missing = (detail: string): Check => ({state: 'missing', detail});
export const drifted = (detail: string): Check => ({state: 'drifted', detail});
