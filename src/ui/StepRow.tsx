/**
 * One row of the live checklist: symbol, title, a status word and (in a
 * terminal of 80 columns or more) the time, then optionally the detail underneath. Nothing is
 * cut: a name that does not fit wraps under the title with a hanging indent,
 * since an account ID or a role name cut short is of no use to anyone. A
 * failed row always shows the error and what to do, wrapped to the width.
 */
import React from 'react';
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import type {ChecklistRow} from './checklist-state.js';
import {SYMBOL, WORD, formatMs, type Color} from './symbols.js';
import {wordsOf, wrapText} from './text.js';

export interface StepRowProps {
  row: ChecklistRow;
  width: number;
  /** Current time, for the elapsed time of a running step. */
  now: number;
  color: boolean;
  /** Show the detail line of a finished step (running and failed rows always show theirs). */
  showDetail: boolean;
  /** Animated spinner while running; off gives a still "…" (tests, screenshots). */
  animate: boolean;
}

const WORD_WIDTH = 17;
const TIME_WIDTH = 8;
const INDENT = 4;
const SYMBOL_WIDTH = 2;
/**
 * In a terminal narrower than 80 columns the milliseconds go: the names need
 * the room more. The checklist is one column narrower than the terminal
 * (ChecklistApp), so an 80-column terminal gives it 79.
 */
export const TIME_COLUMN_FROM = 79;

/** The columns the title gets on its line(s). */
export function titleWidth(width: number): number {
  return Math.max(10, width - SYMBOL_WIDTH - WORD_WIDTH - (width >= TIME_COLUMN_FROM ? TIME_WIDTH : 0));
}

/**
 * The title as it is shown: the words that fit beside the status word, then
 * the rest wrapped under the symbol across the whole width, so a long role
 * name still gets a line of its own instead of being broken.
 */
export function titleLines(title: string, width: number): string[] {
  const room = titleWidth(width);
  const words = wordsOf(title);
  let first = '';
  while (words.length && (first ? first.length + 1 : 0) + words[0]!.length <= room) first = first ? `${first} ${words.shift()}` : words.shift()!;
  return [first, ...(words.length ? wrapText(words.join(' '), width, ' '.repeat(SYMBOL_WIDTH)) : [])];
}

/** How many terminal lines a text takes once wrapped to `width` (a word longer than that wraps too). */
export function wrappedHeight(text: string | undefined, width: number): number {
  if (!text) return 0;
  const room = Math.max(10, width);
  return text.split('\n').reduce((n, part) => n + wrapText(part, room).reduce((m, l) => m + Math.max(1, Math.ceil(l.length / room)), 0), 0);
}

function wordOf(row: ChecklistRow): string {
  switch (row.phase) {
    case 'pending': return 'waiting';
    case 'running': return 'working…';
    case 'failed': return WORD.failed;
    case 'not-run': return WORD.skipped;
    case 'done': return WORD[row.status ?? 'unchanged'];
  }
}

function colorOf(row: ChecklistRow): Color | undefined {
  if (row.phase === 'failed') return 'red';
  if (row.phase === 'running') return 'yellow';
  if (row.phase === 'done') return row.status === 'unchanged' ? 'dim' : 'green';
  return 'dim';
}

function timeOf(row: ChecklistRow, now: number): string {
  if (row.phase === 'running' && row.startedAt !== undefined) return formatMs(Math.max(0, now - row.startedAt));
  return row.ms === undefined ? '' : formatMs(row.ms);
}

/** Maps our colour names onto Ink's Text props; nothing at all under NO_COLOR. */
export function tint(c: Color | undefined, enabled: boolean): {color?: string; dimColor?: boolean; bold?: boolean} {
  if (!enabled || !c) return {};
  if (c === 'dim') return {dimColor: true};
  if (c === 'bold') return {bold: true};
  return {color: c};
}

function Symbol({row, animate, color}: {row: ChecklistRow; animate: boolean; color: boolean}) {
  if (row.phase === 'running' && animate) return <Text {...tint('yellow', color)}><Spinner type="dots" /></Text>;
  const key = row.phase === 'done' || row.phase === 'failed' ? row.status ?? 'unchanged' : row.phase === 'not-run' ? 'skipped' : row.phase;
  return <Text {...tint(colorOf(row), color)}>{SYMBOL[key]}</Text>;
}

/** Wrapped under the row, indented; an ARN too long for the indent starts at the margin instead of being broken. */
function DetailLine({text, width, color}: {text: string; width: number; color: boolean}) {
  return (
    <Box width={width} flexDirection="column">
      {wrapText(text, width, ' '.repeat(INDENT)).map((line, i) => (
        <Text key={i} wrap="wrap" {...tint('dim', color)}>{line}</Text>
      ))}
    </Box>
  );
}

function FailureLines({row, width, color}: {row: ChecklistRow; width: number; color: boolean}) {
  return (
    <Box width={width} paddingLeft={INDENT} flexDirection="column">
      <Text wrap="wrap" {...tint('red', color)}>{row.error}</Text>
      {row.hint ? <Text wrap="wrap">{`What to do: ${row.hint}`}</Text> : null}
    </Box>
  );
}

export function StepRow({row, width, now, color, showDetail, animate}: StepRowProps) {
  const detail = row.phase === 'running' ? row.progress : showDetail && row.phase === 'done' ? row.detail : undefined;
  const timed = width >= TIME_COLUMN_FROM;
  const [first, ...more] = titleLines(row.title, width);
  return (
    <Box flexDirection="column" width={width}>
      <Box width={width}>
        <Box width={SYMBOL_WIDTH} flexShrink={0}><Symbol row={row} animate={animate} color={color} /></Box>
        <Box width={titleWidth(width)} flexShrink={0}><Text>{first}</Text></Box>
        <Box width={WORD_WIDTH} flexShrink={0} paddingLeft={1}><Text {...tint(colorOf(row), color)}>{wordOf(row)}</Text></Box>
        {timed ? <Box width={TIME_WIDTH} flexShrink={0} justifyContent="flex-end"><Text {...tint('dim', color)}>{timeOf(row, now)}</Text></Box> : null}
      </Box>
      {more.map((line, i) => <Text key={i} wrap="wrap">{line}</Text>)}
      {row.phase === 'failed' ? <FailureLines row={row} width={width} color={color} /> : null}
      {detail ? <DetailLine text={detail} width={width} color={color} /> : null}
    </Box>
  );
}

/** Lines a failed row takes under its first line, for the height budget. */
export function failureHeight(row: ChecklistRow, width: number): number {
  const inner = width - INDENT;
  return wrappedHeight(row.error, inner) + wrappedHeight(row.hint ? `What to do: ${row.hint}` : undefined, inner);
}

/** Lines the row's own line takes: more than one when the title wraps. */
export function titleHeight(row: ChecklistRow, width: number): number {
  const [, ...more] = titleLines(row.title, width);
  return 1 + more.reduce((n, l) => n + Math.max(1, Math.ceil(l.length / width)), 0);
}

/** Lines a detail (or progress) line takes under the row. */
export function detailHeight(text: string | undefined, width: number): number {
  return text ? wrapText(text, width, ' '.repeat(INDENT)).reduce((n, l) => n + Math.max(1, Math.ceil(l.length / width)), 0) : 0;
}
