/**
 * Shared by the first-contact suites: the built wizard in a real terminal
 * (tmux) and its questions, AWS files written into a sandbox, and a scan
 * of every file under a folder for a secret.
 */
import {mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {CLI_BIN} from '../helpers/run-cli.js';
import type {Sandbox} from '../helpers/sandbox.js';
import {TmuxSession} from '../helpers/tmux.js';

/** The sandbox's environment with no admin credentials at all. */
export const NO_KEYS = {AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined} as const;

/** Starts the built wizard (interactive `setup`) in an 80-column tmux pane. */
export function startWizard(sb: Sandbox, args: string[], env: Record<string, string | undefined> = {}): TmuxSession {
  return new TmuxSession(`node ${CLI_BIN} ${args.join(' ')}`, {cwd: sb.project, env: sb.env(env), cols: 80, rows: 40});
}

/** Screen text with wrapped lines joined, for matching sentences. */
export const unwrap = (screen: string): string => screen.replace(/\n */g, ' ');

/** The question Inquirer is asking now (its last "? " line), default in brackets removed. */
export function activeQuestion(screen: string): string | undefined {
  const lines = screen.split('\n').filter((l) => l.startsWith('? '));
  return lines.at(-1)?.slice(2).trim().replace(/ \([^()]*\)$/, '');
}

/** Waits until the question that starts with `prefix` is being asked; resolves with the screen. */
export async function waitForQuestion(tmux: TmuxSession, prefix: string, timeoutMs = 20_000): Promise<string> {
  return tmux.waitFor(new RegExp(`^\\? ${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'), timeoutMs);
}

/**
 * Presses Enter at every question until the program ends; returns the
 * questions answered. Waits for each answer to register before the next.
 */
export async function pressEnterThrough(tmux: TmuxSession): Promise<string[]> {
  const answered: string[] = [];
  for (;;) {
    const screen = await tmux.waitFor(/^\? |^EXIT=\d+$/m, 30_000);
    if (/^EXIT=\d+$/m.test(screen)) return answered;
    const question = activeQuestion(screen)!;
    answered.push(question);
    await tmux.keys('Enter');
    const deadline = Date.now() + 15_000;
    while (activeQuestion(await tmux.screen()) === question && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  }
}

/** Writes ~/.aws/config and/or ~/.aws/credentials of the sandbox. */
export function writeAwsFiles(sb: Sandbox, files: {config?: string; credentials?: string}): void {
  mkdirSync(dirname(sb.configPath), {recursive: true});
  if (files.config !== undefined) writeFileSync(sb.configPath, files.config);
  if (files.credentials !== undefined) writeFileSync(sb.credentialsPath, files.credentials);
}

/** Every regular file under `root` whose bytes contain any of `needles`. */
export function filesContaining(root: string, needles: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = statSync(path, {throwIfNoEntry: false});
      if (!stat) continue;
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile()) {
        const text = readFileSync(path).toString('latin1');
        if (needles.some((n) => text.includes(n))) found.push(path);
      }
    }
  };
  walk(root);
  return found;
}
