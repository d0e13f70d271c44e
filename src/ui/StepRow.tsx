/**
 * One row of the live checklist: symbol, title, a status word and the time,
 * on one line that never wraps (the title is cut with "…" instead), then
 * optionally the detail underneath. A failed row always shows the error and
 * what to do, wrapped to the width.
 */
import React from 'react';
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import type {ChecklistRow} from './checklist-state.js';
import {SYMBOL, WORD, formatMs, type Color} from './symbols.js';

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

function DetailLine({text, width, color}: {text: string; width: number; color: boolean}) {
  return (
    <Box width={width} paddingLeft={INDENT}>
      <Text wrap="truncate-end" {...tint('dim', color)}>{text}</Text>
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
  return (
    <Box flexDirection="column" width={width}>
      <Box width={width}>
        <Box width={2} flexShrink={0}><Symbol row={row} animate={animate} color={color} /></Box>
        <Box flexGrow={1} flexShrink={1}><Text wrap="truncate-end">{row.title}</Text></Box>
        <Box width={WORD_WIDTH} flexShrink={0} paddingLeft={1}><Text {...tint(colorOf(row), color)}>{wordOf(row)}</Text></Box>
        <Box width={TIME_WIDTH} flexShrink={0} justifyContent="flex-end"><Text {...tint('dim', color)}>{timeOf(row, now)}</Text></Box>
      </Box>
      {row.phase === 'failed' ? <FailureLines row={row} width={width} color={color} /> : null}
      {detail ? <DetailLine text={detail} width={width} color={color} /> : null}
    </Box>
  );
}

/** Lines a failed row takes under its first line, for the height budget. */
export function failureHeight(row: ChecklistRow, width: number): number {
  const inner = Math.max(10, width - INDENT);
  const lines = (text?: string) => (text ? Math.ceil(text.length / inner) : 0);
  return lines(row.error) + lines(row.hint ? `What to do: ${row.hint}` : undefined);
}
