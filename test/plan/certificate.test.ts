import {describe, expect, it} from 'vitest';
import {certificateProblem} from '../../src/plan/certificate.js';

const cert = (region: string, partition = 'aws') => `arn:${partition}:acm:${region}:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789`;

describe('certificate_arn and the API endpoint type', () => {
  it.each([
    ['no certificate', {}, 'eu-west-1', false],
    ['edge (default) with us-east-1', {certificate_arn: cert('us-east-1')}, 'eu-west-1', false],
    ['edge (default) with the stage region', {certificate_arn: cert('eu-west-1')}, 'eu-west-1', true],
    ['EDGE listed', {certificate_arn: cert('eu-central-1'), endpoint_configuration: ['EDGE']}, 'eu-central-1', true],
    ['edge spelled lower-case, as a string', {certificate_arn: cert('eu-central-1'), endpoint_configuration: 'edge'}, 'eu-central-1', true],
    ['REGIONAL with us-east-1 (what zappa certify needs)', {certificate_arn: cert('us-east-1'), endpoint_configuration: ['REGIONAL']}, 'eu-west-1', false],
    ['REGIONAL with the stage region', {certificate_arn: cert('eu-west-1'), endpoint_configuration: ['REGIONAL']}, 'eu-west-1', true],
    ['REGIONAL with a third region', {certificate_arn: cert('ap-south-1'), endpoint_configuration: ['REGIONAL']}, 'eu-west-1', true],
    ['PRIVATE with us-east-1', {certificate_arn: cert('us-east-1'), endpoint_configuration: ['PRIVATE']}, 'eu-west-1', false],
    ['GovCloud (not checked)', {certificate_arn: cert('us-gov-east-1', 'aws-us-gov')}, 'us-gov-west-1', false],
    ['China (not checked)', {certificate_arn: cert('cn-north-1', 'aws-cn')}, 'cn-north-1', false],
  ])('%s: problem %s', (_name, settings, region, problem) => {
    expect(certificateProblem(settings, region) !== undefined).toBe(problem);
  });

  it('gives the edge-optimized fix in one sentence', () => {
    expect(certificateProblem({certificate_arn: cert('eu-west-1')}, 'eu-west-1')).toBe(
      "certificate_arn is a certificate in eu-west-1, but the API is edge-optimized, and API Gateway takes an edge-optimized domain's certificate only from us-east-1; request or import the certificate in AWS Certificate Manager in us-east-1 and set certificate_arn to that ARN.");
  });

  it('explains that zappa certify still needs us-east-1 for a regional API', () => {
    expect(certificateProblem({certificate_arn: cert('eu-west-1'), endpoint_configuration: ['REGIONAL']}, 'eu-west-1')).toBe(
      "certificate_arn is a certificate in eu-west-1 (the stage's own region, which a regional domain name would use), but even for this regional API `zappa certify` creates an edge-optimized custom domain, whose certificate API Gateway takes only from us-east-1; request or import the certificate in AWS Certificate Manager in us-east-1 and set certificate_arn to that ARN.");
  });

  it('takes the region from aws_region when none is given', () => {
    expect(certificateProblem({certificate_arn: cert('eu-west-1'), endpoint_configuration: ['REGIONAL'], aws_region: 'eu-west-1'}))
      .toContain("(the stage's own region");
  });

  it.each([
    ['arn:aws:iam::123456789012:server-certificate/example'],
    ['not-an-arn'],
    [42],
  ])('refuses %s as not an ACM certificate', (arn) => {
    expect(certificateProblem({certificate_arn: arn}, 'us-east-1')).toMatch(/^certificate_arn .* is not an ACM certificate ARN \(arn:aws:acm:us-east-1:<account>:certificate\/<id>\); /);
  });
});
