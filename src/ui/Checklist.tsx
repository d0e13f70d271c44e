/**
 * The live checklist: a title, one row per step, and (once the run is over)
 * the summary. A pure function of its props, so any state of a run can be
 * rendered in a test.
 *
 * The whole frame must stay shorter than the terminal: when Ink's frame
 * reaches the terminal's height it clears the screen on every redraw, which
 * would wipe the answers and the plan above it. So detail lines are shown
 * only while there is room, changes before things that were already in place.
 */
import React from 'react';
import {Box, Text} from 'ink';
import type {ChecklistRow, ChecklistState} from './checklist-state.js';
import {StepRow, detailHeight, failureHeight, tint, titleHeight, wrappedHeight} from './StepRow.js';
import {Summary, summaryLines} from './Summary.js';

export interface ChecklistProps {
  state: ChecklistState;
  title: string;
  width: number;
  /** Terminal rows; undefined means no limit (tests, logs). */
  height?: number;
  now: number;
  color: boolean;
  animate?: boolean;
}

const STOPPING = 'Stopping after the running step… (what is done stays done)';

/** Which finished rows get their detail line, given the room left. */
export function rowsWithDetail(props: Omit<ChecklistProps, 'now' | 'color' | 'animate'>): Set<string> {
  const {state, width, height} = props;
  const finishedRows = state.rows.filter((r) => r.phase === 'done' && r.detail);
  if (height === undefined) return new Set(finishedRows.map((r) => r.id));
  let used = wrappedHeight(props.title, width) + state.rows.reduce((n, r) => n + titleHeight(r, width), 0);
  used += state.rows.filter((r) => r.phase === 'running').reduce((n, r) => n + detailHeight(r.progress, width), 0);
  used += state.rows.filter((r) => r.phase === 'failed').reduce((n, r) => n + failureHeight(r, width), 0);
  if (state.stopping && !state.finished) used += 1;
  if (state.finished) {
    const {rest} = summaryLines({rows: state.rows, outcome: state.finished.outcome, summary: state.finished.summary, elapsedMs: 0});
    used += 2 + rest.reduce((n, line) => n + wrappedHeight(line, width - 2), 0);
  }
  // Two spare lines: Ink adds a newline after the frame, and the shell prompt follows it.
  let room = height - 2 - used;
  const changed = (r: ChecklistRow) => r.status === 'created' || r.status === 'updated';
  const chosen = new Set<string>();
  for (const row of [...finishedRows.filter(changed), ...finishedRows.filter((r) => !changed(r))]) {
    const lines = detailHeight(row.detail, width);
    if (room < lines) break;
    chosen.add(row.id);
    room -= lines;
  }
  return chosen;
}

export function Checklist(props: ChecklistProps) {
  const {state, title, width, now, color, animate = true} = props;
  const detailed = rowsWithDetail(props);
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="wrap" {...tint('bold', color)}>{title}</Text>
      {state.rows.map((row) => (
        <StepRow key={row.id} row={row} width={width} now={now} color={color} animate={animate} showDetail={detailed.has(row.id)} />
      ))}
      {state.stopping && !state.finished ? <Text wrap="wrap" {...tint('yellow', color)}>{STOPPING}</Text> : null}
      {state.finished ? (
        <Summary
          rows={state.rows} outcome={state.finished.outcome} summary={state.finished.summary}
          elapsedMs={state.finished.at - state.startedAt} width={width} color={color}
        />
      ) : null}
    </Box>
  );
}
