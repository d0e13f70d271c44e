import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {arnMatches, arnsOverlap, globMatch, globsOverlap, splitArn} from '../../src/policy/glob.js';

const alphabet = fc.constantFrom('a', 'b', '/', ':');
const text = fc.array(alphabet, {maxLength: 8}).map((c) => c.join(''));
const pattern = fc.array(fc.constantFrom('a', 'b', '/', ':', '*', '?'), {maxLength: 6}).map((c) => c.join(''));

describe('globMatch', () => {
  it('reads * and ? as IAM does, actions case-insensitively', () => {
    expect(globMatch('s3:Get*', 's3:GetObject')).toBe(true);
    expect(globMatch('s3:get*', 's3:GetObject')).toBe(false);
    expect(globMatch('s3:get*', 's3:GetObject', true)).toBe(true);
    expect(globMatch('role/*-ZappaLambdaExecutionRole', 'role/demo-app-dev-ZappaLambdaExecutionRole')).toBe(true);
    expect(globMatch('role/*-ZappaLambdaExecutionRole', 'role/ZappaLambdaExecutionRole')).toBe(false);
    expect(globMatch('a?c', 'abc')).toBe(true);
    expect(globMatch('a?c', 'ac')).toBe(false);
  });

  it('agrees with the equivalent regular expression', () => {
    fc.assert(fc.property(pattern, text, (p, t) => {
      const re = new RegExp(`^${p.replace(/[*]/g, '.*').replace(/[?]/g, '.')}$`, 's');
      expect(globMatch(p, t)).toBe(re.test(t));
    }));
  });
});

describe('globsOverlap', () => {
  it('is true whenever one string matches both patterns', () => {
    fc.assert(fc.property(pattern, pattern, text, (a, b, t) => {
      if (globMatch(a, t) && globMatch(b, t)) expect(globsOverlap(a, b)).toBe(true);
    }));
  });

  it('against a plain string, is exactly matching', () => {
    fc.assert(fc.property(pattern, text, (p, t) => {
      expect(globsOverlap(p, t)).toBe(globMatch(p, t));
    }));
  });

  it('finds a witness when it says the patterns overlap', () => {
    // Witness: replace each * by "" or one letter and each ? by a letter, for both patterns; search small strings.
    const words = ['', 'a', 'b', '/', ':', 'ab', 'a/', 'ba', 'aa', 'bb', 'a:b', 'ab/', '/a', 'aab', 'abb', 'a/b', 'b/a'];
    fc.assert(fc.property(pattern, pattern, (a, b) => {
      if (!globsOverlap(a, b)) {
        for (const w of words) expect(globMatch(a, w) && globMatch(b, w)).toBe(false);
      }
    }));
  });

  it('answers the questions the lint asks', () => {
    expect(globsOverlap('zappa-*', '*')).toBe(true);
    expect(globsOverlap('zappa-*/*', 'other-*')).toBe(false);
    expect(globsOverlap('*-ZappaLambdaExecutionRole', 'demo-*')).toBe(true);
    expect(globsOverlap('rule/*', 'function:*')).toBe(false);
  });
});

describe('ARNs', () => {
  it('split into five parts, short ones padded with *', () => {
    expect(splitArn('arn:aws:s3:::zappa-x/key:with:colons')).toEqual(['aws', 's3', '', '', 'zappa-x/key:with:colons']);
    expect(splitArn('arn:aws:iam')).toEqual(['aws', 'iam', '*', '*', '*']);
    expect(splitArn('zappa-x')).toBeUndefined();
  });

  it('match segment by segment: a wildcard never crosses into the next segment', () => {
    expect(arnMatches('arn:aws:s3:::zappa-*', 'arn:aws:s3:::zappa-demo')).toBe(true);
    expect(arnMatches('arn:aws:s3:::zappa-*', 'arn:aws:s3:::other')).toBe(false);
    expect(arnMatches('arn:aws:lambda:*:123456789012:function:*', 'arn:aws:lambda:us-east-1:123456789012:function:demo-app-dev')).toBe(true);
    expect(arnMatches('arn:aws:lambda:us-*', 'arn:aws:lambda:us-east-1:123456789012:function:x')).toBe(true);
    expect(arnMatches('arn:aws:lambda:us-east-1*', 'arn:aws:lambda:us-east-1:123456789012:function:x')).toBe(true);
    expect(arnMatches('arn:aws:lambda:*:function', 'arn:aws:lambda:us-east-1:123456789012:function:x')).toBe(false);
    expect(arnsOverlap('arn:aws:events:us-east-1:123456789012:rule/*', 'arn:*:events:*:*:rule/*')).toBe(true);
    expect(arnsOverlap('arn:aws:events:us-east-1:123456789012:rule/*', 'arn:*:lambda:*:*:function:*')).toBe(false);
  });
});
