/**
 * The three files the wizard edits, read and parsed once before anything
 * happens. A file that cannot be parsed stops the run here (exit 2), before
 * any AWS call that changes something, and is never overwritten.
 */
import {access, constants, stat} from 'node:fs/promises';
import {dirname} from 'node:path';
import {UserError} from '../errors.js';
import {IniParseError, getSection, parseIni} from '../files/ini-document.js';
import {formatOf, SettingsParseError, type SettingsFormat, type Stages} from '../files/settings/index.js';
import {readTextIfExists, writeFileAtomic, type WriteOptions} from '../files/atomic-write.js';

export type FileKind = 'credentials' | 'config' | 'settings';
export type FileStatus = 'created' | 'updated' | 'unchanged';

/** One entry of the --json report's `files`. */
export interface FileReport { path: string; status: FileStatus; backup?: string }

export interface LocalFile { kind: FileKind; path: string; text: string | undefined; mode?: number }

const WRITE_OPTIONS: Record<FileKind, WriteOptions & {createDirs?: boolean}> = {
  // The credentials file holds secrets: only its owner may read it.
  credentials: {mode: 0o600, backup: true, createDirs: true},
  config: {backup: true, createDirs: true},
  settings: {backup: true},
};

function parseError(path: string, line: number, reason: string, column?: number): UserError {
  const where = column ? `line ${line}, column ${column}` : `line ${line}`;
  return new UserError(`Can't parse ${path} (${where}): ${reason}.`, {
    hint: 'Fix the file by hand and run again. The wizard never overwrites a file it cannot read.',
  });
}

const READ_HINTS: Record<string, string> = {
  EACCES: "Check the file's owner and permissions.",
  ENOTDIR: 'A part of that path is a file where a folder should be.',
  EISDIR: 'That path is a folder; point to a file instead.',
};

async function readFile(kind: FileKind, path: string): Promise<LocalFile> {
  try {
    const text = await readTextIfExists(path);
    const mode = text === undefined ? undefined : (await stat(path)).mode & 0o777;
    return {kind, path, text, mode};
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`Can't read ${path}: ${code ?? (err as Error).message}.`, {hint: READ_HINTS[code ?? ''] ?? 'Check that the path is a readable file.'});
  }
}

export class LocalFiles {
  readonly reports = new Map<FileKind, FileReport>();
  private readonly plannedStages = new Map<string, Record<string, unknown>>();
  private parsed?: {text: string | undefined; stages: Stages};

  private constructor(readonly files: Record<FileKind, LocalFile>) {
    for (const f of Object.values(files)) this.reports.set(f.kind, {path: f.path, status: 'unchanged'});
  }

  /** Reads all three files and validates them. Throws UserError (exit 2). */
  static async load(paths: Record<FileKind, string>): Promise<LocalFiles> {
    const [credentials, config, settings] = await Promise.all([
      readFile('credentials', paths.credentials), readFile('config', paths.config), readFile('settings', paths.settings),
    ]);
    for (const f of [credentials, config]) {
      try {
        if (f.text !== undefined) parseIni(f.text);
      } catch (err) {
        if (err instanceof IniParseError) throw parseError(f.path, err.line, err.reason);
        throw err;
      }
    }
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
    return new LocalFiles({credentials, config, settings});
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
    for (const [stage, own] of this.plannedStages) if (!(stage in stages)) stages[stage] = {...own};
    return stages;
  }

  section(kind: 'credentials' | 'config', name: string): Record<string, string> | undefined {
    const text = this.files[kind].text;
    return text === undefined ? undefined : getSection(text, name);
  }

  /**
   * Fails early (exit 2) when a file we are about to change cannot be
   * written, so a read-only file never leaves a half-applied setup behind.
   */
  async assertWritable(kind: FileKind): Promise<void> {
    const f = this.files[kind];
    const target = f.text === undefined ? await nearestExistingDir(dirname(f.path)) : f.path;
    try {
      await access(target, constants.W_OK);
      // A file standing where a folder must be created can't be written either.
      if (f.text === undefined && !(await stat(target)).isDirectory()) throw new Error('not a folder');
    } catch {
      throw new UserError(`Can't write ${f.path}: ${target} is not writable.`, {
        hint: 'Fix the permissions (or point the wizard elsewhere) and run again. Nothing was changed.',
      });
    }
  }

  /** Atomic write with a backup; updates the in-memory text and the report. */
  async write(kind: FileKind, text: string): Promise<void> {
    const f = this.files[kind];
    if (f.text === text && !(kind === 'credentials' && f.mode !== 0o600)) return;
    const existed = f.text !== undefined;
    const result = await writeFileAtomic(f.path, text, WRITE_OPTIONS[kind]);
    f.text = text;
    f.mode = WRITE_OPTIONS[kind].mode ?? f.mode;
    const previous = this.reports.get(kind);
    this.reports.set(kind, {
      path: f.path,
      status: previous?.status === 'created' || !existed ? 'created' : 'updated',
      backup: result.backupPath ?? previous?.backup,
    });
  }

  fileReports(): FileReport[] {
    return [...this.reports.values()];
  }
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
