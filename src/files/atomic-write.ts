/**
 * Replaces a file so that a reader (or a crash) sees either the old content or
 * the new, never half of it: write a temporary file beside the target, flush
 * it to disk, then rename it over the target.
 */
import {randomBytes} from 'node:crypto';
import {promises as fs} from 'node:fs';
import {basename, dirname, join, resolve} from 'node:path';

/**
 * mode: force this mode (the credentials file uses 0o600); otherwise an existing
 * file keeps its mode and a new one gets 0o644 minus the umask.
 * backup: save the previous content to `<target>.bak` when it changes.
 */
export interface WriteOptions {
  mode?: number;
  backup?: boolean;
}

/** path: the path the caller gave (a symlink stays a symlink). backupPath: set when a backup was written. */
export interface WriteResult {
  path: string;
  backupPath?: string;
}

// Linux gives up after 40 links too (ELOOP); a loop must not spin forever.
const MAX_SYMLINK_HOPS = 40;

/**
 * Atomic replace: temp file in the same directory, fsync, rename over. If `path`
 * is a symlink, the file it points to is replaced and the link is kept. With
 * `backup`, a file that existed with different content is first copied to
 * `<target>.bak` (same mode as the original, also written atomically). Writing
 * identical content changes nothing but a forced mode. Missing parent
 * directories are created (mode 0o700) only with `createDirs`. Errors propagate;
 * the original is then untouched.
 */
export async function writeFileAtomic(
  path: string,
  content: string,
  options: WriteOptions & {createDirs?: boolean} = {},
): Promise<WriteResult> {
  const target = await resolveSymlinks(path);
  if (options.createDirs) await fs.mkdir(dirname(target), {recursive: true, mode: 0o700});
  const previous = await readExisting(target);
  const mode = options.mode ?? previous?.mode;
  if (previous?.content === content) {
    if (options.mode !== undefined && options.mode !== previous.mode) await fs.chmod(target, options.mode);
    return {path};
  }
  let backupPath: string | undefined;
  if (options.backup && previous) {
    backupPath = `${target}.bak`;
    await replaceFile(backupPath, previous.content, previous.mode);
  }
  await replaceFile(target, content, mode);
  return backupPath === undefined ? {path} : {path, backupPath};
}

/** The file's text (UTF-8), or undefined when it does not exist (ENOENT); other errors propagate. */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

async function readExisting(target: string): Promise<{content: string; mode: number} | undefined> {
  const content = await readTextIfExists(target);
  if (content === undefined) return undefined;
  const stats = await fs.stat(target);
  return {content, mode: stats.mode & 0o7777};
}

/** Follows a chain of symlinks to the file that should be replaced (which may not exist yet). */
async function resolveSymlinks(path: string): Promise<string> {
  let current = resolve(path);
  for (let hop = 0; hop < MAX_SYMLINK_HOPS; hop++) {
    let link: string;
    try {
      link = await fs.readlink(current);
    } catch (error) {
      // EINVAL: a regular file; ENOENT: a new file. Either way this is the target.
      if (['EINVAL', 'ENOENT'].includes(errorCode(error) ?? '')) return current;
      throw error;
    }
    current = resolve(dirname(current), link);
  }
  throw new Error(`too many levels of symbolic links: ${path}`);
}

async function replaceFile(target: string, content: string, mode: number | undefined): Promise<void> {
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  // Created with the final mode, so a secret is never readable by others, even briefly.
  const handle = await fs.open(temp, 'wx', mode ?? 0o644);
  try {
    // open() applies the umask; a forced or inherited mode must be exact.
    if (mode !== undefined) await handle.chmod(mode);
    await handle.writeFile(content, 'utf8');
    await handle.sync();
    await handle.close();
    await fs.rename(temp, target);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.rm(temp, {force: true}).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(target));
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
