/**
 * Replaces a file so that a reader (or a crash) sees either the old content or
 * the new, never half of it: write a temporary file beside the target, flush
 * it to disk, then rename it over the target.
 *
 * The new content is an edit of what the file holds at that moment: the file
 * is read again just before the rename, and if it changed since the edit was
 * made (a person saved it, another run wrote it), the edit is made again to
 * what is there now. Only regular files are replaced: a device, a pipe or a
 * folder at the path is refused, never renamed over.
 */
import {randomBytes} from 'node:crypto';
import {constants, promises as fs} from 'node:fs';
import {basename, dirname, join, resolve} from 'node:path';

/**
 * mode: force this mode (the credentials file uses 0o600), or a function of the
 * text before and after (undefined: keep); otherwise an existing file keeps its
 * mode and a new one gets 0o644 minus the umask. The backup gets the forced mode
 * too, so a secret never lands in a looser copy.
 * backup: save the previous content to `<target>.bak` when it changes.
 */
export interface WriteOptions {
  mode?: number | ModeRule;
  backup?: boolean;
  /** Create missing parent folders (mode 0o700). */
  createDirs?: boolean;
}

export type ModeRule = (texts: {before: string | undefined; after: string}) => number | undefined;

/** path: the path the caller gave (a symlink stays a symlink). backupPath: set when a backup was written. */
export interface WriteResult {
  path: string;
  backupPath?: string;
}

/** What an edit did: the text now in the file, its mode, and whether anything was written. */
export interface EditResult extends WriteResult {
  text: string;
  mode: number;
  /** False when the file did not exist before. */
  existed: boolean;
  /** The content changed (a new file counts). */
  changed: boolean;
  /** Only the mode changed. */
  modeChanged: boolean;
  /** How the text was read and written back. */
  encoding: TextEncoding;
}

/** Given the file's text now (undefined: no file yet), the text it should hold. May throw to refuse. */
export type Edit = (current: string | undefined) => string;

/** How a file's bytes were read as text, so the same bytes are written back. */
export type TextEncoding = 'utf8' | 'latin1';

/** Something other than a regular file stands at the path (e.g. "a character device"). */
export class NotRegularFileError extends Error {
  constructor(readonly path: string, readonly what: string) {
    super(`${path} is ${what}, not a regular file`);
    this.name = 'NotRegularFileError';
  }
}

/** The file changed under every attempt to edit it. */
export class FileKeepsChangingError extends Error {
  constructor(readonly path: string) {
    super(`${path} changed again each time it was about to be written`);
    this.name = 'FileKeepsChangingError';
  }
}

/** New text that holds characters the file's own encoding (Latin-1) cannot hold. */
export class EncodingError extends Error {
  constructor(readonly path: string) {
    super(`${path} is not UTF-8 (read as Latin-1), and the new text holds characters Latin-1 cannot store`);
    this.name = 'EncodingError';
  }
}

// Linux gives up after 40 links too (ELOOP); a loop must not spin forever.
const MAX_SYMLINK_HOPS = 40;
// A file that changes under every attempt is being written by something else right now.
const MAX_EDIT_ATTEMPTS = 5;
const UTF8 = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true});

/**
 * Bytes as text: UTF-8 when they are valid UTF-8, else Latin-1, which maps
 * each byte to one character and back, so no byte is ever lost or replaced.
 */
export function decodeText(bytes: Uint8Array): {text: string; encoding: TextEncoding} {
  try {
    return {text: UTF8.decode(bytes), encoding: 'utf8'};
  } catch {
    return {text: Buffer.from(bytes).toString('latin1'), encoding: 'latin1'};
  }
}

/** Text as bytes, in the encoding it was read with. Throws EncodingError where Latin-1 cannot hold a character. */
export function encodeText(text: string, encoding: TextEncoding, path: string): Buffer {
  if (encoding === 'latin1' && /[\u0100-\uffff]/.test(text)) throw new EncodingError(path);
  return Buffer.from(text, encoding);
}

/**
 * Atomic replace with the given content, whatever the file holds now. See
 * editFileAtomic; writing identical content changes nothing but a forced mode.
 */
export async function writeFileAtomic(path: string, content: string, options: WriteOptions = {}): Promise<WriteResult> {
  const result = await editFileAtomic(path, () => content, options);
  return result.backupPath === undefined ? {path} : {path, backupPath: result.backupPath};
}

/**
 * Applies `edit` to the file's current text and replaces the file atomically:
 * temp file in the same folder, fsync, backup (when asked), read the file again,
 * rename over. If the file changed since the edit was made, the edit is made
 * again to the new text (a few times at most). If `path` is a symlink, the file
 * it points to is replaced and the link is kept. Errors propagate; the original
 * is then untouched. Throws NotRegularFileError for anything but a regular file.
 */
export async function editFileAtomic(path: string, edit: Edit, options: WriteOptions = {}): Promise<EditResult> {
  const target = await resolveSymlinks(path);
  if (options.createDirs) await fs.mkdir(dirname(target), {recursive: true, mode: 0o700});
  for (let attempt = 0; attempt < MAX_EDIT_ATTEMPTS; attempt++) {
    const before = await readRegularFile(target);
    const decoded = before && decodeText(before.bytes);
    const text = edit(decoded?.text);
    const bytes = encodeText(text, decoded?.encoding ?? 'utf8', path);
    const mode = chosenMode(options.mode, decoded?.text, text) ?? before?.mode;
    const encoding = decoded?.encoding ?? 'utf8';
    if (before && before.bytes.equals(bytes)) return {...(await keepContent(path, target, before.mode, mode, text)), encoding};
    const temp = await writeTemp(target, bytes, mode);
    try {
      const backupPath = options.backup && before ? `${target}.bak` : undefined;
      // The backup holds a secret whenever the file does: it gets the forced mode, not the old one.
      if (backupPath) await replaceWith(backupPath, before!.bytes, mode ?? before!.mode);
      const now = await readRegularFile(target);
      if (!sameContent(before, now)) {
        await fs.rm(temp, {force: true});
        continue;
      }
      await fs.rename(temp, target);
      await syncDirectory(dirname(target));
      const finalMode = (await fs.stat(target)).mode & 0o7777;
      return {path, ...(backupPath ? {backupPath} : {}), text, mode: finalMode, existed: before !== undefined, changed: true, modeChanged: false, encoding};
    } catch (error) {
      await fs.rm(temp, {force: true}).catch(() => undefined);
      throw error;
    }
  }
  throw new FileKeepsChangingError(path);
}

/** The file's text (UTF-8, else Latin-1), or undefined when it does not exist (ENOENT); other errors propagate. */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return decodeText(await fs.readFile(path)).text;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * The file's bytes and mode, or undefined when there is no file. Opened
 * without blocking, and checked on the open handle: a FIFO or a device is
 * refused (NotRegularFileError) without reading from it.
 */
export async function readRegularFile(path: string): Promise<{bytes: Buffer; mode: number} | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new NotRegularFileError(path, describeFileType(stats));
    return {bytes: await handle.readFile(), mode: stats.mode & 0o7777};
  } finally {
    await handle.close();
  }
}

/** "a folder", "a character device"…: what stands at a path that is not a regular file. */
export function describeFileType(stats: {isDirectory(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isFIFO(): boolean; isSocket(): boolean}): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Follows a chain of symlinks to the file that should be replaced (which may not exist yet). */
export async function resolveSymlinks(path: string): Promise<string> {
  let current = resolve(path);
  for (let hop = 0; hop < MAX_SYMLINK_HOPS; hop++) {
    let link: string;
    try {
      link = await fs.readlink(current);
    } catch (error) {
      // EINVAL: not a link; ENOENT: a new file; ENOTDIR: a file stands where a folder should (creating it fails later, with that reason).
      if (['EINVAL', 'ENOENT', 'ENOTDIR'].includes(errorCode(error) ?? '')) return current;
      throw error;
    }
    current = resolve(dirname(current), link);
  }
  throw new Error(`too many levels of symbolic links: ${path}`);
}

function chosenMode(rule: WriteOptions['mode'], before: string | undefined, after: string): number | undefined {
  return typeof rule === 'function' ? rule({before, after}) : rule;
}

/** Identical content: nothing is written, but a forced mode is still applied. */
async function keepContent(path: string, target: string, current: number, wanted: number | undefined, text: string): Promise<Omit<EditResult, 'encoding'>> {
  const modeChanged = wanted !== undefined && wanted !== current;
  if (modeChanged) await fs.chmod(target, wanted);
  return {path, text, mode: modeChanged ? wanted : current, existed: true, changed: false, modeChanged};
}

function sameContent(a: {bytes: Buffer} | undefined, b: {bytes: Buffer} | undefined): boolean {
  return a === undefined || b === undefined ? a === b : a.bytes.equals(b.bytes);
}

/** A flushed temp file beside the target, created with the final mode. Returns its path. */
async function writeTemp(target: string, bytes: Buffer, mode: number | undefined): Promise<string> {
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  // Created with the final mode, so a secret is never readable by others, even briefly.
  const handle = await fs.open(temp, 'wx', mode ?? 0o644);
  try {
    // open() applies the umask; a forced or inherited mode must be exact.
    if (mode !== undefined) await handle.chmod(mode);
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.rm(temp, {force: true}).catch(() => undefined);
    throw error;
  }
  return temp;
}

/** Atomic replace without a re-read (the backup: its content is ours to decide). */
async function replaceWith(target: string, bytes: Buffer, mode: number): Promise<void> {
  const temp = await writeTemp(target, bytes, mode);
  try {
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, {force: true}).catch(() => undefined);
    throw error;
  }
}

/** Makes the rename itself durable; some platforms cannot fsync a directory, which is harmless. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await fs.open(directory, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
