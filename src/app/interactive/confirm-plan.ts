/**
 * The one confirmation: the plan on one screen, the counts in the question
 * ("Apply 11 changes: 10 to create, 1 to update?"), and the details (what the
 * policies allow, every file edit) behind "d", after which the question is
 * asked again. At the two-key limit the key to delete is chosen first; it is
 * only a choice until this yes (key-limit.ts).
 */
import {hasChanges} from '../../engine/run.js';
import {useColor} from '../../ui/symbols.js';
import {pendingPhrase} from '../../ui/plan-text.js';
import {textWidth} from '../../ui/text.js';
import type {Planned} from '../setup.js';
import {resolveKeyLimit} from './key-limit.js';
import {noteLines, planSummary, planView} from './plan-view.js';
import type {Prompter} from './prompter.js';
import type {Narrator} from './questions.js';
import {nextLine} from '../setup-result-text.js';

/** apply: yes; declined: no at the confirmation; cancel: stopped before it (nothing to keep). */
export type Decision = 'apply' | 'nothing' | 'declined' | 'cancel' | 'blocked';

type Answer = 'apply' | 'decline' | 'details';

const CHOICES = [
  {key: 'y', value: 'apply', name: 'Yes, apply them'},
  {key: 'n', value: 'decline', name: 'No, change nothing (shows the command with your answers)'},
  {key: 'd', value: 'details', name: 'Show details: what each policy allows, every file edit'},
] as const;

/** Said when nothing is left to do: that, what the checks noticed, and the next command. */
export function sayNothingToDo(p: Planned, say: Narrator): void {
  say.line('');
  say.line('✔ Everything is already set up. Nothing to change.');
  noteLines(p.plan, textWidth(), useColor()).forEach((l) => say.line(l));
  say.line(nextLine(p.desireds, p.desired.profileName));
}

/** `presetChosen`: the person answered the policy question (the preset is theirs, not a flag's). */
export async function reviewPlan(p: Planned, prompter: Prompter, say: Narrator, presetChosen = false): Promise<Decision> {
  const limit = await resolveKeyLimit(p.plan, p.rows, p.ctx, prompter, say);
  if (limit.stopped) return 'cancel';
  p.plan = limit.plan;
  if (!hasChanges(p.plan)) {
    sayNothingToDo(p, say);
    return 'nothing';
  }
  const view = {plan: p.plan, desired: p.desired, stages: p.desireds, files: p.session.files, width: textWidth(), color: useColor(), presetChosen};
  say.line('');
  planSummary(view).forEach((l) => say.line(l));
  // As setup --yes does: a row that cannot be brought into place would leave a half-done setup.
  if (p.plan.some((item) => item.check.state === 'blocked')) {
    say.line('');
    say.line('Nothing was changed. Fix the row marked "blocked" above and run again.');
    return 'blocked';
  }
  for (;;) {
    say.line('');
    const answer = await prompter.keys<Answer>({message: `Apply ${pendingPhrase(p.plan)}?`, choices: CHOICES, default: 'y'});
    if (answer !== 'details') return answer === 'apply' ? 'apply' : 'declined';
    say.line('');
    planView({...view, notes: false}).forEach((l) => say.line(l));
  }
}
