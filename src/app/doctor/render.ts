/** Doctor's plain text: the rows and lints as findings, what was not checked, the proof, the verdict. */
import {counted, findingLines, fit, type TextStyle} from '../../ui/findings-text.js';
import {paint} from '../../ui/symbols.js';
import type {Finding} from '../../plan/types.js';
import type {NotChecked} from './diagnose.js';

export interface DiagnosisText {
  header: string;
  findings: Finding[];
  notChecked: NotChecked[];
  /** The permission proof's lines (empty when it could not be made) and how many ✖ it found. */
  proof: string[];
  proofProblems: number;
}

export function renderDiagnosis(d: DiagnosisText, write: (line: string) => void, style: TextStyle): void {
  fit(d.header, style).forEach(write);
  for (const f of d.findings) findingLines(f, style).forEach(write);
  for (const [reason, checks] of groupByReason(d.notChecked)) {
    fit(`${paint('?', 'yellow', style.color)} Not checked: ${checks.join('; ')}. Why: ${reason}`, style).forEach(write);
  }
  for (const line of d.proof) fit(line, style, '', '      ').forEach(write);
  const problems = d.findings.filter((f) => f.severity === 'problem').length + d.proofProblems;
  const warnings = d.findings.filter((f) => f.severity === 'warning').length;
  if (problems === 0) {
    const scope = d.notChecked.length ? ' in what could be checked' : '';
    const also = warnings ? ` (${counted(warnings, 'warning')}: works, but worth a look)` : '';
    write(paint(`✔ No problems found${scope}.${also}`, 'green', style.color));
    return;
  }
  const parts = [
    `${counted(problems, 'problem')} found.`,
    ...(problems > d.proofProblems ? ['Each ✖ ends with the command or edit that fixes it.'] : []),
    ...(d.proofProblems ? ['Zappa would be refused the ✖ permissions above: run setup to put the policies and the role back in line with the stage.'] : []),
  ];
  fit(parts.join(' '), style).forEach(write);
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
