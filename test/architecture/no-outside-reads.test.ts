/**
 * Nothing the repository runs (source, tests, scripts, the bin entry, the
 * config files) may reach outside the repository: facts it needs live in
 * data/ with their provenance (data/README.md). A path such as ../shared/...
 * or /work/shared/... works on one machine and fails in a fresh clone, so it
 * fails here instead, naming the file and line.
 */
import {readFileSync} from 'node:fs';
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SELF = 'test/architecture/no-outside-reads.test.ts';
const FOLDERS = ['src', 'test', 'scripts', 'bin'];
const CONFIG_FILES = ['package.json', 'tsconfig.json', 'vitest.config.ts', '.ci/run'];

/**
 * References to places outside the repository:
 * - one or more `../` followed by `shared` (../shared, ../../shared, ...);
 * - `'..', 'shared'` as path.join arguments;
 * - an absolute path starting `/work/` (not `~/work/` or `/home/x/work/`).
 */
const OUTSIDE = [/(?:\.\.[/\\])+shared\b/, /['"]\.\.['"]\s*,\s*['"]shared\b/, /(?<![\w.~-])\/work\//];

function outsideReferences(file: string, text: string): string[] {
  return text.split(/\r?\n/).flatMap((line, i) => (OUTSIDE.some((re) => re.test(line)) ? [`${file}:${i + 1}: ${line.trim()}`] : []));
}

/**
 * The files git knows in the scanned places: tracked ones, and new ones not
 * yet added (but not ignored), so a new file is checked before its commit.
 */
function scannedFiles(): string[] {
  const run = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...FOLDERS, ...CONFIG_FILES], {cwd: REPO, encoding: 'utf8'});
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`git ls-files failed (${run.status}): ${run.stderr}`);
  return [...new Set(run.stdout.split('\0').filter(Boolean))].sort();
}

function read(file: string): string | undefined {
  try {
    const text = readFileSync(join(REPO, file), 'utf8');
    return text.includes('\0') ? undefined : text; // binary
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // deleted in the working tree
    throw error;
  }
}

describe('no reads outside the repository', () => {
  it('recognizes the references it is looking for, and not look-alikes', () => {
    for (const line of [
      "new URL('../../../shared/reference/policies/', import.meta.url)",
      "readFileSync('../shared/x.json')",
      'const p = "../../shared";',
      "join(repo, '..', 'shared', 'reference')",
      "readFileSync('/work/shared/reference/zappa_settings.relay-example.json', 'utf8')",
      'cd /work/main && npm test',
    ]) {
      expect(outsideReferences('f.ts', line), line).toEqual([`f.ts:1: ${line}`]);
    }
    for (const line of [
      "{AWS_SHARED_CREDENTIALS_FILE: '~/work/credentials'}",
      "'/home/ana/work/config'",
      "import {loadSharedConfigFiles} from '@smithy/shared-ini-file-loader';",
      "new URL('../src/shared/x.ts', import.meta.url)",
      'https://example.com/work/page',
    ]) {
      expect(outsideReferences('f.ts', line), line).toEqual([]);
    }
    expect(outsideReferences('f.ts', 'a\r\nb ../shared\n')).toEqual(['f.ts:2: b ../shared']);
  });

  it('lists the files to scan with git, config files included', () => {
    const files = scannedFiles();
    for (const folder of FOLDERS) expect(files.some((f) => f.startsWith(`${folder}/`)), folder).toBe(true);
    for (const file of CONFIG_FILES) expect(files, file).toContain(file);
    expect(files).toContain(SELF.replace('no-outside-reads', 'layers'));
  });

  it('finds no reference outside the repository in source, tests, scripts, bin or config', () => {
    const offending = scannedFiles()
      .filter((file) => file !== SELF)
      .flatMap((file) => {
        const text = read(file);
        return text === undefined ? [] : outsideReferences(file, text);
      });
    expect(offending).toEqual([]);
  });
});
