/** The --json report (DESIGN.md): stable field names that scripts rely on. */
import type {CallCounts} from '../aws/port.js';
import type {FileReport} from '../engine/local-files.js';
import type {StepResult} from '../engine/run.js';
import {stageFields} from '../engine/verdict.js';
import type {Finding, Fix, PolicyAddition, PolicySet, StepStatus} from '../plan/types.js';
import type {Proof} from '../policy/proof.js';

export interface ReportStep { id: string; stage?: string; stages?: string[]; status: StepStatus; detail: string; hint?: string }

export interface Report {
  command: string;
  ok: boolean;
  account?: string;
  stage?: string;
  /** Every stage of the run, when --stage named several (or all). */
  stages?: string[];
  steps: ReportStep[];
  files: FileReport[];
  apiCalls: CallCounts;
  fixes: Fix[];
  warnings: string[];
  /** Everything the checks found, each with its severity, where, what and the fix (doctor, plan, setup). */
  findings?: Finding[];
  error?: {message: string; hint?: string};
  /** After a successful setup: what the user can do per Zappa command, and the refusals that matter. */
  proof?: Proof;
  /** With several stages: each stage's proof (`proof` is the first one's). */
  stageProofs?: import('../policy/stage-proofs.js').StageProof[];
  /** The proof's problems (✖): calls Zappa needs that would be refused, or what the execution role lacks. */
  problems?: string[];
  /** The preset in force (and where it came from) and what the stage's settings added to it, each with its reason. */
  policies?: {preset: string; presetSource: import('../plan/types.js').PresetSource; additions: PolicyAddition[]; omissions: PolicySet['omissions']};
}

export function reportSteps(results: StepResult[]): ReportStep[] {
  return results.map((r) => ({id: r.id, ...stageFields(r), status: r.status, detail: r.detail, ...(r.hint && r.status === 'failed' ? {hint: r.hint} : {})}));
}

export function printJson(report: Report): void {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
