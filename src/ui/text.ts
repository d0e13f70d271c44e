/** Text helpers every plain renderer shares: wrapping to the terminal, `~` for the home folder. */
import {isAbsolute, relative} from 'node:path';
import {stripVTControlCharacters} from 'node:util';

/** The width explanations are wrapped to: the terminal, at most 80 columns. */
export function textWidth(stream: {columns?: number} = process.stdout): number {
  return Math.max(40, Math.min(80, (stream.columns ?? 80) - 1));
}

/**
 * Word-wraps a paragraph: the first line starts with `indent`, the others
 * with `hanging` (default: the same). A word is never split: one longer than
 * a line (an ARN, a path) gets a line of its own, so it can still be copied.
 */
export function wrapText(text: string, width: number, indent = '', hanging = indent): string[] {
  const lines: string[] = [];
  const room = () => Math.max(10, width - (lines.length ? hanging : indent).length);
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!line) line = word;
    else if (line.length + 1 + word.length <= room()) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines.map((l, i) => (i === 0 ? indent : hanging) + l);
}

/**
 * A status line that fits: as it is when short enough, else wrapped with
 * the continuation indented to `hanging` (default: two more spaces than the line itself).
 */
export function fitLine(line: string, width: number, hanging?: string): string[] {
  if (stripVTControlCharacters(line).length <= width) return [line];
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
