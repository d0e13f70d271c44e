/** Status words and symbols: a symbol *and* a word, so logs and NO_COLOR read well. */
import type {StepStatus} from '../plan/types.js';

export const SYMBOL: Record<StepStatus | 'running' | 'pending', string> = {
  created: '✔', updated: '✔', unchanged: '•', skipped: '○', failed: '✖', running: '…', pending: '○',
};

export const WORD: Record<StepStatus, string> = {
  created: 'created', updated: 'updated', unchanged: 'already in place', skipped: 'not run', failed: 'failed',
};

export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return !process.env.NO_COLOR && Boolean(stream.isTTY);
}

const CODES = {green: 32, red: 31, yellow: 33, dim: 2, bold: 1, cyan: 36} as const;
export type Color = keyof typeof CODES;

export function paint(text: string, color: Color, enabled: boolean): string {
  return enabled ? `\u001b[${CODES[color]}m${text}\u001b[0m` : text;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
