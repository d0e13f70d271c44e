/**
 * One yes/no question before a destructive change. --yes answers it; without
 * a terminal there is nobody to ask, so the command stops (exit 2) and names
 * the flag instead of guessing.
 */
import type {Options} from '../args.js';
import {UserError} from '../errors.js';

export interface ConfirmRequest {
  /** The question, e.g. "Remove these 7 resources?" */
  question: string;
  /** Why a confirmation is needed, for the no-terminal error. */
  motivation: string;
}

export type Confirm = (request: ConfirmRequest) => Promise<boolean>;

export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

/** The confirmation used by rotate-key and teardown: --yes, else a terminal prompt that defaults to No. */
export function terminalConfirm(options: Options): Confirm {
  return async ({question, motivation}) => {
    if (options.yes) return true;
    if (!isInteractive() || options.json) {
      const why = options.json ? 'a --json run never asks questions' : 'no terminal is attached to confirm it';
      throw new UserError(`${motivation}, but ${why}.`, {
        hint: `Nothing was changed. Run again with --yes to go ahead without asking.`,
      });
    }
    // Loaded only here: the prompt library is not needed by unattended runs.
    const {confirm} = await import('@inquirer/prompts');
    return confirm({message: question, default: false});
  };
}
