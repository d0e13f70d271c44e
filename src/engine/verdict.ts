/**
 * One verdict for every command (DESIGN.md "One verdict"): the step checks
 * decide. A row that is not in place is a problem, in the check's own words;
 * what a check noticed besides (a warning, a note) travels with the row.
 * plan shows the rows as changes, setup applies them, doctor lists them as
 * findings, all from the same PlanItems, so they cannot disagree.
 */
import type {Finding, Fix, Severity, StepStatus} from '../plan/types.js';
import type {PlanItem} from './run.js';

/** The row itself as a finding: undefined when it is in place. A blocked row's hint is its fix. */
export function rowFinding(item: PlanItem, fix: string): Finding | undefined {
  const {check} = item;
  if (check.state === 'present') return undefined;
  const ownFix = check.state === 'blocked' && check.hint ? check.hint : fix;
  return {id: check.reason ?? item.id, severity: 'problem', where: item.title, problem: check.detail, fix: ownFix};
}

/** What the checks noticed besides the rows' states (warnings, notes, problems setup cannot fix). */
export const sideFindings = (plan: PlanItem[]): Finding[] => plan.flatMap((item) => item.check.findings ?? []);

/** Every finding of a plan, as doctor lists them: the rows not in place, then what the checks noticed. */
export function planFindings(plan: PlanItem[], fix: string): Finding[] {
  return [...plan.flatMap((item) => rowFinding(item, fix) ?? []), ...sideFindings(plan)];
}

export const ofSeverity = (findings: Finding[], severity: Severity): Finding[] => findings.filter((f) => f.severity === severity);

/** A name the wizard corrects so Zappa can use it: worth knowing, and setup does it. */
export function fixFinding(f: Fix, where: string): Finding {
  return {id: `fixed-${f.field.replaceAll('_', '-')}`, severity: 'info', where, problem: `${f.field}: "${f.from}" → "${f.to}" (${f.reason})`, fix: ''};
}

/** A warning about the inputs themselves (resolve.ts), in the finding layout. */
export const inputWarning = (warning: string, where: string): Finding => ({id: 'settings-warning', severity: 'warning', where, problem: warning, fix: ''});

/** The words of findings for the --json report's string lists. */
export const problemTexts = (findings: Finding[], severity: Severity): string[] => ofSeverity(findings, severity).map((f) => f.problem);

/** What the inputs themselves call for (corrected names, warnings): shown before the rows' findings by every command. */
export function inputNotes(fixes: Fix[], warnings: string[], settingsPath: string, stage: string): Finding[] {
  const where = (s: string) => `${settingsPath} stage "${s}"`;
  return [...fixes.map((f) => fixFinding(f, where(f.stage ?? stage))), ...warnings.map((w) => inputWarning(w, where(stage)))];
}

/** What `apply` would report for a row, from its check. */
export function planStatus(item: PlanItem): StepStatus {
  switch (item.check.state) {
    case 'present': return 'unchanged';
    case 'missing': return 'created';
    case 'drifted': return 'updated';
    case 'blocked': return 'failed';
  }
}

/** The rows as the --json report's `steps`: plan and doctor show the same. */
export const plannedSteps = (plan: PlanItem[]): {id: string; stage?: string; status: StepStatus; detail: string}[] =>
  plan.map((item) => ({id: item.id, ...stageFields(item), status: planStatus(item), detail: item.check.detail}));

/**
 * A stage's own row in a several-stage run carries its stage (DESIGN.md);
 * a role row shared by several stages names them all in `stages`.
 */
export function stageFields(item: {stages?: string[]}): {stage?: string; stages?: string[]} {
  if (!item.stages?.length) return {};
  return item.stages.length === 1 ? {stage: item.stages[0]!} : {stage: item.stages[0]!, stages: item.stages};
}
