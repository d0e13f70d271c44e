/**
 * The dependency rules of the layout (STYLE.md): the planning layer is pure,
 * only src/aws talks to the AWS SDK, and the UI gets nothing but types from
 * the core. Checked on the import statements themselves, so a change that
 * breaks a rule fails here rather than in review.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';
import {describe, expect, it} from 'vitest';

const SRC = new URL('../../src/', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

/** Every module specifier a file imports, with whether the import is type-only. */
function importsOf(file: string): {from: string; typeOnly: boolean}[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*import\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|import\(['"]([^'"]+)['"]\)/gm)]
    .map((m) => ({from: m[2] ?? m[3] ?? '', typeOnly: Boolean(m[1])}));
}

const filesIn = (folder: string) => sourceFiles(join(SRC, folder)).map((f) => ({file: relative(SRC, f), imports: importsOf(f)}));

describe('layers', () => {
  it('reads multi-line and type-only imports (the rules below rely on it)', () => {
    const gateway = importsOf(join(SRC, 'aws/sdk-gateway.ts'));
    expect(gateway).toContainEqual({from: '@aws-sdk/client-iam', typeOnly: false});
    expect(gateway).toContainEqual({from: '@smithy/types', typeOnly: true});
  });

  it('keeps src/plan pure: no SDK, file system, React or other layer', () => {
    const offending = filesIn('plan').flatMap(({file, imports}) =>
      imports.filter((i) => !i.from.startsWith('./')).map((i) => `${file} imports ${i.from}`));
    expect(offending).toEqual([]);
  });

  it('lets only src/aws import the AWS SDK', () => {
    const offending = sourceFiles(SRC).map((f) => ({file: relative(SRC, f), imports: importsOf(f)}))
      .filter(({file}) => !file.startsWith('aws/'))
      .flatMap(({file, imports}) => imports.filter((i) => /^@aws-sdk\/client-/.test(i.from) && !i.typeOnly).map((i) => `${file} imports ${i.from}`));
    expect(offending).toEqual([]);
  });

  it('gives src/ui only types from the core', () => {
    const core = /^\.\.\/(plan|engine|aws|app|steps|files|policy|lifecycle)\//;
    const offending = filesIn('ui').flatMap(({file, imports}) =>
      imports.filter((i) => core.test(i.from) && !i.typeOnly).map((i) => `${file} imports ${i.from}`));
    expect(offending).toEqual([]);
  });

  it('keeps the --help path free of heavy modules', () => {
    const entry = ['main.ts', 'args.ts', 'help.ts'].flatMap((f) => importsOf(join(SRC, f)).filter((i) => !i.from.startsWith('./')));
    expect(entry).toEqual([]);
  });
});
