/**
 * Issue 16, the person's files, at the level of the modules (real files in a
 * temp folder, no AWS): the atomic edit made to what the file holds at the
 * moment of the rename, bytes kept as they were, only regular files written,
 * backups at the forced mode, LocalFiles' in-memory trial of the rows' edits,
 * and the lock beside the credentials file.
 */
import {spawnSync} from 'node:child_process';
import {appendFileSync, chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {hostname, tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {UserError} from '../../src/errors.js';
import {LocalFiles} from '../../src/engine/local-files.js';
import {decodeText, editFileAtomic, FileKeepsChangingError, NotRegularFileError, writeFileAtomic} from '../../src/files/atomic-write.js';
import {upsertSection} from '../../src/files/ini-document.js';
import {acquireLock, LockBusyError} from '../../src/files/run-lock.js';
import {RUNS_AS_ROOT} from './files-helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zw-hardening-files-'));
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('editFileAtomic: the edit is made to what the file holds just before the rename (item 3)', () => {
  it('makes the edit again when the file changed after the edit was made', async () => {
    const path = join(dir, 'credentials');
    writeFileSync(path, '[a]\nx = 1\n');
    let calls = 0;
    const result = await editFileAtomic(path, (text) => {
      // The first time, the person saves the file while the wizard is busy.
      if (calls++ === 0) appendFileSync(path, '\n[mine]\ny = 2\n');
      return upsertSection(text ?? '', 'serverless', {region: 'us-east-1'});
    });
    expect(calls).toBe(2);
    expect(readFileSync(path, 'utf8')).toBe('[a]\nx = 1\n\n[mine]\ny = 2\n\n[serverless]\nregion = us-east-1\n');
    expect(result.text).toBe(readFileSync(path, 'utf8'));
  });

  it('gives up, writing nothing, when the file changes under every attempt', async () => {
    const path = join(dir, 'config');
    writeFileSync(path, 'start\n');
    await expect(editFileAtomic(path, (text) => {
      appendFileSync(path, 'more\n');
      return `${text}ours\n`;
    })).rejects.toBeInstanceOf(FileKeepsChangingError);
    expect(readFileSync(path, 'utf8')).not.toContain('ours');
  });
});

describe('bytes that are not UTF-8 (item 4)', () => {
  it('are read as Latin-1 and written back byte for byte around the edit', async () => {
    const path = join(dir, 'credentials');
    const original = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9, 0xff, 0x80]), Buffer.from('\n[a]\nx = 1\n')]);
    writeFileSync(path, original);
    expect(decodeText(original).encoding).toBe('latin1');
    await editFileAtomic(path, (text) => upsertSection(text ?? '', 'b', {y: '2'}));
    const after = readFileSync(path);
    expect(after.subarray(0, original.length).equals(original)).toBe(true);
    expect(after.subarray(original.length).toString()).toBe('\n[b]\ny = 2\n');
  });

  it('keep a UTF-8 file UTF-8, byte-order mark included', async () => {
    const path = join(dir, 'zappa_settings.json');
    const original = Buffer.from('\ufeff{"dev": {"name": "café ☕"}}\n', 'utf8');
    writeFileSync(path, original);
    expect(decodeText(original)).toEqual({text: '\ufeff{"dev": {"name": "café ☕"}}\n', encoding: 'utf8'});
    await editFileAtomic(path, (text) => `${text}`);
    expect(readFileSync(path).equals(original)).toBe(true);
  });

  it('refuse an edit that adds characters Latin-1 cannot hold, writing nothing', async () => {
    const path = join(dir, 'config');
    const original = Buffer.from([0x23, 0xe9, 0x0a]);
    writeFileSync(path, original);
    await expect(editFileAtomic(path, (text) => `${text}☕\n`)).rejects.toThrow(/not UTF-8 \(read as Latin-1\)/);
    expect(readFileSync(path).equals(original)).toBe(true);
  });
});

describe('only regular files are replaced (item 5)', () => {
  it('refuses a FIFO without blocking on it', async () => {
    const fifo = join(dir, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    await expect(writeFileAtomic(fifo, 'secret')).rejects.toMatchObject({name: 'NotRegularFileError', what: 'a named pipe (FIFO)'});
    expect(statSync(fifo).isFIFO()).toBe(true);
  });

  it('refuses a folder', async () => {
    await expect(writeFileAtomic(dir, 'secret')).rejects.toBeInstanceOf(NotRegularFileError);
  });

  it.skipIf(!RUNS_AS_ROOT)('refuses a character device, and LocalFiles reads it as empty but refuses to write it (needs root for mknod)', async () => {
    const device = join(dir, 'null-copy');
    expect(spawnSync('mknod', [device, 'c', '1', '3']).status).toBe(0);
    await expect(writeFileAtomic(device, 'secret')).rejects.toMatchObject({what: 'a character device'});
    const files = await loadFiles({config: device});
    expect(files.text('config')).toBe('');
    await expect(files.assertWritable('config')).rejects.toThrow(`${device} is a character device, not a regular file`);
    await expect(files.write('config', () => '[x]\n')).rejects.toThrow(/not a regular file/);
    expect(statSync(device).isCharacterDevice()).toBe(true);
  });
});

describe('backups hold secrets at the forced mode (item 7)', () => {
  it('a 0644 file written at 0600 gets a 0600 backup', async () => {
    const path = join(dir, 'credentials');
    writeFileSync(path, 'old secret\n');
    chmodSync(path, 0o644);
    const result = await writeFileAtomic(path, 'new secret\n', {mode: 0o600, backup: true});
    expect(result.backupPath).toBe(`${path}.bak`);
    expect(modeOf(path)).toBe(0o600);
    expect(modeOf(`${path}.bak`)).toBe(0o600);
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe('old secret\n');
  });
});

function paths(overrides: Partial<Record<'credentials' | 'config' | 'settings', string>> = {}) {
  mkdirSync(join(dir, '.aws'), {recursive: true});
  const settings = join(dir, 'zappa_settings.json');
  writeFileSync(settings, '{"dev": {"app_function": "app.app"}}\n');
  return {credentials: join(dir, '.aws', 'credentials'), config: join(dir, '.aws', 'config'), settings, ...overrides};
}

const loadFiles = (overrides: Partial<Record<'credentials' | 'config' | 'settings', string>> = {}) => LocalFiles.load(paths(overrides));

describe('LocalFiles.write: an edit of the file as it is now (item 3)', () => {
  it('keeps a change saved after the files were read', async () => {
    const files = await loadFiles();
    writeFileSync(files.path('credentials'), '[saved-meanwhile]\nregion = x\n');
    await files.write('credentials', (text) => upsertSection(text ?? '', 'serverless', {aws_access_key_id: 'AKIAEXAMPLE', aws_secret_access_key: 's'}));
    const text = readFileSync(files.path('credentials'), 'utf8');
    expect(text).toBe('[saved-meanwhile]\nregion = x\n\n[serverless]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = s\n');
    expect(files.text('credentials')).toBe(text);
  });

  it('given a whole text, stops with a sentence instead of writing over a change it did not make', async () => {
    const files = await loadFiles();
    writeFileSync(files.path('config'), '[saved-meanwhile]\n');
    await expect(files.write('config', '[ours]\n')).rejects.toThrow(`${files.path('config')} changed while the wizard ran; the wizard does not write over a change it did not make`);
    expect(readFileSync(files.path('config'), 'utf8')).toBe('[saved-meanwhile]\n');
  });

  it('stops with the file and line when the file changed in a way the edit cannot be made to', async () => {
    const files = await loadFiles();
    writeFileSync(files.path('config'), '[profile serverless]\nregion =\n    eu-west-1\n');
    const error = await files.write('config', (text) => upsertSection(text ?? '', 'profile serverless', {region: 'us-east-1'})).catch((e: unknown) => e);
    expect((error as UserError).message).toBe(`${files.path('config')} changed while the wizard ran, and its edit can no longer be made there (line 2: key "region" has an indented block under it; refusing to overwrite it). Nothing was written to it.`);
    expect((error as UserError).exitCode).toBe(1);
    expect(readFileSync(files.path('config'), 'utf8')).toBe('[profile serverless]\nregion =\n    eu-west-1\n');
  });

  it('with credentials and config in one file, both edits are there, at 0600', async () => {
    const shared = join(dir, '.aws', 'shared');
    const files = await loadFiles({credentials: shared, config: shared});
    await Promise.all([
      files.write('credentials', (text) => upsertSection(text ?? '', 'serverless', {aws_access_key_id: 'AKIAEXAMPLE', aws_secret_access_key: 's'})),
      files.write('config', (text) => upsertSection(text ?? '', 'profile serverless', {region: 'eu-west-1'})),
    ]);
    const text = readFileSync(shared, 'utf8');
    expect(text).toContain('[serverless]\naws_access_key_id = AKIAEXAMPLE');
    expect(text).toContain('[profile serverless]\nregion = eu-west-1');
    expect(files.text('config')).toBe(text);
    expect(modeOf(shared)).toBe(0o600);
  });

  it('reports the mode the file has after the write', async () => {
    const files = await loadFiles();
    await files.write('credentials', () => '[serverless]\naws_secret_access_key = s\n');
    expect(files.mode('credentials')).toBe(0o600);
    expect(files.fileReports()[0]).toEqual({path: files.path('credentials'), status: 'created'});
  });
});

describe('LocalFiles.assertWritable: the rows\' edits are made in memory before any AWS write (item 12)', () => {
  it('names the file and the line of a section the editor refuses, exit 2', async () => {
    const p = paths();
    writeFileSync(p.config, '[profile serverless]\nregion =\n    eu-west-1\n');
    const files = await LocalFiles.load(p);
    files.expectEdit('config', 'config-file', (text) => upsertSection(text ?? '', 'profile serverless', {region: 'us-east-1'}));
    const error = await files.assertWritable('config').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    expect((error as UserError).message).toBe(`Can't edit ${p.config} (line 2: key "region" has an indented block under it; refusing to overwrite it).`);
    // A re-check that finds the row in place takes its edit back.
    files.expectEdit('config', 'config-file', undefined);
    await expect(files.assertWritable('config')).resolves.toBeUndefined();
  });

  it('refuses a file whose folder cannot take the temp file, even when the file itself is writable', async () => {
    // access() as root ignores modes: the folder check is proven end to end, as nobody, in files-e2e.test.ts.
    const files = await loadFiles({credentials: join(dir, 'no-such-folder-file', 'x', 'credentials')});
    writeFileSync(join(dir, 'no-such-folder-file'), 'a file where a folder should be');
    await expect(files.assertWritable('credentials')).rejects.toThrow(`${join(dir, 'no-such-folder-file')} is a file where a folder should be`);
  });
});

describe('the lock beside the credentials file (items 3 and 8)', () => {
  it('lets one holder in at a time; the second waits for the first', async () => {
    const path = join(dir, 'credentials.zappa-iam-wizard.lock');
    const first = await acquireLock(path);
    const order: string[] = [];
    const second = acquireLock(path, {pollMs: 10, onWait: () => order.push('waiting')}).then((lock) => {
      order.push('second');
      return lock;
    });
    await new Promise((done) => setTimeout(done, 50));
    order.push('first released');
    await first.release();
    await (await second).release();
    expect(order).toEqual(['waiting', 'first released', 'second']);
  });

  it('gives up after its timeout while a live run holds it, naming the holder', async () => {
    const path = join(dir, 'lock');
    writeFileSync(path, JSON.stringify({pid: process.pid, host: hostname(), since: 'now'}));
    const error = await acquireLock(path, {timeoutMs: 100, pollMs: 10}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockBusyError);
    expect((error as LockBusyError).holder).toMatchObject({pid: process.pid});
  });

  it('takes over a lock whose pid is gone, and removes its own on release', async () => {
    const path = join(dir, 'lock');
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], {encoding: 'utf8'});
    writeFileSync(path, JSON.stringify({pid: Number(dead.stdout.trim()), host: hostname(), since: 'then'}));
    const lock = await acquireLock(path, {timeoutMs: 1000});
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    await lock.release();
    expect(() => statSync(path)).toThrow();
  });

  it('LocalFiles takes it for every write and removes it after', async () => {
    const files = await loadFiles();
    const lockPath = `${files.path('credentials')}.zappa-iam-wizard.lock`;
    let seen = false;
    await files.withLock(async () => {
      seen = statSync(lockPath).isFile();
      await files.write('config', () => '[x]\n');
    });
    expect(seen).toBe(true);
    expect(() => statSync(lockPath)).toThrow();
  });
});
