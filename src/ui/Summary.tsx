/**
 * The lines under a finished checklist: what happened in numbers and where
 * the backups are, or (after a failure or a stop) that a re-run picks up where
 * this one ended. The next command is not here: the walk-through prints it
 * last, after the proof and what now exists (setup-result-text.ts).
 */
import React from 'react';
import {basename} from 'node:path';
import {Box, Text} from 'ink';
import {countStatuses, type ChecklistRow, type RunOutcome, type RunSummary} from './checklist-state.js';
import {SYMBOL, formatMs} from './symbols.js';
import {tint} from './StepRow.js';

export interface SummaryProps {
  rows: readonly ChecklistRow[];
  outcome: RunOutcome;
  summary: RunSummary;
  elapsedMs: number;
  width: number;
  color: boolean;
}

export const RESUME_LINE = 'Run the wizard again to resume: finished steps are detected and skipped.';

/** "4 created, 1 updated, 2 already in place" (zero counts left out). */
function doneCounts(rows: readonly ChecklistRow[]): string {
  const c = countStatuses(rows);
  const parts = [c.created && `${c.created} created`, c.updated && `${c.updated} updated`, c.unchanged && `${c.unchanged} already in place`];
  return parts.filter(Boolean).join(', ') || 'nothing';
}

/** What was done and what was not, for a run that ended early. */
function progressLine(rows: readonly ChecklistRow[]): string {
  const {notRun} = countStatuses(rows);
  return `Done: ${doneCounts(rows)}.${notRun ? ` Not run: ${notRun}.` : ''}`;
}

/** Summary lines as plain strings; the component only adds colour. */
export function summaryLines(props: Omit<SummaryProps, 'width' | 'color'>): {head: string; rest: string[]} {
  const {rows, outcome, summary, elapsedMs} = props;
  if (outcome === 'ok') {
    const backups = summary.files.filter((f) => f.backup).map((f) => basename(f.backup!));
    return {
      head: `${SYMBOL.created} Done in ${formatMs(elapsedMs)}: ${doneCounts(rows)}.`,
      rest: backups.length ? [`Backups of the files before this run: ${backups.join(', ')}`] : [],
    };
  }
  if (outcome === 'stopped') return {head: '■ Stopped on request after the running step.', rest: [progressLine(rows), RESUME_LINE]};
  const failed = rows.find((r) => r.phase === 'failed');
  return {head: `${SYMBOL.failed} Failed: ${failed?.title ?? 'a step'}.`, rest: [progressLine(rows), RESUME_LINE]};
}

export function Summary({width, color, ...rest}: SummaryProps) {
  const {head, rest: lines} = summaryLines(rest);
  const headColor = rest.outcome === 'ok' ? 'green' : rest.outcome === 'failed' ? 'red' : 'yellow';
  return (
    <Box flexDirection="column" width={width} marginTop={1}>
      <Text wrap="wrap" {...tint(headColor, color)}>{head}</Text>
      {lines.map((line) => (
        <Box key={line} paddingLeft={2} width={width}><Text wrap="wrap">{line}</Text></Box>
      ))}
    </Box>
  );
}
