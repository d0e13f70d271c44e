import {spawn} from 'node:child_process';
import {chmod, lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {pathToFileURL} from 'node:url';
import {build} from 'esbuild';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {readTextIfExists, writeFileAtomic} from '../../src/files/atomic-write.js';

const MODULE_PATH = resolve('src/files/atomic-write.ts');

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zw-atomic-'));
});

afterEach(async () => {
  await chmod(dir, 0o700).catch(() => undefined);
  await rm(dir, {recursive: true, force: true});
});

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

describe('writeFileAtomic', () => {
  it('creates a new file with 0644 minus the umask, leaving no temp file behind', async () => {
    const path = join(dir, 'zappa_settings.json');
    expect(await writeFileAtomic(path, '{}\n')).toEqual({path});
    expect(await readFile(path, 'utf8')).toBe('{}\n');
    expect(await modeOf(path)).toBe(0o644 & ~process.umask());
    expect(await readdir(dir)).toEqual(['zappa_settings.json']);
  });

  it('forces mode 0600 on a new file and on an existing looser one', async () => {
    const path = join(dir, 'credentials');
    await writeFileAtomic(path, 'a', {mode: 0o600});
    expect(await modeOf(path)).toBe(0o600);
    await chmod(path, 0o644);
    await writeFileAtomic(path, 'b', {mode: 0o600});
    expect(await modeOf(path)).toBe(0o600);
  });

  it('keeps the mode of an existing file, even one the umask would not give', async () => {
    const path = join(dir, 'config');
    await writeFile(path, 'old');
    await chmod(path, 0o664);
    await writeFileAtomic(path, 'new');
    expect(await modeOf(path)).toBe(0o664);
    expect(await readFile(path, 'utf8')).toBe('new');
  });

  it('does not rewrite identical content, but still tightens a forced mode', async () => {
    const path = join(dir, 'credentials');
    await writeFile(path, 'same');
    await chmod(path, 0o644);
    const inode = (await stat(path)).ino;
    expect(await writeFileAtomic(path, 'same', {mode: 0o600, backup: true})).toEqual({path});
    expect((await stat(path)).ino).toBe(inode);
    expect(await modeOf(path)).toBe(0o600);
    expect(await readdir(dir)).toEqual(['credentials']);
  });

  it('saves the previous content to .bak, with the original mode, only when the content changes', async () => {
    const path = join(dir, 'credentials');
    expect(await writeFileAtomic(path, 'first', {mode: 0o600, backup: true})).toEqual({path});
    expect(await readdir(dir)).toEqual(['credentials']);
    expect(await writeFileAtomic(path, 'second', {mode: 0o600, backup: true})).toEqual({path, backupPath: `${path}.bak`});
    expect(await readFile(`${path}.bak`, 'utf8')).toBe('first');
    expect(await modeOf(`${path}.bak`)).toBe(0o600);
    await writeFileAtomic(path, 'third', {backup: true});
    expect(await readFile(`${path}.bak`, 'utf8')).toBe('second');
    expect(await writeFileAtomic(path, 'third', {backup: true})).toEqual({path});
    expect((await readdir(dir)).sort()).toEqual(['credentials', 'credentials.bak']);
  });

  it('edits the target of a symlink and keeps the link, with the backup beside the target', async () => {
    await mkdir(join(dir, 'dotfiles'));
    const target = join(dir, 'dotfiles', 'credentials');
    const link = join(dir, 'credentials');
    await writeFile(target, 'old');
    await symlink('dotfiles/credentials', link);
    expect(await writeFileAtomic(link, 'new', {mode: 0o600, backup: true})).toEqual({path: link, backupPath: `${target}.bak`});
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe('dotfiles/credentials');
    expect(await readFile(target, 'utf8')).toBe('new');
    expect(await modeOf(target)).toBe(0o600);
    expect(await readFile(`${target}.bak`, 'utf8')).toBe('old');
  });

  it('follows a chain of links, and a dangling link creates its target', async () => {
    const target = join(dir, 'real');
    await symlink(target, join(dir, 'first'));
    await symlink(join(dir, 'first'), join(dir, 'second'));
    await writeFileAtomic(join(dir, 'second'), 'x');
    expect(await readFile(target, 'utf8')).toBe('x');
    expect((await lstat(join(dir, 'second'))).isSymbolicLink()).toBe(true);
  });

  it('gives up on a symlink loop', async () => {
    await symlink(join(dir, 'b'), join(dir, 'a'));
    await symlink(join(dir, 'a'), join(dir, 'b'));
    await expect(writeFileAtomic(join(dir, 'a'), 'x')).rejects.toThrow(/too many levels of symbolic links/);
  });

  it('creates missing directories (0700) only when asked', async () => {
    const path = join(dir, 'home', '.aws', 'credentials');
    await expect(writeFileAtomic(path, 'x')).rejects.toMatchObject({code: 'ENOENT'});
    await writeFileAtomic(path, 'x', {mode: 0o600, createDirs: true});
    expect(await readFile(path, 'utf8')).toBe('x');
    expect(await modeOf(join(dir, 'home', '.aws'))).toBe(0o700);
  });

  it('propagates the error of a read-only directory and leaves the original untouched', async () => {
    const folder = join(dir, 'locked');
    const path = join(folder, 'config');
    await mkdir(folder);
    await writeFile(path, 'original');
    await chmod(folder, 0o555);
    await chmod(dir, 0o755);
    expect(await attemptWrite(path, 'replacement')).toBe('EACCES');
    expect(await readFile(path, 'utf8')).toBe('original');
    expect(await readdir(folder)).toEqual(['config']);
  });
});

describe('readTextIfExists', () => {
  it('returns the text, or undefined for a missing file', async () => {
    await writeFile(join(dir, 'a'), 'text\r\n');
    expect(await readTextIfExists(join(dir, 'a'))).toBe('text\r\n');
    expect(await readTextIfExists(join(dir, 'missing'))).toBeUndefined();
  });

  it('lets other errors through', async () => {
    await expect(readTextIfExists(dir)).rejects.toMatchObject({code: 'EISDIR'});
    await writeFile(join(dir, 'file'), '');
    await expect(readTextIfExists(join(dir, 'file', 'below'))).rejects.toMatchObject({code: 'ENOTDIR'});
  });
});

/**
 * Tries a backed-up write and returns the error code ('' on success). Root
 * ignores directory permissions, so as root the attempt runs in a child
 * process as the unprivileged user "nobody". That user may not be able to
 * read this checkout (a clone in a private folder), so the child runs a
 * bundle of the module placed beside the test's files, not the source tree.
 */
async function attemptWrite(path: string, content: string): Promise<string> {
  if (process.getuid?.() !== 0) {
    return writeFileAtomic(path, content, {backup: true}).then(
      () => '',
      (error: NodeJS.ErrnoException) => error.code ?? String(error),
    );
  }
  const bundle = join(dir, 'atomic-write.mjs');
  await build({entryPoints: [MODULE_PATH], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'silent'});
  await chmod(bundle, 0o644);
  const script = `import(${JSON.stringify(pathToFileURL(bundle).href)})
    .then((m) => m.writeFileAtomic(${JSON.stringify(path)}, ${JSON.stringify(content)}, {backup: true}))
    .then(() => console.log('result:'), (error) => console.log('result:' + (error.code ?? String(error))));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    uid: 65534,
    gid: 65534,
    cwd: dir,
    env: {PATH: process.env.PATH},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  await new Promise((done) => child.on('close', done));
  // A child that could not even run must fail the test, not pass as "no error".
  const result = /^result:(.*)$/m.exec(output);
  if (!result) throw new Error(`the write attempt as "nobody" did not run: ${errors || output}`);
  return result[1]!.trim();
}
