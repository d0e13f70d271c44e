/**
 * An expected problem the person can fix (bad flag, unreadable file, missing
 * credentials). The CLI prints it without a stack and exits with `exitCode`.
 * Anything that is not a UserError is a bug in the wizard.
 */
export class UserError extends Error {
  readonly hint?: string;
  readonly exitCode: number;
  constructor(message: string, options: {hint?: string; exitCode?: number; cause?: unknown} = {}) {
    super(message, {cause: options.cause});
    this.name = 'UserError';
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 2;
  }
}

/** Exit codes of DESIGN.md: the contract scripts rely on. */
export const EXIT = {ok: 0, failed: 1, usage: 2, pending: 3, cancelled: 130} as const;
