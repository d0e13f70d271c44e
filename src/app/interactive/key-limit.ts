/**
 * IAM allows two access keys per user. When the user already has two and the
 * credentials file holds neither, no new key can be made until one goes.
 * Which one is the person's call: a key may still be in use on another
 * machine or in CI, so the default answer is to stop and change nothing.
 * Choosing a key only records the choice (RunState.deleteAtLimit): the
 * access-key row deletes it, as part of the one plan, after the one yes.
 */
import type {AccessKeyInfo, KeyLastUsed} from '../../aws/port.js';
import {checkAll, type PlanItem} from '../../engine/run.js';
import {maskKeyId, type StepContext} from '../../engine/step.js';
import type {Row} from '../../engine/rows.js';
import {describeLastUse} from '../../steps/key-age.js';
import type {Narrator} from './questions.js';
import type {Prompter} from './prompter.js';

const STOP = 'stop';

export interface KeyLimitOutcome {
  /** The plan, checked again with the chosen key to delete. */
  plan: PlanItem[];
  /** The key the person chose to delete (not deleted yet), if any. */
  chosen?: string;
  stopped: boolean;
}

const day = (d: Date | undefined) => d?.toISOString().slice(0, 10);

/** One line per key: masked ID, status, created, last used (date, service, region). */
export function describeKeyRows(keys: AccessKeyInfo[], lastUsed: Array<KeyLastUsed | undefined>): string[] {
  return keys.map((k, i) => {
    const use = lastUsed[i];
    const used = describeLastUse(use);
    return `${maskKeyId(k.id)}  ${k.status.padEnd(8)}  created ${day(k.created) ?? 'unknown'}  ${used}`;
  });
}

/** True when the plan cannot go on because the user's key slots are full. */
export function keySlotsFull(plan: PlanItem[]): boolean {
  return plan.some((p) => p.id === 'access-key' && p.check.state === 'blocked');
}

export async function resolveKeyLimit(
  plan: PlanItem[], runRows: readonly Row[], ctx: StepContext, prompter: Prompter, say: Narrator,
): Promise<KeyLimitOutcome> {
  if (!keySlotsFull(plan)) return {plan, stopped: false};
  const user = ctx.desired.userName;
  const keys = await ctx.reads.accessKeys(user);
  const lastUsed = await Promise.all(keys.map((k) => ctx.reads.keyLastUsed(k.id).catch(() => undefined)));
  const lines = describeKeyRows(keys, lastUsed);
  say.line(`! ${user} already has ${keys.length} access keys, and [${ctx.desired.profileName}] in your credentials file holds neither:`);
  lines.forEach((line) => say.line(`    ${line}`));
  say.paragraph('IAM allows two keys per user, so one must be deleted before this computer can get its own. A program still using the deleted key stops working at once. The key you choose is deleted only after you confirm the plan.');
  const choice = await prompter.select({
    message: 'What should happen?',
    choices: [
      {value: STOP, name: 'Stop here and change nothing', description: 'Delete a key yourself later, then run the wizard again.'},
      ...keys.map((k, i) => ({value: k.id, name: `Delete ${lines[i]}`})),
    ],
    default: STOP,
  });
  if (choice === STOP) return {plan, stopped: true};
  ctx.run.deleteAtLimit = choice;
  say.line(`✔ The plan deletes access key ${maskKeyId(choice)} of ${user} to make room, once you confirm it.`);
  return {plan: await checkAll(runRows, ctx), chosen: choice, stopped: false};
}
