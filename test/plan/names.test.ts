import {describe, expect, it} from 'vitest';
import {
  defaultRoleName, fixRoleName, hasRandomSuffix, lambdaName, proposeBucketName, randomSuffix,
  slugify, validateBucketName, validateRoleName, validateUserName,
} from '../../src/plan/names.js';

describe('Zappa-compatible names', () => {
  it.each([
    ['tr-serverless-relay', 'dev', 'tr-serverless-relay-dev'],
    ['My_Project', 'Prod', 'my-project-prod'],
    ['café app!', 'dev', 'cafe-app-dev'],
    ['--x--', 'y', 'x-y'],
  ])('slugifies %s + %s like Zappa', (project, stage, expected) => {
    expect(lambdaName(project, stage)).toBe(expected);
  });

  it('derives the default role name from project and stage', () => {
    expect(defaultRoleName('demo_app', 'dev')).toBe('demo-app-dev-ZappaLambdaExecutionRole');
  });

  it('shortens a long project name so the role fits 64 characters and keeps the suffix', () => {
    const role = defaultRoleName('a-very-long-project-name-that-goes-on-and-on-forever', 'production');
    expect(role.length).toBeLessThanOrEqual(64);
    expect(role.endsWith('-ZappaLambdaExecutionRole')).toBe(true);
    expect(validateRoleName(role)).toBe(true);
    expect(role).toBe(defaultRoleName('a-very-long-project-name-that-goes-on-and-on-forever', 'production'));
  });

  it.each([
    ['my-role', 'must end with'],
    ['x'.repeat(60) + '-ZappaLambdaExecutionRole', 'at most 64'],
    ['bad name-ZappaLambdaExecutionRole', 'may only contain'],
  ])('refuses role name %s', (name, reason) => {
    expect(validateRoleName(name)).toContain(reason);
  });

  it('fixes a role name without the suffix into a passable one', () => {
    expect(fixRoleName('my-role')).toBe('my-role-ZappaLambdaExecutionRole');
    expect(validateRoleName(fixRoleName('x'.repeat(80)))).toBe(true);
  });

  it.each([
    ['zappa-demo-abc123def0', true],
    ['demo-bucket', 'must start with zappa-'],
    ['zappa-Demo', 'lowercase'],
    ['za', '3 to 63'],
    ['zappa-' + 'a'.repeat(60), '3 to 63'],
  ])('validates bucket %s', (name, expected) => {
    const result = validateBucketName(name);
    if (expected === true) expect(result).toBe(true);
    else expect(result).toContain(expected);
  });

  it('proposes valid zappa- bucket names with a 10-character random suffix', () => {
    const name = proposeBucketName('My Bucket', () => 0.5);
    expect(name).toMatch(/^zappa-my-bucket-[a-z0-9]{10}$/);
    expect(validateBucketName(proposeBucketName('x'.repeat(100)))).toBe(true);
    expect(randomSuffix()).toMatch(/^[a-z0-9]{10}$/);
  });

  it('always puts a letter and a digit in the suffix, so doctor recognises it as random', () => {
    for (const value of [0, 0.5, 0.71, 0.99]) {
      const suffix = randomSuffix(() => value);
      expect(suffix).toMatch(/^(?=.*[a-z])(?=.*\d)[a-z0-9]{10}$/);
      expect(hasRandomSuffix(`zappa-app-${suffix}`)).toBe(true);
    }
    for (let i = 0; i < 500; i++) expect(hasRandomSuffix(proposeBucketName('demo-app'))).toBe(true);
  });

  it('recognises bucket names that carry a random suffix', () => {
    expect(hasRandomSuffix('zappa-demo-k3j5h2g8f1')).toBe(true);
    expect(hasRandomSuffix('zappa-tr-template-relay')).toBe(false);
  });

  it('validates user names', () => {
    expect(validateUserName('serverless')).toBe(true);
    expect(validateUserName('has space')).toContain('may only contain');
    expect(validateUserName('u'.repeat(65))).toContain('at most 64');
  });

  it('slugify drops everything but lowercase letters and digits', () => {
    expect(slugify('  Hello, World  ')).toBe('hello-world');
  });
});
