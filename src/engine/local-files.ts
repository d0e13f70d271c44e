/**
 * The three files the wizard edits, read and parsed once before anything
 * happens. A file that cannot be parsed stops the run here (exit 2), before
 * any AWS call that changes something, and is never overwritten.
 *
 * A write is an edit, not a text: it is made to what the file holds at the
 * moment of the write (atomic-write.ts reads it again just before the rename),
 * so a change a person saves while a run is under way survives, and so do
 * both edits when the credentials and config variables name the same file.
 * Writes of one run take turns, and writes of the AWS files take the lock
 * beside the credentials file (run-lock.ts), so two runs at once take turns too.
 */
import {access, constants, mkdir, stat} from 'node:fs/promises';
import {dirname} from 'node:path';
import {UserError} from '../errors.js';
import {IniParseError, getSection, parseIni} from '../files/ini-document.js';
import {formatOf, SettingsParseError, type SettingsFormat, type Stages} from '../files/settings/index.js';
import {
  decodeText, editFileAtomic, encodeText, EncodingError, FileKeepsChangingError, NotRegularFileError, readRegularFile,
  resolveSymlinks, type Edit, type TextEncoding, type WriteOptions,
} from '../files/atomic-write.js';
import {acquireLock, LockBusyError, type HeldLock, type LockHolder} from '../files/run-lock.js';

export type FileKind = 'credentials' | 'config' | 'settings';
export type FileStatus = 'created' | 'updated' | 'unchanged';
export type {Edit} from '../files/atomic-write.js';

/** One entry of the --json report's `files`. */
export interface FileReport { path: string; status: FileStatus; backup?: string }

/**
 * special: what stands at the path when it is not a regular file (only a
 * character device such as a copy of /dev/null is read, as empty; it is never
 * written).
 */
export interface LocalFile { kind: FileKind; path: string; text: string | undefined; mode?: number; encoding: TextEncoding; special?: string }

const SECRET_LINE = /^[ \t]*aws_(secret_access_key|session_token|security_token)[ \t]*[=:]/im;

/** A config file can hold keys too: whenever a file holds a secret, it (and its backup) is 0600. */
const secretMode = ({before, after}: {before: string | undefined; after: string}) =>
  SECRET_LINE.test(after) || (before !== undefined && SECRET_LINE.test(before)) ? 0o600 : undefined;

const WRITE_OPTIONS: Record<FileKind, WriteOptions> = {
  // The credentials file holds secrets: only its owner may read it.
  credentials: {mode: 0o600, backup: true, createDirs: true},
  config: {mode: secretMode, backup: true, createDirs: true},
  settings: {backup: true},
};

/** Where to point the wizard instead, per file. */
const ELSEWHERE: Record<FileKind, string> = {
  credentials: 'AWS_SHARED_CREDENTIALS_FILE',
  config: 'AWS_CONFIG_FILE',
  settings: '--settings',
};

const LOCK_SUFFIX = '.zappa-iam-wizard.lock';

function parseError(path: string, line: number, reason: string, column?: number): UserError {
  const where = column ? `line ${line}, column ${column}` : `line ${line}`;
  return new UserError(`Can't parse ${path} (${where}): ${reason}.`, {
    hint: 'Fix the file by hand and run again. The wizard never overwrites a file it cannot read.',
  });
}

const READ_HINTS: Record<string, string> = {
  EACCES: "Check the file's owner and permissions.",
  ENOTDIR: 'A part of that path is a file where a folder should be.',
};

function notRegular(kind: FileKind, path: string, what: string, exitCode = 2): UserError {
  return new UserError(`${path} is ${what}, not a regular file: the wizard only reads and writes regular files, and would otherwise replace it.`, {
    hint: `Point ${ELSEWHERE[kind]} at a regular file (or remove what is there), and run again. Nothing was written to it.`, exitCode,
  });
}

async function readFile(kind: FileKind, path: string): Promise<LocalFile> {
  try {
    const raw = await readRegularFile(path);
    if (!raw) return {kind, path, text: undefined, encoding: 'utf8'};
    const {text, encoding} = decodeText(raw.bytes);
    return {kind, path, text, mode: raw.mode & 0o777, encoding};
  } catch (err) {
    if (err instanceof NotRegularFileError) {
      // A copy of /dev/null reads as empty for the AWS tools too; anything else is no AWS file.
      if (err.what === 'a character device' && kind !== 'settings') return {kind, path, text: '', encoding: 'utf8', special: err.what};
      throw notRegular(kind, path, err.what);
    }
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`Can't read ${path}: ${code ?? (err as Error).message}.`, {hint: READ_HINTS[code ?? ''] ?? 'Check that the path is a readable file.'});
  }
}

function assertParses(f: LocalFile): void {
  if (f.text === undefined || f.kind === 'settings') return;
  try {
    parseIni(f.text);
  } catch (err) {
    if (err instanceof IniParseError) throw parseError(f.path, err.line, err.reason);
    throw err;
  }
}

/** An edit that threw: `changed` says whether the file had changed since it was read. */
class EditRefused extends Error {
  constructor(readonly original: unknown, readonly changed: boolean) {
    super((original as Error)?.message ?? String(original));
  }
}

/** "line 3: reason" from the editors' errors (ini, JSON, TOML, YAML), or the bare message. */
function whereAndWhy(err: unknown): string {
  const e = err as {line?: unknown; column?: unknown; reason?: unknown; message?: string};
  const reason = typeof e.reason === 'string' ? e.reason : e.message ?? String(err);
  if (typeof e.line !== 'number') return reason;
  return `line ${e.line}${typeof e.column === 'number' ? `, column ${e.column}` : ''}: ${reason}`;
}

export class LocalFiles {
  readonly reports = new Map<FileKind, FileReport>();
  private readonly plannedStages = new Map<string, Record<string, unknown>>();
  private parsed?: {text: string | undefined; stages: Stages};
  /** Edits the pending rows will make, by row: assertWritable makes them in memory first. */
  private readonly expected = new Map<FileKind, Map<string, Edit>>();
  /** One write at a time: two edits of one file must not both start from the same text. */
  private queue: Promise<unknown> = Promise.resolve();
  private lock?: {held: Promise<HeldLock>; users: number};

  private constructor(readonly files: Record<FileKind, LocalFile>, private readonly shared: boolean) {
    for (const f of Object.values(files)) this.reports.set(f.kind, {path: f.path, status: 'unchanged'});
  }

  /** Reads all three files and validates them. Throws UserError (exit 2). */
  static async load(paths: Record<FileKind, string>): Promise<LocalFiles> {
    const [credentials, config, settings] = await Promise.all([
      readFile('credentials', paths.credentials), readFile('config', paths.config), readFile('settings', paths.settings),
    ]);
    for (const f of [credentials, config]) assertParses(f);
    if (settings.text === undefined) {
      throw new UserError(`${settings.path} does not exist.`, {
        hint: 'Run the wizard in your Zappa project folder (where `zappa init` wrote zappa_settings.json, .toml, .yml or .yaml), or pass --settings <file>.',
      });
    }
    try {
      formatOf(settings.path).parse(settings.text);
    } catch (err) {
      if (err instanceof SettingsParseError) throw parseError(settings.path, err.line, err.reason, err.column);
      throw err;
    }
    const shared = (await resolveSymlinks(credentials.path)) === (await resolveSymlinks(config.path));
    return new LocalFiles({credentials, config, settings}, shared);
  }

  /** The reader and editor for the settings file's format (by its name, as Zappa picks it). */
  settingsFormat(): SettingsFormat {
    return formatOf(this.files.settings.path);
  }

  /**
   * A stage setup is about to add (`--stage` naming a new one): until it is
   * written, settings() shows it as `{extends: parent}`, so every check and
   * policy sees the settings Zappa will see.
   */
  planStage(stage: string, parent: string | undefined): void {
    this.plannedStages.set(stage, parent === undefined ? {} : {extends: parent});
  }

  text(kind: FileKind): string | undefined {
    return this.files[kind].text;
  }

  path(kind: FileKind): string {
    return this.files[kind].path;
  }

  mode(kind: FileKind): number | undefined {
    return this.files[kind].mode;
  }

  /** The stages as Zappa reads them (own keys, before `extends`), with the stages setup will add. */
  settings(): Stages {
    const text = this.files.settings.text;
    // Every check asks; parse each version of the text once.
    if (this.parsed?.text !== text || !this.parsed) this.parsed = {text, stages: text === undefined ? {} : this.settingsFormat().parse(text)};
    const stages = structuredClone(this.parsed.stages);
    // Own keys only: a stage named "constructor" is not found on Object.prototype.
    for (const [stage, own] of this.plannedStages) if (!Object.hasOwn(stages, stage)) stages[stage] = {...own};
    return stages;
  }

  section(kind: 'credentials' | 'config', name: string): Record<string, string> | undefined {
    const text = this.files[kind].text;
    return text === undefined ? undefined : getSection(text, name);
  }

  /**
   * The edit a row will make when setup applies it (undefined: none, e.g. the
   * row is in place after a re-check). `row` names the row, so a re-check
   * replaces its earlier edit. assertWritable makes these edits in memory.
   */
  expectEdit(kind: FileKind, row: string, edit: Edit | undefined): void {
    const edits = this.expected.get(kind) ?? new Map<string, Edit>();
    if (edit) edits.set(row, edit);
    else edits.delete(row);
    this.expected.set(kind, edits);
  }

  /**
   * Fails early (exit 2) when a file we are about to change cannot be
   * written, so a read-only file never leaves a half-applied setup behind:
   * it must be a regular file (or missing), writable if it exists, in a
   * folder where the temp file and the backup can be created, and the edits
   * the rows will make must apply to it (made here in memory first).
   */
  async assertWritable(kind: FileKind): Promise<void> {
    const f = this.files[kind];
    if (f.special) throw notRegular(kind, f.path, f.special);
    await assertReplaceable(f);
    this.tryExpectedEdits(kind);
  }

  /**
   * Runs `body` holding the lock beside the credentials file: another run of
   * the wizard waits until it is done (or takes the lock over if that run
   * died). Re-entrant within this run. `onWait` is told when this run waits.
   */
  async withLock<T>(body: () => Promise<T>, onWait?: (message: string) => void): Promise<T> {
    if (!this.lock) this.lock = {held: this.acquire(onWait), users: 0};
    const lock = this.lock;
    lock.users++;
    try {
      await lock.held;
      return await body();
    } finally {
      if (--lock.users === 0) {
        this.lock = undefined;
        // A lock that cannot be removed (its folder became read-only) is left stale: the next run takes it over.
        await lock.held.then((l) => l.release()).catch(() => undefined);
      }
    }
  }

  private async acquire(onWait?: (message: string) => void): Promise<HeldLock> {
    const f = this.files.credentials;
    if (f.special) throw notRegular('credentials', f.path, f.special, 1);
    const target = await resolveSymlinks(f.path);
    const path = `${target}${LOCK_SUFFIX}`;
    try {
      await mkdir(dirname(target), {recursive: true, mode: 0o700});
      return await acquireLock(path, {onWait: (holder) => onWait?.(`waiting for another run of the wizard (${holderText(holder)}) to finish with ${f.path}`)});
    } catch (err) {
      if (err instanceof LockBusyError) {
        throw new UserError(`Another run of the wizard (${holderText(err.holder)}) is changing ${f.path}; this run waited ${Math.round(err.waitedMs / 1000)} s for it.`, {
          hint: `Wait for that run to finish and run again. If no run is under way, delete ${path} and run again.`, exitCode: 1, cause: err,
        });
      }
      throw writeFailure(f.path, err);
    }
  }

  /**
   * Makes `change` to the file as it is now, atomically, with a backup, and
   * updates the in-memory text and the report. `change` is an edit of the
   * current text; a whole text is accepted too, but only while the file still
   * holds what was read (else the run stops and says the file changed).
   * Throws UserError (exit 1: the run was under way).
   */
  write(kind: FileKind, change: Edit | string): Promise<void> {
    // The AWS files take the lock (they may be one file); the settings live in the project, where the re-read suffices.
    const locked = kind !== 'settings' && !this.files.credentials.special;
    const next = this.queue.then(() => (locked ? this.withLock(() => this.writeNow(kind, change)) : this.writeNow(kind, change)));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Reads the file again (e.g. under the lock, where another run may just have
   * written it). Returns whether its text changed. Throws UserError when it
   * can no longer be read or parsed.
   */
  async reload(kind: 'credentials' | 'config'): Promise<boolean> {
    const f = this.files[kind];
    if (f.special) return false;
    let fresh: LocalFile;
    try {
      fresh = await readFile(kind, f.path);
      assertParses(fresh);
    } catch (err) {
      const message = err instanceof UserError ? err.message : (err as Error).message;
      throw new UserError(`${f.path} changed while the wizard ran, and can no longer be read: ${message}`, {hint: 'Fix the file and run again.', exitCode: 1, cause: err});
    }
    const changed = fresh.text !== f.text;
    this.adopt(kind, fresh.text, fresh.mode, fresh.encoding);
    return changed;
  }

  fileReports(): FileReport[] {
    return [...this.reports.values()];
  }

  private async writeNow(kind: FileKind, change: Edit | string): Promise<void> {
    const f = this.files[kind];
    if (f.special) throw notRegular(kind, f.path, f.special, 1);
    const known = f.text;
    const edit: Edit = typeof change === 'string' ? wholeText(known, change) : change;
    let result;
    try {
      result = await editFileAtomic(f.path, (current) => {
        try {
          return edit(current);
        } catch (err) {
          throw new EditRefused(err, current !== known);
        }
      }, WRITE_OPTIONS[kind]);
    } catch (err) {
      throw writeFailure(f.path, err, kind);
    }
    this.adopt(kind, result.text, result.mode & 0o777, result.encoding);
    if (!result.changed && !result.modeChanged) return;
    const previous = this.reports.get(kind);
    this.reports.set(kind, {
      path: f.path,
      status: previous?.status === 'created' || !result.existed ? 'created' : 'updated',
      ...(result.backupPath ?? previous?.backup ? {backup: result.backupPath ?? previous?.backup} : {}),
    });
  }

  /** The file's text now, for this kind and, when both variables name one file, for the other. */
  private adopt(kind: FileKind, text: string | undefined, mode: number | undefined, encoding: TextEncoding): void {
    const kinds: FileKind[] = this.shared && kind !== 'settings' ? ['credentials', 'config'] : [kind];
    for (const k of kinds) Object.assign(this.files[k], {text, mode, encoding});
  }

  /** Makes the expected edits of this file, in memory; the first one refused stops the run (exit 2). */
  private tryExpectedEdits(kind: FileKind): void {
    const f = this.files[kind];
    const kinds: FileKind[] = this.shared && kind !== 'settings' ? ['credentials', 'config'] : [kind];
    let text = f.text;
    for (const k of kinds) {
      for (const edit of this.expected.get(k)?.values() ?? []) {
        try {
          text = edit(text);
        } catch (err) {
          throw new UserError(`Can't edit ${f.path} (${whereAndWhy(err)}).`, {
            hint: 'The wizard only makes edits it can make exactly; change that part of the file by hand and run again. Nothing was changed.', cause: err,
          });
        }
      }
    }
    if (text === undefined) return;
    try {
      encodeText(text, f.encoding, f.path);
    } catch (err) {
      throw new UserError(`Can't edit ${f.path}: ${(err as Error).message}.`, {hint: 'Save the file as UTF-8 and run again. Nothing was changed.', cause: err});
    }
  }
}

/** A whole text made from the file as it was read, while the file holds something else now. */
class ChangedUnderUs extends Error {}

/** A whole new text is only right while the file holds what it was computed from. */
function wholeText(known: string | undefined, text: string): Edit {
  return (current) => {
    if (current !== known) throw new ChangedUnderUs('changed');
    return text;
  };
}

function holderText(holder: LockHolder | undefined): string {
  return holder ? `pid ${holder.pid} on ${holder.host}, since ${holder.since}` : 'its pid is not readable yet';
}

const ERRNO_WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENOTDIR: 'a part of the path is a file where a folder should be',
  EISDIR: 'a folder is in the way',
};

/** Any failure of a write, as a sentence naming the file (exit 1: the run was under way). */
function writeFailure(path: string, err: unknown, kind?: FileKind): UserError {
  if (err instanceof UserError) return err;
  if (err instanceof NotRegularFileError) return notRegular(kind ?? 'credentials', path, err.what, 1);
  if (err instanceof EditRefused && err.original instanceof ChangedUnderUs) {
    return new UserError(`${path} changed while the wizard ran; the wizard does not write over a change it did not make. Nothing was written to it.`, {
      hint: 'Run again: the next run starts from the file as it is now.', exitCode: 1, cause: err,
    });
  }
  if (err instanceof EditRefused) {
    const where = whereAndWhy(err.original);
    const message = err.changed
      ? `${path} changed while the wizard ran, and its edit can no longer be made there (${where}). Nothing was written to it.`
      : `Can't edit ${path} (${where}). Nothing was written to it.`;
    return new UserError(message, {hint: 'Look at the file, fix it if needed, and run again: finished steps are detected and skipped.', exitCode: 1, cause: err.original});
  }
  if (err instanceof FileKeepsChangingError) {
    return new UserError(`${path} kept changing while the wizard tried to write it (another program is writing it right now). Nothing was written to it.`, {hint: 'Close what is writing the file and run again.', exitCode: 1, cause: err});
  }
  if (err instanceof EncodingError) return new UserError(`Can't write ${err.message}.`, {hint: 'Save the file as UTF-8 and run again.', exitCode: 1, cause: err});
  const code = (err as NodeJS.ErrnoException).code;
  const words = code && ERRNO_WORDS[code] ? `${code} (${ERRNO_WORDS[code]})` : code ?? (err as Error).message;
  return new UserError(`Can't write ${path}: ${words}.`, {hint: 'Fix the file or its folder\'s permissions and run again.', exitCode: 1, cause: err});
}

/**
 * The atomic write creates a temp file and a backup beside the target, then
 * renames over it: the folder must be writable, not only the file. A file
 * that exists must be writable too (a read-only one is the person's wish).
 */
async function assertReplaceable(f: LocalFile): Promise<void> {
  const target = await resolveSymlinks(f.path);
  const refuse = (why: string) => new UserError(`Can't write ${f.path}: ${why}.`, {
    hint: 'Fix the permissions (or point the wizard elsewhere) and run again. Nothing was changed.',
  });
  if (f.text !== undefined && !(await canWrite(target))) throw refuse(`${target === f.path ? 'the file' : target} is not writable`);
  const folder = await nearestExistingDir(dirname(target));
  if (!(await stat(folder).then((s) => s.isDirectory(), () => false))) throw refuse(`${folder} is a file where a folder should be`);
  if (!(await canWrite(folder, constants.W_OK | constants.X_OK))) {
    throw refuse(`its folder ${folder} is not writable, and the wizard writes the new file (and a backup) there before renaming it into place`);
  }
}

function canWrite(path: string, mode = constants.W_OK): Promise<boolean> {
  return access(path, mode).then(() => true, () => false);
}

async function nearestExistingDir(dir: string): Promise<string> {
  for (let d = dir; ; d = dirname(d)) {
    try {
      await stat(d);
      return d;
    } catch {
      if (dirname(d) === d) return d;
    }
  }
}
