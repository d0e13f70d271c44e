/** The one finding layout: wrapped at the width without splitting words, `~` for home, colour only when asked. */
import {describe, expect, it} from 'vitest';
import {findingLines, fit} from '../../src/ui/findings-text.js';
import type {Finding} from '../../src/plan/types.js';

const HOME = process.env.HOME!;
const finding: Finding = {
  id: 'credentials-file-mode', severity: 'problem', where: `[serverless] in ${HOME}/.aws/credentials`,
  problem: 'holds secret keys but is readable by others (mode 644); will set 0600', fix: 'npx zappa-iam-wizard setup',
};

describe('findingLines', () => {
  it('is one line with no terminal: mark, where, the sentence with its period, then the fix', () => {
    expect(findingLines(finding, {color: false})).toEqual([
      '✖ [serverless] in ~/.aws/credentials: holds secret keys but is readable by others (mode 644); will set 0600. Fix: npx zappa-iam-wizard setup',
    ]);
  });

  it('wraps at the width with a hanging indent, and never splits a word', () => {
    const lines = findingLines(finding, {color: false, width: 40});
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {2}\S/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(40);
    // Joining the lines back gives the words unchanged.
    expect(lines.map((l) => l.trim()).join(' ')).toBe(findingLines(finding, {color: false})[0]);
  });

  it('colours only the mark, and only when asked; a warning and a note have their own marks', () => {
    expect(findingLines(finding, {color: true})[0]).toMatch(/^\u001b\[31m✖\u001b\[0m \[serverless\]/);
    expect(findingLines({...finding, severity: 'warning'}, {color: false})[0]).toMatch(/^! /);
    expect(findingLines({...finding, severity: 'info', fix: ''}, {color: false})[0]).not.toContain('Fix:');
  });
});

describe('fit', () => {
  it('keeps a line that fits as it is, spacing and indent included', () => {
    expect(fit('  ✔ deploy     34/34 allowed', {color: false, width: 80})).toEqual(['  ✔ deploy     34/34 allowed']);
  });

  it('puts a word longer than the line on a line of its own instead of cutting it', () => {
    const arn = 'arn:aws:iam::123456789012:role/another-app-dev-ZappaLambdaExecutionRole';
    const lines = fit(`allowed iam:PassRole on ${arn} (statement 1)`, {color: false, width: 40});
    expect(lines).toContain(`  ${arn}`);
  });
});
