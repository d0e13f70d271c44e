/**
 * The plan as the walk-through shows it before the one confirmation: one
 * line per change, short enough for one screen of 80×24 (planSummary); and
 * behind "d: show details", every row with what the policies allow, then a
 * diff of every file edit (planView, which `plan` prints too). The new file texts are computed with the same editors the
 * steps use, on the current text, without writing anything. Secrets never
 * appear: key IDs are masked and secret values replaced by ****.
 */
import type {LocalFiles, FileKind} from '../../engine/local-files.js';
import type {PlanItem} from '../../engine/run.js';
import {maskKeyId} from '../../engine/step.js';
import {upsertSection} from '../../files/ini-document.js';
import {configText} from '../../steps/config-file.js';
import {redirectsIn, withoutRedirects} from '../../steps/profile-redirects.js';
import {stageWrite} from '../../plan/stage-writes.js';
import type {PolicyAddition, DesiredState} from '../../plan/types.js';
import {paint} from '../../ui/symbols.js';
import {pendingPhrase, planCounts} from '../../ui/plan-text.js';
import {aboutExecutionPolicy, aboutFiles, deploymentPolicyByService} from './explain.js';
import {explainDeploymentPolicy} from '../../policy/explain.js';
import {diffHunks} from './text-diff.js';
import {presetLine} from '../preset.js';
import {sideFindings} from '../../engine/verdict.js';
import {findingLines} from '../../ui/findings-text.js';
import {displayPath, shortenPaths, truncate, wrapText} from '../../ui/text.js';

/** Stand-ins for the key AWS has not issued yet; shown as words, never as values. */
const NEW_KEY_ID = 'NEW-ACCESS-KEY-ID';
const NEW_SECRET = 'NEW-SECRET-ACCESS-KEY';

export interface FileEdit {
  kind: FileKind;
  path: string;
  before: string | undefined;
  after: string;
}

const isChange = (item: PlanItem | undefined): boolean => Boolean(item && item.check.state !== 'present');

/** The edits the plan would make to the person's files, as whole texts. */
export function fileEdits(plan: PlanItem[], desired: DesiredState, files: LocalFiles, stages: readonly DesiredState[] = [desired]): FileEdit[] {
  const item = (id: string) => plan.find((p) => p.id === id);
  const edits: FileEdit[] = [];
  const edit = (kind: FileKind, change: (text: string) => string) => {
    const before = files.text(kind);
    const after = change(before ?? '');
    if (after !== before) edits.push({kind, path: files.path(kind), before, after});
  };
  // One edit per file, as the rows make them: the new key, then (verify) the redirect keys of [profile] removed.
  const withKey = (t: string) => (isChange(item('access-key')) ? upsertSection(t, desired.profileName, {aws_access_key_id: NEW_KEY_ID, aws_secret_access_key: NEW_SECRET}) : t);
  const redirects = isChange(item('verify')) ? redirectsIn(files.section('credentials', desired.profileName), 'credentials', desired.profileName) : [];
  if (isChange(item('access-key')) || redirects.length) {
    edit('credentials', (t) => withoutRedirects(withKey(t), desired.profileName, redirects));
  }
  if (isChange(item('config-file'))) {
    edit('config', (t) => configText(t, desired.configSection, desired.region));
  }
  const changedStages = new Set(plan.filter((p) => p.id === 'zappa-settings' && isChange(p)).map((p) => p.stages?.[0] ?? desired.stage));
  if (changedStages.size) {
    // The same writes, in the same order, as the zappa-settings rows make them.
    const all = files.settings();
    const format = files.settingsFormat();
    edit('settings', (t) => stages.filter((d) => changedStages.has(d.stage))
      .reduce((text, d) => format.setStageKeys(text, d.stage, stageWrite(all, d, stages).entries), t));
  }
  return edits;
}

// credential_process too: its command line may carry a token.
const SECRET_KEYS = /^(\s*(?:aws_secret_access_key|aws_session_token|aws_security_token|credential_process)\s*[=:]\s*)(\S.*)$/i;
const KEY_ID = /^(\s*aws_access_key_id\s*[=:]\s*)(\S+)(.*)$/i;

/** Hides secrets in one line of an AWS ini file. */
export function maskIniLine(line: string): string {
  const secret = SECRET_KEYS.exec(line);
  if (secret) return `${secret[1]}****`;
  const id = KEY_ID.exec(line);
  if (id) return `${id[1]}${id[2] === NEW_KEY_ID ? '(new key, created during setup)' : maskKeyId(id[2]!)}${id[3]}`;
  return line;
}

function diffBlock(edit: FileEdit, caption: string, width: number, color: boolean): string[] {
  const mask = edit.kind === 'settings' ? (l: string) => l : maskIniLine;
  const note = edit.before === undefined ? ' (new file)' : '';
  const lines = [`  ${displayPath(edit.path)}${note}`, ...wrapText(caption, width, '      ')];
  for (const line of diffHunks(edit.before ?? '', edit.after)) {
    const mark = line.kind === 'added' ? '+' : line.kind === 'removed' ? '-' : ' ';
    const text = truncate(`    ${mark} ${mask(line.text)}`, width);
    lines.push(line.kind === 'same' ? text : paint(text, line.kind === 'added' ? 'green' : 'red', color));
  }
  return lines;
}

const DETAIL = ' '.repeat(14);

/** A wrapped list item: "• " on the first line, aligned text after. */
function bullet(text: string, width: number): string[] {
  return wrapText(text, width, `${DETAIL}  `).map((line, i) => (i === 0 ? `${DETAIL}• ${line.slice(DETAIL.length + 2)}` : line));
}

function planRow(item: PlanItem, desired: DesiredState, files: LocalFiles, width: number, color: boolean): string[] {
  const mark = {missing: '+', drifted: '~', blocked: '!', present: ' '}[item.check.state];
  const verb = {missing: 'create', drifted: 'update', blocked: 'blocked', present: ''}[item.check.state];
  // A name is never cut: a title wider than the terminal wraps.
  const head = titleLines(`  ${mark} ${verb.padEnd(7)} `, item.title, width);
  const lines = [...head.map((l) => paint(l, item.check.state === 'blocked' ? 'red' : 'bold', color)), ...wrapText(shortenPaths(item.check.detail), width, DETAIL)];
  if (item.check.state === 'blocked' && item.check.hint) lines.push(...wrapText(item.check.hint, width, DETAIL));
  if (item.id === 'deployment-policy') {
    lines.push(`${DETAIL}It lets the deploy user use:`);
    const groups = explainDeploymentPolicy(desired, files.settings());
    for (const service of deploymentPolicyByService(groups)) lines.push(...bullet(service, width));
  }
  if (item.id === 'execution-policy') lines.push(...wrapText(aboutExecutionPolicy(desired.executionPolicy.document), width, DETAIL));
  lines.push(...settingAdditions(item, desired, width));
  return lines;
}

const ADDITIONS_OF: Partial<Record<PlanItem['id'], PolicyAddition['policy']>> = {
  'deployment-policy': 'deployment', 'execution-policy': 'execution', 'execution-role': 'trust',
};

/** What the stage's settings add to this row's policy, each with its setting and reason. */
function settingAdditions(item: PlanItem, desired: DesiredState, width: number): string[] {
  const policy = ADDITIONS_OF[item.id];
  const additions = desired.additions.filter((a) => a.policy === policy);
  const omitted = policy === 'deployment' ? desired.omissions.flatMap((o) => wrapText(`Left out of the setup document's policy: ${o.actions.join(', ')}; ${o.reason}.`, width, DETAIL)) : [];
  if (!additions.length) return omitted;
  return [`${DETAIL}Added for this stage's settings:`, ...additions.flatMap((a) => bullet(`${a.setting}: ${a.actions.join(', ')} (${a.reason})`, width)), ...omitted];
}

export interface PlanViewInput {
  plan: PlanItem[];
  desired: DesiredState;
  /** Every stage of the run, when there are several. */
  stages?: readonly DesiredState[];
  files: LocalFiles;
  width: number;
  color: boolean;
  /** Show what the checks noticed besides the rows (default); `plan` prints them itself, with the fixes. */
  notes?: boolean;
  /** The preset was the person's answer in the walk-through, not a --policy flag. */
  presetChosen?: boolean;
}

/** The preset line; a preset chosen in the walk-through is said to be that, not "from --policy". */
function presetText(desired: DesiredState, chosen: boolean): string {
  return chosen && desired.presetSource === 'flag' ? `Policy preset: ${desired.preset} (your answer above)` : presetLine(desired);
}

/** "Plan: 11 changes: 10 to create, 1 to update; 1 already in place." */
export function planHeadline(plan: PlanItem[]): string {
  const c = planCounts(plan);
  const rest = [c.inPlace && `${c.inPlace} already in place`, c.blocked && `${c.blocked} blocked`].filter(Boolean).join(', ');
  return `Plan: ${pendingPhrase(plan)}${rest ? `; ${rest}` : ''}.`;
}

/** Clauses of a row's detail that remove or disable something: always shown, however short the plan. */
const DESTRUCTIVE = /\b(delete|deletes|deactivate|deactivates|remove|removes|detach|detaches|drop|drops)\b/i;

/**
 * The change's line: its title whole (wrapped when wider than the terminal,
 * names are never cut), and as much of what drifted as still fits on it;
 * `d` shows the rest.
 */
function summaryHead(prefix: string, title: string, why: string, width: number): string[] {
  const head = `${prefix}${title}`;
  if (head.length + why.length <= width) return [`${head}${why}`];
  if (head.length + 2 <= width && why) return [truncate(`${head}${why}`, width)];
  return titleLines(prefix, title, width);
}

/** `prefix` and the title's words while they fit, the rest wrapped under the details' indent. */
function titleLines(prefix: string, title: string, width: number): string[] {
  const words = title.split(' ');
  let first = `${prefix}${words.shift() ?? ''}`;
  while (words.length && first.length + 1 + words[0]!.length <= width) first = `${first} ${words.shift()}`;
  return words.length ? [first, ...wrapText(words.join(' '), width, DETAIL)] : [first];
}

/** One line per change (what it is), plus, in full, anything it deletes or disables. */
function summaryRow(item: PlanItem, width: number, color: boolean): string[] {
  const mark = {missing: '+', drifted: '~', blocked: '!', present: ' '}[item.check.state];
  const verb = {missing: 'create', drifted: 'update', blocked: 'blocked', present: ''}[item.check.state];
  const clauses = shortenPaths(item.check.detail).split('; ');
  const why = item.check.state === 'drifted' ? `: ${clauses.filter((c) => !DESTRUCTIVE.test(c)).join('; ')}` : '';
  const lines = summaryHead(`  ${mark} ${verb.padEnd(7)} `, item.title, why, width).map((l) => paint(l, item.check.state === 'blocked' ? 'red' : 'bold', color));
  const shown = item.check.state === 'blocked' ? [item.check.detail, ...(item.check.hint ? [item.check.hint] : [])] : clauses.filter((c) => DESTRUCTIVE.test(c));
  for (const text of shown) lines.push(...wrapText(shortenPaths(text), width, DETAIL));
  return lines;
}

/** The plan on one screen: headline, preset, one line per change, what is in place, the notes. */
export function planSummary({plan, desired, width, color, notes = true, presetChosen = false}: PlanViewInput): string[] {
  const lines = [...wrapText(planHeadline(plan), width), ...wrapText(presetText(desired, presetChosen), width), ''];
  for (const item of plan.filter((p) => p.check.state !== 'present')) lines.push(...summaryRow(item, width, color));
  const inPlace = plan.filter((p) => p.check.state === 'present').map((p) => p.title);
  if (inPlace.length) lines.push(...wrapText(`Already in place: ${inPlace.join('; ')}.`, width, '  '));
  if (notes) lines.push(...noteLines(plan, width, color));
  return lines;
}

/** Every line of the plan in detail, ready to print. */
export function planView({plan, desired, stages, files, width, color, notes = true, presetChosen = false}: PlanViewInput): string[] {
  const lines = [...wrapText(planHeadline(plan), width), ...wrapText(presetText(desired, presetChosen), width), ''];
  for (const item of plan.filter((p) => p.check.state !== 'present')) lines.push(...planRow(item, desired, files, width, color));
  if (notes) lines.push(...noteLines(plan, width, color));
  const inPlace = plan.filter((p) => p.check.state === 'present').map((p) => p.title);
  if (inPlace.length) lines.push('', ...wrapText(`Already in place: ${inPlace.join('; ')}.`, width));
  const edits = fileEdits(plan, desired, files, stages);
  if (edits.length) {
    lines.push('', 'Changes to your files (secrets masked; each changed file keeps a .bak copy):');
    const captions = aboutFiles(desired);
    for (const edit of edits) lines.push(...diffBlock(edit, captions[edit.kind], width, color));
  }
  return lines;
}

/** What the checks noticed besides the rows, in the layout doctor uses too. */
export function noteLines(plan: PlanItem[], width: number, color: boolean): string[] {
  const found = sideFindings(plan);
  return found.length ? ['', ...found.flatMap((f) => findingLines(f, {width, color}, '  '))] : [];
}
