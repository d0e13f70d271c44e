/**
 * Issue 13, items 6 and 7: wrapping never cuts a name or splits a command.
 * A command in backticks is one word; a command line stays whole even past
 * the width; a name too long for the indent starts at the margin instead.
 */
import {describe, expect, it} from 'vitest';
import {fitLine, isCommandLine, wordsOf, wrapText} from '../../src/ui/text.js';

describe('wrapping', () => {
  it('keeps a command in backticks on one line', () => {
    const text = 'The IAM Identity Center (SSO) sign-in of profile default has expired: renew it with `aws sso login --profile default`.';
    const lines = wrapText(text, 40);
    expect(lines.some((l) => l.includes('`aws sso login --profile default`'))).toBe(true);
    // Every line holds whole backtick pairs: no command starts on one line and ends on the next.
    expect(lines.every((l) => l.split('`').length % 2 === 1)).toBe(true);
    expect(wrapText('renew it with `aws sso login --profile default`', 20)).toEqual(['renew it with', '`aws sso login --profile default`']);
    expect(wordsOf('run `a b c` now')).toEqual(['run', '`a b c`', 'now']);
  });

  it('keeps a command line whole even past the width', () => {
    const line = '  aws iam update-access-key --access-key-id AKIAZ7QEXAMPLE2KEY9X --status Inactive --user-name admin';
    expect(isCommandLine(line)).toBe(true);
    expect(fitLine(line, 60)).toEqual([line]);
    expect(fitLine('  Then run the wizard again; nothing was changed and nothing will be until you say yes.', 40).length).toBeGreaterThan(1);
  });

  it('puts a name too long for the hanging indent at the margin rather than letting the terminal break it', () => {
    const arn = 'arn:aws:iam::123456789012:policy/ZappaLambdaDeploymentPolicy';
    const lines = wrapText(`allowed iam:PassRole on ${arn} (statement 1)`, 62, '    ');
    expect(lines).toContain(arn);
    expect(lines.every((l) => l.length <= 62)).toBe(true);
    // The first line keeps its indent: callers rework it (plan-view.ts).
    expect(wrapText(arn, 40, '  ')[0]).toBe(`  ${arn}`);
  });
});
