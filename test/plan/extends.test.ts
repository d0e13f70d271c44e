import {describe, expect, it} from 'vitest';
import {effectiveSettings, extendsChain, ExtendsError, inheritedFrom} from '../../src/plan/extends.js';
import {stageWrite} from '../../src/plan/stage-writes.js';

const CHAIN = {
  base: {project_name: 'lark', aws_region: 'eu-central-1', environment_variables: {A: '1'}},
  dev: {extends: 'base', aws_region: 'eu-west-1'},
  prod: {extends: 'dev', environment_variables: {B: '2'}},
};

describe('extends as Zappa computes it', () => {
  it('merges the chain shallowly, nearer stages winning', () => {
    expect(effectiveSettings(CHAIN, 'prod')).toEqual({extends: 'dev', project_name: 'lark', aws_region: 'eu-west-1', environment_variables: {B: '2'}});
    expect(extendsChain(CHAIN, 'prod')).toEqual(['prod', 'dev', 'base']);
  });

  it('says which ancestor a value comes from, and nothing for the stage\'s own', () => {
    expect(inheritedFrom(CHAIN, 'prod', 'project_name')).toBe('base');
    expect(inheritedFrom(CHAIN, 'prod', 'aws_region')).toBe('dev');
    expect(inheritedFrom(CHAIN, 'prod', 'environment_variables')).toBeUndefined();
    expect(inheritedFrom(CHAIN, 'prod', 'runtime')).toBeUndefined();
  });

  it.each([
    [{a: {extends: 'b'}, b: {extends: 'a'}}, 'a', 'stage "a" extends "b", extends "a": a cycle, which Zappa refuses'],
    [{a: {extends: 'a'}}, 'a', 'stage "a" extends "a": a cycle, which Zappa refuses'],
    [{a: {extends: 'gone'}}, 'a', 'stage "a" extends "gone", which the file does not have'],
    [{a: {extends: ['b']}, b: {}}, 'a', 'stage "a" has extends ["b"], which is not a stage name'],
  ])('refuses %j from %s', (all, stage, message) => {
    expect(() => extendsChain(all as Record<string, Record<string, unknown>>, stage)).toThrow(new ExtendsError(message));
  });
});

describe('what the wizard writes into a stage', () => {
  const wanted = {profile_name: 'serverless', aws_region: 'eu-west-1', manage_roles: false};

  it('writes only the keys whose effective value differs, never into a parent', () => {
    const w = stageWrite(CHAIN, {stage: 'prod', settingsEntries: wanted});
    expect(w.entries).toEqual({profile_name: 'serverless', manage_roles: false});
    expect(w.inherited).toEqual({aws_region: 'dev'});
    expect(w.differences).toEqual(['profile_name: missing → "serverless"', 'manage_roles: missing → false']);
  });

  it('names the parent a differing value comes from', () => {
    const w = stageWrite(CHAIN, {stage: 'prod', settingsEntries: {aws_region: 'us-east-1'}});
    expect(w.differences).toEqual(['aws_region: "eu-west-1" (from dev) → "us-east-1"']);
  });

  it('takes a parent in the same run as already patched, so the child needs nothing of it', () => {
    const run = [{stage: 'dev', settingsEntries: wanted}, {stage: 'prod', settingsEntries: wanted}];
    expect(stageWrite(CHAIN, run[1]!, run).entries).toEqual({});
    expect(stageWrite(CHAIN, run[0]!, run).entries).toEqual({profile_name: 'serverless', manage_roles: false});
  });

  it('puts extends first for a new stage', () => {
    const all = {...CHAIN, qa: {extends: 'base'}};
    const w = stageWrite(all, {stage: 'qa', settingsEntries: {profile_name: 'serverless', project_name: 'lark'}, newStage: {extends: 'base'}});
    expect(Object.entries(w.entries)).toEqual([['extends', 'base'], ['profile_name', 'serverless']]);
    expect(w.created).toBe(true);
  });
});
