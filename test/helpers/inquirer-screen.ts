/**
 * Reading Inquirer questions off a real terminal screen (tmux), shared by
 * the suites that drive the walk-through with keys.
 */
import type {TmuxSession} from './tmux.js';

/** The question Inquirer is asking now (its last "? " line), default in brackets removed. */
export function activeQuestion(screen: string): string | undefined {
  const lines = screen.split('\n').filter((l) => l.startsWith('? '));
  return lines.at(-1)?.slice(2).trim().replace(/ \([^()]*\)$/, '');
}

/** Waits until the question that starts with `prefix` is being asked; resolves with the screen. */
export async function waitForQuestion(tmux: TmuxSession, prefix: string, timeoutMs = 20_000): Promise<string> {
  return tmux.waitFor(new RegExp(`^\\? ${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'), timeoutMs);
}

export interface EnterThroughOptions {
  /** A question to leave unanswered: stop when it is asked. */
  stopAt?: RegExp;
  /** Answers a question itself (returns true) instead of pressing Enter. */
  onQuestion?: (question: string, screen: string) => Promise<boolean>;
}

/**
 * Presses Enter at every question until the program ends (or `stopAt`);
 * returns the questions answered. After each key it waits until that
 * question's "?" line is gone. Right after Enter, Inquirer briefly redraws
 * the line with the accepted value appended ("? Name serverless") before it
 * turns into "✔": that line still belongs to the answered question, so a
 * prefix match, not equality, decides.
 */
export async function pressEnterThrough(tmux: TmuxSession, options: EnterThroughOptions = {}): Promise<string[]> {
  const answered: string[] = [];
  for (;;) {
    const screen = await tmux.waitFor(/^\? |^EXIT=\d+$/m, 30_000);
    if (/^EXIT=\d+$/m.test(screen)) return answered;
    const question = activeQuestion(screen)!;
    if (options.stopAt?.test(question)) return answered;
    answered.push(question);
    if (!(await options.onQuestion?.(question, screen))) await tmux.keys('Enter');
    const deadline = Date.now() + 15_000;
    while (activeQuestion(await tmux.screen())?.startsWith(question) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
