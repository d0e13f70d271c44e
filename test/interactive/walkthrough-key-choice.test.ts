/**
 * The key chosen at the two-key limit (key-limit.ts): the access-key row
 * plans its deletion, in words, and deletes nothing itself until applied.
 */
import {describe, expect, it} from 'vitest';
import type {AccessKeyInfo} from '../../src/aws/port.js';
import {planKeys, type KeyFacts} from '../../src/steps/access-key.js';

const key = (id: string): AccessKeyInfo => ({id, status: 'Active', created: new Date('2026-11-01T00:00:00Z')});
const A = 'AKIAHAND00000000AAA1';
const B = 'AKIAHAND00000000BBB2';
const facts: KeyFacts = {userName: 'serverless', profileName: 'serverless', keys: [key(A), key(B)], tags: {}, credentialsText: ''};

describe('planKeys at the two-key limit', () => {
  it('is blocked while nobody chose a key', () => {
    expect(planKeys(facts).check.state).toBe('blocked');
  });

  it('with a chosen key: creates the new key after deleting that one, and says so in the plan', () => {
    const plan = planKeys({...facts, chosenToDelete: A});
    expect(plan.check.state).toBe('missing');
    expect(plan.create).toBe(true);
    expect(plan.deleteFirst.map((k) => k.id)).toEqual([A]);
    expect(plan.untouched.map((k) => k.id)).toEqual([B]);
    expect(plan.check.detail).toContain('will delete AKIA…AAA1 first to make room, as you chose');
    expect(plan.check.detail).not.toContain('AKIA…AAA1 was never in');
  });

  it('ignores a choice that is not one of the user\'s keys', () => {
    expect(planKeys({...facts, chosenToDelete: 'AKIAHAND00000000CCC3'}).check.state).toBe('blocked');
  });
});
