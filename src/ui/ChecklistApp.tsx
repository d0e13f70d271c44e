/**
 * The mounted checklist: follows the store, keeps the clock ticking for the
 * running rows, turns Ctrl-C and Esc into a stop request, and unmounts once
 * the run is over. It starts no work itself; the caller runs the steps and
 * feeds their events into the store.
 */
import React, {useEffect, useState, useSyncExternalStore} from 'react';
import {useApp, useInput, useStdin, useStdout} from 'ink';
import type {ChecklistStore} from './checklist-state.js';
import {Checklist} from './Checklist.js';

export interface ChecklistAppProps {
  store: ChecklistStore;
  title: string;
  /** Asked to stop: the caller aborts the run after the running step. */
  onStop(): void;
  color: boolean;
  animate?: boolean;
  /** Overrides the terminal's size (tests). */
  width?: number;
  height?: number;
}

/** The current time, refreshed while `active`, for elapsed-time displays. */
export function useNow(active: boolean, intervalMs = 200): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs]);
  return now;
}

/** Terminal columns and rows, following resizes. */
function useTerminalSize(): {columns: number; rows: number} {
  const {stdout} = useStdout();
  const read = () => ({columns: stdout.columns || 80, rows: stdout.rows || 24});
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

export function ChecklistApp({store, title, onStop, color, animate = true, width, height}: ChecklistAppProps) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const {exit} = useApp();
  const {isRawModeSupported} = useStdin();
  const size = useTerminalSize();
  const now = useNow(!state.finished);

  // Without a TTY there are no keys to read, and Ink would throw on raw mode.
  useInput((input, key) => {
    if ((key.ctrl && input === 'c') || key.escape) onStop();
  }, {isActive: isRawModeSupported === true});

  useEffect(() => {
    // On the next tick, so the final frame is painted before Ink unmounts.
    if (state.finished) setTimeout(() => exit(), 0);
  }, [state.finished, exit]);

  // One column spare: some terminals wrap a line that fills the last column.
  // Beyond 100 columns the status words would drift too far from the titles.
  const columns = width ?? Math.max(40, Math.min(100, size.columns - 1));
  return (
    <Checklist
      state={state} title={title} width={columns} height={height ?? size.rows}
      now={state.finished?.at ?? now} color={color} animate={animate}
    />
  );
}
