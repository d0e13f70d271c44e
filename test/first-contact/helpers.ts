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

export {activeQuestion, pressEnterThrough, waitForQuestion} from '../helpers/inquirer-screen.js';

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
