/** Text helpers every plain renderer shares: wrapping to the terminal, `~` for the home folder. */
import {isAbsolute, relative} from 'node:path';
import {stripVTControlCharacters} from 'node:util';

/** The width explanations are wrapped to: the terminal, at most 80 columns. */
export function textWidth(stream: {columns?: number} = process.stdout): number {
  return Math.max(40, Math.min(80, (stream.columns ?? 80) - 1));
}

/**
 * The words of a sentence, where a command in backticks (`aws sso login
 * --profile dev`) counts as one word: wrapping must never split a command
 * someone will paste.
 */
export function wordsOf(text: string): string[] {
  return (text.match(/[^\s`]*`[^`]*`[^\s`]*|[^\s]+/g) ?? []).map((w) => w.replace(/\s+/g, ' '));
}

/**
 * Word-wraps a paragraph: the first line starts with `indent`, the others
 * with `hanging` (default: the same). A word is never split: one longer than
 * a line (an ARN, a path, a command) gets a line of its own, without the
 * indent when only that makes it fit, so the terminal does not break it either.
 */
export function wrapText(text: string, width: number, indent = '', hanging = indent): string[] {
  const lines: string[] = [];
  const lead = () => (lines.length ? hanging : indent);
  const room = () => Math.max(10, width - lead().length);
  let line = '';
  let alone = false;
  const flush = () => {
    // Only a continuation gives up its indent: callers rework the first line's (plan-view.ts).
    const pad = lead();
    const dedent = alone && lines.length > 0 && pad.length + line.length > width && line.length <= width;
    lines.push(dedent ? line : pad + line);
  };
  for (const word of wordsOf(text)) {
    if (!line) [line, alone] = [word, true];
    else if (line.length + 1 + word.length <= room()) [line, alone] = [`${line} ${word}`, false];
    else {
      flush();
      [line, alone] = [word, true];
    }
  }
  if (line) flush();
  return lines;
}

/** A line that is a command to paste (`aws …`, `npx …`), possibly followed by what it does. */
export function isCommandLine(line: string): boolean {
  return /^\s*(\$ )?(aws|npx|npm|pip|zappa|zappa-iam-wizard|eval|export|unset|jq)\s/.test(stripVTControlCharacters(line));
}

/**
 * A status line that fits: as it is when short enough, else wrapped with
 * the continuation indented to `hanging` (default: two more spaces than the
 * line itself). A command line is kept whole even past the width: a
 * command broken over two lines cannot be pasted.
 */
export function fitLine(line: string, width: number, hanging?: string): string[] {
  if (stripVTControlCharacters(line).length <= width || isCommandLine(line)) return [line];
  const lead = /^\s*/.exec(line)![0];
  return wrapText(line.trim(), width, lead, hanging ?? `${lead}  `);
}

/** Cuts a line to `width` characters with "…". */
export function truncate(line: string, width: number): string {
  return line.length <= width ? line : `${line.slice(0, Math.max(0, width - 1))}…`;
}

/** `/home/me/.aws/credentials` -> `~/.aws/credentials`, for shorter lines. */
export function tildePath(path: string, home: string | undefined = process.env.HOME): string {
  return home && home !== '/' && path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

/** A path as short as it can be said: relative below the current folder, else with ~. */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : tildePath(path);
}

/** Shortens every absolute path below the home folder or the current folder in a sentence. */
export function shortenPaths(text: string, cwd: string = process.cwd(), home: string | undefined = process.env.HOME): string {
  let out = text;
  if (cwd !== '/') out = out.split(`${cwd}/`).join('');
  if (home && home !== '/') out = out.split(`${home}/`).join('~/');
  return out;
}
