import {describe, expect, it} from 'vitest';
import {
  isSupportedRuntime, PYTHON_RUNTIME_LIFECYCLE, runtimeProblem, runtimeStanding, runtimeStatus,
  suggestRuntime, SUPPORTED_PYTHON_RUNTIMES,
} from '../../src/plan/runtimes.js';

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);
const TODAY = day('2026-12-01');

describe('Lambda runtime lifecycle, by date', () => {
  it.each([
    ['python3.7', '2026-12-01', 'create-blocked'],
    ['python3.8', '2026-12-01', 'deprecated'],
    ['python3.9', '2026-12-01', 'deprecated'],
    ['python3.10', '2026-10-30', 'supported'],
    ['python3.10', '2026-10-31', 'deprecated'],
    ['python3.10', '2027-02-01', 'create-blocked'],
    ['python3.10', '2027-03-03', 'update-blocked'],
    ['python3.11', '2026-12-01', 'supported'],
    ['python3.11', '2027-06-30', 'deprecated'],
    ['python3.12', '2029-01-10', 'update-blocked'],
    ['python3.14', '2026-12-01', 'supported'],
    ['python3.6', '2026-12-01', 'unknown'],
    ['python3.15', '2026-12-01', 'unknown'],
    ['nodejs22.x', '2026-12-01', 'unknown'],
  ])('%s on %s is %s', (runtime, on, state) => {
    expect(runtimeStatus(runtime, day(on)).state).toBe(state);
  });

  it('reports the published dates with the state', () => {
    expect(runtimeStatus('python3.9', TODAY)).toEqual({
      state: 'deprecated', deprecatedOn: '2025-12-15', createBlockedOn: '2027-02-01', updateBlockedOn: '2027-03-03',
    });
    expect(runtimeStatus('python3.99', TODAY)).toEqual({state: 'unknown'});
  });

  it('changes state at the start of the day, in UTC', () => {
    expect(runtimeStatus('python3.10', new Date('2026-10-30T23:59:59Z')).state).toBe('supported');
    expect(runtimeStatus('python3.10', new Date('2026-10-31T00:00:00Z')).state).toBe('deprecated');
  });

  it('lists python3.7 to python3.14, each date after the one before', () => {
    expect(Object.keys(PYTHON_RUNTIME_LIFECYCLE)).toEqual(
      ['python3.7', 'python3.8', 'python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13', 'python3.14']);
    for (const {deprecatedOn, createBlockedOn, updateBlockedOn} of Object.values(PYTHON_RUNTIME_LIFECYCLE)) {
      for (const d of [deprecatedOn, createBlockedOn, updateBlockedOn]) expect(d).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(deprecatedOn! < createBlockedOn!).toBe(true);
      expect(createBlockedOn! < updateBlockedOn!).toBe(true);
    }
  });
});

describe('supported runtimes and suggestions', () => {
  it.each([
    ['2026-06-01', ['python3.10', 'python3.11', 'python3.12', 'python3.13', 'python3.14']],
    ['2026-12-01', ['python3.11', 'python3.12', 'python3.13', 'python3.14']],
    ['2027-07-01', ['python3.12', 'python3.13', 'python3.14']],
    ['2030-01-01', []],
  ])('on %s Lambda fully supports %j', (on, expected) => {
    expect(SUPPORTED_PYTHON_RUNTIMES(day(on))).toEqual(expected);
  });

  it('is supported only in the supported state', () => {
    expect(isSupportedRuntime('python3.11', TODAY)).toBe(true);
    expect(isSupportedRuntime('python3.10', TODAY)).toBe(false);
    expect(isSupportedRuntime('python3.15', TODAY)).toBe(false);
    expect(isSupportedRuntime('python3.10', day('2026-10-01'))).toBe(true);
  });

  it.each([
    ['python3.7', '2026-12-01', 'python3.11'],
    ['python3.10', '2026-12-01', 'python3.11'],
    ['python3.12', '2026-12-01', 'python3.12'],
    ['python3.7', '2026-06-01', 'python3.10'],
    ['python3.11', '2027-07-01', 'python3.12'],
    ['python3.99', '2026-12-01', 'python3.14'],
    ['python2.7', '2026-12-01', 'python3.11'],
    ['python3.13', '2030-01-01', 'python3.14'],
  ])('suggests for %s on %s: %s', (runtime, on, expected) => {
    expect(suggestRuntime(runtime, day(on))).toBe(expected);
  });
});

describe('the runtime sentence', () => {
  it.each([
    ['python3.11', '2026-12-01', undefined],
    ['python3.10', '2026-12-01',
      "runtime python3.10 reached the end of Lambda support on 2026-10-31: new functions can't be created with it from 2027-02-01, and existing ones can't be updated with it from 2027-03-03; change it to python3.11 or newer."],
    ['python3.7', '2026-12-01',
      "runtime python3.7 reached the end of Lambda support on 2023-12-04: new functions can't be created with it since 2024-01-09, and existing ones can't be updated with it from 2027-03-03; change it to python3.11 or newer."],
    ['python3.9', '2027-04-01',
      'runtime python3.9 reached the end of Lambda support on 2025-12-15: Lambda has refused to create or update functions with it since 2027-03-03; change it to python3.11 or newer.'],
    ['python3.6', '2026-12-01',
      'runtime python3.6 is not one of the Python runtimes Lambda supports (on 2026-12-01: python3.11 to python3.14); change it to python3.11 or newer.'],
  ])('%s on %s', (runtime, on, expected) => {
    expect(runtimeProblem(runtime, day(on))).toBe(expected);
  });

  it('gives the standing alone, for reports that state the fix apart', () => {
    expect(runtimeStanding('python3.8', TODAY)).toBe(
      "runtime python3.8 reached the end of Lambda support on 2024-10-14: new functions can't be created with it from 2027-02-01, and existing ones can't be updated with it from 2027-03-03");
    expect(runtimeStanding('python3.13', TODAY)).toBeUndefined();
  });

  it('uses plain words, no error codes', () => {
    for (const r of Object.keys(PYTHON_RUNTIME_LIFECYCLE)) {
      const text = runtimeProblem(r, day('2027-04-01'));
      if (text) expect(text).not.toMatch(/Exception|InvalidParameter|[A-Z][a-z]+[A-Z]\w+Error/);
    }
  });
});
