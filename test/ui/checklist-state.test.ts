import {describe, expect, it} from 'vitest';
import {countStatuses, outcomeOf} from '../../src/ui/checklist-state.js';
import {ITEMS, SUMMARY, stateAfter, successEvents, testStore} from './fixtures.js';

describe('checklist reducer', () => {
  it('starts with every step waiting, in checklist order', () => {
    const state = stateAfter([]);
    expect(state.rows.map((r) => r.phase)).toEqual(ITEMS.map(() => 'pending'));
    expect(state.rows.map((r) => r.id)).toEqual(ITEMS.map((i) => i.id));
  });

  it('moves a step from running (with its start time and progress) to done', () => {
    const running = stateAfter([
      {type: 'step-started', id: 'verify'},
      {type: 'step-progress', id: 'verify', message: 'waiting for IAM to accept the new key (2 s)'},
    ]);
    expect(running.rows.at(-1)).toMatchObject({phase: 'running', startedAt: 1010, progress: 'waiting for IAM to accept the new key (2 s)'});
    const done = stateAfter([
      {type: 'step-started', id: 'verify'},
      {type: 'step-progress', id: 'verify', message: 'waiting…'},
      {type: 'step-finished', id: 'verify', status: 'created', detail: 'answers as …', ms: 4000},
    ]);
    expect(done.rows.at(-1)).toMatchObject({phase: 'done', status: 'created', detail: 'answers as …', ms: 4000, progress: undefined});
  });

  it('records a failure with its error and hint, and settles the rest as not run when the run ends', () => {
    const state = stateAfter([
      {type: 'step-started', id: 'identity'},
      {type: 'step-finished', id: 'identity', status: 'unchanged', detail: 'ok', ms: 5},
      {type: 'step-started', id: 'user'},
      {type: 'step-failed', id: 'user', error: 'iam:CreateUser: the identity is not allowed to do this', hint: 'Use an admin.', ms: 30},
      {type: 'step-skipped', id: 'access-key', reason: 'not run because an earlier step failed'},
      {type: 'run-finished', summary: SUMMARY},
    ]);
    expect(state.rows[1]).toMatchObject({phase: 'failed', status: 'failed', error: expect.stringContaining('not allowed'), hint: 'Use an admin.'});
    expect(state.rows.slice(2).every((r) => r.phase === 'not-run')).toBe(true);
    expect(state.finished).toMatchObject({outcome: 'failed', summary: SUMMARY});
    expect(countStatuses(state.rows)).toEqual({created: 0, updated: 0, unchanged: 1, failed: 1, notRun: 10});
  });

  it('calls a run that was asked to stop "stopped" only if steps were left undone', () => {
    const stopped = stateAfter([{type: 'step-started', id: 'identity'}, {type: 'stop-requested'}, {type: 'step-finished', id: 'identity', status: 'unchanged', detail: '', ms: 1}, {type: 'run-finished', summary: SUMMARY}]);
    expect(stopped.stopping).toBe(true);
    expect(stopped.finished?.outcome).toBe('stopped');
    const tooLate = stateAfter([...successEvents(), {type: 'stop-requested'}, {type: 'run-finished', summary: SUMMARY}]);
    expect(outcomeOf(tooLate)).toBe('ok');
    expect(tooLate.finished?.outcome).toBe('ok');
  });

  it('store: keeps events that arrive before anyone subscribes, and notifies subscribers', () => {
    const {store, advance} = testStore();
    store.dispatch({type: 'step-started', id: 'user'});
    let calls = 0;
    const unsubscribe = store.subscribe(() => calls++);
    advance(250);
    store.dispatch({type: 'step-finished', id: 'user', status: 'created', detail: 'arn', ms: 250});
    unsubscribe();
    store.dispatch({type: 'stop-requested'});
    expect(calls).toBe(1);
    expect(store.getState().rows[1]).toMatchObject({phase: 'done', startedAt: 1000});
    expect(store.getState().stopping).toBe(true);
  });
});
