/**
 * The benchmark's round-trip metric on made-up timestamps: the figure the
 * re-run target (≤ 3 sequential round trips) is checked against must itself
 * be right. No timing here.
 */
import {describe, expect, it} from 'vitest';
import {longestSequentialChain} from '../../scripts/bench/critical-path.js';

interface Call { name: string; start: number; end: number }
const call = (name: string, start: number, end: number): Call => ({name, start, end});
const names = (calls: Call[]) => longestSequentialChain(calls).calls.map((c) => c.name);

describe('longestSequentialChain', () => {
  it('is 0 for a run without calls', () => {
    expect(longestSequentialChain([])).toEqual({length: 0, calls: []});
  });

  it('counts calls made all at once as one round trip', () => {
    const calls = [call('a', 0, 50), call('b', 1, 52), call('c', 2, 51), call('d', 3, 60)];
    expect(longestSequentialChain(calls).length).toBe(1);
  });

  it('counts every call of a script that waits for each answer', () => {
    const calls = [0, 1, 2, 3, 4].map((i) => call(`step${i}`, i * 100, i * 100 + 60));
    expect(longestSequentialChain(calls).length).toBe(5);
    expect(names(calls)).toEqual(['step0', 'step1', 'step2', 'step3', 'step4']);
  });

  it('finds the three rounds of a re-run: eight parallel reads, then the policies, then their documents', () => {
    const firstRound = ['identity', 'user', 'keys', 'userPolicies', 'role', 'rolePolicies', 'bucket', 'keyIdentity']
      .map((name, i) => call(name, i, 50 + i * 2));
    const calls = [
      ...firstRound,
      call('getPolicy:deploy', 51, 102), call('getPolicy:exec', 51, 103),
      call('getPolicyVersion:deploy', 103, 155), call('getPolicyVersion:exec', 104, 156),
    ];
    const chain = longestSequentialChain(calls);
    expect(chain.length).toBe(3);
    expect(chain.calls[0]!.name).toBe('identity');
    expect(chain.calls.map((c) => c.name.split(':')[0])).toEqual(['identity', 'getPolicy', 'getPolicyVersion']);
  });

  it('follows the longest branch, not the first or the busiest one', () => {
    const calls = [
      call('root', 0, 10),
      // A wide branch: four slow calls in parallel after the root.
      call('w1', 11, 20), call('w2', 11, 21), call('w3', 12, 22), call('w4', 12, 19),
      // A narrow branch of quick calls, one after another, that goes deeper.
      call('d1', 11, 15), call('d2', 16, 25), call('d3', 26, 35),
    ];
    expect(names(calls)).toEqual(['root', 'd1', 'd2', 'd3']);
  });

  it('names the call that released the next one: of those that ended before it started, the last to end', () => {
    // CreateUser, CreatePolicy and CreateRole in parallel; CreateAccessKey waited for CreateUser, the slowest.
    const calls = [
      call('CreateRole', 0, 50), call('CreatePolicy', 0, 52), call('CreateUser', 1, 55),
      call('CreateAccessKey', 56, 110), call('GetCallerIdentity', 111, 160),
    ];
    expect(names(calls)).toEqual(['CreateUser', 'CreateAccessKey', 'GetCallerIdentity']);
  });

  it('treats a call that starts the moment the previous one ends as sequential, and any overlap as parallel', () => {
    expect(longestSequentialChain([call('a', 0, 50), call('b', 50, 100)]).length).toBe(2);
    expect(longestSequentialChain([call('a', 0, 50), call('b', 49.9, 100)]).length).toBe(1);
  });

  it('does not depend on the order the calls are listed in', () => {
    const calls = [call('c', 40, 60), call('a', 0, 10), call('x', 5, 70), call('b', 20, 30)];
    expect(names(calls)).toEqual(['a', 'b', 'c']);
    expect(names([...calls].reverse())).toEqual(['a', 'b', 'c']);
  });

  it('refuses a call that ends before it starts', () => {
    expect(() => longestSequentialChain([call('bad', 10, 5)])).toThrow(RangeError);
    expect(() => longestSequentialChain([call('unfinished', 10, Number.NaN)])).toThrow(RangeError);
  });
});
