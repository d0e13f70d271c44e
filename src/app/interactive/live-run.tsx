/**
 * Applies the plan under the live checklist. Inquirer has just owned the
 * terminal, so stdin needs two nudges (measured in TOOLCHAIN.md §2): resume()
 * before Ink mounts, or Ink hears no keys; and Ink unref()s stdin when it
 * unmounts. Ctrl-C (a key in raw mode, or SIGINT if raw mode is off) asks the
 * engine to stop after the running step; nothing is cut off halfway.
 */
import React from 'react';
import {render} from 'ink';
import {applyPlan, type RunEvent, type StepResult} from '../../engine/run.js';
import {ChecklistApp} from '../../ui/ChecklistApp.js';
import {createChecklistStore, initialChecklist} from '../../ui/checklist-state.js';
import {useColor} from '../../ui/symbols.js';
import {describeError} from '../describe-error.js';
import type {Planned} from '../setup.js';
import {shortenPaths} from '../../ui/text.js';

export interface LiveRunResult {
  results: StepResult[];
  /** Ctrl-C was pressed while applying. */
  stopped: boolean;
}

/** Shorter paths in what the rows say, so more of it fits on a line. */
function tidy(event: RunEvent): RunEvent {
  switch (event.type) {
    case 'step-finished': return {...event, detail: shortenPaths(event.detail)};
    case 'step-failed': return {...event, error: shortenPaths(event.error)};
    default: return event;
  }
}

export async function applyWithChecklist(p: Planned, title: string): Promise<LiveRunResult> {
  const store = createChecklistStore(initialChecklist(p.plan.map((item) => ({id: item.key, title: item.title})), Date.now()));
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) return;
    controller.abort();
    store.dispatch({type: 'stop-requested'});
  };
  process.stdin.resume();
  const app = render(<ChecklistApp store={store} title={title} onStop={stop} color={useColor()} />, {exitOnCtrlC: false});
  process.on('SIGINT', stop);
  try {
    const emit = (event: RunEvent) => store.dispatch(tidy(event));
    const who = (await p.session.reads.identity()).arn;
    const results = await applyPlan(p.rows, p.plan, p.ctx, {emit, signal: controller.signal, describeError: (err) => describeError(err, who)});
    store.dispatch({
      type: 'run-finished',
      summary: {stage: p.desired.stage, ...(p.desireds.length > 1 ? {stages: p.desireds.map((d) => d.stage)} : {}), profile: p.desired.profileName, files: p.session.files.fileReports()},
    });
    await app.waitUntilExit();
    return {results, stopped: controller.signal.aborted};
  } catch (err) {
    app.unmount();
    throw err;
  } finally {
    process.off('SIGINT', stop);
    // Ink left stdin unref'd and flowing: ref it for any later prompt, and
    // pause it so that an idle stdin does not keep the process alive.
    process.stdin.ref();
    process.stdin.pause();
  }
}
