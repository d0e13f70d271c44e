/**
 * The one layout of a finding, used by plan, setup and doctor alike:
 * `✖ where: what is wrong. Fix: the command`, wrapped to the terminal (never
 * inside a word) with the continuation indented, paths below the home folder
 * written with `~`, colour only on a terminal.
 */
import type {Finding, Severity} from '../plan/types.js';
import {paint, useColor, type Color} from './symbols.js';
import {fitLine, shortenPaths, textWidth} from './text.js';

export const SEVERITY_MARK: Record<Severity, string> = {problem: '✖', warning: '!', info: '•'};
const SEVERITY_COLOR: Record<Severity, Color> = {problem: 'red', warning: 'yellow', info: 'dim'};

/** How plain output is laid out: wrapped to `width` (none when undefined), coloured or not. */
export interface TextStyle { width?: number; color: boolean }

/** A terminal gets wrapping and colour (unless NO_COLOR); a pipe or a log gets one line per item. */
export function textStyle(stream: NodeJS.WriteStream = process.stdout): TextStyle {
  return {width: stream.isTTY ? textWidth(stream) : undefined, color: useColor(stream)};
}

/**
 * One logical line as it fits: unchanged (its own indent and spacing kept)
 * when it is short enough or there is no terminal, else wrapped with the
 * continuation indented to `hanging` (two more than the line's own indent).
 */
export function fit(text: string, style: TextStyle, indent = '', hanging?: string): string[] {
  const line = indent + shortenPaths(text);
  return style.width ? fitLine(line, style.width, hanging) : [line];
}

/** Validators' sentences end with a period already; a finding adds one otherwise. */
export function sentence(text: string): string {
  return /[.!?)]$/.test(text) ? text : `${text}.`;
}

export function findingLines(f: Finding, style: TextStyle, indent = ''): string[] {
  const fix = f.fix ? ` Fix: ${f.fix}` : '';
  const lines = fit(`${SEVERITY_MARK[f.severity]} ${f.where}: ${sentence(f.problem)}${fix}`, style, indent);
  const mark = SEVERITY_MARK[f.severity];
  // Colour the mark only, so the words read the same with and without colour.
  return style.color ? [lines[0]!.replace(mark, paint(mark, SEVERITY_COLOR[f.severity], true)), ...lines.slice(1)] : lines;
}

/** A count in words: "1 problem", "2 warnings". */
export function counted(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
