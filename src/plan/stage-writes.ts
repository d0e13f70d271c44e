/**
 * What the wizard writes into a stage's own settings: only the keys whose
 * effective value (own, else inherited through `extends`) is not the one the
 * stage needs; a parent stage is never edited for a child's sake. With
 * several stages in one run, a stage's parents in the run are taken as
 * already patched, so the plan and the apply agree whatever order they run.
 * Pure.
 */
import {effectiveSettings, inheritedFrom, lenientChain} from './extends.js';
import type {DesiredState} from './types.js';

type Stages = Record<string, Record<string, unknown>>;
type Scalar = string | boolean | number;

/** The stage's wanted keys and the file's stages, as the checks and the writes need them. */
export interface StageWrite {
  /** Keys to write into the stage's own settings (with `extends` first for a new stage); empty when none. */
  entries: Record<string, Scalar>;
  /** The wanted keys and what the stage has for them now (for the plan). */
  differences: string[];
  /** Wanted keys that come (right) from an ancestor: `role_name` → `dev`. */
  inherited: Record<string, string>;
  /** The stage is not in the file yet. */
  created: boolean;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The writes a stage needs, with `all` as the file stands (planned stages included). */
export function stageWrite(all: Stages, d: Pick<DesiredState, 'stage' | 'settingsEntries' | 'newStage'>, run: readonly Pick<DesiredState, 'stage' | 'settingsEntries' | 'newStage'>[] = []): StageWrite {
  const before = withAncestorsPatched(all, d.stage, run);
  const effective = effectiveSettings(before, d.stage);
  const entries: Record<string, Scalar> = {};
  const differences: string[] = [];
  const inherited: Record<string, string> = {};
  for (const [key, wanted] of Object.entries(d.settingsEntries) as Array<[string, Scalar]>) {
    const from = inheritedFrom(before, d.stage, key);
    if (same(effective[key], wanted)) {
      if (from) inherited[key] = from;
      continue;
    }
    entries[key] = wanted;
    const now = effective[key] === undefined ? 'missing' : `${JSON.stringify(effective[key])}${from ? ` (from ${from})` : ''}`;
    differences.push(`${key}: ${now} → ${JSON.stringify(wanted)}`);
  }
  const created = d.newStage !== undefined;
  const parent = d.newStage?.extends;
  return {entries: created && parent ? {extends: parent, ...entries} : entries, differences, inherited, created};
}

/** The file with every ancestor of `stage` that is in the run given its writes, root first. */
function withAncestorsPatched(all: Stages, stage: string, run: readonly Pick<DesiredState, 'stage' | 'settingsEntries' | 'newStage'>[]): Stages {
  const ancestors = lenientChain(all, stage).slice(1).reverse();
  let patched = all;
  for (const name of ancestors) {
    const d = run.find((r) => r.stage === name);
    if (!d) continue;
    const {entries} = stageWrite(patched, d);
    patched = {...patched, [name]: {...patched[name], ...entries}};
  }
  return patched;
}
