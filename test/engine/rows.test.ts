import {describe, expect, it} from 'vitest';
import {rowsFor} from '../../src/engine/rows.js';
import type {DesiredState} from '../../src/plan/types.js';
import {SETUP_STEPS} from '../../src/steps/index.js';

const stage = (name: string, roleName: string) => ({stage: name, roleName}) as DesiredState;

describe('the rows of a run', () => {
  it('are the step ids, once each, with one stage', () => {
    const rows = rowsFor(SETUP_STEPS, [stage('dev', 'r-dev')]);
    expect(rows.map((r) => r.key)).toEqual(SETUP_STEPS.map((s) => s.id));
    expect(rows.every((r) => r.stages === undefined)).toBe(true);
  });

  it('repeat settings per stage and the role rows per role name; the rest is shared', () => {
    const rows = rowsFor(SETUP_STEPS, [stage('dev', 'r-dev'), stage('staging', 'r-shared'), stage('prod', 'r-shared')]);
    const keys = rows.map((r) => r.key);
    expect(keys.filter((k) => k.startsWith('zappa-settings'))).toEqual(['zappa-settings@dev', 'zappa-settings@staging', 'zappa-settings@prod']);
    expect(keys.filter((k) => k.startsWith('execution-role'))).toEqual(['execution-role@dev', 'execution-role@staging']);
    expect(rows.find((r) => r.key === 'execution-role@staging')?.stages).toEqual(['staging', 'prod']);
    expect(keys.filter((k) => k === 'user' || k === 'deployment-policy')).toEqual(['user', 'deployment-policy']);
    // The role's attachment waits for its own role, and the settings rows edit the file one after another.
    expect(rows.find((r) => r.key === 'execution-policy-attached@staging')?.dependsOn).toEqual(['execution-role@staging', 'execution-policy']);
    expect(rows.find((r) => r.key === 'zappa-settings@prod')?.dependsOn).toEqual(['zappa-settings@staging']);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
