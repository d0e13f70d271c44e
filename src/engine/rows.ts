/**
 * The rows of a run: each step once, or, with several stages, the stage's
 * own steps once per stage (its settings) or per execution role (the role
 * and its policy attachment, shared by the stages that name the same role).
 * The deploy identity, its key, the files' profile and both managed policies
 * are one row for all stages: they are one thing in IAM.
 */
import type {DesiredState, StepId} from '../plan/types.js';
import type {StepDefinition} from './step.js';

export interface Row {
  /** Unique in the run: the step id, or `id@stage` for a stage's own row when there are several stages. */
  key: string;
  step: StepDefinition;
  /** The end state this row works toward (its stage's, for a stage's row). */
  desired: DesiredState;
  /** The stages the row belongs to, when the run has several (a shared role row names each). */
  stages?: string[];
  dependsOn: string[];
}

/** Steps done once per stage (the settings) and once per execution role. */
const PER_STAGE: ReadonlySet<StepId> = new Set(['zappa-settings']);
const PER_ROLE: ReadonlySet<StepId> = new Set(['execution-role', 'execution-policy-attached']);

/** `desireds[0]` is the primary stage: shared rows work from it (all stages share its policies). */
export function rowsFor(steps: readonly StepDefinition[], desireds: readonly DesiredState[]): Row[] {
  const [primary] = desireds;
  if (!primary) throw new Error('rowsFor needs at least one stage');
  if (desireds.length === 1) return steps.map((step) => ({key: step.id, step, desired: primary, dependsOn: [...step.dependsOn]}));
  const byRole = roleGroups(desireds);
  const keyOf = (id: StepId, d: DesiredState): string => {
    if (PER_STAGE.has(id)) return `${id}@${d.stage}`;
    if (PER_ROLE.has(id)) return `${id}@${byRole.get(d.roleName)![0]!.stage}`;
    return id;
  };
  const rows = steps.flatMap((step): Row[] => {
    const own: Array<[DesiredState, string[] | undefined]> = PER_STAGE.has(step.id) ? desireds.map((d) => [d, [d.stage]])
      : PER_ROLE.has(step.id) ? [...byRole.values()].map((group) => [group[0]!, group.map((d) => d.stage)])
        : [[primary, undefined]];
    return own.map(([d, stages]) => ({
      key: keyOf(step.id, d), step, desired: d, ...(stages ? {stages} : {}),
      dependsOn: step.dependsOn.map((dep) => keyOf(dep, d)),
    }));
  });
  return serializeFileWrites(rows);
}

/** Rows of one step per stage edit the same settings file: each waits for the one before, so no edit is lost. */
function serializeFileWrites(rows: Row[]): Row[] {
  let previous: Row | undefined;
  return rows.map((row) => {
    if (!PER_STAGE.has(row.step.id)) return row;
    const chained = previous ? {...row, dependsOn: [...row.dependsOn, previous.key]} : row;
    previous = row;
    return chained;
  });
}

/** Stages by the execution role they name, in the order the stages came. */
function roleGroups(desireds: readonly DesiredState[]): Map<string, DesiredState[]> {
  const groups = new Map<string, DesiredState[]>();
  for (const d of desireds) groups.set(d.roleName, [...(groups.get(d.roleName) ?? []), d]);
  return groups;
}
