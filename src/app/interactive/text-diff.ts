/**
 * A line diff for showing file edits before they are made. The files are
 * small (a few dozen lines), so a plain longest-common-subsequence table is
 * fast enough and gives the minimal diff.
 */

export type DiffLine = {kind: 'same' | 'added' | 'removed'; text: string};

const splitLines = (text: string): string[] => (text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/));

/** Every line of both texts, marked same/added/removed, in order. */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  // lcs[i][j]: length of the common subsequence of a[i..] and b[j..].
  const lcs: number[][] = Array.from({length: a.length + 1}, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({kind: 'same', text: a[i]!});
      i++;
      j++;
    } else if (i < a.length && (j >= b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      // Removals first, so a changed line reads as "- old" then "+ new".
      out.push({kind: 'removed', text: a[i]!});
      i++;
    } else {
      out.push({kind: 'added', text: b[j]!});
      j++;
    }
  }
  return out;
}

/**
 * The changed lines with `context` unchanged lines around each change;
 * a gap between hunks is marked by `{kind: 'same', text: '…'}`.
 */
export function diffHunks(before: string, after: string, context = 1): DiffLine[] {
  const lines = diffLines(before, after);
  const keep = lines.map((line, index) => line.kind !== 'same' || lines
    .slice(Math.max(0, index - context), index + context + 1)
    .some((near) => near.kind !== 'same'));
  const out: DiffLine[] = [];
  lines.forEach((line, index) => {
    if (keep[index]) out.push(line);
    else if (index === 0 || keep[index - 1]) out.push({kind: 'same', text: '…'});
  });
  // A trailing gap marker says nothing.
  while (out.at(-1)?.text === '…' && out.at(-1)?.kind === 'same') out.pop();
  return out;
}
