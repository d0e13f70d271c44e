/** Doctor's plain-text output: one line per finding, then what was not checked. */
import {paint, useColor} from '../../ui/symbols.js';
import type {Diagnosis} from './diagnose.js';
import {problemsOf, type NotChecked} from './finding.js';

/** The permission proof's lines and how many problems it found: shown before the verdict, which counts them. */
export interface ProofSection { proof: string[]; problems: number }

export function renderDiagnosis(d: Diagnosis, settingsPath: string, write: (line: string) => void, proof: ProofSection = {proof: [], problems: 0}, color = useColor()): void {
  const account = d.account ? ` · account ${d.account}` : '';
  write(`Doctor: stage "${d.stage}" of ${settingsPath} · profile ${d.profile} · IAM user ${d.userName}${account}`);
  for (const f of d.findings) {
    const mark = f.severity === 'warning' ? paint('!', 'yellow', color) : paint('✖', 'red', color);
    write(`${mark} ${f.where}: ${sentence(f.problem)} ${paint('Fix:', 'bold', color)} ${f.fix}`);
  }
  for (const [reason, checks] of groupByReason(d.notChecked)) {
    write(`${paint('?', 'yellow', color)} Not checked: ${checks.join('; ')}. Why: ${reason}`);
  }
  for (const line of proof.proof) write(line);
  const findings = problemsOf(d.findings).length;
  const n = findings + proof.problems;
  if (n === 0) {
    write(paint(d.notChecked.length ? '✔ No problems found in what could be checked.' : '✔ No problems found.', 'green', color));
  } else {
    const parts = [
      `${n} problem${n === 1 ? '' : 's'} found.`,
      ...(findings ? ['Each finding ends with the command or edit that fixes it.'] : []),
      ...(proof.problems ? ['Zappa would be refused the ✖ permissions above: run setup to put the policies and the role back in line with the stage.'] : []),
    ];
    write(parts.join(' '));
  }
}

function groupByReason(items: NotChecked[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const {check, reason} of items) {
    const checks = groups.get(reason) ?? [];
    if (!checks.includes(check)) checks.push(check);
    groups.set(reason, checks);
  }
  return groups;
}

/** Validators' messages end with a period already; the finding line adds one otherwise. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
