/**
 * Which --policy preset is in force, and why: the flag when given, else the
 * preset an earlier run recorded on the deployment policy (tag PRESET_TAG),
 * else `document`. A folder is recorded relative to the project folder (the
 * settings file's) when inside it, else absolute; a folder IAM cannot hold in
 * a tag is not recorded, with a warning.
 */
import {stat} from 'node:fs/promises';
import {dirname, isAbsolute, relative, resolve, sep} from 'node:path';
import {UserError} from '../errors.js';
import {DEPLOYMENT_POLICY_NAME, EXECUTION_POLICY_NAME, PRESET_TAG, policyArn} from '../plan/desired.js';
import type {DesiredState, PresetSource} from '../plan/types.js';
import type {Reads} from '../engine/reads.js';

export interface PresetInForce {
  /** What policySetFor and loadTemplates take: `document`, `strict`, or a folder as a path from the working directory. */
  preset: string;
  source: PresetSource;
  /** The value to record on the policies; unset when it cannot be recorded. */
  tag?: string;
  /** Why the preset cannot be recorded. */
  warning?: string;
}

const BUILT_IN = new Set(['document', 'strict']);

/** IAM's rule for tag values. */
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

const isInside = (rel: string): boolean => rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));

/** `./a/b` for a folder inside `base` (`.` for base itself), else the absolute path. */
function pathFrom(base: string, folder: string): string {
  const rel = relative(base, folder);
  if (!isInside(rel)) return folder;
  return rel === '' ? '.' : `./${rel.split(sep).join('/')}`;
}

/** The tag value for a preset as given on the command line (`cwd`-relative for a folder). */
export function presetTagFor(preset: string, projectDir: string, cwd = process.cwd()): {tag?: string; warning?: string} {
  if (BUILT_IN.has(preset)) return {tag: preset};
  const value = pathFrom(projectDir, resolve(cwd, preset));
  if (TAG_VALUE.test(value)) return {tag: value};
  return {
    warning: `The policy folder ${value} cannot be recorded on the policies (an IAM tag value holds at most 256 letters, digits, spaces and _.:/=+-@), so later runs without --policy keep the preset recorded before (document when none was): pass --policy ${preset} every time, or rename the folder.`,
  };
}

/** The folder a recorded tag value names, as a path from `cwd` (`./…` when inside it, so it never reads as a preset name). */
export function recordedFolder(value: string, projectDir: string, cwd = process.cwd()): {preset: string; absolute: string} {
  const absolute = resolve(projectDir, value);
  return {preset: pathFrom(cwd, absolute), absolute};
}

export interface PresetQuery {
  /** --policy, when given. */
  flag?: string;
  /** The settings file: its folder is the project folder. */
  settings: string;
  /** Commands that neither judge nor write policies (teardown, rotate-key) only need a preset that loads: nothing is read. */
  documentsMatter: boolean;
  reads: Reads;
  identity: {account: string; partition: string};
}

export async function presetInForce(q: PresetQuery): Promise<PresetInForce> {
  const projectDir = dirname(resolve(q.settings));
  if (q.flag !== undefined) return {preset: q.flag, source: 'flag', ...presetTagFor(q.flag, projectDir)};
  if (!q.documentsMatter) return {preset: 'document', source: 'default'};
  const arn = policyArn(q.identity.partition, q.identity.account, DEPLOYMENT_POLICY_NAME);
  // Only the tags are awaited; both policies' documents, which their checks read next, are already on the way.
  void q.reads.policy(arn);
  void q.reads.policy(policyArn(q.identity.partition, q.identity.account, EXECUTION_POLICY_NAME));
  // A read that fails fails the policy's own check just the same (the answer is shared), and nothing is applied.
  const recorded = await q.reads.policyInfo(arn).then((p) => p?.tags[PRESET_TAG], () => undefined);
  if (!recorded) return {preset: 'document', source: 'default', tag: 'document'};
  if (BUILT_IN.has(recorded)) return {preset: recorded, source: 'recorded', tag: recorded};
  const folder = recordedFolder(recorded, projectDir);
  const isFolder = await stat(folder.absolute).then((s) => s.isDirectory(), () => false);
  if (!isFolder) {
    throw new UserError(`${DEPLOYMENT_POLICY_NAME} was set up from the policy folder ${folder.absolute} (recorded by an earlier run as ${recorded}), which no longer exists.`, {
      hint: `Pass --policy to choose again: --policy document, --policy strict, or --policy <folder>; it is recorded in place of ${recorded}. Nothing was changed.`,
    });
  }
  return {preset: folder.preset, source: 'recorded', tag: recorded};
}

/** One line for the plan: the preset in force and why. */
export function presetLine(d: Pick<DesiredState, 'preset' | 'presetSource'>): string {
  const why = {
    flag: 'from --policy',
    recorded: `recorded on ${DEPLOYMENT_POLICY_NAME} by an earlier run`,
    default: 'the default: the setup document\'s policies',
  }[d.presetSource];
  return `Policy preset: ${d.preset} (${why})`;
}
