/**
 * The live checklist as data: a reducer over the engine's RunEvents (plus the
 * two events the front end adds: a stop request and the end of the run), and
 * a tiny store the Ink components subscribe to. Pure apart from the store's
 * listeners; time comes in as an argument so frames can be reproduced.
 */
import type {FileReport} from '../engine/local-files.js';
import type {RunEvent} from '../engine/run.js';
import type {StepId, StepStatus} from '../plan/types.js';

/** Where a row is in its life: waiting, working, or one of the three ends. */
export type RowPhase = 'pending' | 'running' | 'done' | 'failed' | 'not-run';

export interface ChecklistRow {
  /** The row's key in the run (the step id, or `id@stage` with several stages). */
  id: string;
  title: string;
  phase: RowPhase;
  /** Set once the step finished: created, updated or unchanged. */
  status?: StepStatus;
  /** What the step did, or why it did not run. */
  detail?: string;
  /** The latest progress note of a running step (e.g. waiting for IAM). */
  progress?: string;
  /** A failed step: the error in plain words, and what to do. */
  error?: string;
  hint?: string;
  startedAt?: number;
  ms?: number;
}

/** What the summary under the checklist needs once the run is over. */
export interface RunSummary {
  stage: string;
  /** Every stage of the run, when there are several. */
  stages?: string[];
  profile: string;
  files: FileReport[];
}

export type RunOutcome = 'ok' | 'failed' | 'stopped';

export interface ChecklistState {
  rows: ChecklistRow[];
  startedAt: number;
  /** Ctrl-C was pressed: running steps finish, nothing new starts. */
  stopping: boolean;
  finished?: {at: number; outcome: RunOutcome; summary: RunSummary};
}

export type ChecklistEvent =
  | RunEvent
  | {type: 'stop-requested'}
  | {type: 'run-finished'; summary: RunSummary};

/** Every step waiting, in checklist order. */
export function initialChecklist(items: ReadonlyArray<{id: string; title: string}>, now: number): ChecklistState {
  return {rows: items.map(({id, title}) => ({id, title, phase: 'pending'})), startedAt: now, stopping: false};
}

function updateRow(state: ChecklistState, id: string, change: (row: ChecklistRow) => ChecklistRow): ChecklistState {
  return {...state, rows: state.rows.map((row) => (row.id === id ? change(row) : row))};
}

/** How the run ended, judged from the rows (a stop that came too late to matter is no stop). */
export function outcomeOf(state: ChecklistState): RunOutcome {
  if (state.rows.some((r) => r.phase === 'failed')) return 'failed';
  if (state.rows.every((r) => r.phase === 'done')) return 'ok';
  return state.stopping ? 'stopped' : 'failed';
}

export function reduceChecklist(state: ChecklistState, event: ChecklistEvent, now: number): ChecklistState {
  switch (event.type) {
    case 'step-started':
      return updateRow(state, event.id, (row) => ({...row, phase: 'running', startedAt: now, progress: undefined}));
    case 'step-progress':
      return updateRow(state, event.id, (row) => ({...row, progress: event.message}));
    case 'step-finished':
      return updateRow(state, event.id, (row) => ({
        ...row, phase: 'done', status: event.status, detail: event.detail, ms: event.ms, progress: undefined,
      }));
    case 'step-failed':
      return updateRow(state, event.id, (row) => ({
        ...row, phase: 'failed', status: 'failed', error: event.error, hint: event.hint, ms: event.ms, progress: undefined,
      }));
    case 'step-skipped':
      return updateRow(state, event.id, (row) => ({...row, phase: 'not-run', status: 'skipped', detail: event.reason}));
    case 'stop-requested':
      return {...state, stopping: true};
    case 'run-finished': {
      // Anything still waiting never started: show it as not run.
      const rows = state.rows.map((row): ChecklistRow => (row.phase === 'pending' || row.phase === 'running' ? {...row, phase: 'not-run', status: 'skipped'} : row));
      const settled = {...state, rows};
      return {...settled, finished: {at: now, outcome: outcomeOf(settled), summary: event.summary}};
    }
  }
}

/** Holds the state outside React, so no event is lost before the first render. */
export interface ChecklistStore {
  getState(): ChecklistState;
  dispatch(event: ChecklistEvent): void;
  subscribe(listener: () => void): () => void;
}

export function createChecklistStore(initial: ChecklistState, clock: () => number = Date.now): ChecklistStore {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(event) {
      state = reduceChecklist(state, event, clock());
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Counts for the summary line: what changed, what was already right. */
export function countStatuses(rows: readonly ChecklistRow[]): {created: number; updated: number; unchanged: number; failed: number; notRun: number} {
  const count = (phase: RowPhase, status?: StepStatus) => rows.filter((r) => r.phase === phase && (!status || r.status === status)).length;
  return {
    created: count('done', 'created'), updated: count('done', 'updated'), unchanged: count('done', 'unchanged'),
    failed: count('failed'), notRun: count('not-run'),
  };
}
