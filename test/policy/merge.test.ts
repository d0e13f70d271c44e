import {describe, expect, it} from 'vitest';
import {mergeDocuments} from '../../src/policy/merge.js';

const doc = (...Statement: Record<string, unknown>[]) => ({Version: '2012-10-17', Statement});

describe('one policy for several stages', () => {
  it('joins the resources of statements that grant the same actions under the same conditions', () => {
    const dev = doc({Sid: 'Lambda', Effect: 'Allow', Action: ['lambda:GetFunction'], Resource: 'arn:aws:lambda:us-east-1:1:function:app-dev'});
    const prod = doc({Sid: 'Lambda', Effect: 'Allow', Action: 'lambda:GetFunction', Resource: ['arn:aws:lambda:us-east-1:1:function:app-prod']});
    expect(mergeDocuments([dev, prod])).toEqual(doc({
      Sid: 'Lambda', Effect: 'Allow', Action: ['lambda:GetFunction'],
      Resource: ['arn:aws:lambda:us-east-1:1:function:app-dev', 'arn:aws:lambda:us-east-1:1:function:app-prod'],
    }));
  });

  it('keeps a statement both stages have once, keeps different grants apart, and makes Sids unique', () => {
    const shared = {Sid: 'Logs', Effect: 'Allow', Action: 'logs:*', Resource: '*'};
    const dev = doc(shared, {Sid: 'Extra', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::a/*'});
    const prod = doc(shared, {Sid: 'Extra', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: {Bool: {'aws:SecureTransport': 'true'}}});
    const merged = mergeDocuments([dev, prod]);
    expect((merged.Statement as unknown[]).length).toBe(3);
    expect((merged.Statement as {Sid: string}[]).map((s) => s.Sid)).toEqual(['Logs', 'Extra', 'Extra2']);
  });

  it('returns the only document unchanged', () => {
    const only = doc({Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*'});
    expect(mergeDocuments([only])).toBe(only);
  });
});
