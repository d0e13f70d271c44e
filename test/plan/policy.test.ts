import {describe, expect, it} from 'vitest';
import {allowedActions, decodeDocument, renderTemplate, samePolicy} from '../../src/plan/policy.js';
import {missingTrustedServices, withTrustedServices} from '../../src/plan/trust.js';
import {DOCUMENT_TEMPLATES} from '../../src/app/templates.js';

const doc = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: ['s3:GetObject', 'lambda:GetFunction'], Resource: '*'}]};

describe('policy documents', () => {
  it('decodes URL-encoded documents as IAM returns them, and raw ones as moto does', () => {
    const raw = JSON.stringify(doc);
    expect(decodeDocument(encodeURIComponent(raw))).toEqual(doc);
    expect(decodeDocument(raw)).toEqual(doc);
  });

  it('treats a string and a one-item list alike, and ignores order', () => {
    const other = {Version: '2012-10-17', Statement: {Effect: 'Allow', Action: ['lambda:GetFunction', 's3:GetObject'], Resource: ['*']}};
    expect(samePolicy(doc, other)).toBe(true);
  });

  it('notices a missing action', () => {
    const fewer = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 's3:GetObject', Resource: '*'}]};
    expect(samePolicy(doc, fewer)).toBe(false);
  });

  it('fills account and partition into the setup document\'s deployment policy', () => {
    const filled = renderTemplate(DOCUMENT_TEMPLATES.deployment, {accountId: '123456789012', partition: 'aws'});
    const text = JSON.stringify(filled);
    expect(text).toContain('arn:aws:iam::123456789012:role/*-ZappaLambdaExecutionRole');
    expect(text).toContain('arn:aws:s3:::zappa-*');
    expect(text).not.toContain('<');
    expect(allowedActions(filled)).toContain('iam:PassRole');
  });
});

describe('execution role trust', () => {
  const lambdaOnly = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'lambda.amazonaws.com'}, Action: 'sts:AssumeRole'}]};

  it('finds API Gateway missing from a Lambda-only trust policy', () => {
    expect(missingTrustedServices(lambdaOnly)).toEqual(['apigateway.amazonaws.com']);
  });

  it('adds the missing service and keeps a statement the person added', () => {
    const mine = {Effect: 'Allow', Principal: {AWS: 'arn:aws:iam::111122223333:root'}, Action: 'sts:AssumeRole'};
    const repaired = withTrustedServices({...lambdaOnly, Statement: [...lambdaOnly.Statement, mine]});
    expect(missingTrustedServices(repaired)).toEqual([]);
    expect(repaired.Statement).toContainEqual(mine);
    expect(repaired.Statement).toContainEqual({
      Effect: 'Allow', Principal: {Service: ['apigateway.amazonaws.com', 'lambda.amazonaws.com']}, Action: 'sts:AssumeRole',
    });
  });

  it('adds a statement when no service may assume the role', () => {
    const repaired = withTrustedServices({Version: '2012-10-17', Statement: []});
    expect(missingTrustedServices(repaired)).toEqual([]);
  });

  it('leaves a complete trust policy as it is', () => {
    const full = JSON.parse(DOCUMENT_TEMPLATES.trust);
    expect(withTrustedServices(full)).toBe(full);
  });
});
