/**
 * The checklist for logs and pipes: one line per finished step, no
 * animation, no cursor movement. Used when stdout is not a terminal.
 */
import type {RunEvent} from '../engine/run.js';
import type {StepId} from '../plan/types.js';
import {SYMBOL, WORD, formatMs, paint, useColor} from './symbols.js';
import {shortenPaths} from './text.js';

export function plainReporter(titles: Map<string, string>, write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {
  const color = useColor();
  return (event: RunEvent): void => {
    const title = titles.get(event.id) ?? event.id;
    switch (event.type) {
      case 'step-finished': {
        const c = event.status === 'unchanged' ? 'dim' : 'green';
        write(`${paint(`${SYMBOL[event.status]} ${WORD[event.status]}`, c, color)}  ${title}: ${shortenPaths(event.detail)} (${formatMs(event.ms)})`);
        break;
      }
      case 'step-failed':
        write(`${paint(`${SYMBOL.failed} failed`, 'red', color)}  ${title}: ${shortenPaths(event.error)}`);
        if (event.hint) write(`   ${event.hint}`);
        break;
      case 'step-skipped':
        write(`${SYMBOL.skipped} not run  ${title}: ${event.reason}`);
        break;
      case 'step-progress':
        write(`… ${title}: ${event.message}`);
        break;
      default:
        break;
    }
  };
}
