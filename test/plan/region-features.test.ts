import {describe, expect, it} from 'vitest';
import {bucketRegionProblem, regionFeatureProblem, regionLacks, regionsLacking} from '../../src/plan/region-features.js';
import {validateRegion} from '../../src/plan/regions.js';

describe('regions without Lambda function URLs', () => {
  it.each([
    ['eu-south-2', true],
    ['eu-central-2', true],
    ['il-central-1', true],
    ['ap-southeast-7', true],
    ['ca-west-1', true],
    ['us-east-1', false],
    ['eu-west-1', false],
    ['ap-northeast-1', false],
    ['eu-south-1', false],
    ['cn-north-1', false],
  ])('%s lacks them: %s', (region, lacks) => {
    expect(regionLacks(region, 'function-url')).toBe(lacks);
  });

  it('lists only well-formed region names, each once', () => {
    const listed = regionsLacking('function-url');
    expect(listed).toHaveLength(11);
    expect(new Set(listed).size).toBe(listed.length);
    for (const r of listed) expect(validateRegion(r)).toBe(true);
  });

  it('says nothing where function URLs exist', () => {
    expect(regionFeatureProblem('us-east-1', 'function-url')).toBeUndefined();
    expect(regionFeatureProblem('us-east-1', 'function-url', true)).toBeUndefined();
  });

  it('explains the misleading AccessDenied, and what to do when the stage wants URLs', () => {
    expect(regionFeatureProblem('eu-south-2', 'function-url')).toBe(
      'Lambda function URLs do not exist in eu-south-2, where Zappa older than 0.62.0 stops `zappa update` with AccessDenied "Unable to determine service/operation name to be authorised", which no IAM permission fixes; use Zappa 0.62.0 or newer.');
    expect(regionFeatureProblem('il-central-1', 'function-url', true)).toBe(
      'Lambda function URLs do not exist in il-central-1, so function_url_enabled cannot work there; remove it, or deploy the stage to a region that has them (for example us-east-1 or eu-west-1).');
  });
});

describe('a bucket in another region', () => {
  it('names both regions', () => {
    expect(bucketRegionProblem('eu-west-1', 'us-east-1')).toBe(
      "the bucket is in eu-west-1, and Lambda reads code only from a bucket in the function's region (us-east-1)");
  });
});
